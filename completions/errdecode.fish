complete --keep-order --exclusive --command errdecode --arguments "(ERRDECODE_COMPLETE=fish errdecode -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
