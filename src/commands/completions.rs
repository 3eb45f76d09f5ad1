//! Shell completion through clap_complete's dynamic engine: the script a shell
//! sources only registers a hook, and on every TAB the shell runs
//! `ERRDECODE_COMPLETE=<shell> errdecode -- <words>`, which answers from the compiled-in
//! catalog. README.md ("Shell completion") gives the measured cost of one TAB and
//! why this beats baking ~700 codes into five static scripts: one implementation
//! for every shell, descriptions in zsh and fish, completion of the positional
//! code in fish (clap's static fish script has none), and case-insensitive matches.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::path::Path;

use clap_complete::CompleteEnv;
use clap_complete::engine::{
    ArgValueCompleter, CompletionCandidate, PathCompleter, ValueCompleter,
};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::catalog;
use crate::cli::ShellArg;
use crate::render::sanitize;

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
/// Every subcommand name clap_complete may offer for the first word (a unit test
/// checks the list against the definitions): a word starting one is left to clap.
const SUBCOMMANDS: &[&str] = &["list", "search", "scan", "completions", "man", "help"];
/// The group code candidates are kept in (see `code_candidates`); never displayed.
const CODES_TAG: &str = "Codes";

/// Answers a completion request and exits when the shell's script started us with
/// `ERRDECODE_COMPLETE` set; otherwise returns at once, having only read one variable. Must
/// run before anything is written to stdout.
///
/// The common TAB, a code typed as the first word in bash, zsh or fish, is answered
/// from the catalog directly ([`quick_answer`]): building clap's whole `Command` for
/// it cost more than the look-up (benches/startup.sh). Everything else goes to
/// clap_complete, over the one definition of the command line.
pub fn answer_tab() {
    let Some(shell) = std::env::var_os(VAR).filter(|v| !v.is_empty() && v != "0") else {
        return;
    };
    if let Some(answer) = quick_answer(&shell, std::env::args_os().collect(), |name| {
        std::env::var(name).ok()
    }) {
        // As clap_complete: what the shell does not read is not an error of ours.
        let _ = io::stdout().lock().write_all(answer.as_bytes());
        std::process::exit(0);
    }
    CompleteEnv::with_factory(command_for_tab)
        .var(VAR)
        .complete();
}

/// The command line as the TAB engine sees it: file names are offered through
/// [`safe_paths`], so no candidate carries a control character to the terminal or
/// breaks the line- and `\v`-separated protocol the scripts read.
fn command_for_tab() -> clap::Command {
    let files = || ArgValueCompleter::new(safe_paths);
    crate::cli::command()
        .mut_arg("file", |a| a.add(files()))
        .mut_subcommand("scan", |s| s.mut_arg("files", |a| a.add(files())))
}

/// File names starting with `typed`, as clap_complete offers them for a file
/// argument, minus every name that is not UTF-8 or holds a character the sanitiser
/// would escape (ESC, BEL, a newline, bidi and zero-width characters). Such a name
/// cannot be offered as it is without driving the terminal or splitting the answer,
/// and an escaped one would name a file that does not exist; it is left out.
fn safe_paths(typed: &OsStr) -> Vec<CompletionCandidate> {
    let mut found = PathCompleter::file().complete(typed);
    found.retain(|c| c.get_value().to_str().is_some_and(sanitize::is_shown_as_is));
    found.sort_unstable();
    found
}

/// The answer to a TAB that completes a code as the first word, in the shell's
/// format, exactly as clap_complete would write it (a unit test compares the two),
/// or `None` for anything else. `shell` is `ERRDECODE_COMPLETE`'s value, `args` the
/// process's arguments and `var` reads the shell script's variables.
///
/// clap offers only codes there when the word is not the start of a subcommand's
/// name and is no flag: a word without a leading `-`, or a negative number.
fn quick_answer(
    shell: &OsStr,
    mut args: Vec<OsString>,
    var: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let shell = Path::new(shell).file_stem()?.to_str()?;
    // `errdecode -- errdecode WORD`: the words after the first `--`.
    let escape = args.iter().position(|a| a == "--")?;
    args.drain(..=escape);
    let [_, word] = args.as_slice() else {
        return None;
    };
    let word = word.to_str()?;
    let index_is_first = || var("_CLAP_COMPLETE_INDEX").as_deref() == Some("1");
    let is_code_word = match word.strip_prefix('-') {
        Some(digits) => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        None => !word.is_empty() && !SUBCOMMANDS.iter().any(|name| name.starts_with(word)),
    };
    if !is_code_word {
        return None;
    }
    let candidates = code_candidates(OsStr::new(word));
    let first_line = |c: &CompletionCandidate| {
        c.get_help()
            .map(|h| h.to_string().lines().next().unwrap_or_default().to_owned())
    };
    let mut answer = String::new();
    match shell {
        "bash" | "zsh" if index_is_first() => {
            let ifs = var("_CLAP_IFS").unwrap_or_else(|| "\n".to_owned());
            for (i, c) in candidates.iter().enumerate() {
                if i != 0 {
                    answer.push_str(&ifs);
                }
                let value = c.get_value().to_string_lossy();
                if shell == "bash" {
                    answer.push_str(&value);
                } else {
                    answer.push_str(&value.replace('\\', "\\\\").replace(':', "\\:"));
                    if let Some(help) = first_line(c) {
                        answer.push(':');
                        answer.push_str(&help.replace('\\', "\\\\"));
                    }
                }
            }
        }
        "fish" => {
            for c in &candidates {
                answer.push_str(&c.get_value().to_string_lossy());
                if let Some(help) = first_line(c) {
                    answer.push('\t');
                    answer.push_str(&help);
                }
                answer.push('\n');
            }
        }
        _ => return None,
    }
    Some(answer)
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
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn values(typed: &str) -> Vec<String> {
        code_candidates(OsStr::new(typed))
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    fn args(words: &[&str]) -> Vec<OsString> {
        ["errdecode", "--"]
            .iter()
            .chain(words)
            .map(OsString::from)
            .collect()
    }

    fn shown(candidates: &[CompletionCandidate]) -> Vec<(String, Option<String>)> {
        candidates
            .iter()
            .map(|c| {
                (
                    c.get_value().to_string_lossy().into_owned(),
                    c.get_help().map(|h| h.to_string()),
                )
            })
            .collect()
    }

    /// Words the quick answer takes, and what clap_complete offers for each.
    const QUICK: &[&str] = &[
        "-466",
        "-4",
        "-1",
        "acc",
        "Access",
        "AccessDenied",
        "no",
        "NoSuch",
        "thr",
        "0003",
        "1013",
        "x",
        "Z",
        "Missing",
        "é",
        "a:b",
    ];

    #[test]
    fn the_quick_answer_offers_what_clap_offers() {
        for word in QUICK {
            let from_clap = clap_complete::engine::complete(
                &mut command_for_tab(),
                vec!["errdecode".into(), (*word).into()],
                1,
                None,
            )
            .unwrap();
            assert_eq!(
                shown(&code_candidates(OsStr::new(word))),
                shown(&from_clap),
                "{word}"
            );
            let var = |name: &str| (name == "_CLAP_COMPLETE_INDEX").then(|| "1".to_owned());
            assert!(quick_answer(OsStr::new("bash"), args(&["errdecode", word]), var).is_some());
        }
    }

    #[test]
    fn the_quick_answer_writes_fish_as_clap_does() {
        for word in QUICK {
            let mut from_clap = Vec::new();
            Fish.write_complete(
                &mut command_for_tab(),
                vec!["errdecode".into(), (*word).into()],
                None,
                &mut from_clap,
            )
            .unwrap();
            let quick = quick_answer(OsStr::new("fish"), args(&["errdecode", word]), |_| None);
            assert_eq!(
                quick.as_deref(),
                Some(&*String::from_utf8_lossy(&from_clap)),
                "{word}"
            );
        }
    }

    #[test]
    fn everything_else_is_left_to_clap() {
        let var = |name: &str| match name {
            "_CLAP_COMPLETE_INDEX" => Some("1".to_owned()),
            _ => None,
        };
        for words in [
            &["errdecode", ""][..],
            &["errdecode", "s"],
            &["errdecode", "li"],
            &["errdecode", "help"],
            &["errdecode", "c"],
            &["errdecode", "m"],
            &["errdecode", "-"],
            &["errdecode", "-x"],
            &["errdecode", "--js"],
            &["errdecode", "-4.5"],
            &["errdecode"],
            &["errdecode", "--json", "acc"],
            &["errdecode", "acc", "x"],
        ] {
            assert_eq!(
                quick_answer(OsStr::new("bash"), args(words), var),
                None,
                "{words:?}"
            );
        }
        let quick = |shell: &str| quick_answer(OsStr::new(shell), args(&["errdecode", "acc"]), var);
        assert!(quick("/usr/bin/zsh").is_some());
        assert_eq!(quick("elvish"), None);
        assert_eq!(quick("powershell"), None);
        // Not the first word by the script's own count.
        let second = |name: &str| (name == "_CLAP_COMPLETE_INDEX").then(|| "2".to_owned());
        assert_eq!(
            quick_answer(OsStr::new("bash"), args(&["errdecode", "acc"]), second),
            None
        );
    }

    #[test]
    fn the_subcommand_list_is_complete() {
        let cli = Cli::command();
        let names: Vec<&str> = cli
            .get_subcommands()
            .map(|c| c.get_name())
            .chain(["help"])
            .collect();
        assert_eq!(names, SUBCOMMANDS);
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
