//! The command line: every flag is defined and documented here, once. Help text,
//! completions and the man page all come from these definitions.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::engine::ArgValueCompleter;

use crate::catalog::{Product, Vendor};
use crate::commands::completions::code_candidates;
use crate::lang::Lang;
use crate::lookup::Scope;

// The examples under each --help are documentation, kept with it in doc/help/ (src/
// names no product or header: tests/data_not_code.rs).
const EXAMPLES: &str = include_str!("../doc/help/decode.txt");
const LIST_EXAMPLES: &str = include_str!("../doc/help/list.txt");
const SEARCH_EXAMPLES: &str = include_str!("../doc/help/search.txt");
const SCAN_EXAMPLES: &str = include_str!("../doc/help/scan.txt");
/// The same in Chinese, for [`command`] to put in.
const EXAMPLES_ZH: &str = include_str!("../doc/help/zh/decode.txt");
const LIST_EXAMPLES_ZH: &str = include_str!("../doc/help/zh/list.txt");
const SEARCH_EXAMPLES_ZH: &str = include_str!("../doc/help/zh/search.txt");
const SCAN_EXAMPLES_ZH: &str = include_str!("../doc/help/zh/scan.txt");

/// The command line in the process's language, for parsing (help and usage errors),
/// completion answers and the man page. The derive below writes the English; in
/// Chinese, every argument's and subcommand's help comes from `HELP_ZH` instead.
/// clap's own headings (`Usage:`, `Options:`) stay as clap writes them.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cli = Cli::command();
    if crate::lang::current() == Lang::En {
        return cli;
    }
    let help = |id: &str| {
        HELP_ZH
            .iter()
            .find(|(name, _)| *name == id)
            .map_or("", |(_, zh)| zh)
    };
    // clap's own headings and its --help and --version flags, in Chinese too.
    let chinese = |cmd: clap::Command, about: &'static str, examples: &'static str| {
        let ids: Vec<(String, bool)> = cmd
            .get_arguments()
            .map(|a| (a.get_id().to_string(), a.is_positional()))
            .collect();
        let prefix = match cmd.get_name() {
            "errdecode" => String::new(),
            name => format!("{name} "),
        };
        let cmd = ids.into_iter().fold(cmd, |cmd, (id, positional)| {
            let zh = help(&format!("{prefix}{id}"));
            cmd.mut_arg(id, |a| {
                let a = if zh.is_empty() { a } else { a.help(zh) };
                a.help_heading(if positional { "参数" } else { "选项" })
            })
        });
        cmd.about(about)
            .after_help(examples)
            .help_template(HELP_TEMPLATE_ZH)
            .subcommand_help_heading("命令")
            .disable_help_flag(true)
            .arg(flag("help", 'h', clap::ArgAction::Help, "显示帮助"))
    };
    let cli = chinese(cli, help(""), EXAMPLES_ZH)
        .disable_version_flag(true)
        .arg(flag("version", 'V', clap::ArgAction::Version, "显示版本"));
    [
        ("list", LIST_EXAMPLES_ZH),
        ("search", SEARCH_EXAMPLES_ZH),
        ("scan", SCAN_EXAMPLES_ZH),
        ("completions", ""),
        ("man", ""),
    ]
    .into_iter()
    .fold(cli, |cli, (name, examples)| {
        cli.mut_subcommand(name, |s| chinese(s, help(name), examples))
    })
}

/// One of clap's own flags (`--help`, `--version`), with its help in Chinese.
fn flag(long: &'static str, short: char, action: clap::ArgAction, zh: &'static str) -> clap::Arg {
    clap::Arg::new(long)
        .short(short)
        .long(long)
        .action(action)
        .help(zh)
        .help_heading("选项")
}

/// clap's help layout with its headings in Chinese.
const HELP_TEMPLATE_ZH: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The Chinese help of the command line: `""` for the tool, an argument's id, a
/// subcommand's name, or a subcommand's name and its argument's id. A test checks
/// that every argument and subcommand has one.
const HELP_ZH: &[(&str, &str)] = &[
    (
        "",
        "离线解释云服务的错误响应：谁返回的、HTTP 状态、含义和解决办法。粘贴的内容不会离开本机。",
    ),
    (
        "input",
        "错误：错误码、HTTP 状态、XML 或 JSON 响应体、SDK 日志行，或用 `-` 读取标准输入。每个都是目录中错误码的多个参数各得一份报告；其他参数用空格连起来。没有 INPUT 也没有 --file 时读取标准输入。",
    ),
    ("file", "从文件读取错误，而不是从参数。"),
    (
        "json",
        "输出 JSON 而不是表格：解码的错误是一个对象（格式见 `errdecode man` 的 JSON OUTPUT 一节），list 和 search 每行一个对象。",
    ),
    (
        "color",
        "何时给表格着色：auto 在终端上着色，设置了 NO_COLOR 时不着色。",
    ),
    ("all", "显示每种含义的完整信息，而不只是最可能的那个。"),
    (
        "short",
        "每种含义一行（错误码、产品、HTTP 状态、含义），像 errno 那样。",
    ),
    (
        "width",
        "按 N 列排版（默认：COLUMNS，否则为终端宽度；管道输出时不折行）。指定后，list、search 和 scan 也按人阅读的格式输出，而不是 TSV。",
    ),
    (
        "no_pager",
        "不使用分页器。默认在报告比终端长时交给 ERRDECODE_PAGER，否则 PAGER，否则 `less -FRX`。",
    ),
    (
        "lang",
        "含义、解决办法和标签所用的语言（默认：按 LC_ALL、LC_MESSAGES 或 LANG，zh_* 为中文，否则英文）。",
    ),
    ("vendor", "只考虑该厂商的错误码。"),
    ("product", "只考虑该产品的错误码。"),
    (
        "max_input_mib",
        "拒绝大于这么多 MiB 的输入（在解析之前检查）。",
    ),
    (
        "list",
        "输出整个目录：每行一个错误码，附产品、HTTP 状态和含义。",
    ),
    (
        "search",
        "查找错误码、消息、含义或解决办法中包含每个关键词的错误码（不分大小写；中文按子串匹配）。",
    ),
    ("search words", "要查找的关键词；每个都必须出现在条目中。"),
    (
        "scan",
        "找出日志（文件或标准输入）中的每个错误并汇总，出现最多的在前。",
    ),
    (
        "scan files",
        "要读取的日志；没有给出或为 `-` 时读取标准输入。",
    ),
    (
        "scan follow",
        "像 `tail -F` 那样持续读取不断增长的 FILE（日志轮转或截断后也继续）：每种新错误首次出现时立即输出，按 Ctrl-C 时输出汇总。",
    ),
    (
        "completions",
        "输出该 Shell 的补全脚本（安装方法见 README.md）。",
    ),
    (
        "man",
        "输出 man 手册页（roff）：本帮助、JSON 格式和退出状态。",
    ),
];

/// Explains cloud error responses, offline: who sent one, its HTTP status, what it means
/// and what to do. Nothing you paste leaves the machine.
#[derive(Debug, Parser)]
#[command(name = "errdecode", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The error: a code, an HTTP status, an XML or JSON body, an SDK line, or `-` for
    /// stdin. Several arguments that are each a catalog code get one report each;
    /// other arguments are joined with spaces. Without INPUT or --file, stdin is read.
    #[arg(
        value_name = "INPUT",
        allow_negative_numbers = true,
        add = ArgValueCompleter::new(code_candidates)
    )]
    pub input: Vec<String>,

    /// Read the error from FILE instead of the arguments.
    #[arg(short, long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "input")]
    pub file: Option<PathBuf>,

    /// Print JSON instead of the table: one object for a decoded error (its schema is
    /// in `errdecode man`, JSON OUTPUT), one object per line for list and search.
    #[arg(long, global = true)]
    pub json: bool,

    /// When to colour the table: auto colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t)]
    pub color: ColorWhen,

    /// Show every meaning's whole block, not only the best one's.
    #[arg(short = 'v', long, visible_alias = "verbose", conflicts_with = "short")]
    pub all: bool,

    /// One line per meaning (code, product, HTTP status, meaning), as `errno` prints.
    #[arg(long)]
    pub short: bool,

    /// Lay the output out for N columns (default: COLUMNS, else the terminal's width;
    /// unwrapped when piped). Given, list, search and scan print for people, not TSV.
    #[arg(long, value_name = "N", global = true,
          value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,

    /// Never page. Built with the `pager` feature, a report longer than the terminal
    /// goes through ERRDECODE_PAGER, else PAGER, else `less -FRX`.
    #[arg(long, global = true)]
    pub no_pager: bool,

    /// The language of meanings, fixes and labels (default: from LC_ALL, LC_MESSAGES
    /// or LANG, where zh_* gives Chinese; else English).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// Only consider codes of this vendor.
    #[arg(
        long,
        value_enum,
        value_name = "VENDOR",
        global = true,
        ignore_case = true
    )]
    pub vendor: Option<Vendor>,

    /// Only consider codes of this product.
    #[arg(
        long,
        value_enum,
        value_name = "PRODUCT",
        global = true,
        ignore_case = true
    )]
    pub product: Option<Product>,

    /// Refuse input larger than this many MiB (read before anything is parsed).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_INPUT_MIB,
          value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    pub max_input_mib: u64,
}

const DEFAULT_MAX_INPUT_MIB: u64 = 64;

impl Cli {
    /// The process's arguments, parsed. Building clap's `Command` costs about a third of
    /// an `errno` run (benches/startup.sh), and most runs are a code with a flag or two,
    /// so those are read directly; everything else, every error and `--help` included,
    /// goes to clap, which stays the one definition of the command line. A unit test
    /// checks that both read every shape the direct reading accepts the same way.
    pub fn from_env() -> Cli {
        use clap::FromArgMatches;
        Self::parse_common(std::env::args_os().skip(1)).unwrap_or_else(|| {
            command()
                .try_get_matches()
                .and_then(|matches| Cli::from_arg_matches(&matches))
                .unwrap_or_else(|err| exit_for(&err))
        })
    }

    /// `[--json] [--color WHEN] [INPUT]...` in any order, each flag at most once and
    /// every INPUT a word clap can only take for INPUT; `None` for anything else.
    fn parse_common(args: impl IntoIterator<Item = OsString>) -> Option<Cli> {
        let mut json = false;
        let mut color = None;
        let mut input = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let arg = arg.into_string().ok()?;
            if arg == "--json" && !json {
                json = true;
            } else if (arg == "--color" || arg.starts_with("--color=")) && color.is_none() {
                let when = match arg.strip_prefix("--color=") {
                    Some(when) => when.to_owned(),
                    None => args.next()?.into_string().ok()?,
                };
                color = Some(ColorWhen::from_str(&when, false).ok()?);
            } else if is_plain_input(&arg) {
                input.push(arg);
            } else {
                return None;
            }
        }
        Some(Cli {
            command: None,
            input,
            file: None,
            json,
            color: color.unwrap_or_default(),
            all: false,
            short: false,
            width: None,
            no_pager: false,
            lang: None,
            vendor: None,
            product: None,
            max_input_mib: DEFAULT_MAX_INPUT_MIB,
        })
    }

    /// The catalog entries `--vendor` and `--product` leave in play.
    pub fn scope(&self) -> Scope {
        Scope {
            vendor: self.vendor,
            product: self.product,
        }
    }
}

/// Ends the process for what clap could not parse. A usage error is one line on
/// stderr and status 2. `--help` and `--version` go to stdout and exit 0, unless
/// stdout cannot take them (`>/dev/full`): then, as coreutils do, one line on stderr
/// and status 2, since the help asked for was never shown. A closed pipe stays quiet.
fn exit_for(err: &clap::Error) -> ! {
    if err.use_stderr() {
        let args: Vec<OsString> = std::env::args_os().collect();
        // Not read by clap, so looked for here: `--lang zh` speaks even in the error.
        let lang = args
            .windows(2)
            .find_map(|pair| match (pair[0].to_str(), pair[1].to_str()) {
                (Some("--lang"), Some(lang)) => Lang::from_str(lang, true).ok(),
                (Some(flag), _) => Lang::from_str(flag.strip_prefix("--lang=")?, true).ok(),
                _ => None,
            });
        if let Some(lang) = lang {
            crate::lang::choose(lang);
        }
        crate::say!("{}", usage_line(err, &args));
        std::process::exit(2);
    }
    let printed = err.print().and_then(|()| std::io::stdout().flush());
    match printed {
        // A closed pipe (`--help | head`) is the reader's choice, as everywhere else.
        Err(write) if write.kind() != std::io::ErrorKind::BrokenPipe => {
            crate::say!("{}: {write}", crate::words::words().cannot_write());
            std::process::exit(2)
        }
        _ => std::process::exit(0),
    }
}

/// A usage error as one line that is safe on a terminal. clap quotes the arguments
/// as given, so a raw CR, ESC, U+009B, U+202E or U+200B in one would reach the
/// terminal, and a newline would cut the line short. When an argument holds such a
/// character, the same arguments are parsed again with each one made visible
/// (`sanitize::visible`): the error is the same one, quoting `a\rb` for `a<CR>b`.
/// Should that parse fail otherwise (or not at all), clap's own error is shown, with
/// its characters made visible.
fn usage_line(err: &clap::Error, args: &[OsString]) -> String {
    use crate::render::sanitize::visible;
    let shown: Vec<String> = args
        .iter()
        .map(|a| visible(&a.to_string_lossy()).into_owned())
        .collect();
    let hostile = args.iter().zip(&shown).any(|(a, s)| a.to_str() != Some(s));
    let again = hostile
        .then(|| Cli::try_parse_from(&shown).err())
        .flatten()
        .filter(|again| again.kind() == err.kind());
    let line = one_line(again.as_ref().unwrap_or(err));
    // An argument can be a pasted secret (`--vendor x-oss-security-token:...`).
    let line = crate::redact::Redactor::default()
        .text(&line)
        .unwrap_or(line);
    visible(&line).into_owned()
}

/// A usage error as one line: clap's sentence and its tip, and where to read more.
fn one_line(err: &clap::Error) -> String {
    if let Some(mut line) = (crate::lang::current() == Lang::Zh)
        .then(|| in_words(err))
        .flatten()
    {
        line.push_str(crate::words::words().see_help());
        return line;
    }
    let text = err.to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut line = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_owned();
    for more in lines {
        if line.ends_with(':') {
            // "the following required arguments were not provided:" + the arguments.
            line.push(' ');
            line.push_str(more);
        } else if let Some(tip) = more.strip_prefix("tip: ") {
            line.push_str(&format!(" ({tip})"));
        } else if more.starts_with("[possible values:") {
            line.push(' ');
            line.push_str(more);
        }
    }
    line.push_str(crate::words::words().see_help());
    line
}

/// The usage errors people meet most, said in the process's language from what clap
/// found (the argument, the values it takes, its suggestion); `None` for the rarer
/// kinds, which keep clap's English.
fn in_words(err: &clap::Error) -> Option<String> {
    use crate::words::{fill, words};
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind: ContextKind| match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(all) => Some(all.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    };
    let w = words();
    let mut line = match err.kind() {
        ErrorKind::UnknownArgument => fill(w.unknown_argument(), &[&get(ContextKind::InvalidArg)?]),
        ErrorKind::InvalidSubcommand => fill(
            w.unknown_subcommand(),
            &[&get(ContextKind::InvalidSubcommand)?],
        ),
        ErrorKind::InvalidValue => {
            let mut line = fill(
                w.invalid_value(),
                &[
                    &get(ContextKind::InvalidValue)?,
                    &get(ContextKind::InvalidArg)?,
                ],
            );
            if let Some(values) = get(ContextKind::ValidValue) {
                line.push_str(&fill(w.possible_values(), &[&values]));
            }
            line
        }
        ErrorKind::ArgumentConflict => fill(
            w.argument_conflict(),
            &[&get(ContextKind::InvalidArg)?, &get(ContextKind::PriorArg)?],
        ),
        ErrorKind::MissingRequiredArgument => {
            fill(w.missing_argument(), &[&get(ContextKind::InvalidArg)?])
        }
        _ => return None,
    };
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(get);
    if let Some(suggested) = suggested {
        line.push_str(&fill(w.did_you_mean_this(), &[&suggested]));
    }
    Some(line)
}

/// The subcommand `word` is a typo of (`lsit` → `list`, `completion` → `completions`):
/// lower-case letters, the same first letter, at most two edits from its name.
pub fn near_subcommand(word: &str) -> Option<String> {
    use clap::CommandFactory;
    let letters = word.len() >= 3 && word.bytes().all(|b| b.is_ascii_lowercase());
    if !letters || Command::has_subcommand(word) {
        return None;
    }
    Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .find(|name| {
            name.as_bytes()[0] == word.as_bytes()[0]
                && crate::catalog::edit_distance_within(word, name, 2).is_some()
        })
}

/// A word clap takes for INPUT whatever its position: not empty, not a flag, `-` or
/// `--`, not a subcommand's name, and a leading `-` only on a negative integer.
fn is_plain_input(arg: &str) -> bool {
    match arg.strip_prefix('-') {
        Some(digits) => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        None => !arg.is_empty() && arg != "help" && !Command::has_subcommand(arg),
    }
}

/// Ways to find a code rather than decode one. No catalog code is spelled like a
/// subcommand (a unit test checks), so `errdecode <code>` always decodes.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the catalog: one code per line with its product, HTTP status and meaning.
    #[command(after_help = LIST_EXAMPLES)]
    List,
    /// Find codes whose code, message, meaning or fix contain every WORD (any case).
    #[command(after_help = SEARCH_EXAMPLES)]
    Search {
        /// Words to look for; each must appear somewhere in the entry.
        #[arg(value_name = "WORD", required = true, allow_negative_numbers = true)]
        words: Vec<String>,
    },
    /// Find every error in a log (FILEs, or stdin) and summarise them, most frequent first.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan {
        /// Logs to read; stdin when none is given or for `-`.
        #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
        files: Vec<PathBuf>,
        /// Keep reading FILE as it grows, as `tail -F` does (through rotation and
        /// truncation): each new kind of error is printed when first seen, the
        /// summary on Ctrl-C.
        #[arg(short = 'f', long)]
        follow: bool,
    },
    /// Print the completion script for SHELL (install lines are in README.md).
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: ShellArg,
    },
    /// Print the man page (roff): this help, the JSON schema and the exit statuses.
    Man,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

/// The shells `errdecode completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

// The vendor and product values come from catalog/vendors.tsv, like everything else
// about vendors; matched ignoring case (`--product COS`).
impl ValueEnum for Vendor {
    fn value_variants<'a>() -> &'a [Self] {
        &Vendor::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.id()).help(self.help()))
    }
}

impl ValueEnum for Product {
    fn value_variants<'a>() -> &'a [Self] {
        &Product::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.id()).help(self.help()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_argument_and_subcommand_has_its_chinese_help() {
        let cli = Cli::command();
        let has = |id: &str| {
            HELP_ZH.iter().any(|(name, zh)| {
                *name == id && zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            })
        };
        assert!(has(""), "the tool's about");
        for arg in cli.get_arguments().filter(|a| a.get_help().is_some()) {
            assert!(has(arg.get_id().as_str()), "--{}", arg.get_id());
        }
        for sub in cli.get_subcommands() {
            assert!(has(sub.get_name()), "{}", sub.get_name());
            for arg in sub.get_arguments().filter(|a| a.get_help().is_some()) {
                let id = format!("{} {}", sub.get_name(), arg.get_id());
                assert!(has(&id), "{id}");
            }
        }
    }

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_code_is_spelled_like_a_subcommand() {
        let cli = Cli::command();
        for name in cli.get_subcommands().map(|c| c.get_name()).chain(["help"]) {
            assert!(
                crate::catalog::exact(name).next().is_none(),
                "code {name} would be taken for the subcommand"
            );
        }
    }

    #[test]
    fn subcommands_take_the_global_filters() {
        let cli =
            Cli::try_parse_from(["errdecode", "--json", "list", "--vendor", "aliyun"]).unwrap();
        assert!(cli.json);
        assert!(matches!(cli.command, Some(Command::List)));
        assert_eq!(cli.scope().vendor, Some(Vendor::Aliyun));
    }

    #[test]
    fn vendor_and_product_values_ignore_case() {
        let cli =
            Cli::try_parse_from(["errdecode", "--vendor", "Tencent", "--product", "COS", "x"])
                .unwrap();
        assert_eq!(cli.scope().vendor, Some(Vendor::Tencent));
        assert_eq!(cli.scope().product, Some(Product::Cos));
        assert!(Cli::try_parse_from(["errdecode", "--product", "gcs", "x"]).is_err());
    }

    /// The argument vectors `parse_common` must read itself (the shapes benches/startup.sh
    /// measures), then near misses it must leave to clap.
    const COMMON: &[&[&str]] = &[
        &[],
        &["-46618"],
        &["AccessDenied"],
        &["--color", "never", "-46618"],
        &["--color=never", "AccessDenied"],
        &["--json", "-46618"],
        &["-46618", "--json", "--color", "always"],
        &["Missing", "Some", "Required", "Arguments."],
        &["-46618", "-46619"],
        &["<Error><Code>NoSuchKey</Code></Error>"],
    ];
    const LEFT_TO_CLAP: &[&[&str]] = &[
        &["--json", "--json", "-46618"],
        &["--color", "never", "--color=always", "x"],
        &["--color", "Never", "x"],
        &["--color"],
        &["--color", "--json", "x"],
        &["--color="],
        &["list"],
        &["help"],
        &["x", "search"],
        &["-"],
        &["--", "-x"],
        &["-4.5"],
        &["-x"],
        &["-h"],
        &["--help"],
        &["--version"],
        &["--file", "dump.txt"],
        &["--vendor", "aliyun", "x"],
        &["--max-input-mib", "1", "x"],
        &[""],
    ];

    #[test]
    fn common_arguments_are_read_as_clap_reads_them() {
        for args in COMMON.iter().chain(LEFT_TO_CLAP) {
            let fast = Cli::parse_common(args.iter().map(OsString::from));
            assert_eq!(fast.is_some(), COMMON.contains(args), "{args:?}");
            if let Some(fast) = fast {
                let clap = Cli::try_parse_from(std::iter::once(&"errdecode").chain(*args))
                    .unwrap_or_else(|e| panic!("{args:?}: {e}"));
                assert_eq!(format!("{fast:?}"), format!("{clap:?}"), "{args:?}");
            }
        }
    }

    #[test]
    fn usage_errors_are_one_line_with_their_tip() {
        let err = Cli::try_parse_from(["errdecode", "--bogus"]).unwrap_err();
        let line = one_line(&err);
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.starts_with("unexpected argument '--bogus' found"),
            "{line}"
        );
        assert!(line.ends_with("; see `errdecode --help`"), "{line}");
        let err = Cli::try_parse_from(["errdecode", "--color", "sometimes", "x"]).unwrap_err();
        assert!(one_line(&err).contains("'sometimes'"), "{}", one_line(&err));
    }

    fn usage(args: &[&str]) -> String {
        let args: Vec<OsString> = std::iter::once("errdecode")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        let err = Cli::try_parse_from(&args).unwrap_err();
        usage_line(&err, &args)
    }

    #[test]
    fn usage_errors_show_hostile_arguments_made_visible() {
        for (arg, shown) in [
            ("a\rb", "a\\rb"),
            ("a\nb", "a\\nb"),
            ("a\u{1b}[2Jb", "a\\x1b[2Jb"),
            ("a\u{9b}31mb", "a\\x9b31mb"),
            ("a\u{202e}b", "a\\u{202e}b"),
            ("a\u{200b}b", "a\\u{200b}b"),
        ] {
            let line = usage(&["--vendor", arg]);
            assert!(
                line.starts_with(&format!("invalid value '{shown}' for '--vendor <VENDOR>'")),
                "{line}"
            );
            assert!(
                line.contains("[possible values: aliyun, tencent, aws]"),
                "{line}"
            );
            assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
            let line = usage(&[&format!("--{arg}")]);
            assert!(
                line.starts_with(&format!("unexpected argument '--{shown}' found")),
                "{line}"
            );
        }
        // Nothing to make visible: clap's own words.
        assert_eq!(
            usage(&["--bogus"]),
            one_line(&Cli::try_parse_from(["errdecode", "--bogus"]).unwrap_err())
        );
    }

    #[test]
    fn negative_codes_are_values() {
        let cli = Cli::try_parse_from(["errdecode", "-46618"]).unwrap();
        assert_eq!(cli.input, ["-46618"]);
    }
}
