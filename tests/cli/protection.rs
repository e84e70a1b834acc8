//! What protects the secrets at rest: key files nobody else can read, no
//! core dumps, and every column a command shows or acts on sealed with a
//! per-row version, so that edits, swaps and rollbacks are caught.

use crate::common::HomeEnv;

use crate::common::{Home, refused, sql};
use predicates::prelude::*;
use rusqlite::Connection;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::Duration;

fn chmod(path: &std::path::Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_key_file_others_can_read_is_refused() {
    let home = Home::with_two();
    for mode in [0o644, 0o640, 0o666, 0o604, 0o620] {
        chmod(&home.key_file(), mode);
        refused(&home, &["get", "openai"], &[], "", 7, "chmod 600");
    }
    chmod(&home.key_file(), 0o600);
    assert_eq!(home.get("openai"), "SECRET-one\n");
    chmod(&home.key_file(), 0o400);
    assert_eq!(home.get("openai"), "SECRET-one\n");
}

#[test]
fn a_symlinked_key_file_is_judged_by_its_target_and_survives_rekey() {
    let home = Home::with_two();
    let real = home.path().join("keys/real.key");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    chmod(real.parent().unwrap(), 0o700);
    std::fs::rename(home.key_file(), &real).unwrap();
    std::os::unix::fs::symlink(&real, home.key_file()).unwrap();
    assert_eq!(home.get("openai"), "SECRET-one\n");
    chmod(&real, 0o644);
    refused(&home, &["get", "openai"], &[], "", 7, "chmod 600");
    chmod(&real, 0o600);
    let old = std::fs::read_to_string(&real).unwrap();
    home.cmd().arg("rekey").assert().success();
    // The link stays a link; the file it points to holds the new key.
    assert!(
        std::fs::symlink_metadata(home.key_file())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_ne!(std::fs::read_to_string(&real).unwrap(), old);
    assert_eq!(home.get("anthropic"), "SECRET-two\n");
}

#[test]
fn directories_others_can_write_are_warned_about() {
    let home = Home::with_two();
    chmod(home.key_file().parent().unwrap(), 0o777);
    home.cmd()
        .args(["get", "openai"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("can be written by others")
                .and(predicate::str::contains("chmod 700")),
        );
}

#[test]
fn no_core_dump_holds_a_secret() {
    let home = Home::with_two();
    let dir = tempfile::tempdir().unwrap();
    // A control: this machine writes core files for a process that may.
    let control = std::process::Command::new("sh")
        .args([
            "-c",
            "ulimit -c unlimited; sleep 5 & pid=$!; sleep 0.3; kill -SEGV $pid; wait $pid",
        ])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(!control.success());
    let cores = || std::fs::read_dir(dir.path()).unwrap().count();
    if cores() == 0 {
        println!("SKIPPED: this machine writes no core files (see /proc/sys/kernel/core_pattern)");
        return;
    }
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    // tokvault holding secrets while it waits for its child, killed the way
    // that dumps core.
    let mut tokvault = home
        .std_cmd()
        .args(["run", "-e", "K=openai", "--", "sleep", "5"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", tokvault.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert!(core.split_whitespace().nth(4) == Some("0"), "{core}");
    kill(tokvault.id(), "SEGV");
    let _ = tokvault.wait();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(cores(), 0, "tokvault left a core file");
}

fn kill(pid: u32, signal: &str) {
    std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
}

#[test]
fn run_gives_the_command_the_users_core_limit() {
    let home = Home::with_two();
    let out = std::process::Command::new("sh")
        .args(["-c", "ulimit -S -c 1234; exec \"$@\"", "sh"])
        .arg(assert_cmd::cargo::cargo_bin("tokvault"))
        .args(["run", "-e", "K=openai", "--", "sh", "-c", "ulimit -S -c"])
        .home_env(&home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1234");
}

#[test]
fn an_older_ciphertext_put_back_is_caught() {
    let home = Home::with_two();
    let conn = Connection::open(home.db()).unwrap();
    let old: String = conn
        .query_row(
            "SELECT sealed FROM credentials WHERE integration = 'openai'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    home.store(&["openai", "--secret", "-"], "SECRET-new");
    sql(
        &home,
        &format!("UPDATE credentials SET sealed = '{old}' WHERE integration = 'openai'"),
    );
    refused(&home, &["get", "openai"], &[], "", 8, "tampered");
}

#[test]
fn every_shown_column_is_sealed() {
    for edit in [
        "UPDATE credentials SET scopes = 'admin' WHERE integration = 'openai'",
        "UPDATE credentials SET created_at = 1 WHERE integration = 'openai'",
        "UPDATE credentials SET updated_at = updated_at + 1 WHERE integration = 'openai'",
        "UPDATE credentials SET version = version + 1 WHERE integration = 'openai'",
        "UPDATE credentials SET expires_at = 4102444800 WHERE integration = 'openai'",
    ] {
        let home = Home::with_two();
        sql(&home, edit);
        refused(&home, &["get", "openai"], &[], "", 8, "tampered");
    }
    let home = Home::with_two();
    let provider = crate::common::provider::Provider::start(|_| {
        crate::common::provider::Reply::json(
            200,
            crate::common::provider::tokens("at", Some("rt"), 0),
        )
    });
    home.add_public_client("idp", &provider.token_url());
    home.exchange("x", "idp");
    sql(&home, "UPDATE oauth2_clients SET scopes = 'admin'");
    refused(&home, &["refresh", "x"], &[], "", 8, "tampered");
}

#[test]
fn a_vault_that_holds_secrets_never_gets_a_second_key() {
    let home = Home::with_two();
    sql(&home, "DELETE FROM meta WHERE name = 'key_check'");
    std::fs::rename(home.key_file(), home.path().join("elsewhere")).unwrap();
    refused(
        &home,
        &["store", "new", "--provider", "p", "--secret", "-"],
        &[],
        "x",
        7,
        "no master key",
    );
    assert!(!home.key_file().exists(), "a second key was made");
    std::fs::rename(home.path().join("elsewhere"), home.key_file()).unwrap();
    refused(
        &home,
        &["store", "new", "--provider", "p", "--secret", "-"],
        &[],
        "x",
        8,
        "no key check",
    );
}

#[test]
fn a_damaged_schema_is_exit_8_in_one_line() {
    for (damage, command) in [
        ("PRAGMA user_version = 0", "get"),
        ("DROP TABLE credentials", "get"),
        ("DROP TABLE oauth2_clients", "oauth2"),
        ("ALTER TABLE credentials DROP COLUMN renew_grant", "get"),
        ("UPDATE credentials SET token_type = 'bogus'", "get"),
    ] {
        let home = Home::with_two();
        sql(&home, damage);
        let args: &[&str] = match command {
            "get" => &["get", "openai"],
            _ => &["oauth2", "list"],
        };
        let out = home.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(8), "{damage}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{damage}: {stderr}");
        assert!(stderr.contains("damaged"), "{damage}: {stderr}");
    }
}

#[test]
fn the_wrong_key_error_names_the_file_tokvault_wrote() {
    let home = Home::with_two();
    let new = home.path().join("new.key");
    home.cmd()
        .args(["rekey", "--new-key-file", new.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "from now on pass --key-file {}",
            new.display()
        )));
    home.cmd()
        .args(["get", "openai"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains(format!(
            "pass --key-file {}",
            new.display()
        )));
    home.cmd()
        .args(["get", "openai", "--key-file", new.to_str().unwrap()])
        .assert()
        .success()
        .stdout("SECRET-one\n");
}

/// A vault holding credential "a" under a key given only in TOKVAULT_KEY.
fn vault_with_env_key() -> (Home, String) {
    let home = Home::new();
    let key = crate::common::new_key();
    home.cmd()
        .args(["store", "a", "--provider", "p", "--secret", "-"])
        .env("TOKVAULT_KEY", &key)
        .write_stdin("value-a")
        .assert()
        .success();
    (home, key)
}

#[test]
fn a_key_only_printed_is_printed_before_the_vault_changes() {
    let (home, key) = vault_with_env_key();
    // The new key cannot be printed (stdout is closed): the rekey must not
    // happen, and it must not say it did.
    let out = std::process::Command::new("sh")
        .args(["-c", "exec \"$0\" rekey --show-key >&-"])
        .arg(assert_cmd::cargo::cargo_bin("tokvault"))
        .home_env(&home)
        .env("TOKVAULT_KEY", &key)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was changed"));
    home.cmd()
        .args(["get", "a"])
        .env("TOKVAULT_KEY", &key)
        .assert()
        .success()
        .stdout("value-a\n");
}

#[test]
fn the_master_key_never_reaches_a_command_run_by_tokvault() {
    let (home, key) = vault_with_env_key();
    let out = home
        .cmd()
        .args(["run", "-e", "A=a", "--", "env"])
        .env("TOKVAULT_KEY", &key)
        .env("TOKVAULT_NEW_KEY", &key)
        .assert()
        .success();
    let env = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(env.contains("A=value-a"));
    assert!(!env.contains(&key), "the master key reached the command");
}

#[test]
fn names_from_an_older_vault_are_shown_cleaned_and_still_usable() {
    let home = Home::with_two();
    sql(
        &home,
        "INSERT INTO credentials (user, integration, provider, token_type, scopes, created_at,
             updated_at, sealed, version) VALUES ('default', 'evil\x1b]0;owned\x07', 'p\x1b[2J', 'api_key', '', 1, 1, 'x', 1)",
    );
    let conn = Connection::open(home.db()).unwrap();
    conn.execute(
        "UPDATE credentials SET integration = ?1, provider = ?2 WHERE provider LIKE 'p%'",
        ["evil\x1b]0;owned\x07", "p\x1b[2J"],
    )
    .unwrap();
    drop(conn);
    let out = home.cmd().arg("list").assert().success();
    let shown = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07'),
        "{shown:?}"
    );
    assert!(shown.contains("evil"), "{shown}");
    // Still reachable by its name, to be deleted.
    home.cmd()
        .args(["delete", "evil\x1b]0;owned\x07", "--yes"])
        .assert()
        .success();
}

#[test]
fn a_symlinked_key_on_another_file_system_survives_rekey() {
    let shm = std::path::Path::new("/dev/shm");
    if !shm.is_dir() {
        println!("SKIPPED: no /dev/shm to put a key file on another file system");
        return;
    }
    let home = Home::with_two();
    let dir = tempfile::tempdir_in(shm).unwrap();
    let real = dir.path().join("k");
    std::fs::copy(home.key_file(), &real).unwrap();
    chmod(&real, 0o600);
    std::fs::remove_file(home.key_file()).unwrap();
    std::os::unix::fs::symlink(&real, home.key_file()).unwrap();
    home.cmd().arg("rekey").assert().success();
    assert!(
        std::fs::symlink_metadata(home.key_file())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(home.get("openai"), "SECRET-one\n");
}

#[test]
fn tokvault_is_not_dumpable_even_with_a_core_limit() {
    let home = Home::with_two();
    let dir = tempfile::tempdir().unwrap();
    let prlimit = std::process::Command::new("prlimit")
        .arg("--version")
        .output();
    if prlimit.is_err() {
        println!("SKIPPED: prlimit (util-linux) is not installed");
        return;
    }
    let mut tokvault = home
        .std_cmd()
        .args(["run", "-e", "K=openai", "--", "sleep", "5"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // Raise its core limit from outside: only being non-dumpable stops a
    // core file now.
    let raised = std::process::Command::new("prlimit")
        .args(["--core=unlimited", "--pid", &tokvault.id().to_string()])
        .status()
        .unwrap();
    assert!(raised.success());
    kill(tokvault.id(), "SEGV");
    let _ = tokvault.wait();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "tokvault left a core file"
    );
}
