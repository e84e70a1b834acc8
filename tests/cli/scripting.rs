//! tokvault in scripts and CI: run, export and formats, masking,
//! non-interactive behaviour.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use predicates::prelude::*;
use std::process::Stdio;
use std::time::Duration;

/// A value that breaks naive quoting.
const AWKWARD: &str = "it's a \"quoted\" $HOME `cmd` \\ value\nwith a second line";

fn with_secrets() -> Home {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-plain");
    home.store(
        &["awkward", "--provider", "github", "--secret", "-"],
        AWKWARD,
    );
    let id_token = crate::common::jwt(&serde_json::json!({"sub": "me"}));
    home.cmd()
        .args(["store", "google", "--from-json", "-"])
        .write_stdin(format!(
            r#"{{"access_token":"ya29.x","id_token":"{id_token}","expires_in":3600}}"#
        ))
        .assert()
        .success();
    home
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn run_injects_secrets_and_passes_the_exit_code_through() {
    let home = with_secrets();
    let out = home
        .cmd()
        .args([
            "run",
            "-e",
            "KEY=openai",
            "-e",
            "AWK=awkward",
            "-e",
            "ID=google.id_token",
            "--",
        ])
        .args([
            "sh",
            "-c",
            r#"printf '%s|%s|%s' "$KEY" "$AWK" "${ID%%.*}"; exit 7"#,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    let expected_header = crate::common::jwt(&serde_json::json!({"sub": "me"}));
    let header = expected_header.split('.').next().unwrap();
    assert_eq!(stdout(&out), format!("sk-plain|{AWKWARD}|{header}"));
    home.cmd()
        .args(["run", "-e", "K=openai", "--", "true"])
        .assert()
        .code(0);
}

#[test]
fn run_keeps_secrets_off_the_command_line() {
    let home = with_secrets();
    // The child sees its own argv: the secret is not there.
    let out = home
        .cmd()
        .args([
            "run",
            "-e",
            "KEY=openai",
            "--",
            "sh",
            "-c",
            r#"cat /proc/$$/cmdline; printf '\n%s' "$KEY""#,
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    let (cmdline, value) = text.split_once('\n').unwrap();
    assert!(!cmdline.contains("sk-plain"));
    assert_eq!(value, "sk-plain");
}

#[test]
fn a_missing_reference_stops_the_command_from_starting() {
    let home = with_secrets();
    let marker = home.path().join("started");
    let out = home
        .cmd()
        .args([
            "run",
            "-e",
            "A=openai",
            "-e",
            "B=nope",
            "-e",
            "C=openai.nofield",
            "--",
            "touch",
        ])
        .arg(&marker)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("B=nope: no credential 'nope'"), "{stderr}");
    assert!(
        stderr.contains("C=openai.nofield") && stderr.contains("has no field 'nofield'"),
        "{stderr}"
    );
    assert!(!marker.exists(), "the command must not start");

    // An expired, unrefreshable one stops it too, with its own code.
    home.store(
        &[
            "old",
            "--provider",
            "github",
            "--secret",
            "-",
            "--expires-in",
            "0",
        ],
        "t",
    );
    home.cmd()
        .args(["run", "-e", "A=old", "--", "touch"])
        .arg(&marker)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("A=old"));
    assert!(!marker.exists());
}

#[test]
fn run_refreshes_an_expired_reference_first() {
    let provider = Provider::start(|req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("stale", Some("rt"), 0)),
        _ => Reply::json(200, tokens("fresh", Some("rt"), 3600)),
    });
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "idp",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "c",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    home.exchange("x", "idp");
    home.cmd()
        .args(["run", "-e", "T=x", "--", "sh", "-c", "printf %s \"$T\""])
        .assert()
        .success()
        .stdout("fresh");
}

#[test]
fn env_file_bindings_and_their_errors() {
    let home = with_secrets();
    let file = home.path().join("tokens.env");
    std::fs::write(
        &file,
        "# tokens for the deploy\n\nKEY=openai\nexport ID = google.id_token\n",
    )
    .unwrap();
    home.cmd()
        .args(["run", "--env-file"])
        .arg(&file)
        .args(["--", "sh", "-c", "printf '%s %s' \"$KEY\" \"${#ID}\""])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("sk-plain "));
    std::fs::write(&file, "KEY=openai\n# ok\njust-a-name\n").unwrap();
    home.cmd()
        .args(["run", "--env-file"])
        .arg(&file)
        .args(["--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:3: 'just-a-name' is not VAR=NAME[.FIELD]",
            file.display()
        )));
    std::fs::write(&file, "2BAD=openai\n").unwrap();
    home.cmd()
        .args(["run", "--env-file"])
        .arg(&file)
        .args(["--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            ":1: '2BAD' is not a valid environment variable name",
        ));
    home.cmd()
        .args(["run", "-e", "K=openai", "-e", "K=awkward", "--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("K is bound twice"));
    home.cmd()
        .args(["run", "--", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to inject"));
}

#[test]
fn signals_reach_the_child_and_a_signal_death_is_128_plus_n() {
    let home = with_secrets();
    // A child killed by a signal: 128 + N.
    home.cmd()
        .args(["run", "-e", "K=openai", "--", "sh", "-c", "kill -TERM $$"])
        .assert()
        .code(128 + 15);

    // TERM sent to tokvault reaches the child, whose own exit code comes back.
    let ready = home.path().join("ready");
    let mut child = home
        .std_cmd()
        .args(["run", "-e", "K=openai", "--", "sh", "-c"])
        .arg(format!(
            "trap 'exit 42' TERM; touch {}; while :; do sleep 0.05; done",
            ready.display()
        ))
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !ready.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the child never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("TERM did not reach the child");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(42));
}

#[test]
fn run_reports_a_command_that_cannot_start() {
    let home = with_secrets();
    home.cmd()
        .args(["run", "-e", "K=openai", "--", "/nonexistent/tool"])
        .assert()
        .code(127)
        .stderr(predicate::str::contains("cannot run /nonexistent/tool"));
}

#[test]
fn export_formats_round_trip_awkward_values() {
    let home = with_secrets();
    // env: what `eval` reads back.
    let out = home
        .cmd()
        .args(["export", "awkward", "K=openai"])
        .output()
        .unwrap();
    let script = format!("{}printf '%s|%s' \"$AWKWARD\" \"$K\"", stdout(&out));
    let evaluated = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(stdout(&evaluated), format!("{AWKWARD}|sk-plain"));

    // json: an object of variables.
    let out = home
        .cmd()
        .args(["export", "awkward", "openai", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["AWKWARD"], AWKWARD);
    assert_eq!(json["OPENAI"], "sk-plain");

    // github: single lines as is, multi-line values as a heredoc.
    let out = home
        .cmd()
        .args(["export", "awkward", "openai", "--format", "github"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    let delimiter = first.strip_prefix("AWKWARD<<").unwrap();
    assert_eq!(lines.next(), Some("it's a \"quoted\" $HOME `cmd` \\ value"));
    assert_eq!(lines.next(), Some("with a second line"));
    assert_eq!(lines.next(), Some(delimiter));
    assert_eq!(lines.next(), Some("OPENAI=sk-plain"));

    // dotenv: verbatim single lines; a line break is refused, nothing printed.
    home.store(
        &["spacey", "--provider", "github", "--secret", "-"],
        "a b 'c' \"d\" $e",
    );
    home.cmd()
        .args(["export", "spacey", "--format", "dotenv"])
        .assert()
        .stdout("SPACEY=a b 'c' \"d\" $e\n");
    home.cmd()
        .args(["export", "spacey", "awkward", "--format", "dotenv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("line break"));
    home.cmd()
        .args(["export", "openai", "--format", "raw"])
        .assert()
        .code(2);
    home.cmd()
        .args(["export", "nope", "openai"])
        .assert()
        .code(3)
        .stdout("");
}

#[test]
fn get_formats() {
    let home = with_secrets();
    home.cmd()
        .args(["get", "openai", "--format", "raw"])
        .assert()
        .stdout("sk-plain\n");
    home.cmd()
        .args(["get", "openai", "--format", "env"])
        .assert()
        .stdout("export OPENAI='sk-plain'\n");
    home.cmd()
        .args(["get", "openai", "--format", "dotenv"])
        .assert()
        .stdout("OPENAI=sk-plain\n");
    let out = home
        .cmd()
        .args(["get", "openai", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["token_data"]["api_key"], "sk-plain");
    let out = home
        .cmd()
        .args(["get", "google", "--field", "id_token", "--format", "env"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with("export GOOGLE_ID_TOKEN='"));
}

#[test]
fn masking_on_github_actions() {
    let home = with_secrets();
    let gha = |args: &[&str]| {
        home.cmd()
            .args(args)
            .env("GITHUB_ACTIONS", "true")
            .output()
            .unwrap()
    };

    let out = gha(&["get", "openai"]);
    assert_eq!(stdout(&out), "sk-plain\n", "stdout stays the secret alone");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "::add-mask::sk-plain\n"
    );

    let out = gha(&["get", "awkward"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::add-mask::it's a \"quoted\" $HOME `cmd` \\ value\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("::add-mask::with a second line\n"),
        "each line is masked: {stderr}"
    );

    let out = gha(&["run", "-e", "K=openai", "--", "true"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("::add-mask::sk-plain"));
    let out = gha(&["export", "openai"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("::add-mask::sk-plain"));
    let out = gha(&["get", "google", "--json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("::add-mask::ya29.x"));

    for args in [
        &["get", "openai", "--no-mask"][..],
        &["run", "--no-mask", "-e", "K=openai", "--", "true"],
    ] {
        let out = gha(args);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("add-mask"));
    }
    // Not on GitHub: nothing.
    let out = home.cmd().args(["get", "openai"]).output().unwrap();
    assert!(out.stderr.is_empty());
}

#[test]
fn no_command_ever_waits_for_input() {
    let home = with_secrets();
    let commands: &[&[&str]] = &[
        &["store", "gh", "--provider", "github"],
        &["store", "gh", "--provider", "github", "--secret", "-"],
        &["delete", "openai"],
        &["get", "openai"],
        &["list"],
        &["refresh", "openai"],
        &["exchange-code", "x", "--oauth2", "nope", "--code", "-"],
        &[
            "oauth2",
            "add",
            "c",
            "--token-url",
            "https://a.example/t",
            "--client-id",
            "x",
            "--client-secret",
            "-",
        ],
        &["oauth2", "list"],
        &["run", "-e", "K=openai", "--", "true"],
        &["export", "openai"],
        &["import-vault", "/nonexistent"],
    ];
    for ci in [false, true] {
        for args in commands {
            let mut cmd = home.cmd();
            cmd.args(*args)
                .write_stdin("")
                .timeout(Duration::from_secs(20));
            if ci {
                cmd.env("CI", "true");
            }
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code().is_some(),
                "{args:?} did not finish: {stderr}"
            );
            if args == &["store", "gh", "--provider", "github"] || args == &["delete", "openai"] {
                assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
                let why = if ci { "CI=true" } else { "no terminal" };
                assert!(
                    stderr.contains(why) && stderr.contains("pass --"),
                    "{args:?}: {stderr}"
                );
            }
        }
    }
    home.cmd()
        .args(["get", "openai"])
        .assert()
        .stdout("sk-plain\n");
}
