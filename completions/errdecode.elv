
set edit:completion:arg-completer[errdecode] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) ERRDECODE_COMPLETE="elvish" errdecode -- $@words) | to-lines
}

