
_clap_complete_errdecode() {
    local IFS=$'\013'
    local _CLAP_COMPLETE_INDEX=${COMP_CWORD}
    local _CLAP_COMPLETE_COMP_TYPE=${COMP_TYPE}
    if compopt +o nospace 2> /dev/null; then
        local _CLAP_COMPLETE_SPACE=false
    else
        local _CLAP_COMPLETE_SPACE=true
    fi
    local words=("${COMP_WORDS[@]}")
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        words[COMP_CWORD]="$2"
    fi
    local _errdecode_eq= _errdecode_at=$_CLAP_COMPLETE_INDEX
    if [[ ${words[_errdecode_at]} == = ]]; then
        _errdecode_eq="${words[_errdecode_at-1]}=" _errdecode_at=$(( _errdecode_at - 1 ))
    elif [[ ${words[_errdecode_at-1]} == = ]]; then
        _errdecode_eq="${words[_errdecode_at-2]}=" _errdecode_at=$(( _errdecode_at - 2 ))
    fi
    if [[ $_errdecode_eq == --?*= ]]; then
        local _errdecode_typed="${words[_CLAP_COMPLETE_INDEX]#=}"
        words=("${words[@]:0:_errdecode_at}" "$_errdecode_eq$_errdecode_typed")
        _CLAP_COMPLETE_INDEX=$_errdecode_at
    else
        _errdecode_eq=
    fi
    COMPREPLY=( $( \
        _CLAP_IFS="$IFS" \
        _CLAP_COMPLETE_INDEX="$_CLAP_COMPLETE_INDEX" \
        _CLAP_COMPLETE_COMP_TYPE="$_CLAP_COMPLETE_COMP_TYPE" \
        _CLAP_COMPLETE_SPACE="$_CLAP_COMPLETE_SPACE" \
        ERRDECODE_COMPLETE="bash" \
        "errdecode" -- "${words[@]}" \
    ) )
    if [[ $? != 0 ]]; then
        unset COMPREPLY
    elif [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
    if [[ -n $_errdecode_eq && -n ${COMPREPLY-} ]]; then
        COMPREPLY=("${COMPREPLY[@]#"$_errdecode_eq"}")
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -o nospace -o bashdefault -o nosort -F _clap_complete_errdecode errdecode
else
    complete -o nospace -o bashdefault -F _clap_complete_errdecode errdecode
fi

