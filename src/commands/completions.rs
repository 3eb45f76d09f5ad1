//! Shell completion through clap_complete's dynamic engine: the script a shell
//! sources only registers a hook, and on every TAB the shell runs
//! `ERRDECODE_COMPLETE=<shell> errdecode -- <words>`, which answers from the compiled-in
//! catalog. README.md ("Shell completion") gives the measured cost of one TAB and
//! why this beats baking ~700 codes into five static scripts: one implementation
//! for every shell, descriptions in zsh and fish, completion of the positional
//! code in fish (clap's static fish script has none), and case-insensitive matches.

use std::ffi::OsStr;
use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::CompleteEnv;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::catalog;
use crate::cli::{Cli, ShellArg};

/// The environment variable through which a completion script asks for candidates.
/// Named for errdecode, not clap's generic `COMPLETE`, so a variable of that name in
/// a user's environment cannot turn `errdecode <code>` into a completion request.
const VAR: &str = "ERRDECODE_COMPLETE";
/// The command the scripts complete and call back; found on `PATH` at TAB time.
const BIN: &str = "errdecode";
/// The line of clap's zsh script that offers the candidates, and the matcher that
/// lets a lower-case letter match either case (a unit test checks the line is there).
const ZSH_DESCRIBE: &str = "_describe -V 'values' other";
const ZSH_ANY_CASE: &str = "m:{[:lower:][:upper:]}={[:upper:][:lower:]}";
/// readline splits `--color=al` at the `=` (it is in COMP_WORDBREAKS), so clap's
/// bash script would hand errdecode `--color`, `=`, `al` and complete `al` as a code.
/// These lines join the option back before the call and give readline only what
/// follows the `=` after it. They go after and before these lines of clap's script
/// (a unit test checks both went in).
const BASH_BEFORE_CALL: &str = "        words[COMP_CWORD]=\"$2\"\n    fi\n";
const BASH_AFTER_CALL: &str = "}\nif [[ \"${BASH_VERSINFO[0]}\" -eq 4";
const BASH_JOIN_EQUALS: &str = r#"    local _errdecode_eq= _errdecode_at=$_CLAP_COMPLETE_INDEX
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
"#;
const BASH_SPLIT_EQUALS: &str = r#"    if [[ -n $_errdecode_eq && -n ${COMPREPLY-} ]]; then
        COMPREPLY=("${COMPREPLY[@]#"$_errdecode_eq"}")
    fi
"#;
/// The group code candidates are kept in (see `code_candidates`); never displayed.
const CODES_TAG: &str = "Codes";

/// Answers a completion request and exits when the shell's script started us with
/// `ERRDECODE_COMPLETE` set; otherwise returns at once, having only read one variable. Must
/// run before anything is written to stdout.
pub fn answer_tab() {
    CompleteEnv::with_factory(Cli::command).var(VAR).complete();
}

/// Codes starting with what has been typed, ignoring case, each with its meaning as
/// the description zsh and fish show beside it.
///
/// Each carries a group tag of its own because clap_complete otherwise tags every
/// untagged candidate with the INPUT argument's rendered usage, formatted afresh per
/// candidate: about 3,000 instructions a code, more than the look-up itself. No shell
/// shows tags; they only keep a group together, and codes are one group either way.
pub fn code_candidates(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(prefix) = typed.to_str() else {
        return Vec::new();
    };
    catalog::codes_with_prefix(prefix)
        .map(|(code, e)| {
            CompletionCandidate::new(code)
                .help(Some(e.meaning().into()))
                .tag(Some(CODES_TAG.into()))
        })
        .collect()
}

/// The completion script for `shell`, as committed in `completions/`.
pub fn write_script(out: &mut impl Write, shell: ShellArg) -> io::Result<()> {
    let adapter: &dyn EnvCompleter = match shell {
        ShellArg::Bash => &Bash,
        ShellArg::Zsh => &Zsh,
        ShellArg::Fish => &Fish,
        ShellArg::Elvish => &Elvish,
        ShellArg::Powershell => &Powershell,
    };
    let mut script = Vec::new();
    adapter.write_registration(VAR, BIN, BIN, BIN, &mut script)?;
    let script = String::from_utf8_lossy(&script);
    let script = match shell {
        // zsh matches candidates case-sensitively unless the user set a matcher-list;
        // codes are matched ignoring case everywhere else, so ask for it here.
        ShellArg::Zsh => {
            script.replace(ZSH_DESCRIBE, &format!("{ZSH_DESCRIBE} -M '{ZSH_ANY_CASE}'"))
        }
        ShellArg::Bash => script
            .replace(
                BASH_BEFORE_CALL,
                &format!("{BASH_BEFORE_CALL}{BASH_JOIN_EQUALS}"),
            )
            .replace(
                BASH_AFTER_CALL,
                &format!("{BASH_SPLIT_EQUALS}{BASH_AFTER_CALL}"),
            ),
        _ => script.into_owned(),
    };
    out.write_all(script.as_bytes())?;
    if shell == ShellArg::Zsh {
        // Installed as `_errdecode` in $fpath, the file's body *is* the completion
        // function compinit autoloads on the first TAB; clap's script only registers
        // the real completer there, so that TAB would offer nothing. Complete at once
        // in that case; when the script is sourced, funcstack names no `_errdecode`.
        writeln!(
            out,
            "[[ ${{funcstack[1]}} == _{BIN} ]] && _clap_dynamic_completer_{BIN} \"$@\""
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(typed: &str) -> Vec<String> {
        code_candidates(OsStr::new(typed))
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn candidates_ignore_case_and_carry_the_meaning() {
        assert_eq!(
            values("throttl"),
            ["Throttling", "Throttling.Api", "Throttling.User"]
        );
        let first = &code_candidates(OsStr::new("-46618"))[0];
        assert!(first.get_help().is_some_and(|h| !h.to_string().is_empty()));
    }

    #[test]
    fn the_zsh_script_matches_ignoring_case() {
        let mut out = Vec::new();
        write_script(&mut out, ShellArg::Zsh).unwrap();
        let script = String::from_utf8(out).unwrap();
        assert!(
            script.contains(&format!("{ZSH_DESCRIBE} -M '{ZSH_ANY_CASE}'")),
            "clap's zsh script changed: {script}"
        );
    }

    #[test]
    fn the_bash_script_keeps_options_with_their_values() {
        let mut out = Vec::new();
        write_script(&mut out, ShellArg::Bash).unwrap();
        let script = String::from_utf8(out).unwrap();
        for patch in [BASH_JOIN_EQUALS, BASH_SPLIT_EQUALS] {
            assert!(
                script.contains(patch),
                "clap's bash script changed: {script}"
            );
        }
    }

    #[test]
    fn every_shell_has_a_script() {
        for shell in [
            ShellArg::Bash,
            ShellArg::Zsh,
            ShellArg::Fish,
            ShellArg::Elvish,
            ShellArg::Powershell,
        ] {
            let mut out = Vec::new();
            write_script(&mut out, shell).unwrap();
            let script = String::from_utf8(out).unwrap();
            assert!(script.contains(VAR) && script.contains(BIN), "{shell:?}");
        }
    }
}
