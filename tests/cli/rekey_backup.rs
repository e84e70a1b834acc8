//! Key rotation and backups: rekey completed and interrupted, export-vault /
//! import-vault round trip and conflicts.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, new_key};
use predicates::prelude::*;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn rekey_replaces_the_key_file() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-1");
    let old = std::fs::read_to_string(home.key_file()).unwrap();
    home.cmd()
        .arg("rekey")
        .assert()
        .success()
        .stdout("")
        .stderr(
            predicate::str::contains("re-encrypted 1 credential(s)")
                .and(predicate::str::contains("replaced")),
        );
    let new = std::fs::read_to_string(home.key_file()).unwrap();
    assert_ne!(old, new);
    assert_eq!(home.get("openai"), "sk-1\n");
    home.cmd()
        .args(["get", "openai"])
        .env("TOKVAULT_KEY", old.trim())
        .assert()
        .code(7)
        .stderr(predicate::str::contains("wrong master key"));

    // As if killed after the commit but before the new key was moved in.
    let staged = home.key_file().with_extension("new");
    crate::common::write_private(&staged, &new);
    crate::common::write_private(&home.key_file(), &old);
    home.cmd()
        .args(["get", "openai"])
        .assert()
        .success()
        .stdout("sk-1\n")
        .stderr(predicate::str::contains("finished an interrupted rekey"));
    assert_eq!(std::fs::read_to_string(home.key_file()).unwrap(), new);
    assert!(!staged.exists());
}

#[test]
fn rekey_from_an_env_key_to_a_new_key_file() {
    let home = Home::new();
    let key = new_key();
    let provider = Provider::start(|_| Reply::json(200, tokens("at", Some("rt"), 3600)));
    let with_key = |k: &str| {
        let mut c = home.cmd();
        c.env("TOKVAULT_KEY", k);
        c
    };
    with_key(&key)
        .args(["store", "openai", "--secret", "-"])
        .write_stdin("sk-env")
        .assert()
        .success();
    with_key(&key)
        .args([
            "oauth2",
            "add",
            "c",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "i",
            "--client-secret",
            "-",
        ])
        .write_stdin("client-secret")
        .assert()
        .success();
    with_key(&key)
        .args(["exchange-code", "x", "--oauth2", "c", "--code", "c"])
        .assert()
        .success();
    // No key file to replace: it must be told where the new key goes.
    with_key(&key)
        .arg("rekey")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--new-key-file"));

    let file = home.path().join("new.key");
    with_key(&key)
        .args(["rekey", "--new-key-file"])
        .arg(&file)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "the new key is in {}",
            file.display()
        )));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let new = std::fs::read_to_string(&file).unwrap();
    with_key(new.trim())
        .args(["get", "openai"])
        .assert()
        .stdout("sk-env\n");
    with_key(&key).args(["get", "openai"]).assert().code(7);
    // The client secret was re-encrypted too: a refresh still authenticates.
    with_key(new.trim())
        .args(["refresh", "x"])
        .assert()
        .success();
    assert_eq!(
        provider.requests().last().unwrap().basic().unwrap().1,
        "client-secret"
    );

    // TOKVAULT_NEW_KEY and --show-key.
    let third = new_key();
    with_key(new.trim())
        .args(["rekey", "--show-key"])
        .env("TOKVAULT_NEW_KEY", &third)
        .assert()
        .success()
        .stdout(format!("{third}\n"));
    with_key(&third)
        .args(["get", "openai"])
        .assert()
        .stdout("sk-env\n");
}

/// A vault of `n` credentials written through the library, with the key in
/// the default key file.
fn big_vault(home: &Home, n: usize) {
    let key = new_key();
    std::fs::create_dir_all(home.key_file().parent().unwrap()).unwrap();
    crate::common::write_private(&home.key_file(), &key);
    let mut vault =
        tokvault::vault::Vault::open_or_create(&tokvault::vault::Location::File(home.db()))
            .unwrap();
    vault
        .write(|tx| {
            let sealer = tx.sealer_for_write(tokvault::key::MasterKey::new(&key).unwrap())?;
            for i in 0..n {
                let data = tokvault::token::TokenData {
                    api_key: Some(format!("sk-{i}").into()),
                    ..Default::default()
                };
                let new = tokvault::vault::NewCredential {
                    user: "default".into(),
                    integration: format!("c{i}"),
                    provider: "openai".into(),
                    token_type: tokvault::token::TokenType::ApiKey,
                    scopes: vec![],
                    expires_at: None,
                    oauth2_client: None,
                    client_credentials: false,
                };
                tx.put(&sealer, &new, &data, 1_700_000_000)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_rekey_killed_part_way_leaves_the_old_key_working() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "kills rekey at a system call on the vault file") {
        return;
    }
    big_vault(&home, 20_000);
    let old = std::fs::read_to_string(home.key_file()).unwrap();
    let wal = home.db().with_extension("db-wal");
    let mut child = home
        .std_cmd()
        .arg("rekey")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill it once the transaction has started writing.
    let start = Instant::now();
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 256 * 1024 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "rekey never started writing"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("rekey finished before it could be interrupted: {status}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(
        std::fs::read_to_string(home.key_file()).unwrap(),
        old,
        "the key file is untouched"
    );
    assert_eq!(home.get("c0"), "sk-0\n");
    assert_eq!(home.get("c19999"), "sk-19999\n");
    // And a rekey run to the end afterwards works.
    home.cmd().arg("rekey").assert().success();
    assert_eq!(home.get("c12345"), "sk-12345\n");
}

#[test]
fn export_import_round_trip_is_lossless() {
    let provider = Provider::start(|_| Reply::json(200, tokens("at", Some("rt"), 3600)));
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-1");
    home.store(&["openai", "--secret", "-", "--user", "alice"], "sk-alice");
    home.cmd()
        .args([
            "oauth2",
            "add",
            "c",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "i",
            "--client-secret",
            "-",
        ])
        .args(["--scopes", "a,b", "--redirect-uri", "http://127.0.0.1:1/cb"])
        .write_stdin("client-secret")
        .assert()
        .success();
    home.exchange("x", "c");
    home.cmd()
        .args(["client-credentials", "m", "--oauth2", "c"])
        .assert()
        .success();
    home.store(
        &[
            "gh",
            "--provider",
            "github",
            "--secret",
            "-",
            "--scopes",
            "repo",
            "--expires-at",
            "2030-01-01T00:00:00Z",
        ],
        "gho",
    );
    // Which credential git and docker are answered with moves too.
    for map in [
        &["git-credential", "map", "github.com", "gh"][..],
        &[
            "docker-credential",
            "map",
            "ghcr.io",
            "gh",
            "--username",
            "me",
        ],
    ] {
        home.cmd().args(map).assert().success();
    }

    let transfer = home.path().join("transfer.key");
    crate::common::write_private(&transfer, new_key());
    let file = home.path().join("backup.tokvault");
    home.cmd()
        .args(["export-vault"])
        .arg(&file)
        .arg("--to-key")
        .arg(&transfer)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "exported 5 credential(s), 1 OAuth2 client(s) and 2 helper route(s)",
        ));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("sk-1") && !text.contains("client-secret"),
        "the export is encrypted"
    );

    let other = Home::new();
    other
        .cmd()
        .arg("import-vault")
        .arg(&file)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("no master key"));
    other.store(&["anthropic", "--secret", "-"], "own");
    other
        .cmd()
        .arg("import-vault")
        .arg(&file)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("--from-key"));
    other
        .cmd()
        .arg("import-vault")
        .arg(&file)
        .arg("--from-key")
        .arg(&transfer)
        .assert()
        .success();

    let records = |h: &Home, user: &str| -> Vec<serde_json::Value> {
        let out = h
            .cmd()
            .args(["list", "--json", "--user", user])
            .output()
            .unwrap();
        let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        list.iter()
            .map(|c| {
                let name = c["integration_key"].as_str().unwrap();
                let out = h
                    .cmd()
                    .args(["get", name, "--json", "--no-refresh", "--user", user])
                    .output()
                    .unwrap();
                serde_json::from_slice(&out.stdout).unwrap()
            })
            .collect()
    };
    other
        .cmd()
        .args(["delete", "anthropic", "--yes"])
        .assert()
        .success();
    for user in ["default", "alice"] {
        assert_eq!(records(&home, user), records(&other, user), "user {user}");
    }
    let show = |h: &Home| -> serde_json::Value {
        let out = h.cmd().args(["oauth2", "show", "c"]).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(show(&home), show(&other));
    for (helper, pattern) in [
        ("git-credential", "github.com"),
        ("docker-credential", "ghcr.io"),
    ] {
        let list = |h: &Home| h.cmd().args([helper, "list"]).output().unwrap().stdout;
        assert!(String::from_utf8_lossy(&list(&other)).contains(pattern));
        assert_eq!(list(&home), list(&other), "{helper} list");
    }
    let git = other
        .cmd()
        .args(["git-credential", "get"])
        .write_stdin("protocol=https\nhost=github.com\n\n")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&git.get_output().stdout).contains("password=gho\n"));
    // The imported link works: refreshing goes through the imported client.
    other.cmd().args(["refresh", "x"]).assert().success();
    assert_eq!(
        provider.requests().last().unwrap().basic().unwrap().1,
        "client-secret"
    );
}

#[test]
fn import_conflicts_are_skipped_or_replaced_and_reported() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-old");
    home.store(&["anthropic", "--secret", "-"], "ak");
    let file = home.path().join("b.json");
    home.cmd().arg("export-vault").arg(&file).assert().success();
    home.cmd()
        .arg("export-vault")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("must not exist"));
    home.store(&["openai", "--secret", "-"], "sk-new");
    home.cmd()
        .args(["delete", "anthropic", "--yes"])
        .assert()
        .success();

    home.cmd()
        .arg("import-vault")
        .arg(&file)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("skipped credential 'openai' of user 'default': it exists")
                .and(predicate::str::contains("imported credential 'anthropic'")),
        );
    assert_eq!(home.get("openai"), "sk-new\n");
    assert_eq!(home.get("anthropic"), "ak\n");
    home.cmd()
        .arg("import-vault")
        .arg(&file)
        .arg("--replace")
        .assert()
        .success()
        .stderr(predicate::str::contains("replaced credential 'openai'"));
    assert_eq!(home.get("openai"), "sk-old\n");

    // Not an export: refused, nothing changed.
    let before = home.snapshot();
    std::fs::write(&file, "{\"hello\": 1}").unwrap();
    home.cmd()
        .arg("import-vault")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a tokvault export"));
    assert!(home.snapshot() == before);
}

#[test]
fn migrate_copies_the_vault_to_another_file_and_refuses_a_full_one() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "migrates the file vault to another file") {
        return;
    }
    home.store(&["a", "--secret", "-"], "sk-a");
    home.store(&["b", "--secret", "-"], "sk-b");
    // A target in a directory that does not exist is refused, as every
    // --db is: a typo never makes a vault somewhere unexpected.
    let target = home.path().join("moved/vault.db");
    home.cmd()
        .arg("migrate")
        .arg("--to")
        .arg(&target)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("does not exist"));
    std::fs::create_dir(target.parent().unwrap()).unwrap();
    home.cmd()
        .arg("migrate")
        .arg("--to")
        .arg(&target)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "migrated 2 credential(s), 0 OAuth2 client(s) and 0 helper route(s)",
        ));
    home.cmd()
        .arg("--db")
        .arg(&target)
        .args(["get", "b"])
        .assert()
        .success()
        .stdout("sk-b\n");
    let before = crate::common::rows_of(&target).unwrap();
    home.cmd()
        .arg("migrate")
        .arg("--to")
        .arg(&target)
        .assert()
        .failure()
        .stderr(predicates::str::contains("already holds a vault"));
    assert!(crate::common::rows_of(&target).unwrap() == before);
    home.cmd()
        .args(["migrate", "--to"])
        .arg(home.db())
        .assert()
        .code(2);
    // The same file by another path, or through a link: refused too, at once.
    let link = home.path().join("link.db");
    std::os::unix::fs::symlink(home.db(), &link).unwrap();
    let dotted = home
        .db()
        .parent()
        .unwrap()
        .join(".")
        .join(home.db().file_name().unwrap());
    for other in [link, dotted] {
        home.cmd()
            .arg("migrate")
            .arg("--to")
            .arg(&other)
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("names the vault being migrated"));
    }
}

#[test]
fn an_export_in_chunks_reads_back_whole_or_not_at_all() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "builds its vault through the file") {
        return;
    }
    // More than one chunk (256 entries each).
    big_vault(&home, 700);
    let file = home.path().join("all.tokvault");
    home.cmd()
        .args(["export-vault"])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 3, "a header and three chunks");
    let header: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(header["version"], 2);
    // Nothing in the clear: every line after the header is a Fernet token
    // of the vault's key.
    let key = std::fs::read_to_string(home.key_file()).unwrap();
    let fernet = fernet::Fernet::new(key.trim()).unwrap();
    for line in &lines[1..] {
        assert!(fernet.decrypt(line).is_ok(), "a chunk that is not sealed");
    }
    // Into a new vault: every credential.
    let other = Home::new();
    std::fs::create_dir_all(other.key_file().parent().unwrap()).unwrap();
    std::fs::copy(home.key_file(), other.key_file()).unwrap();
    let out = other.cmd().arg("import-vault").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("... and 500 more entries"), "{stderr}");
    assert_eq!(other.get("c699"), "sk-699\n");
    // Cut short, chunks swapped, a chunk of another export, or more after
    // the last: refused, and nothing changes (nor is a vault made).
    let again = home.path().join("again.tokvault");
    home.cmd()
        .arg("export-vault")
        .arg(&again)
        .assert()
        .success();
    let again_text = std::fs::read_to_string(&again).unwrap();
    let again_lines: Vec<&str> = again_text.lines().collect();
    let forged = |name: &str, lines: &[&str]| {
        let p = home.path().join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    };
    for (file, message) in [
        (forged("cut", &lines[..3]), "cut short"),
        (
            forged("swapped", &[lines[0], lines[2], lines[1], lines[3]]),
            "not the next",
        ),
        (
            forged("mixed", &[lines[0], lines[1], again_lines[2], lines[3]]),
            "not the next",
        ),
        (
            forged("more", &[lines[0], lines[1], lines[2], lines[3], lines[3]]),
            "after its last",
        ),
    ] {
        let fresh = Home::new();
        std::fs::create_dir_all(fresh.key_file().parent().unwrap()).unwrap();
        std::fs::copy(home.key_file(), fresh.key_file()).unwrap();
        let out = fresh.cmd().arg("import-vault").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{message}: {stderr}");
        assert!(stderr.contains(message), "{message}: {stderr}");
        assert!(!fresh.db().exists(), "{message}: a vault was made");
        // Into a vault that exists: rolled back.
        fresh.store(&["keep", "--secret", "-"], "kept");
        let before = fresh.snapshot();
        fresh.cmd().arg("import-vault").arg(&file).assert().code(2);
        assert!(fresh.snapshot() == before, "{message}: the vault changed");
    }
}
