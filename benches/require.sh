# Sourced by the benchmark scripts: `require COMMAND:PACKAGE...` installs, from
# Debian's packages, the package of every command that is not on PATH (a path
# such as /usr/bin/time is checked as a file).
require() {
    local missing=() pair command package
    for pair in "$@"; do
        command=${pair%%:*} package=${pair#*:}
        if [[ $command == /* ]]; then
            [[ -x $command ]] || missing+=("$package")
        else
            command -v "$command" >/dev/null || missing+=("$package")
        fi
    done
    ((${#missing[@]})) || return 0
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}
