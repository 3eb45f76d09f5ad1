//! Shell completion, exercised the way a user meets it: the committed script from
//! `completions/` is loaded into real bash, zsh and fish, the shell is asked for the
//! candidates of a half-typed line, and the candidates are compared exactly.
//!
//! The shells must be installed (`.ci/run` installs them); a missing one fails the
//! test rather than skipping it, so completion cannot silently go untested.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use errdecode::catalog;

const BIN: &str = env!("CARGO_BIN_EXE_errdecode");

/// `errdecode completions <shell>` and the file in `completions/` that holds it.
const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "errdecode.bash"),
    ("zsh", "_errdecode"),
    ("fish", "errdecode.fish"),
    ("elvish", "errdecode.elv"),
    ("powershell", "_errdecode.ps1"),
];

/// The catalog's codes starting with `-466`, as the issue lists them (and -46616, the
/// hotlink denial issue 12 added).
const CODES_466: [&str; 12] = [
    "-46614", "-46616", "-46617", "-46618", "-46619", "-46620", "-46621", "-46627", "-46628",
    "-46642", "-46646", "-46661",
];

fn committed(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file)
}

/// A fresh, empty directory for one test (the shells' HOME and scratch files).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("completions")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `program` from the system, in a hermetic environment: nothing of the developer's
/// shell setup leaks in, HOME is private, and the `errdecode` under test is the
/// first on PATH, since the scripts call it back by name on every TAB.
fn shell(program: &str, home: &Path) -> Command {
    let found = env::var_os("PATH")
        .map(|paths| env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(["/usr/bin".into(), "/bin".into()])
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file());
    let Some(path) = found else {
        panic!(
            "{program} is not installed, so its completion cannot be tested: \
             run `apt-get install -y bash zsh fish` (.ci/run does)"
        );
    };
    let bin_dir = Path::new(BIN).parent().unwrap();
    let mut cmd = Command::new(path);
    cmd.env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("HOME", home)
        .env("TERM", "xterm")
        .current_dir(home);
    cmd
}

fn stdout_of(mut cmd: Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn values(pairs: &[(String, String)]) -> Vec<&str> {
    pairs.iter().map(|(v, _)| v.as_str()).collect()
}

fn meaning_of(code: &str) -> &'static str {
    catalog::codes_with_prefix(code).next().unwrap().1.meaning()
}

// ---- the committed scripts are current ------------------------------------------

#[test]
fn committed_scripts_are_what_the_binary_prints() {
    for (shell, file) in SCRIPTS {
        let printed = stdout_of({
            let mut cmd = Command::new(BIN);
            cmd.args(["completions", shell]);
            cmd
        });
        let on_disk = fs::read_to_string(committed(file)).unwrap_or_default();
        assert!(
            printed == on_disk,
            "completions/{file} is out of date; regenerate it with\n  \
             cargo run -- completions {shell} > completions/{file}"
        );
    }
}

// ---- bash ------------------------------------------------------------------------

/// COMPREPLY after the function that `complete -p errdecode` names is called the
/// way readline calls it, with `words` on the line and the cursor after the last.
fn bash_candidates(words: &[&str]) -> Vec<String> {
    const DRIVER: &str = r#"
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
[[ $(complete -p errdecode) =~ -F\ ([^ ]+) ]] || { echo "no completion registered" >&2; exit 1; }
"${BASH_REMATCH[1]}" errdecode "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let home = scratch(&format!("bash-{}", words.join("_")));
    let mut cmd = shell("bash", &home);
    cmd.args(["--norc", "--noprofile", "-c", DRIVER, "bash"])
        .arg(committed("errdecode.bash"))
        .args(words);
    stdout_of(cmd).lines().map(str::to_owned).collect()
}

#[test]
fn bash_offers_negative_codes_by_prefix_not_options() {
    assert_eq!(bash_candidates(&["errdecode", "-466"]), CODES_466);
}

#[test]
fn bash_offers_dotted_codes() {
    assert_eq!(
        bash_candidates(&["errdecode", "Throttl"]),
        ["Throttling", "Throttling.Api", "Throttling.User"]
    );
}

#[test]
fn bash_matches_codes_ignoring_case() {
    assert_eq!(bash_candidates(&["errdecode", "nosuchke"]), ["NoSuchKey"]);
}

#[test]
fn bash_completes_flags_their_values_and_subcommands() {
    assert_eq!(
        bash_candidates(&["errdecode", "--color", ""]),
        ["auto", "always", "never"]
    );
    assert_eq!(
        bash_candidates(&["errdecode", "-46618", "--product", ""]),
        product_ids()
    );
    assert_eq!(
        bash_candidates(&["errdecode", "list", "--vendor", ""]),
        ["aliyun", "tencent", "aws"]
    );
    assert_eq!(bash_candidates(&["errdecode", "--co"]), ["--color"]);
    assert_eq!(
        bash_candidates(&["errdecode", "completions", "f"]),
        ["fish"]
    );
    assert!(bash_candidates(&["errdecode", "sea"]).contains(&"search".to_owned()));
}

/// readline splits `--color=a` into `--color`, `=`, `a` (`=` is in COMP_WORDBREAKS):
/// the values are offered, and only the part after the `=` goes back to readline.
#[test]
fn bash_completes_an_option_value_after_an_equals_sign() {
    assert_eq!(
        bash_candidates(&["errdecode", "--color", "=", "a"]),
        ["auto", "always"]
    );
    assert_eq!(
        bash_candidates(&["errdecode", "--product", "="]),
        product_ids()
    );
    assert_eq!(
        bash_candidates(&["errdecode", "-46618", "--vendor", "=", "t"]),
        ["tencent"]
    );
}

// ---- fish ------------------------------------------------------------------------

/// What `complete -C` reports for `line`: (candidate, description) pairs.
fn fish_candidates(line: &str) -> Vec<(String, String)> {
    fish_candidates_in(line, "C.UTF-8")
}

/// As [`fish_candidates`], the shell running under the locale `lang`.
fn fish_candidates_in(line: &str, lang: &str) -> Vec<(String, String)> {
    let home = scratch(&format!("fish-{lang}-{}", line.replace(' ', "_")));
    let mut cmd = shell("fish", &home);
    cmd.env("LANG", lang);
    cmd.args(["--no-config", "-c", "source $argv[1]; complete -C $argv[2]"])
        .arg(committed("errdecode.fish"))
        .arg(line);
    stdout_of(cmd)
        .lines()
        .map(|l| {
            let (value, description) = l.split_once('\t').unwrap_or((l, ""));
            (value.to_owned(), description.to_owned())
        })
        .collect()
}

#[test]
fn fish_offers_negative_codes_with_their_meaning() {
    let found = fish_candidates("errdecode -466");
    assert_eq!(values(&found), CODES_466);
    for (code, description) in &found {
        assert_eq!(description, meaning_of(code));
    }
}

/// Under a Chinese locale, codes come with their Chinese meaning and flags with their
/// Chinese help, in fish and zsh alike.
#[test]
fn completion_descriptions_follow_a_chinese_locale() {
    let chinese = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let lang = "zh_CN.UTF-8";
    let locales = Command::new("locale").arg("-a").output().unwrap().stdout;
    assert!(
        String::from_utf8_lossy(&locales)
            .lines()
            .any(|l| l.eq_ignore_ascii_case("zh_CN.utf8") || l.eq_ignore_ascii_case("zh_CN.UTF-8")),
        "the zh_CN.UTF-8 locale is not installed: run `locale-gen zh_CN.UTF-8` (.ci/run does)"
    );
    let fish = fish_candidates_in("errdecode -466", lang);
    let zsh = zsh_candidates_in(Zsh::Fpath, "errdecode -466", lang);
    for found in [&fish, &zsh] {
        assert_eq!(values(found), CODES_466);
        for (code, description) in found {
            assert!(chinese(description), "{code}: {description:?}");
            assert_ne!(
                description,
                meaning_of(code),
                "{code} is described in English"
            );
        }
    }
    let flags = fish_candidates_in("errdecode --pro", lang);
    assert!(
        flags.iter().any(|(v, d)| v == "--product" && chinese(d)),
        "{flags:?}"
    );
}

#[test]
fn fish_offers_dotted_codes_ignoring_case() {
    assert_eq!(
        values(&fish_candidates("errdecode Throttl")),
        ["Throttling", "Throttling.Api", "Throttling.User"]
    );
    assert_eq!(
        values(&fish_candidates("errdecode nosuchke")),
        ["NoSuchKey"]
    );
}

#[test]
fn fish_completes_flags_their_values_and_subcommands() {
    assert_eq!(
        values(&fish_candidates("errdecode --color ")),
        ["auto", "always", "never"]
    );
    let vendors = fish_candidates("errdecode search --vendor ");
    assert_eq!(
        vendors,
        [
            ("aliyun".to_owned(), "Alibaba Cloud".to_owned()),
            ("tencent".to_owned(), "Tencent Cloud".to_owned()),
            ("aws".to_owned(), "Amazon Web Services (AWS S3)".to_owned())
        ]
    );
    assert!(values(&fish_candidates("errdecode li")).contains(&"list"));
}

// ---- zsh -------------------------------------------------------------------------

/// Sourced inside an interactive zsh on a pseudo-terminal: loads the completion
/// system, then wraps `compadd` so every match the completion system adds is also
/// written, with its description, to $ZH_OUT. `comppostfuncs` marks the TAB done.
const ZSH_INIT: &str = r#"
PS1='' RPS1=''
stty columns 500
fpath=("$ZH_FPATH" $fpath)
autoload -Uz compinit && compinit -u -D
bindkey '^I' complete-word
eval "$ZH_SETUP"
compadd() {
  # Calls that only ask what would match (-O, -A, -D) are the system's own plumbing.
  if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
  local -a hits shown
  local d=${@[(i)-d]}
  (( d < $# )) && shown=("${(@P)${@[d+1]}}")
  builtin compadd -A hits -D shown "$@"
  local i
  for (( i = 1; i <= $#hits; i++ )); do
    print -r -- "$hits[i]"$'\t'"${${shown[i]#$hits[i]}##[[:space:]]#-- }" >> "$ZH_OUT"
  done
  builtin compadd "$@"
}
_zh_done() { : >> "$ZH_OUT"; : > "$ZH_OUT.done" }
comppostfuncs=(_zh_done)
: > "$ZH_OUT.ready"
"#;

/// Runs an interactive zsh in a zpty, types `$ZH_LINE` and a TAB, and waits for the
/// completion to finish (at most 20 s).
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty zsh/zselect || exit 3
zpty tab zsh -f -i
zpty -w tab "source ${(q)ZH_INIT}"
integer tries
# Type the line only once the shell has set up completion, so a slow machine cannot
# make the TAB arrive before compinit has run.
for (( tries = 0; tries < 400; tries++ )); do
  while zpty -r -t tab junk; do :; done
  [[ -e $ZH_OUT.ready ]] && break
  zselect -t 5
done
zpty -w -n tab "$ZH_LINE"$'\t'
for (( tries = 0; tries < 400; tries++ )); do
  while zpty -r -t tab junk; do :; done
  [[ -e $ZH_OUT.done ]] && break
  zselect -t 5
done
zpty -d tab
[[ -e $ZH_OUT.done ]] || { print -u2 "zsh did not finish completing within 20 s"; exit 1 }
cat $ZH_OUT
"#;

/// How the zsh script is installed.
enum Zsh<'a> {
    /// As `_errdecode` in a directory on $fpath, autoloaded by compinit.
    Fpath,
    /// Sourced after compinit, with extra setup such as a matcher-list.
    Sourced { setup: &'a str },
}

fn zsh_candidates(install: Zsh, line: &str) -> Vec<(String, String)> {
    zsh_candidates_in(install, line, "C.UTF-8")
}

/// As [`zsh_candidates`], the shell running under the locale `lang`.
fn zsh_candidates_in(install: Zsh, line: &str, lang: &str) -> Vec<(String, String)> {
    let home = scratch(&format!("zsh-{lang}-{}", line.replace(' ', "_")));
    let (fpath, setup) = match install {
        Zsh::Fpath => (committed("").display().to_string(), String::new()),
        Zsh::Sourced { setup } => (
            home.display().to_string(),
            format!("source {}; {setup}", committed("_errdecode").display()),
        ),
    };
    zsh_complete(&home, &fpath, &setup, line, lang)
}

/// As [`zsh_candidates`], in `home` as it is, with `setup` run (a user's ~/.zshrc).
fn zsh_candidates_at(home: &Path, setup: &str, line: &str) -> Vec<(String, String)> {
    zsh_complete(home, &home.display().to_string(), setup, line, "C.UTF-8")
}

/// One TAB after `line` in an interactive zsh in `home`, with `fpath` in front of its
/// $fpath and `setup` run once the completion system is loaded.
fn zsh_complete(
    home: &Path,
    fpath: &str,
    setup: &str,
    line: &str,
    lang: &str,
) -> Vec<(String, String)> {
    let init = home.join("init.zsh");
    fs::write(&init, ZSH_INIT).unwrap();
    let mut cmd = shell("zsh", home);
    cmd.env("LANG", lang)
        .args(["-f", "-c", ZSH_DRIVER])
        .env("ZH_INIT", &init)
        .env("ZH_OUT", home.join("candidates"))
        .env("ZH_FPATH", fpath)
        .env("ZH_SETUP", setup)
        .env("ZH_LINE", line);
    stdout_of(cmd)
        .lines()
        .map(|l| {
            let (value, description) = l.split_once('\t').unwrap_or((l, ""));
            (value.to_owned(), description.to_owned())
        })
        .collect()
}

#[test]
fn zsh_offers_negative_codes_with_their_meaning_on_the_first_tab() {
    let found = zsh_candidates(Zsh::Fpath, "errdecode -466");
    assert_eq!(values(&found), CODES_466);
    for (code, description) in &found {
        assert_eq!(description, meaning_of(code));
    }
}

#[test]
fn zsh_offers_dotted_codes() {
    assert_eq!(
        values(&zsh_candidates(Zsh::Fpath, "errdecode Throttl")),
        ["Throttling", "Throttling.Api", "Throttling.User"]
    );
}

#[test]
fn zsh_matches_codes_ignoring_case_without_any_setup() {
    assert_eq!(
        values(&zsh_candidates(Zsh::Fpath, "errdecode nosuchke")),
        ["NoSuchKey"]
    );
    assert_eq!(
        values(&zsh_candidates(Zsh::Fpath, "errdecode throttling.u")),
        ["Throttling.User"]
    );
}

/// A code media processing also sends by name is offered as that name, which is
/// what was being typed (and decodes to it), in every shell.
#[test]
fn names_codes_are_sent_as_complete_as_names() {
    assert_eq!(
        bash_candidates(&["errdecode", "queuenot"]),
        ["QueueNotFound"]
    );
    assert_eq!(
        values(&fish_candidates("errdecode queuenot")),
        ["QueueNotFound"]
    );
    assert_eq!(
        values(&zsh_candidates(Zsh::Fpath, "errdecode queuenot")),
        ["QueueNotFound"]
    );
}

#[test]
fn a_variable_named_complete_does_not_hijack_a_decode() {
    let out = Command::new(BIN)
        .env("COMPLETE", "bash")
        .args(["--color", "never", "-46618"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("download (X-ErrNo)"));
}

#[test]
fn zsh_sourced_script_matches_ignoring_case_under_a_matcher_list() {
    let setup = "zstyle ':completion:*' matcher-list 'm:{a-z}={A-Z}'";
    assert_eq!(
        values(&zsh_candidates(
            Zsh::Sourced { setup },
            "errdecode nosuchke"
        )),
        ["NoSuchKey"]
    );
}

#[test]
fn zsh_completes_flags_their_values_and_subcommands() {
    assert_eq!(
        values(&zsh_candidates(Zsh::Fpath, "errdecode --color ")),
        ["auto", "always", "never"]
    );
    assert_eq!(
        values(&zsh_candidates(Zsh::Fpath, "errdecode -46618 --product ")),
        product_ids()
    );
    // The subcommand, and the codes that start the same way in any case.
    let found = zsh_candidates(Zsh::Fpath, "errdecode li");
    assert_eq!(values(&found)[0], "list");
    assert!(values(&found).contains(&"LimitExceededError"), "{found:?}");
}

/// The --product values, in the order of catalog/vendors.tsv.
fn product_ids() -> Vec<&'static str> {
    errdecode::catalog::Product::ALL
        .iter()
        .map(|p| p.id())
        .collect()
}

// ---- README's install lines, as written, on a fresh account ------------------------

/// The install line README.md gives for `shell`: the first code span of its row in
/// the "Shell completion" table.
fn readme_install_line(shell: &str) -> String {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {shell} | `")))
        .unwrap_or_else(|| panic!("README.md has no install row for {shell}"));
    row.split('`').nth(1).unwrap().to_owned()
}

/// A fresh `HOME` with README's install line for `for_shell` run in it by `sh`, as a user
/// pastes it into a terminal.
fn installed_home(for_shell: &str) -> PathBuf {
    let home = scratch(&format!("install-{for_shell}"));
    let mut cmd = shell("sh", &home);
    cmd.args(["-c", &readme_install_line(for_shell)]);
    stdout_of(cmd);
    home
}

#[test]
fn readme_install_lines_work_on_a_fresh_account() {
    // fish loads ~/.config/fish/completions by itself.
    let home = installed_home("fish");
    let mut fish = shell("fish", &home);
    fish.args(["-c", "complete -C 'errdecode -466'"]);
    let found: Vec<String> = stdout_of(fish)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect();
    assert_eq!(found, CODES_466, "fish");

    // bash-completion's loader finds ~/.local/share/bash-completion/completions.
    let home = installed_home("bash");
    let mut bash = shell("bash", &home);
    bash.args([
        "--norc",
        "--noprofile",
        "-c",
        r#"source /usr/share/bash-completion/bash_completion || exit 1
COMP_WORDS=(errdecode -466); COMP_CWORD=1; COMP_LINE="errdecode -466"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
_comp_load errdecode 2>/dev/null || __load_completion errdecode || { echo "not loaded" >&2; exit 1; }
[[ $(complete -p errdecode) =~ -F\ ([^ ]+) ]] || { echo "no completion registered" >&2; exit 1; }
"${BASH_REMATCH[1]}" errdecode -466 errdecode
printf '%s\n' "${COMPREPLY[@]}""#,
    ]);
    assert_eq!(
        stdout_of(bash).lines().collect::<Vec<_>>(),
        CODES_466,
        "bash"
    );

    // zsh: the user's ~/.zshrc, as the line left it, sets fpath and runs compinit.
    let home = installed_home("zsh");
    let zshrc = fs::read_to_string(home.join(".zshrc")).unwrap();
    let found = zsh_candidates_at(&home, &zshrc, "errdecode -466");
    assert_eq!(values(&found), CODES_466, "zsh");
}
