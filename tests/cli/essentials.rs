//! store / get / list / delete through the real binary, for every credential type.

use crate::common::{Home, jwt, new_key, now};
use predicates::prelude::*;
use serde_json::json;

#[test]
fn api_key_round_trip_prints_the_secret_alone() {
    let home = Home::new();
    home.cmd()
        .args([
            "store",
            "openai",
            "--provider",
            "openai",
            "--type",
            "api_key",
            "--secret",
            "-",
        ])
        .write_stdin("sk-live-123\n")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("created a new master key"));
    assert_eq!(home.get("openai"), "sk-live-123\n");

    let record = home.get_json("openai");
    assert_eq!(record["integration_key"], "openai");
    assert_eq!(record["user"], "default");
    assert_eq!(record["provider"], "openai");
    assert_eq!(record["token_type"], "api_key");
    assert_eq!(record["token_data"]["api_key"], "sk-live-123");
    assert_eq!(record["scopes"], json!([]));
    assert_eq!(record["expires_at"], json!(null));
    assert_eq!(record["is_expired"], false);
    assert_eq!(record["refreshed"], false);
    assert!(record["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(record["updated_at"].is_string());
}

#[test]
fn the_key_file_is_made_once_and_reused() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "k1");
    let key = std::fs::read_to_string(home.key_file()).unwrap();
    home.cmd()
        .args(["store", "anthropic", "--secret", "-"])
        .write_stdin("k2")
        .assert()
        .success()
        .stderr(predicate::str::contains("master key").not());
    assert_eq!(std::fs::read_to_string(home.key_file()).unwrap(), key);
    assert_eq!(home.get("anthropic"), "k2\n");
}

#[test]
fn oauth2_access_token_with_refresh_token_scopes_and_expiry() {
    let home = Home::new();
    home.cmd()
        .args([
            "store",
            "gh",
            "--provider",
            "github",
            "--type",
            "oauth2",
            "--secret",
            "-",
        ])
        .args([
            "--refresh-token",
            "rt-literal",
            "--scopes",
            "repo,read:org",
            "--expires-in",
            "3600",
        ])
        .write_stdin("gho_access")
        .assert()
        .success()
        .stderr(predicate::str::contains("visible to other processes"));
    assert_eq!(home.get("gh"), "gho_access\n");
    let record = home.get_json("gh");
    assert_eq!(record["scopes"], json!(["repo", "read:org"]));
    assert_eq!(record["token_data"]["refresh_token"], "rt-literal");
    let expires: jiff::Timestamp = record["expires_at"].as_str().unwrap().parse().unwrap();
    assert!((expires.as_second() - (now() + 3600)).abs() <= 5);
    home.cmd()
        .args(["get", "gh", "--field", "refresh_token"])
        .assert()
        .success()
        .stdout("rt-literal\n");
}

#[test]
fn from_json_takes_a_token_response_from_stdin() {
    let home = Home::new();
    let id_token = jwt(&json!({"sub": "1234", "email": "a@example.com", "exp": now() + 600}));
    let response = json!({
        "access_token": "ya29.token",
        "refresh_token": "1//refresh",
        "token_type": "Bearer",
        "expires_in": 3599,
        "scope": "openid email",
        "id_token": id_token,
    });
    home.cmd()
        .args(["store", "google", "--from-json", "-"])
        .write_stdin(response.to_string())
        .assert()
        .success();
    assert_eq!(home.get("google"), "ya29.token\n");
    let record = home.get_json("google");
    assert_eq!(record["provider"], "google");
    assert_eq!(record["token_type"], "oauth2");
    assert_eq!(record["scopes"], json!(["openid", "email"]));
    assert_eq!(record["token_data"]["expires_in"], 3599);
    assert_eq!(
        record["id_token_claims"]["claims"]["email"],
        "a@example.com"
    );
    assert_eq!(record["id_token_claims"]["header"]["alg"], "RS256");
    assert_eq!(record["id_token_claims"]["signature_verified"], false);
    let expires: jiff::Timestamp = record["expires_at"].as_str().unwrap().parse().unwrap();
    assert!((expires.as_second() - (now() + 3599)).abs() <= 5);
    home.cmd()
        .args(["get", "google", "--field", "id_token"])
        .assert()
        .stdout(format!("{id_token}\n"));
}

#[test]
fn from_json_reads_a_file_and_keeps_unknown_fields() {
    let home = Home::new();
    let file = home.path().join("token.json");
    std::fs::write(&file, r#"{"access_token":"xoxb-1","team":{"id":"T1"}}"#).unwrap();
    home.cmd()
        .args(["store", "slack", "--from-json"])
        .arg(&file)
        .assert()
        .success();
    home.cmd()
        .args(["get", "slack", "--field", "team"])
        .assert()
        .stdout("{\"id\":\"T1\"}\n");
    home.cmd()
        .args(["get", "slack", "--field", "nope"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("has no field 'nope'"));
}

#[test]
fn a_jwt_exp_sets_the_expiry() {
    let home = Home::new();
    let exp = now() + 7200;
    let token = jwt(&json!({"sub": "ci", "exp": exp}));
    home.store(
        &[
            "ci",
            "--provider",
            "github",
            "--type",
            "jwt",
            "--secret",
            "-",
        ],
        &token,
    );
    assert_eq!(home.get("ci"), format!("{token}\n"));
    let record = home.get_json("ci");
    assert_eq!(record["token_type"], "jwt");
    let expires: jiff::Timestamp = record["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires.as_second(), exp);
}

#[test]
fn an_expired_credential_fails_with_code_4_unless_allowed() {
    let home = Home::new();
    let token = jwt(&json!({"exp": now() - 10}));
    home.store(
        &[
            "ci",
            "--provider",
            "github",
            "--type",
            "jwt",
            "--secret",
            "-",
        ],
        &token,
    );
    home.cmd()
        .args(["get", "ci"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            predicate::str::contains("expired").and(predicate::str::contains("store a new token")),
        );
    home.cmd()
        .args(["get", "ci", "--allow-expired"])
        .assert()
        .success()
        .stdout(format!("{token}\n"));
    assert_eq!(
        home.cmd()
            .args(["get", "ci", "--json", "--allow-expired"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn expires_at_takes_rfc3339() {
    let home = Home::new();
    home.store(
        &[
            "gh",
            "--provider",
            "github",
            "--secret",
            "-",
            "--expires-at",
            "2099-01-02T03:04:05+01:00",
        ],
        "t",
    );
    assert_eq!(home.get_json("gh")["expires_at"], "2099-01-02T02:04:05Z");
}

#[test]
fn replacing_keeps_created_at() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "old");
    let first = home.get_json("openai");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    home.store(&["openai", "--secret", "-"], "new");
    let second = home.get_json("openai");
    assert_eq!(home.get("openai"), "new\n");
    assert_eq!(first["created_at"], second["created_at"]);
    assert_ne!(first["updated_at"], second["updated_at"]);
}

#[test]
fn users_are_namespaces() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-", "--user", "alice"], "alice-key");
    home.cmd()
        .args(["store", "openai", "--secret", "-"])
        .env("TOKVAULT_USER", "bob")
        .write_stdin("bob-key")
        .assert()
        .success();
    home.cmd().args(["get", "openai"]).assert().code(3);
    home.cmd()
        .args(["get", "openai", "--user", "alice"])
        .assert()
        .stdout("alice-key\n");
    home.cmd()
        .args(["get", "openai"])
        .env("TOKVAULT_USER", "bob")
        .assert()
        .stdout("bob-key\n");
    let out = home
        .cmd()
        .args(["list", "--json", "--all-users"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let users: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["alice", "bob"]);
    let out = home
        .cmd()
        .args(["list", "--json", "--user", "alice"])
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn list_filters_and_never_shows_secrets() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "SECRET-openai");
    home.store(
        &[
            "gh",
            "--provider",
            "github",
            "--secret",
            "-",
            "--expires-in",
            "0",
        ],
        "SECRET-gh",
    );
    home.store(
        &["google", "--secret", "-", "--scopes", "openid"],
        "SECRET-google",
    );

    let table = home.cmd().arg("list").output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    for name in ["openai", "gh", "google", "expired", "openid"] {
        assert!(text.contains(name), "{name} missing from\n{text}");
    }
    assert!(!text.contains("SECRET"), "{text}");

    let json = home.cmd().args(["list", "--json"]).output().unwrap();
    let text = String::from_utf8(json.stdout).unwrap();
    assert!(
        !text.contains("SECRET") && !text.contains("token_data"),
        "{text}"
    );
    let rows: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "created_at",
            "expires_at",
            "integration_key",
            "is_expired",
            "provider",
            "scopes",
            "token_type",
            "updated_at",
            "user"
        ]
    );

    let names = |args: &[&str]| -> Vec<String> {
        let out = home
            .cmd()
            .arg("list")
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["integration_key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&["--provider", "github"]), ["gh"]);
    assert_eq!(names(&["--expired"]), ["gh"]);
    assert_eq!(names(&[]), ["gh", "google", "openai"]);
}

#[test]
fn list_needs_no_key() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "k");
    std::fs::remove_file(home.key_file()).unwrap();
    home.cmd()
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("openai"));
    assert!(!home.key_file().exists(), "list must not create a key");
}

#[test]
fn nothing_is_created_by_reading_an_absent_vault() {
    let home = Home::new();
    home.cmd()
        .args(["list", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
    home.cmd()
        .args(["get", "openai"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("does not exist yet"));
    assert!(!home.db().exists() && !home.key_file().exists());
}

#[test]
fn delete_with_yes_removes_only_that_credential() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "a");
    home.store(&["anthropic", "--secret", "-"], "b");
    home.cmd()
        .args(["delete", "openai", "--yes"])
        .assert()
        .success()
        .stdout("");
    home.cmd().args(["get", "openai"]).assert().code(3);
    assert_eq!(home.get("anthropic"), "b\n");
    home.cmd().args(["delete", "openai", "-y"]).assert().code(3);
}

#[test]
fn key_sources_env_and_key_file() {
    let home = Home::new();
    let key = new_key();
    home.cmd()
        .args(["store", "openai", "--secret", "-"])
        .env("TOKVAULT_KEY", &key)
        .write_stdin("from-env")
        .assert()
        .success()
        .stderr(predicate::str::contains("master key").not());
    assert!(!home.key_file().exists());
    home.cmd()
        .args(["get", "openai"])
        .env("TOKVAULT_KEY", &key)
        .assert()
        .stdout("from-env\n");

    let file = home.path().join("my.key");
    crate::common::write_private(&file, format!("{key}\n"));
    home.cmd()
        .args(["get", "openai", "--key-file"])
        .arg(&file)
        .assert()
        .stdout("from-env\n");
    home.cmd()
        .args(["get", "openai"])
        .env("TOKVAULT_KEY_FILE", &file)
        .assert()
        .stdout("from-env\n");
}

#[test]
fn db_flag_and_env_choose_the_vault() {
    let home = Home::new();
    let db = home.path().join("elsewhere/v.db");
    std::fs::create_dir(db.parent().unwrap()).unwrap();
    home.cmd()
        .args(["store", "openai", "--secret", "-", "--db"])
        .arg(&db)
        .write_stdin("x")
        .assert()
        .success();
    assert!(db.exists() && !home.db().exists());
    home.cmd()
        .args(["get", "openai"])
        .env("TOKVAULT_DB", &db)
        .assert()
        .stdout("x\n");
}

#[test]
fn secret_file_input() {
    let home = Home::new();
    let file = home.path().join("secret.txt");
    std::fs::write(&file, "from-file\n").unwrap();
    home.cmd()
        .args(["store", "openai", "--secret-file"])
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains("visible").not());
    assert_eq!(home.get("openai"), "from-file\n");
}

#[test]
fn refresh_token_only_credential_is_stored() {
    let home = Home::new();
    home.store(&["google", "--refresh-token", "-"], "1//rt");
    home.cmd()
        .args(["get", "google", "--field", "refresh_token", "--no-refresh"])
        .assert()
        .stdout("1//rt\n");
    home.cmd()
        .args(["get", "google", "--no-refresh"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "no access token yet; run without --no-refresh",
        ));
    // Without a client to refresh with, the first get says how to link one.
    home.cmd()
        .args(["get", "google"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains(
            "no OAuth2 client to refresh with",
        ));
}

#[test]
fn completion_scripts_for_every_shell() {
    let home = Home::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        home.cmd()
            .args(["completion", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("tokvault"));
    }
}

#[test]
fn help_documents_exit_codes() {
    Home::new().cmd().arg("--help").assert().success().stdout(
        predicate::str::contains("Exit codes:").and(predicate::str::contains("4  expired")),
    );
}
