//! The audit log: who used which credential, recorded through the real
//! binary, and every kind of tampering found by `audit --verify`, on a
//! file and (under TOKVAULT_TEST_DB_URL) a PostgreSQL vault.

use crate::common::{Home, HomeEnv, new_key};
use serde_json::Value;

/// The log as `audit --json` prints it.
fn entries(home: &Home) -> Vec<Value> {
    let out = home.cmd().args(["audit", "--json"]).assert().success();
    String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `audit --verify`: its exit code and what it said.
fn verify(home: &Home) -> (i32, String) {
    let out = home.cmd().args(["audit", "--verify"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), text)
}

fn assert_broken_at(home: &Home, seq: i64, why: &str) {
    let (code, text) = verify(home);
    assert_eq!(code, 8, "{text}");
    assert!(
        text.contains(&format!("broken at entry {seq}")) && text.contains(why),
        "expected entry {seq} ({why}): {text}"
    );
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
}

/// Runs SQL on the vault's own tables, as someone with write access to the
/// database (but not the key) could.
fn tamper(home: &Home, statement: &str) {
    match &home.remote {
        None => crate::common::sql(home, statement),
        Some(url) => {
            let (base, vault) = url.split_once("?vault=").unwrap();
            let script = format!("SET search_path TO tokvault_{vault};\n{statement}");
            let out = std::process::Command::new("psql")
                .args([
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    base,
                    "-c",
                    &script,
                ])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "psql: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// A vault with credential "x" stored and read three times (entries 1-4),
/// under `key` (TOKVAULT_KEY) or the default key file.
fn with_entries(key: Option<&str>) -> Home {
    let home = Home::new();
    let cmd = || {
        let mut c = home.cmd();
        if let Some(key) = key {
            c.env("TOKVAULT_KEY", key);
        }
        c
    };
    cmd()
        .args(["store", "x", "--provider", "p", "--secret", "-"])
        .write_stdin("SECRET-27182818284")
        .assert()
        .success();
    for _ in 0..3 {
        cmd().args(["get", "x"]).assert().success();
    }
    home
}

#[test]
fn every_access_is_recorded_with_who_asked_and_no_secret() {
    let home = Home::new();
    home.store(
        &["x", "--provider", "p", "--secret", "-"],
        "SECRET-27182818284",
    );
    // Through a shell that stays (the `; true`), so tokvault's parent is it.
    let exe = assert_cmd::cargo::cargo_bin("tokvault");
    let shell = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' get x >/dev/null; true", exe.display()))
        .home_env(&home)
        .output()
        .unwrap();
    assert!(shell.status.success());
    home.cmd().args(["get", "nope"]).assert().code(3);
    home.cmd().args(["get", "x", "--json"]).assert().success();

    let log = entries(&home);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains("SECRET-27182818284"), "{text}");
    let summary: Vec<(&str, Option<&str>, &str, Option<i64>)> = log
        .iter()
        .map(|e| {
            (
                e["operation"].as_str().unwrap(),
                e["credential"].as_str(),
                e["outcome"].as_str().unwrap(),
                e["exit_code"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("store", Some("x"), "changed", None),
            ("get", Some("x"), "served", None),
            // A name that names nothing may be a pasted secret: not kept.
            ("get", None, "failed", Some(3)),
            ("get", Some("x"), "served", None),
        ]
    );
    let who = &log[1]["who"];
    assert_eq!(who["parent"], "sh", "{who}");
    assert_eq!(who["process"], "tokvault", "{who}");
    assert_eq!(who["uid"].as_u64().unwrap(), u64::from(nix_uid()), "{who}");
    assert!(
        who["pid"].as_u64().unwrap() > 0 && who["host"].is_string(),
        "{who}"
    );
    assert_eq!(
        log.iter()
            .map(|e| e["seq"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    // Filters.
    let out = home
        .cmd()
        .args(["audit", "--json", "--name", "x"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        3
    );
    let out = home
        .cmd()
        .args(["audit", "--operation", "store", "--since", "1h"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        1
    );
    let (code, text) = verify(&home);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("4 entries"), "{text}");
}

fn nix_uid() -> u32 {
    let out = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn an_edited_entry_is_found() {
    let k = with_entries(None);
    tamper(&k, "UPDATE audit SET credential = 'y' WHERE seq = 2");
    assert_broken_at(&k, 2, "edited");
}

#[test]
fn an_entry_edited_with_its_digest_is_found_by_its_seal() {
    let k = with_entries(None);
    // The attacker recomputes nothing they cannot: the digest of row 3 is
    // copied onto row 2, the seal stays.
    tamper(
        &k,
        "UPDATE audit SET digest = (SELECT digest FROM audit WHERE seq = 3) WHERE seq = 2",
    );
    assert_broken_at(&k, 2, "entry");
}

#[test]
fn a_removed_entry_is_found() {
    let k = with_entries(None);
    tamper(&k, "DELETE FROM audit WHERE seq = 2");
    assert_broken_at(&k, 3, "missing");
}

#[test]
fn swapped_entries_are_found() {
    let k = with_entries(None);
    tamper(
        &k,
        "UPDATE audit SET seq = -1 WHERE seq = 2;
         UPDATE audit SET seq = 2 WHERE seq = 3;
         UPDATE audit SET seq = 3 WHERE seq = -1;",
    );
    assert_broken_at(&k, 2, "edited");
}

#[test]
fn a_tail_cut_short_is_found() {
    let k = with_entries(None);
    tamper(&k, "DELETE FROM audit WHERE seq >= 3");
    assert_broken_at(&k, 3, "entries 3 to 4 are gone");
}

#[test]
fn an_emptied_log_is_found() {
    let k = with_entries(None);
    tamper(&k, "DELETE FROM audit");
    assert_broken_at(&k, 1, "entries 1 to 4 are gone");
}

#[test]
fn an_end_mark_removed_or_moved_back_is_found() {
    let k = with_entries(None);
    tamper(&k, "DELETE FROM meta WHERE name = 'audit_head'");
    assert_broken_at(&k, 4, "end mark is gone");
    // The last entry removed, and the mark pointed at the one before, with
    // that entry's own seal: the head is sealed apart, so it does not fit.
    let k = with_entries(None);
    tamper(
        &k,
        "UPDATE meta SET value = (SELECT seq || ' ' || digest || ' ' || mac FROM audit WHERE seq = 3)
         WHERE name = 'audit_head';
         DELETE FROM audit WHERE seq = 4;",
    );
    assert_broken_at(&k, 3, "end mark does not match");
}

#[test]
fn an_entry_copied_from_another_vault_is_found() {
    // Both vaults share one key: the chain, not only the seal, must tell.
    let key = new_key();
    let this = with_entries(Some(&key));
    let other = with_entries(Some(&key));
    other
        .cmd()
        .env("TOKVAULT_KEY", &key)
        .args(["get", "nope"])
        .assert()
        .code(3);
    let row = entries(&other).pop().unwrap();
    let (code, _) = {
        let out = this
            .cmd()
            .env("TOKVAULT_KEY", &key)
            .args(["audit", "--verify"])
            .output()
            .unwrap();
        (out.status.code().unwrap(), ())
    };
    assert_eq!(code, 0);
    // Entry 5 of the other vault, with its digest and seal, becomes this
    // vault's entry 5.
    let mac = other_mac(&other, 5);
    tamper(
        &this,
        &format!(
            r#"INSERT INTO audit (seq, at, operation, "user", credential, outcome, exit_code, who, detail, digest, mac)
               VALUES (5, {at}, 'get', 'default', 'nope', 'failed', 3, '{{}}', NULL, '{digest}', '{mac}')"#,
            at = crate::common::now(),
            digest = row["digest"].as_str().unwrap(),
        ),
    );
    let out = this
        .cmd()
        .env("TOKVAULT_KEY", &key)
        .args(["audit", "--verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken at entry 5"));
}

/// An entry's seal, read from the vault directly.
fn other_mac(home: &Home, seq: i64) -> String {
    match &home.remote {
        None => rusqlite::Connection::open(home.db())
            .unwrap()
            .query_row("SELECT mac FROM audit WHERE seq = ?1", [seq], |r| r.get(0))
            .unwrap(),
        Some(url) => {
            let (base, vault) = url.split_once("?vault=").unwrap();
            let out = std::process::Command::new("psql")
                .args(["-X", "-q", "-A", "-t", "-d", base, "-c"])
                .arg(format!(
                    "SELECT mac FROM tokvault_{vault}.audit WHERE seq = {seq}"
                ))
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        }
    }
}

#[test]
fn a_prune_removes_old_entries_and_is_itself_recorded() {
    let home = &with_entries(None);
    home.cmd().args(["audit", "--prune"]).assert().code(2);
    home.cmd()
        .args(["audit", "--prune", "--before", "10000-01-01"])
        .assert()
        .code(2);
    let before = home.snapshot();
    home.cmd()
        .args(["audit", "--prune", "--before", "2000-01-01"])
        .assert()
        .success();
    assert!(home.snapshot() == before);
    assert_eq!(entries(home).len(), 4, "nothing was older than 2000");
    home.cmd()
        .args(["audit", "--prune", "--before", "9000-01-01"])
        .assert()
        .success()
        .stderr(predicates::str::contains("removed 4 audit entries"));
    let log = entries(home);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["operation"], "prune");
    assert_eq!(log[0]["seq"], 5);
    assert_eq!(log[0]["detail"]["removed"], 4);
    assert_eq!(verify(home).0, 0);
    home.cmd().args(["get", "x"]).assert().success();
    assert_eq!(verify(home).0, 0);
    // Without the prune's own entry, the missing start is tampering.
    tamper(home, "DELETE FROM audit WHERE seq = 5");
    assert_broken_at(home, 6, "missing");
}

#[test]
fn a_prune_refuses_a_broken_log() {
    let k = with_entries(None);
    tamper(&k, "UPDATE audit SET outcome = 'served' WHERE seq = 1");
    k.cmd()
        .args(["audit", "--prune", "--before", "9000-01-01"])
        .assert()
        .code(8);
    assert_eq!(entries(&k).len(), 4);
}

#[test]
fn a_rekey_reseals_the_log_and_keeps_a_tampered_entry_bad() {
    let home = Home::new();
    home.store(&["x", "--provider", "p", "--secret", "-"], "v");
    home.get("x");
    home.cmd().arg("rekey").assert().success();
    assert_eq!(verify(&home).0, 0, "{}", verify(&home).1);
    let log = entries(&home);
    assert_eq!(log.last().unwrap()["operation"], "rekey");
    tamper(&home, "UPDATE audit SET credential = 'y' WHERE seq = 2");
    home.cmd().arg("rekey").assert().success();
    assert_broken_at(&home, 2, "edited");
}

#[test]
fn audit_off_is_itself_recorded_and_a_bad_mode_is_refused() {
    let home = Home::new();
    home.store(&["x", "--provider", "p", "--secret", "-"], "v");
    home.cmd()
        .env("TOKVAULT_AUDIT", "off")
        .args(["get", "x"])
        .assert()
        .success()
        .stdout("v\n");
    let log = entries(&home);
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["operation"], "audit-off");
    assert!(log[1]["credential"].is_null());
    crate::common::refused(
        &home,
        &["get", "x"],
        &[("TOKVAULT_AUDIT", "sometimes")],
        "",
        2,
        "TOKVAULT_AUDIT",
    );
}

#[test]
fn concurrent_gets_never_break_the_chain() {
    let home = Home::new();
    home.store(&["x", "--provider", "p", "--secret", "-"], "v");
    let exe = assert_cmd::cargo::cargo_bin("tokvault");
    let (processes, gets) = (8, 500);
    let loops: Vec<_> = (0..processes)
        .map(|_| {
            std::process::Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "i=0; while [ $i -lt {gets} ]; do '{}' get x >/dev/null || exit 1; i=$((i+1)); done",
                    exe.display()
                ))
                .home_env(&home)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut l in loops {
        assert!(l.wait().unwrap().success());
    }
    let (code, text) = verify(&home);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!("{} entries", processes * gets + 1)),
        "{text}"
    );
}

#[test]
fn a_vault_whose_key_check_was_removed_never_serves_unnoticed() {
    let home = with_entries(None);
    tamper(&home, "DELETE FROM meta WHERE name = 'key_check'");
    let out = home.cmd().args(["get", "x"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("not recorded in the audit log"), "{said}");
    let out = home
        .cmd()
        .env("TOKVAULT_AUDIT", "required")
        .args(["get", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(out.stdout.is_empty(), "served unrecorded");
}

#[test]
fn refresh_json_is_on_record_as_served() {
    use crate::common::provider::{Provider, Reply, tokens};
    let provider = Provider::start(|_| Reply::json(200, tokens("at-1", Some("rt-1"), 3600)));
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange("x", "idp");
    home.cmd()
        .args(["refresh", "x", "--json"])
        .assert()
        .success();
    let outcomes: Vec<String> = entries(&home)
        .iter()
        .filter(|e| e["operation"] == "refresh")
        .map(|e| e["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(outcomes, ["changed", "served"]);
}
