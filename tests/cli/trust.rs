//! No command, helper or restore ever seals what does not read back: every
//! writer passes one validation, and a backup with a bad entry still
//! restores the rest.

use crate::common::{Home, new_key, refused, write_private};

fn list_json(home: &Home) -> serde_json::Value {
    let out = home.cmd().args(["list", "--json"]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn whitespace_in_scopes_separates_them() {
    let home = Home::new();
    for (name, scopes) in [
        ("a", "read, write"),
        ("b", "read,\twrite"),
        ("c", " read,\u{a0}write "),
    ] {
        home.store(&[name, "--secret", "-", "--scopes", scopes], "s");
        assert_eq!(home.get(name), "s\n", "{scopes:?}");
        assert_eq!(
            home.get_json(name)["scopes"],
            serde_json::json!(["read", "write"])
        );
    }
    // Whitespace inside a piece, or what is no scope at all, is refused.
    for scopes in ["read write", "a\u{a0}b", "a\"b", "ключ"] {
        refused(
            &home,
            &["store", "d", "--secret", "-", "--scopes", scopes],
            &[],
            "s",
            2,
            "--scopes",
        );
    }
    // A token response's scope string splits on any whitespace.
    home.store(
        &["e", "--provider", "p", "--from-json", "-"],
        r#"{"access_token": "t", "scope": "openid\temail\u00a0profile"}"#,
    );
    assert_eq!(
        home.get_json("e")["scopes"],
        serde_json::json!(["openid", "email", "profile"])
    );
    refused(
        &home,
        &["store", "f", "--provider", "p", "--from-json", "-"],
        &[],
        r#"{"access_token": "t", "scope": "openid \"quoted\""}"#,
        2,
        "scope",
    );
    // The whole vault still exports: nothing unreadable was sealed.
    let export = home.path().join("all.tokvault");
    home.cmd()
        .args(["export-vault"])
        .arg(&export)
        .assert()
        .success();
    home.cmd().arg("rekey").assert().success();
    assert_eq!(home.get("a"), "s\n");
}

#[test]
fn oauth2_clients_take_whitespace_scopes_too() {
    let home = Home::new();
    home.add_browser_client("corp", &["--scopes", "openid, email"]);
    let out = home
        .cmd()
        .args(["oauth2", "authorize-url", "corp"])
        .assert()
        .success();
    let url = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(url.contains("scope=openid+email"), "{url}");
    refused(
        &home,
        &[
            "oauth2",
            "add",
            "bad",
            "--token-url",
            "https://idp.example/token",
            "--auth-url",
            "javascript:alert(1)",
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ],
        &[],
        "",
        2,
        "not an http(s) URL",
    );
}

#[test]
fn a_nul_byte_never_gets_in_through_a_helper() {
    let home = Home::new();
    home.store(&["first", "--secret", "-"], "s");
    refused(
        &home,
        &["docker-credential", "store"],
        &[],
        r#"{"ServerURL": "registry.example", "Username": "u", "Secret": "SECRET\u0000x"}"#,
        2,
        "NUL",
    );
    refused(
        &home,
        &["git-credential", "--accept-store", "store"],
        &[],
        "protocol=https\nhost=example.org\nusername=u\npassword=SECRET\0x\n",
        2,
        "NUL",
    );
    // The vault, and every restore of it, stays whole.
    let export = home.path().join("all.tokvault");
    home.cmd()
        .args(["export-vault"])
        .arg(&export)
        .assert()
        .success();
    let other = Home::new();
    let key = home.path().join("config/tokvault/key");
    other
        .cmd()
        .args(["import-vault"])
        .arg(&export)
        .arg("--from-key")
        .arg(&key)
        .assert()
        .success();
    assert_eq!(other.get("first"), "s\n");
}

#[test]
fn git_never_turns_a_jwt_into_something_else() {
    let home = Home::new();
    let exp = crate::common::now() + 3600;
    let token = crate::common::jwt(&serde_json::json!({"exp": exp}));
    home.store(
        &[
            "ci",
            "--provider",
            "example",
            "--type",
            "jwt",
            "--secret",
            "-",
        ],
        &token,
    );
    home.cmd()
        .args(["git-credential", "map", "ci.example", "ci"])
        .assert()
        .success();
    refused(
        &home,
        &["git-credential", "--accept-store", "store"],
        &[],
        "protocol=https\nhost=ci.example\nusername=x-access-token\npassword=not-a-jwt\n",
        2,
        "not a JWT",
    );
    // Another JWT replaces it, and its expiry comes from its exp claim.
    let later = crate::common::jwt(&serde_json::json!({"exp": exp + 7200}));
    home.cmd()
        .args(["git-credential", "--accept-store", "store"])
        .write_stdin(format!(
            "protocol=https\nhost=ci.example\nusername=x-access-token\npassword={later}\n"
        ))
        .assert()
        .success();
    let record = home.get_json("ci");
    assert_eq!(record["token_type"], "jwt");
    assert_eq!(
        record["expires_at"],
        jiff::Timestamp::from_second(exp + 7200)
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    );
}

#[test]
fn a_refresh_token_with_nowhere_to_refresh_is_refused() {
    let home = Home::new();
    home.store(&["first", "--secret", "-"], "s");
    refused(
        &home,
        &[
            "store",
            "s2",
            "--provider",
            "stripe",
            "--refresh-token",
            "-",
        ],
        &[],
        "rt",
        2,
        "refresh token",
    );
    refused(
        &home,
        &["store", "s2", "--provider", "stripe", "--from-json", "-"],
        &[],
        r#"{"refresh_token": "rt"}"#,
        2,
        "refresh token",
    );
    let names: Vec<_> = list_json(&home)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["integration_key"].clone())
        .collect();
    assert_eq!(names, [serde_json::json!("first")]);
}

/// An export made by hand under `key`, as another tokvault (or an
/// attacker) could write one.
fn export_file(home: &Home, key: &str, payload: &serde_json::Value) -> std::path::PathBuf {
    let fernet = fernet::Fernet::new(key).unwrap();
    let envelope = serde_json::json!({
        "format": "tokvault-export",
        "version": 1,
        "exported_at": crate::common::now(),
        "payload": fernet.encrypt(payload.to_string().as_bytes()),
    });
    let path = home.path().join("crafted.tokvault");
    std::fs::write(&path, envelope.to_string()).unwrap();
    path
}

fn credential(name: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut c = serde_json::json!({
        "user": "default", "integration": name, "provider": "p",
        "token_type": "api_key", "scopes": [], "expires_at": null,
        "created_at": 1_700_000_000, "updated_at": 1_700_000_000,
        "oauth2_client": null, "client_credentials": false,
        "token_data": {"api_key": "SECRET-ok"},
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn client(name: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut c = serde_json::json!({
        "name": name, "provider": null, "token_url": "https://idp.example/token",
        "auth_url": "https://idp.example/authorize", "device_url": null,
        "client_id": "cid", "auth_method": "none", "redirect_uri": null,
        "scopes": ["openid"], "created_at": 1_700_000_000, "updated_at": 1_700_000_000,
        "client_secret": null,
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

#[test]
fn a_restore_keeps_every_good_entry_and_names_each_refused_one() {
    let home = Home::new();
    let key = new_key();
    let key_file = home.path().join("backup.key");
    write_private(&key_file, &key);
    let payload = serde_json::json!({
        "credentials": [
            credential("good", serde_json::json!({})),
            credential("nul", serde_json::json!({"token_data": {"api_key": "SECRET\u{0}x"}})),
            credential("spaced", serde_json::json!({"scopes": ["read write"]})),
            credential("\u{1b}[2Jname", serde_json::json!({})),
            credential("unknown-type", serde_json::json!({"token_type": "password"})),
            credential(
                "via-js",
                serde_json::json!({"token_type": "oauth2", "oauth2_client": "js",
                    "token_data": {"access_token": "SECRET-at", "refresh_token": "SECRET-rt"}}),
            ),
        ],
        "clients": [
            client("fine", serde_json::json!({})),
            client("js", serde_json::json!({"auth_url": "javascript:alert(1)"})),
            client("esc", serde_json::json!({"client_id": "c\u{1b}]0;x\u{7}\nid"})),
            client("plain", serde_json::json!({"token_url": "http://idp.example/token"})),
            client("ws", serde_json::json!({"scopes": ["openid email"]})),
        ],
        "routes": [
            {"kind": "git", "pattern": "gitlab.com/g/r.git", "user": "default",
             "credential": "good", "username": "oauth2"},
        ],
    });
    let file = export_file(&home, &key, &payload);
    // --strict restores nothing.
    home.store(&["first", "--secret", "-"], "s");
    refused(
        &home,
        &[
            "import-vault",
            file.to_str().unwrap(),
            "--from-key",
            key_file.to_str().unwrap(),
            "--strict",
        ],
        &[],
        "",
        2,
        "--strict",
    );
    let out = home
        .cmd()
        .args(["import-vault"])
        .arg(&file)
        .arg("--from-key")
        .arg(&key_file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains("SECRET") && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
    for refused in [
        "'nul'",
        "'spaced'",
        "[2Jname",
        "'unknown-type'",
        "'via-js'",
        "'js'",
        "'esc'",
        "'plain'",
        "'ws'",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("refused") && l.contains(refused)),
            "{refused}: {stderr}"
        );
    }
    assert!(stderr.contains("9 entries"), "{stderr}");
    // A route an older tokvault kept with its `.git` is removed as listed.
    home.cmd()
        .args(["git-credential", "unmap", "gitlab.com/g/r.git"])
        .assert()
        .success();
    assert_eq!(home.get("good"), "SECRET-ok\n");
    let clients = home
        .cmd()
        .args(["oauth2", "list", "--json"])
        .assert()
        .success();
    let clients: serde_json::Value = serde_json::from_slice(&clients.get_output().stdout).unwrap();
    let names: Vec<_> = clients
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, [serde_json::json!("fine")]);
    // Again with --replace: what was there is said to be replaced.
    let out = home
        .cmd()
        .args(["import-vault"])
        .arg(&file)
        .arg("--from-key")
        .arg(&key_file)
        .arg("--replace")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("replaced credential 'good'"), "{stderr}");
    assert!(stderr.contains("replaced OAuth2 client 'fine'"), "{stderr}");
}

#[test]
fn rekey_never_orphans_a_second_vault_on_the_default_key() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "vault files under one key file") {
        return;
    }
    let out = home
        .cmd()
        .args(["store", "a", "--secret", "-"])
        .write_stdin("s1")
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(&home.db().display().to_string()) && stderr.contains("default key"),
        "{stderr}"
    );
    let proj = home.path().join("proj.db");
    let out = home
        .cmd()
        .arg("--db")
        .arg(&proj)
        .args(["store", "b", "--secret", "-"])
        .write_stdin("s2")
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("proj.db") && stderr.contains(&home.key_file().display().to_string()),
        "{stderr}"
    );
    // Either vault's rekey would replace the key the other needs.
    let before = std::fs::read(home.key_file()).unwrap();
    for db in [home.db(), proj.clone()] {
        let out = home
            .cmd()
            .arg("--db")
            .arg(&db)
            .arg("rekey")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert_eq!(std::fs::read(home.key_file()).unwrap(), before);
    }
    assert!(
        String::from_utf8_lossy(&home.cmd().arg("rekey").output().unwrap().stderr)
            .contains("proj.db")
    );
    // Given its own key, the second vault no longer holds the first back.
    let proj_key = home.path().join("proj.key");
    home.cmd()
        .arg("--db")
        .arg(&proj)
        .args(["rekey", "--new-key-file"])
        .arg(&proj_key)
        .assert()
        .success();
    home.cmd().arg("rekey").assert().success();
    assert_eq!(home.get("a"), "s1\n");
    let out = home
        .cmd()
        .arg("--db")
        .arg(&proj)
        .arg("--key-file")
        .arg(&proj_key)
        .args(["get", "b"])
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, b"s2\n");
}

#[test]
fn a_db_in_a_missing_directory_is_refused_by_every_command() {
    let home = Home::new();
    let db = home.path().join("no/such/dir/vault.db");
    for args in [
        &["store", "a", "--secret", "-"][..],
        &["get", "a"],
        &["list"],
        &["delete", "a", "--yes"],
    ] {
        let out = home
            .cmd()
            .arg("--db")
            .arg(&db)
            .args(args)
            .write_stdin("s")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains("does not exist"), "{stderr}");
    }
    assert!(!home.path().join("no").exists());
}

#[test]
fn an_interrupted_first_store_leaves_nothing_that_blocks_the_next() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "leftover files beside the vault") {
        return;
    }
    // What an older tokvault, or a kill, left: an empty key file, and a
    // half-made vault of a process that is gone.
    let dead = {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    };
    std::fs::create_dir_all(home.key_file().parent().unwrap()).unwrap();
    write_private(&home.key_file(), "");
    let data = home.db().parent().unwrap().to_owned();
    std::fs::create_dir_all(&data).unwrap();
    for suffix in ["", "-journal", "-wal"] {
        std::fs::write(data.join(format!("vault.db.new-{dead}{suffix}")), "x").unwrap();
    }
    std::fs::write(
        home.key_file().with_file_name(format!("key.tmp-{dead}")),
        "x",
    )
    .unwrap();
    // A copy a person made is never taken for one.
    let copy = data.join("vault.db.new-20250101.bak");
    std::fs::write(&copy, "mine").unwrap();
    home.store(&["a", "--secret", "-"], "s");
    assert_eq!(home.get("a"), "s\n");
    let left: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .chain(std::fs::read_dir(home.key_file().parent().unwrap()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".new-") || n.contains(".tmp-"))
        .collect();
    assert_eq!(left, ["vault.db.new-20250101.bak"]);
    assert!(copy.exists());
    // A key file tokvault writes is whole: 45 bytes, never fewer.
    assert_eq!(std::fs::metadata(home.key_file()).unwrap().len(), 45);
}

#[test]
fn fifos_and_devices_are_refused_not_waited_on() {
    let home = Home::new();
    home.store(&["a", "--secret", "-"], "s");
    let fifo = home.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let f = fifo.to_str().unwrap();
    for (args, code) in [
        (vec!["store", "b", "--secret-file", f], 2),
        (vec!["store", "b", "--from-json", f], 2),
        (vec!["import-vault", f], 2),
        (vec!["run", "--env-file", f, "--", "true"], 2),
        (vec!["--key-file", f, "get", "a"], 7),
        (vec!["--db", f, "get", "a"], 8),
        (vec!["--db", "/dev/zero", "get", "a"], 8),
        (vec!["store", "b", "--secret-file", "/dev/zero"], 2),
    ] {
        let out = home
            .cmd()
            .args(&args)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains("regular file"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_key_variable_that_is_not_text_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let home = Home::new();
    home.store(&["a", "--secret", "-"], "s");
    let out = home
        .cmd()
        .env("TOKVAULT_KEY", std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .args(["get", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
    // A new key that is set but empty (`"$(cat missing.key)"`) is refused.
    let before = std::fs::read(home.key_file()).unwrap();
    refused(
        &home,
        &["rekey"],
        &[("TOKVAULT_NEW_KEY", "")],
        "",
        2,
        "empty",
    );
    assert_eq!(std::fs::read(home.key_file()).unwrap(), before);
}

#[test]
fn usage_errors_never_quote_a_secret() {
    let home = Home::new();
    let pem = std::fs::read_to_string("tests/fixtures/app.pem").unwrap();
    let body: String = pem.lines().nth(1).unwrap().to_string();
    for args in [
        vec![
            "store",
            "app",
            "--type",
            "github-app",
            "--app-id",
            "1",
            "--private-key",
            &pem,
        ],
        vec!["store", "a", "--secret", "--SECRET-looks-like-a-flag"],
        vec!["store", "a", "--secret=--SECRET-x", "--bogus"],
        vec![
            "oauth2",
            "add",
            "c",
            "--client-id",
            "x",
            "--client-secret",
            "--SECRET-y",
        ],
        vec!["store", "a", "--refresh-token", "--SECRET-z"],
    ] {
        let out = home.cmd().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            !stderr.contains(&body) && !stderr.contains("SECRET"),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

use crate::common::provider::{Provider, Reply, tokens};

/// A credential linked to a public client at `provider`, holding a
/// refresh token and an access token that has expired.
fn expired_at(home: &Home, provider: &Provider, name: &str) {
    home.add_public_client("corp", &provider.token_url());
    home.store(
        &[
            name,
            "--oauth2",
            "corp",
            "--expires-at",
            "2020-01-01",
            "--from-json",
            "-",
        ],
        r#"{"access_token": "old", "refresh_token": "rt-1"}"#,
    );
}

#[test]
fn control_characters_in_an_answer_are_refused_and_a_rotated_token_kept() {
    let provider = Provider::start(|req| {
        let refresh = req.param("refresh_token").unwrap_or_default();
        match refresh.as_str() {
            "rt-1" => Reply::json(
                200,
                serde_json::json!({
                    "access_token": "evil\u{1b}]0;title\u{7}\u{1b}[2J",
                    "refresh_token": "rt-2",
                    "expires_in": 3600,
                }),
            ),
            _ => Reply::json(200, tokens("fine", Some("rt-3"), 3600)),
        }
    });
    let home = Home::new();
    expired_at(&home, &provider, "x");
    let out = home.cmd().args(["get", "x"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        out.stdout.is_empty() && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
    // The rotated refresh token was kept: the next refresh sends it.
    assert_eq!(home.get("x"), "fine\n");
    let sent: Vec<_> = provider
        .grants("refresh_token")
        .iter()
        .map(|r| r.param("refresh_token").unwrap())
        .collect();
    assert_eq!(sent, ["rt-1", "rt-2"]);
}

#[test]
fn a_token_that_expires_at_once_is_said_to() {
    let provider = Provider::start(|_| Reply::json(200, tokens("brief", None, 0)));
    let home = Home::new();
    expired_at(&home, &provider, "x");
    let out = home.cmd().args(["get", "x"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("expires_in 0"), "{stderr}");
}

#[test]
fn a_code_without_its_authorization_request_is_explained() {
    let provider = Provider::start(|req| match req.param("redirect_uri") {
        None => Reply::json(
            400,
            serde_json::json!({"error": "invalid_request", "error_description": "redirect_uri is missing"}),
        ),
        Some(_) => Reply::json(200, tokens("at", Some("rt"), 3600)),
    });
    let home = Home::new();
    home.add_public_client("corp", &provider.token_url());
    let out = home
        .cmd()
        .args(["exchange-code", "x", "--oauth2", "corp", "--code", "-"])
        .write_stdin("the-code")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("no pending authorization") && stderr.contains("--redirect-uri"),
        "{stderr}"
    );
}

#[test]
fn client_credentials_again_says_replaced() {
    let provider = Provider::start(|_| Reply::json(200, tokens("at", None, 3600)));
    let home = Home::new();
    home.add_public_client("corp", &provider.token_url());
    for (round, said) in ["stored", "replaced"].iter().enumerate() {
        let out = home
            .cmd()
            .args(["client-credentials", "robot", "--oauth2", "corp"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("{said} credential 'robot'")),
            "{round}: {stderr}"
        );
    }
}

#[test]
fn database_urls_in_any_spelling_are_never_paths_nor_shown() {
    let home = Home::new();
    for (db, code) in [
        ("postgres:u:hunter2secret@127.0.0.1/db", 2),
        ("Postgresql:hunter2secret@127.0.0.1/db", 2),
        ("mysql://u:hunter2secret@127.0.0.1/db", 2),
        ("sqlite://u:hunter2secret@127.0.0.1/db", 2),
    ] {
        let out = home
            .cmd()
            .args(["--db", db, "store", "a", "--secret", "-"])
            .write_stdin("s")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{db}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{db}: {stderr}");
    }
    // Upper case is still PostgreSQL (here: a server that is not there).
    let out = home
        .cmd()
        .args([
            "--db",
            "POSTGRES://u:hunter2secret@127.0.0.1:1/db",
            "get",
            "a",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(6) | Some(2)), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| {
            n.to_ascii_lowercase().contains("postgres")
                || n.contains("mysql")
                || n.contains("sqlite")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_slow_client_never_outlasts_the_login_timeout() {
    use std::io::{BufRead, Write};
    let home = Home::new();
    home.add_browser_client("corp", &[]);
    let mut child = home
        .std_cmd()
        .args([
            "login",
            "x",
            "--oauth2",
            "corp",
            "--no-browser",
            "--timeout",
            "3s",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut redirect = None;
    let mut said = String::new();
    while redirect.is_none() {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            break;
        }
        said.push_str(&line);
        redirect = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .map(String::from);
    }
    let redirect = redirect.unwrap_or_else(|| panic!("no redirect URI said: {said}"));
    assert!(said.contains("waiting up to 3s"), "{said}");
    let port = redirect["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let mut conn = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    // One byte a second, never a whole request.
    let drip = std::thread::spawn(move || {
        for b in b"GET /callback?code=x HTTP/1.1\r\n".iter().take(15) {
            if conn.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    });
    let status = child.wait().unwrap();
    let waited = start.elapsed();
    assert!(!status.success());
    assert!(waited < std::time::Duration::from_secs(8), "{waited:?}");
    drip.join().unwrap();
}

#[test]
fn git_finds_a_repository_route_with_or_without_dot_git() {
    let home = Home::new();
    home.store(
        &[
            "gl",
            "--provider",
            "gitlab",
            "--type",
            "api_key",
            "--secret",
            "-",
        ],
        "glpat-x",
    );
    home.cmd()
        .args(["git-credential", "map", "gitlab.com/group/repo", "gl"])
        .assert()
        .success();
    for path in ["group/repo", "group/repo.git", "group/repo.git/"] {
        let out = home
            .cmd()
            .args(["git-credential", "get"])
            .write_stdin(format!("protocol=https\nhost=gitlab.com\npath={path}\n"))
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(text.contains("password=glpat-x"), "{path}: {text}");
        assert!(text.contains("username=oauth2"), "{path}: {text}");
    }
    let out = home
        .cmd()
        .args(["git-credential", "get"])
        .write_stdin("protocol=https\nhost=gitlab.com\npath=other/repo.git\n")
        .assert()
        .success();
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn a_missing_credential_is_not_found_even_without_a_key() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "an empty vault file without a key") {
        return;
    }
    // A vault made by a read (git-credential erase) holds no key yet.
    home.store(&["a", "--secret", "-"], "s");
    std::fs::remove_file(home.key_file()).unwrap();
    let out = home.cmd().args(["get", "nope"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = home.cmd().args(["get", "a"]).output().unwrap();
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn a_key_hint_names_only_a_file_that_opens_what_failed() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "key files beside the vault") {
        return;
    }
    home.store(&["a", "--secret", "-"], "s");
    let new_key = home.path().join("new.key");
    home.cmd()
        .args(["rekey", "--new-key-file"])
        .arg(&new_key)
        .assert()
        .success();
    let other_key = home.path().join("other.key");
    let export = home.path().join("other.tokvault");
    home.cmd()
        .arg("--key-file")
        .arg(&new_key)
        .arg("export-vault")
        .arg(&export)
        .arg("--to-key")
        .arg(&other_key)
        .assert()
        .success();
    // The vault's own wrong-key error does name new.key: it opens the vault.
    let out = home.cmd().args(["get", "a"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("new.key"));
    // The export is opened by other.key only: new.key is no hint for it.
    let out = home
        .cmd()
        .arg("--key-file")
        .arg(&new_key)
        .arg("import-vault")
        .arg(&export)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(!stderr.contains("is in"), "{stderr}");
    // A key file refused for its mode gets no hint about another file.
    let loose = home.path().join("loose.key");
    std::fs::copy(&new_key, &loose).unwrap();
    std::fs::set_permissions(&loose, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let out = home
        .cmd()
        .arg("--key-file")
        .arg(&loose)
        .args(["get", "a"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(!stderr.contains("new.key"), "{stderr}");
}

#[test]
fn aws_keys_from_sts_are_read_and_get_says_what_reads_them() {
    let home = Home::new();
    home.store(
        &["aws-prod", "--provider", "aws", "--from-json", "-"],
        r#"{"Credentials": {"AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": "SECRET-aws",
            "SessionToken": "FwoG-token", "Expiration": "2099-01-01T00:00:00Z"}}"#,
    );
    let out = home
        .cmd()
        .args(["aws-credential", "aws-prod"])
        .assert()
        .success();
    let keys: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(keys["AccessKeyId"], "AKIAEXAMPLE");
    refused(&home, &["get", "aws-prod"], &[], "", 2, "aws-credential");
    home.store(&["openai", "--secret", "-"], "sk-x");
    refused(
        &home,
        &["aws-credential", "openai"],
        &[],
        "",
        2,
        "holds no AWS keys",
    );
}

#[test]
fn oauth2_remove_asks_and_ids_are_never_reused() {
    let home = Home::new();
    for name in ["one", "two"] {
        home.add_public_client(name, "https://idp.example/token");
    }
    refused(&home, &["oauth2", "remove", "two"], &[], "", 2, "--yes");
    home.cmd()
        .args(["oauth2", "remove", "two", "--yes"])
        .assert()
        .success();
    home.add_public_client("three", "https://idp.example/token");
    let out = home
        .cmd()
        .args(["oauth2", "list", "--json"])
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let ids: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3]);
}

#[test]
fn run_takes_a_bare_name_and_says_where_the_command_goes() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-bare");
    let out = home
        .cmd()
        .args([
            "run",
            "-e",
            "openai",
            "--",
            "sh",
            "-c",
            "printf %s \"$OPENAI\"",
        ])
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, b"sk-bare");
    refused(
        &home,
        &["run", "-e", "A=openai", "sh", "-c", "true"],
        &[],
        "",
        2,
        "put -- before the command",
    );
}

#[test]
fn masks_catch_wrapped_base64_python_json_and_overlaps() {
    let home = Home::new();
    let long = "k".repeat(40) + &"Z9".repeat(30);
    home.store(&["long", "--secret", "-"], &long);
    home.store(&["first", "--secret", "-"], "abcdefghij-overlap");
    home.store(&["second", "--secret", "-"], "overlap-klmnopqrst");
    let has_python = std::process::Command::new("python3")
        .arg("-c")
        .arg("1")
        .status()
        .is_ok_and(|s| s.success());
    let script = r#"printf %s "$L" | base64; printf %s "$L" | base64 -w 64; printf 'abcdefghij-overlap-klmnopqrst\n'"#;
    let out = home
        .cmd()
        .args([
            "run", "--mask", "-e", "L=long", "-e", "A=first", "-e", "B=second", "--", "sh", "-c",
            script,
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.lines().all(|l| l == "***"), "{text}");
    if has_python {
        home.store(&["uni", "--secret", "-"], "pässwörd/with/slash");
        let out = home
            .cmd()
            .args([
                "run",
                "--mask",
                "-e",
                "U=uni",
                "--",
                "python3",
                "-c",
                "import json, os; print(json.dumps({'k': os.environ['U']}))",
            ])
            .assert()
            .success();
        assert_eq!(
            String::from_utf8_lossy(&out.get_output().stdout),
            "{\"k\": \"***\"}\n"
        );
    } else {
        println!("SKIPPED the json.dumps case: python3 is not installed");
    }
    // GitHub's runner unescapes %25, %0D and %0A in a mask's data.
    home.store(&["pct", "--secret", "-"], "a%0Ab%25c");
    let out = home
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .args(["get", "pct"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("::add-mask::a%250Ab%2525c\n"), "{stderr}");
}

#[test]
fn readers_never_see_a_half_rotated_key() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "rekey replaces the key file") {
        return;
    }
    home.store(&["a", "--secret", "-"], "steady");
    let done = std::sync::atomic::AtomicBool::new(false);
    let failures = std::sync::Mutex::new(Vec::new());
    let mut reads = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let out = home.std_cmd().args(["get", "a"]).output().unwrap();
                    if out.stdout != b"steady\n" {
                        failures
                            .lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&out.stderr).to_string());
                    }
                    reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
        for _ in 0..40 {
            let out = home.std_cmd().arg("rekey").output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    assert!(*reads.get_mut() > 10);
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed reads: {:?}",
        failures.len(),
        failures.first()
    );
}

#[test]
fn list_says_what_is_known_of_each_expiry_and_kind() {
    let home = Home::new();
    home.add_public_client("corp", "https://idp.example/token");
    home.store(&["key", "--secret", "-"], "k");
    home.store(&["later", "--oauth2", "corp", "--refresh-token", "-"], "rt");
    home.store(
        &[
            "plain",
            "--provider",
            "github",
            "--type",
            "oauth2",
            "--secret",
            "-",
        ],
        "gho",
    );
    let app = std::fs::read_to_string("tests/fixtures/app.pem").unwrap();
    let out = home
        .cmd()
        .args([
            "store",
            "app",
            "--type",
            "github-app",
            "--app-id",
            "1",
            "--installation-id",
            "2",
        ])
        .args(["--private-key", "-"])
        .write_stdin(app)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(said.contains("(github-app)"), "{said}");
    let out = home.cmd().arg("list").assert().success();
    let table = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name}: {table}"))
            .to_string()
    };
    assert!(row("key").contains("never"), "{table}");
    assert!(row("later").contains("on next use"), "{table}");
    assert!(row("plain").contains("unknown"), "{table}");
    assert!(
        row("app").contains("github-app") && row("app").contains("on next use"),
        "{table}"
    );
    // Piped, columns begin at the start of the line.
    assert!(table.lines().all(|l| !l.starts_with(' ')), "{table}");
}

#[test]
fn smaller_messages_say_what_they_mean() {
    let home = Home::new();
    // Missing arguments: one space, not clap's indentation.
    let out = home.cmd().arg("get").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("not provided: <NAME>"), "{stderr}");
    // A date that is not one, without the parser's internals.
    let out = home
        .cmd()
        .args(["store", "a", "--secret", "-", "--expires-at", "tomorrow"])
        .write_stdin("s")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("'tomorrow' is not an RFC 3339 time"),
        "{stderr}"
    );
    assert!(!stderr.contains("failed to"), "{stderr}");
    // An expiry in the past is stored, with a word.
    let out = home
        .cmd()
        .args([
            "store",
            "old",
            "--secret",
            "-",
            "--expires-at",
            "2020-01-01",
        ])
        .write_stdin("s")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("in the past"));
    // The two exec helpers say what each prints.
    let aws = home
        .cmd()
        .args(["aws-credential", "--help"])
        .output()
        .unwrap();
    let kube = home
        .cmd()
        .args(["kube-credential", "--help"])
        .output()
        .unwrap();
    let first = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_ne!(first(&aws), first(&kube));
    assert!(first(&aws).contains("AWS") && first(&kube).contains("Kubernetes"));
    // Listings of a vault that does not exist yet say so.
    let fresh = Home::new();
    for args in [&["oauth2", "list"][..], &["git-credential", "list"]] {
        let out = fresh.cmd().args(args).assert().success();
        assert!(
            String::from_utf8_lossy(&out.get_output().stderr).contains("no vault"),
            "{args:?}"
        );
    }
}

#[test]
fn run_keeps_a_database_vaults_password_from_the_command() {
    let home = Home::new();
    home.store(&["a", "--secret", "-"], "s");
    let mut cmd = home.cmd();
    // A PostgreSQL suite's own PGPASSWORD is the vault's: kept as it is.
    if home.remote.is_none() {
        cmd.env("PGPASSWORD", "pg-secret");
    }
    let out = cmd
        .args([
            "run",
            "-e",
            "A=a",
            "--",
            "sh",
            "-c",
            "printf %s \"${PGPASSWORD-unset}\"",
        ])
        .assert()
        .success();
    let seen = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // The password is the vault's only when the vault is in PostgreSQL.
    let expected = if home.remote.is_some() {
        "unset"
    } else {
        "pg-secret"
    };
    assert_eq!(seen, expected);
}

#[test]
fn check_finds_what_will_stop_working_before_a_job_does() {
    let home = Home::new();
    // Nothing yet: fine.
    home.cmd()
        .args(["check", "--within", "7d"])
        .assert()
        .success();
    home.add_public_client("corp", "https://idp.example/token");
    home.store(&["forever", "--secret", "-"], "k");
    home.store(&["soon", "--secret", "-", "--expires-in", "1h"], "k");
    home.store(
        &[
            "renews",
            "--oauth2",
            "corp",
            "--expires-in",
            "1h",
            "--from-json",
            "-",
        ],
        r#"{"access_token": "at", "refresh_token": "rt"}"#,
    );
    home.store(
        &[
            "stale",
            "--provider",
            "github",
            "--type",
            "oauth2",
            "--expires-at",
            "2020-01-01",
            "--secret",
            "-",
        ],
        "gho",
    );
    // Within 30 minutes only the expired access token needs a person.
    let out = home
        .cmd()
        .args(["check", "--within", "30m", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<_> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["integration_key"].clone())
        .collect();
    assert_eq!(names, [serde_json::json!("stale")]);
    assert!(
        found[0]["reason"].as_str().unwrap().contains("expired"),
        "{found}"
    );
    // Within two hours the API key too; never the one that renews itself.
    let out = home
        .cmd()
        .args(["check", "--within", "2h"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let table = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        table.contains("soon") && table.contains("API key") && table.contains("stale"),
        "{table}"
    );
    assert!(
        !table.contains("renews") && !table.contains("forever"),
        "{table}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 credential(s)"));
    // list --expiring shows what expires, renewing or not, by metadata alone.
    let out = home
        .cmd()
        .args(["list", "--expiring", "2h", "--json"])
        .assert()
        .success();
    let listed: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let mut names: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["integration_key"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["renews", "soon", "stale"]);
    refused(
        &home,
        &["check", "--within", "soon"],
        &[],
        "",
        2,
        "--within",
    );
    // A refresh token with an end of its own (GitHub's
    // refresh_token_expires_in) is found when that end is near.
    let other = Home::new();
    other.add_public_client("corp", "https://idp.example/token");
    other.store(
        &["gh", "--oauth2", "corp", "--from-json", "-"],
        r#"{"access_token": "at", "refresh_token": "rt", "expires_in": 28800, "refresh_token_expires_in": 86400}"#,
    );
    other
        .cmd()
        .args(["check", "--within", "12h"])
        .assert()
        .success();
    let out = other
        .cmd()
        .args(["check", "--within", "2d", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["integration_key"], "gh");
    assert!(
        found[0]["reason"]
            .as_str()
            .unwrap()
            .contains("refresh token expires"),
        "{found}"
    );
}

#[test]
fn get_warns_once_a_day_of_a_refresh_tokens_end() {
    let home = Home::new();
    home.add_public_client("corp", "https://idp.example/token");
    home.store(
        &["gh", "--oauth2", "corp", "--from-json", "-"],
        r#"{"access_token": "at", "refresh_token": "rt", "expires_in": 28800, "refresh_token_expires_in": 259200}"#,
    );
    home.store(
        &["far", "--oauth2", "corp", "--from-json", "-"],
        r#"{"access_token": "at2", "refresh_token": "rt2", "expires_in": 28800, "refresh_token_expires_in": 15552000}"#,
    );
    let warned = |name: &str| {
        let out = home.cmd().args(["get", name]).assert().success();
        String::from_utf8_lossy(&out.get_output().stderr).contains("refresh token")
    };
    assert!(warned("gh"));
    assert!(!warned("gh"), "warned twice in a day");
    assert!(!warned("far"));
}

#[test]
fn delete_says_a_key_stays_valid_where_it_was_issued() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-x");
    home.store(&["stripe", "--secret", "-"], "sk_live_x");
    let said = |name: &str| {
        let out = home
            .cmd()
            .args(["delete", name, "--yes"])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    let openai = said("openai");
    assert!(
        openai.contains("stays valid at openai")
            && openai.contains("https://platform.openai.com/api-keys"),
        "{openai}"
    );
    assert!(said("stripe").contains("revoke it where it was issued"));
}
