//! The pager, tested where it applies: on a terminal, through a pseudo-terminal that
//! util-linux's `script` provides, with a stand-in pager that says it ran. Built with
//! the `pager` feature (on by default).
#![cfg(feature = "pager")]

use std::path::PathBuf;
use std::process::Command;

/// A pager that announces itself, then shows its input.
fn fake_pager() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errdecode-pager-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pager");
    std::fs::write(&path, "#!/bin/sh\necho PAGER-RAN\ncat\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// What a terminal of `rows` rows shows for `errdecode ARGS`, with `env` set; `None`
/// when `script` is not installed.
fn on_terminal(rows: u16, env: &[(&str, &str)], args: &str) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("errdecode");
    let line = format!("stty rows {rows} cols 80; exec {} {args}", bin.display());
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("LC_ALL", "C.UTF-8");
    for var in ["ERRDECODE_PAGER", "PAGER", "COLUMNS", "NO_COLOR"] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn long_output_on_a_terminal_goes_through_the_pager() {
    let pager = fake_pager();
    let pager = pager.to_str().unwrap();
    let Some(paged) = on_terminal(10, &[("ERRDECODE_PAGER", pager)], "AccessDenied") else {
        eprintln!("script (util-linux) is not installed: skipped");
        return;
    };
    assert!(paged.contains("PAGER-RAN"), "{paged}");
    assert!(paged.contains("8 possible meanings"), "{paged}");
    // PAGER when ERRDECODE_PAGER is unset.
    let paged = on_terminal(10, &[("PAGER", pager)], "AccessDenied").unwrap();
    assert!(paged.contains("PAGER-RAN"), "{paged}");
    // Not with --no-pager, nor when ERRDECODE_PAGER is empty or cat.
    for (env, args) in [
        (vec![("ERRDECODE_PAGER", pager)], "--no-pager AccessDenied"),
        (
            vec![("ERRDECODE_PAGER", ""), ("PAGER", pager)],
            "AccessDenied",
        ),
        (
            vec![("ERRDECODE_PAGER", "cat"), ("PAGER", pager)],
            "AccessDenied",
        ),
        // Output that fits the terminal is not paged.
        (vec![("ERRDECODE_PAGER", pager)], "-46618"),
    ] {
        let shown = on_terminal(if args == "-46618" { 50 } else { 10 }, &env, args).unwrap();
        assert!(!shown.contains("PAGER-RAN"), "{args}: {shown}");
        let expected = if args == "-46618" {
            "Tencent Cloud CI"
        } else {
            "8 possible meanings"
        };
        assert!(shown.contains(expected), "{args}: {shown}");
    }
    // A pager that cannot be started: the text is shown as it is.
    let shown = on_terminal(
        10,
        &[("ERRDECODE_PAGER", "/nonexistent/pager")],
        "AccessDenied",
    )
    .unwrap();
    assert!(shown.contains("8 possible meanings"), "{shown}");
}

#[test]
fn list_and_search_on_a_terminal_are_paged_too() {
    let pager = fake_pager();
    let pager = pager.to_str().unwrap();
    for args in ["list", "search signature expired"] {
        let Some(paged) = on_terminal(10, &[("ERRDECODE_PAGER", pager)], args) else {
            eprintln!("script (util-linux) is not installed: skipped");
            return;
        };
        assert!(paged.contains("PAGER-RAN"), "{args}: {paged}");
        let shown = on_terminal(
            10,
            &[("ERRDECODE_PAGER", pager)],
            &format!("--no-pager {args}"),
        )
        .unwrap();
        assert!(!shown.contains("PAGER-RAN"), "{args}: {shown}");
    }
}

#[test]
fn piped_output_is_never_paged() {
    let pager = fake_pager();
    let out = assert_cmd::Command::cargo_bin("errdecode")
        .unwrap()
        .env("ERRDECODE_PAGER", &pager)
        .env("PAGER", &pager)
        .env("LC_ALL", "C.UTF-8")
        .args(["--all", "AccessDenied"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("PAGER-RAN"), "{text}");
    assert!(text.starts_with("AccessDenied · 8 possible meanings"));
}
