//! What a first-time user meets: messages that say what happened, JSON for
//! every command that writes, help that explains, advice that works.

use crate::common::HomeEnv;

use crate::common::Home;
use predicates::prelude::*;
use serde_json::Value;

fn json(out: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn store_says_replaced_and_can_refuse_to() {
    let home = Home::new();
    home.cmd()
        .args(["store", "k", "--provider", "p", "--secret", "-"])
        .write_stdin("one")
        .assert()
        .success()
        .stderr(predicate::str::contains("stored credential 'k'"));
    home.cmd()
        .args(["store", "k", "--secret", "-"])
        .write_stdin("two")
        .assert()
        .success()
        .stderr(predicate::str::contains("replaced credential 'k'"));
    let before = home.snapshot();
    home.cmd()
        .args(["store", "k", "--secret", "-", "--no-replace"])
        .write_stdin("three")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--no-replace keeps it"));
    assert!(home.snapshot() == before);
    assert_eq!(home.get("k"), "two\n");
    let out = home
        .cmd()
        .args(["store", "k", "--secret", "-", "--json"])
        .write_stdin("four")
        .assert()
        .success();
    let v = json(&out);
    assert_eq!(v["replaced"], true);
    assert_eq!(v["integration_key"], "k");
    assert!(v.get("token_data").is_none());
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("four"));
}

#[test]
fn delete_and_oauth2_add_speak_json() {
    let home = Home::new();
    home.store(&["k", "--provider", "p", "--secret", "-"], "v");
    let out = home
        .cmd()
        .args(["delete", "k", "--yes", "--json"])
        .assert()
        .success();
    let v = json(&out);
    assert_eq!(
        (v["deleted"].clone(), v["integration_key"].clone()),
        (Value::Bool(true), "k".into())
    );
    let out = home
        .cmd()
        .args([
            "oauth2",
            "add",
            "c",
            "--token-url",
            "https://auth.example.com/token",
            "--client-id",
            "id",
            "--client-secret",
            "-",
            "--json",
        ])
        .write_stdin("shh")
        .assert()
        .success();
    let v = json(&out);
    assert_eq!(v["name"], "c");
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("shh"));
}

#[test]
fn refreshing_a_key_that_never_expires_is_nothing_to_do() {
    let home = Home::new();
    home.store(&["k", "--provider", "stripe", "--secret", "-"], "v");
    home.cmd().args(["refresh", "k"]).assert().code(1).stderr(
        predicate::str::contains("nothing to refresh")
            .and(predicate::str::contains("never expires")),
    );
    home.store(
        &[
            "old",
            "--provider",
            "p",
            "--expires-in",
            "0",
            "--secret",
            "-",
        ],
        "v",
    );
    home.cmd().args(["refresh", "old"]).assert().code(4);
}

#[test]
fn run_and_export_take_the_advice_they_give() {
    let home = Home::new();
    home.store(
        &[
            "old",
            "--provider",
            "p",
            "--expires-in",
            "0",
            "--secret",
            "-",
        ],
        "stale",
    );
    home.cmd()
        .args(["run", "-e", "X=old", "--", "true"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("--allow-expired"));
    home.cmd()
        .args([
            "run",
            "--allow-expired",
            "-e",
            "X=old",
            "--",
            "sh",
            "-c",
            "printf %s \"$X\"",
        ])
        .assert()
        .success()
        .stdout("stale");
    home.cmd()
        .args(["export", "X=old", "--allow-expired"])
        .assert()
        .success()
        .stdout("export X='stale'\n");
}

#[test]
fn help_lists_every_command_with_a_description_and_examples() {
    let home = Home::new();
    let out = home.cmd().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(commands.len() >= 15, "{help}");
    for line in &commands {
        assert!(
            line.split_whitespace().count() >= 2,
            "no description: {line:?}"
        );
    }
    for command in [
        "store",
        "get",
        "list",
        "delete",
        "refresh",
        "exchange-code",
        "client-credentials",
        "run",
        "export",
        "rekey",
        "export-vault",
        "import-vault",
        "login",
        "completion",
    ] {
        let out = home.cmd().args([command, "--help"]).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(
            text.contains("Examples:\n  "),
            "{command} --help has no examples"
        );
        assert!(
            text.contains("<NAME>") || !text.contains("INTEGRATION"),
            "{command}: {text}"
        );
    }
    // A command is shown only the global options it reads.
    let out = home.cmd().args(["completion", "--help"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        !text.contains("--http-timeout") && !text.contains("--db"),
        "{text}"
    );
    let out = home.cmd().args(["get", "-h"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("--http-timeout"));
}

#[test]
fn usage_errors_are_one_line() {
    let home = Home::new();
    for args in [
        &["get"][..],
        &["stor"],
        &["get", "x", "--nope"],
        &["list", "--json=3"],
    ] {
        let out = home.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("tokvault: error: "), "{stderr}");
        assert!(!stderr.contains('\x1b'), "{stderr:?}");
    }
}

#[test]
fn a_client_without_a_secret_is_public_only_when_said_so() {
    let home = Home::new();
    let before = home.snapshot_or_empty();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "g",
            "--provider",
            "google",
            "--client-id",
            "id",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--auth-method none"));
    assert!(home.snapshot_or_empty() == before);
    home.cmd()
        .args([
            "oauth2",
            "add",
            "g",
            "--provider",
            "google",
            "--client-id",
            "id",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    let out = home.cmd().args(["oauth2", "show", "g"]).assert().success();
    // The preset's scopes, shown where the client is.
    assert_eq!(json(&out)["scopes"], serde_json::json!(["openid", "email"]));
}

#[test]
fn tables_fit_the_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIPPED: script(1) from util-linux is needed to give tokvault a terminal");
        return;
    }
    let home = Home::new();
    for i in 0..2 {
        home.cmd()
            .args(["oauth2", "add", &format!("client-with-a-long-name-{i}")])
            .args([
                "--token-url",
                "https://login.example.com/a/very/long/path/to/the/token/endpoint",
            ])
            .args([
                "--client-id",
                "abcdefghijklmnopqrstuvwxyz0123456789",
                "--auth-method",
                "none",
            ])
            .args([
                "--scopes",
                "openid,email,profile,offline_access,https://www.googleapis.com/auth/drive",
            ])
            .assert()
            .success();
    }
    let bin = assert_cmd::cargo::cargo_bin("tokvault");
    let out = std::process::Command::new("script")
        .args([
            "-qc",
            &format!("stty rows 40 cols 80; {} oauth2 list", bin.display()),
            "/dev/null",
        ])
        .home_env(&home)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let widest = text
        .lines()
        .map(|l| l.trim_end().chars().count())
        .max()
        .unwrap_or(0);
    assert!(text.contains("NAME"), "{text}");
    assert!(
        widest <= 80,
        "a line of {widest} characters on an 80-column terminal:\n{text}"
    );
}

#[test]
fn a_vault_this_user_cannot_write_can_still_be_read() {
    // Needs a user who is not root (root may write anything): as root, run
    // tokvault as nobody; as anyone else, make the directory read-only.
    let is_root = nix_is_root();
    if is_root
        && std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_err()
    {
        println!("SKIPPED: running as root without setpriv(1) to drop to another user");
        return;
    }
    let home = Home::new();
    home.store(&["k", "--provider", "p", "--secret", "-"], "value");
    home.store(&["z", "--provider", "p", "--secret", "-"], "other");
    let data = home.db().parent().unwrap().to_owned();
    let run = |args: &[&str]| {
        let base = home.std_cmd();
        let mut cmd = if is_root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            c.arg(base.get_program());
            c
        } else {
            std::process::Command::new(base.get_program())
        };
        cmd.args(args).home_env(&home).output().unwrap()
    };
    if is_root {
        std::process::Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(home.path())
            .status()
            .unwrap();
    }
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o500)).unwrap();
    let got = run(&["get", "k"]);
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&got.stdout), "value\n");
    // Served, and said once that the access went unrecorded.
    let said = String::from_utf8_lossy(&got.stderr);
    assert_eq!(
        said.matches("not recorded in the audit log").count(),
        1,
        "{said}"
    );
    let run_required = |args: &[&str]| {
        let base = home.std_cmd();
        let mut cmd = if is_root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            c.arg(base.get_program());
            c
        } else {
            std::process::Command::new(base.get_program())
        };
        cmd.args(args)
            .home_env(&home)
            .env("TOKVAULT_AUDIT", "required")
            .output()
            .unwrap()
    };
    let refused = run_required(&["get", "k"]);
    assert_eq!(refused.status.code(), Some(7));
    assert!(refused.stdout.is_empty(), "a secret left unrecorded");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("TOKVAULT_AUDIT=required"));
    let listed = run(&["list", "--json"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let stored = run(&["store", "n", "--provider", "p", "--secret", "x"]);
    assert_eq!(stored.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stored.stderr).contains("read-only here"));
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
}

fn nix_is_root() -> bool {
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// The completion script for `shell` written into `home`.
fn completion_script(home: &Home, shell: &str) -> std::path::PathBuf {
    let out = home.cmd().args(["completion", shell]).assert().success();
    let path = home.path().join(format!("completion.{shell}"));
    std::fs::write(&path, &out.get_output().stdout).unwrap();
    path
}

fn shell_with_tokvault(home: &Home, shell: &str) -> std::process::Command {
    let bin_dir = assert_cmd::cargo::cargo_bin("tokvault")
        .parent()
        .unwrap()
        .to_owned();
    let mut cmd = std::process::Command::new(shell);
    cmd.home_env(home).env(
        "PATH",
        format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    );
    cmd
}

fn completion_home() -> Home {
    let home = Home::new();
    for name in ["openai", "other key", "zz"] {
        home.store(&[name, "--provider", "p", "--secret", "-"], "x");
    }
    home.cmd()
        .args([
            "oauth2",
            "add",
            "corp",
            "--token-url",
            "https://auth.example.com/t",
            "--client-id",
            "i",
        ])
        .args(["--auth-method", "none"])
        .assert()
        .success();
    home
}

#[test]
fn bash_completes_names_from_the_vault() {
    let home = completion_home();
    let script = completion_script(&home, "bash");
    let complete = |words: &str, cword: usize| {
        let out = shell_with_tokvault(&home, "bash")
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; _tokvault_dynamic tokvault \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(complete("tokvault get o", 2), "openai\nother key\n");
    assert_eq!(complete("tokvault delete ''", 2), "openai\nother key\nzz\n");
    assert_eq!(complete("tokvault login me --oauth2 c", 4), "corp\n");
    assert!(complete("tokvault store x --provider goo", 4).contains("google"));
    // Elsewhere, clap's completion of commands and flags.
    assert!(complete("tokvault ge", 1).contains("get"));
    // Hidden commands are not offered.
    assert!(!complete("tokvault ''", 1).contains("__complete"));
    // Names after other flags and their values.
    assert_eq!(complete("tokvault get --json op", 3), "openai\n");
    assert_eq!(complete("tokvault get --field id_token op", 4), "openai\n");
    assert_eq!(
        complete("tokvault get --field = id_token op", 5),
        "openai\n"
    );
    assert_eq!(complete("tokvault get openai o", 3).trim(), "");
    // The credential of a helper's map, after its host or registry.
    assert_eq!(
        complete("tokvault git-credential map github.com o", 4),
        "openai\nother key\n"
    );
    // run -e VAR=NAME, as bash splits it at the `=` and as one word.
    assert_eq!(
        complete("tokvault run -e TOKEN = o", 5),
        "openai\nother key\n"
    );
    assert_eq!(
        complete("tokvault run -e TOKEN=o", 3),
        "TOKEN=openai\nTOKEN=other key\n"
    );
    // Providers the vault's credentials name, not only presets.
    assert!(
        complete("tokvault store x --provider ''", 4)
            .lines()
            .any(|l| l == "p")
    );
}

#[test]
fn fish_completes_names_from_the_vault() {
    if std::process::Command::new("fish")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIPPED: fish is not installed (.ci/run installs it)");
        return;
    }
    let home = completion_home();
    let script = completion_script(&home, "fish");
    let out = shell_with_tokvault(&home, "fish")
        .arg("-c")
        .arg(format!(
            "source '{}'; complete -C 'tokvault get o'; echo ---; complete -C 'tokvault refresh --oauth2 c'",
            script.display()
        ))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let (names, clients) = text.split_once("---").unwrap();
    let names: Vec<&str> = names
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert!(
        names.contains(&"openai") && names.contains(&"other key"),
        "{text}"
    );
    assert!(clients.lines().any(|l| l.starts_with("corp")), "{text}");
}

#[test]
fn zsh_completes_names_from_the_vault() {
    if std::process::Command::new("zsh")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIPPED: zsh is not installed (.ci/run installs it)");
        return;
    }
    let home = completion_home();
    let script = completion_script(&home, "zsh");
    let text = std::fs::read_to_string(&script).unwrap();
    // The name positions use the name completers...
    assert!(text.contains(":integration -- Name of the credential:_tokvault_credentials'"));
    assert!(text.contains(":CLIENT:_tokvault_clients'"));
    // ... which offer the vault's names (compadd stubbed to print them).
    let out = shell_with_tokvault(&home, "zsh")
        .arg("-c")
        .arg(format!(
            "compdef() {{ : }}; source '{}'; compadd() {{ print -l -- \"${{(P@)2}}\" }}; _tokvault_credentials; _tokvault_clients",
            script.display()
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "openai\nother key\nzz\ncorp\n"
    );
}

/// Runs `tokvault ARGS` on a terminal (script(1) gives it one), typing
/// `input`; returns what the terminal showed and the exit code.
fn on_a_terminal(home: &Home, args: &str, input: &str) -> Option<(String, i32)> {
    std::process::Command::new("script")
        .arg("--version")
        .output()
        .ok()?;
    let bin = assert_cmd::cargo::cargo_bin("tokvault");
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!(
                "stty rows 40 cols 100; {} {args}; echo \"[exit $?]\"",
                bin.display()
            ),
            "/dev/null",
        ])
        .home_env(home)
        // A terminal where prompting is allowed, even when the tests run in CI.
        .env_remove("CI")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for chunk in input.split_inclusive('\n') {
            std::thread::sleep(std::time::Duration::from_millis(300));
            stdin.write_all(chunk.as_bytes()).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let out = child.wait_with_output().unwrap();
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = screen
        .rsplit("[exit ")
        .next()
        .and_then(|r| r.split(']').next())
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(-1);
    Some((screen, code))
}

#[test]
fn delete_asks_and_waits_for_enter() {
    let home = Home::new();
    home.store(&["k", "--provider", "p", "--secret", "-"], "v");
    let Some((screen, code)) = on_a_terminal(&home, "delete k", "no\n") else {
        println!("SKIPPED: script(1) from util-linux is needed to give tokvault a terminal");
        return;
    };
    assert_eq!(code, 1, "{screen}");
    assert!(
        screen.contains("was not deleted") && !screen.contains("error"),
        "{screen}"
    );
    assert_eq!(home.get("k"), "v\n");
    // A whole typed word is one answer.
    let (screen, code) = on_a_terminal(&home, "delete k", "yes\n").unwrap();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("deleted credential 'k'"), "{screen}");
    home.cmd().args(["get", "k"]).assert().code(3);
}

#[test]
fn an_empty_hidden_prompt_says_why_it_asks_again() {
    let home = Home::new();
    let Some((screen, code)) = on_a_terminal(&home, "store k --provider p", "\nthe-secret\n")
    else {
        println!("SKIPPED: script(1) from util-linux is needed to give tokvault a terminal");
        return;
    };
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("nothing was typed"), "{screen}");
    assert!(
        !screen.contains("the-secret"),
        "the hidden prompt echoed the secret: {screen}"
    );
    assert_eq!(home.get("k"), "the-secret\n");
}
