//! Every bad input gets a one-line error, its documented exit code, and
//! leaves the vault byte-for-byte as it was.

use crate::common::{Home, new_key, refused, sql};
use rusqlite::Connection;

/// A vault holding two credentials, and its bytes.
#[test]
fn a_malformed_key() {
    let home = Home::with_two();
    for args in [
        &["get", "openai"][..],
        &["store", "openai", "--secret", "-"],
    ] {
        refused(
            &home,
            args,
            &[("TOKVAULT_KEY", "not-a-key")],
            "x",
            7,
            "TOKVAULT_KEY is not a valid Fernet key",
        );
    }
    let file = home.path().join("bad.key");
    crate::common::write_private(&file, "short");
    refused(
        &home,
        &["get", "openai", "--key-file", file.to_str().unwrap()],
        &[],
        "",
        7,
        "is not a valid Fernet key",
    );
}

#[test]
fn a_wrong_key() {
    let home = Home::with_two();
    let key = new_key();
    for args in [
        &["get", "openai"][..],
        &["store", "openai", "--secret", "-"],
        &["store", "new", "--provider", "google", "--secret", "-"],
    ] {
        refused(
            &home,
            args,
            &[("TOKVAULT_KEY", &key)],
            "x",
            7,
            "wrong master key",
        );
    }
}

#[test]
fn a_missing_key_file_for_a_vault_that_has_a_key() {
    let home = Home::with_two();
    std::fs::remove_file(home.key_file()).unwrap();
    refused(&home, &["get", "openai"], &[], "", 7, "no master key");
    refused(
        &home,
        &["store", "openai", "--secret", "-"],
        &[],
        "x",
        7,
        "no master key",
    );
    assert!(
        !home.key_file().exists(),
        "a new key must not be made for a keyed vault"
    );
    let missing = home.path().join("nope.key");
    refused(
        &home,
        &["get", "openai", "--key-file", missing.to_str().unwrap()],
        &[],
        "",
        7,
        "does not exist",
    );
}

#[test]
fn a_truncated_vault() {
    let home = Home::with_two();
    let bytes = std::fs::read(home.db()).unwrap();
    std::fs::write(home.db(), &bytes[..bytes.len() / 2]).unwrap();
    for args in [
        &["get", "openai"][..],
        &["list"],
        &["store", "openai", "--secret", "-"],
        &["delete", "openai", "--yes"],
    ] {
        refused(&home, args, &[], "x", 8, "truncated");
    }
    std::fs::write(home.db(), &bytes[..50]).unwrap();
    refused(&home, &["get", "openai"], &[], "", 8, "damaged");
    std::fs::write(home.db(), b"").unwrap();
    refused(
        &home,
        &["store", "openai", "--secret", "-"],
        &[],
        "x",
        8,
        "empty",
    );
}

#[test]
fn a_file_that_is_not_a_vault() {
    let home = Home::with_two();
    std::fs::write(home.db(), vec![b'x'; 4096]).unwrap();
    refused(&home, &["list"], &[], "", 8, "not a tokvault vault");

    let other = Home::new();
    std::fs::create_dir_all(other.db().parent().unwrap()).unwrap();
    let conn = Connection::open(other.db()).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    drop(conn);
    refused(
        &other,
        &["store", "openai", "--secret", "-"],
        &[],
        "x",
        8,
        "not a tokvault vault",
    );
}

#[test]
fn a_vault_from_a_newer_tokvault() {
    let home = Home::with_two();
    sql(&home, "PRAGMA user_version = 99;");
    for args in [
        &["get", "openai"][..],
        &["list"],
        &["store", "openai", "--secret", "-"],
    ] {
        refused(&home, args, &[], "x", 8, "newer tokvault");
    }
}

#[test]
fn an_edited_ciphertext() {
    let home = Home::with_two();
    // Flip one character in the middle of the blob.
    sql(
        &home,
        "UPDATE credentials SET sealed = substr(sealed, 1, 40) ||
             (CASE substr(sealed, 41, 1) WHEN 'A' THEN 'B' ELSE 'A' END) || substr(sealed, 42)
         WHERE integration = 'openai';",
    );
    refused(&home, &["get", "openai"], &[], "", 8, "tampered");
    assert_eq!(home.get("anthropic"), "SECRET-two\n");
}

#[test]
fn ciphertexts_swapped_between_rows() {
    let home = Home::with_two();
    sql(
        &home,
        "CREATE TEMP TABLE old AS SELECT integration, sealed FROM credentials;
         UPDATE credentials SET sealed = (SELECT sealed FROM old WHERE old.integration =
             CASE credentials.integration WHEN 'openai' THEN 'anthropic' ELSE 'openai' END);",
    );
    refused(&home, &["get", "openai"], &[], "", 8, "tampered");
    refused(
        &home,
        &["get", "anthropic"],
        &[],
        "",
        8,
        "belongs to another row",
    );
}

#[test]
fn edited_metadata_is_caught_too() {
    let home = Home::with_two();
    sql(
        &home,
        "UPDATE credentials SET expires_at = 4102444800 WHERE integration = 'openai';",
    );
    refused(&home, &["get", "openai"], &[], "", 8, "tampered");
}

#[test]
fn malformed_from_json() {
    let home = Home::with_two();
    let cases = [
        ("{\"access_token\": ", "not valid JSON"),
        (
            "<html><body>502 Bad Gateway</body></html>",
            "not valid JSON",
        ),
        ("[1,2]", "expected a JSON object"),
        (
            r#"{"error":"invalid_grant","error_description":"Bad code"}"#,
            "error response",
        ),
        (r#"{"token_type":"Bearer"}"#, "holds no access_token"),
        (r#"{"access_token":"a","expires_in":"soon"}"#, "expires_in"),
        (r#"{"access_token": 27182818284}"#, "(value hidden)"),
        ("", "input is empty"),
    ];
    for (input, message) in cases {
        refused(
            &home,
            &["store", "openai", "--type", "api_key", "--from-json", "-"],
            &[],
            input,
            2,
            message,
        );
        refused(
            &home,
            &["store", "google", "--from-json", "-"],
            &[],
            input,
            2,
            message,
        );
    }
}

#[test]
fn bad_flags_and_names() {
    let home = Home::with_two();
    refused(
        &home,
        &[
            "store",
            "gl",
            "--provider",
            "gitlab",
            "--type",
            "oauth2",
            "--refresh-token",
            "-",
        ],
        &[],
        "x",
        2,
        "not a preset or an OAuth2 client",
    );
    refused(
        &home,
        &["store", "openai", "--type", "oauth2", "--secret", "-"],
        &[],
        "x",
        2,
        "API keys only",
    );
    refused(
        &home,
        &[
            "store",
            "gh",
            "--provider",
            "github",
            "--expires-at",
            "tomorrow",
            "--secret",
            "-",
        ],
        &[],
        "x",
        2,
        "RFC 3339",
    );
    refused(
        &home,
        &[
            "store",
            "gh",
            "--provider",
            "github",
            "--secret",
            "-",
            "--refresh-token",
            "-",
        ],
        &[],
        "x",
        2,
        "at most one input",
    );
    refused(
        &home,
        &[
            "store",
            "gh",
            "--provider",
            "github",
            "--type",
            "bearer",
            "--secret",
            "-",
        ],
        &[],
        "x",
        2,
        "invalid value",
    );
    refused(&home, &["get", "nope"], &[], "", 3, "no credential 'nope'");
    refused(
        &home,
        &["delete", "nope", "--yes"],
        &[],
        "",
        3,
        "no credential 'nope'",
    );
    refused(
        &home,
        &["get", "openai", "--user", "eve"],
        &[],
        "",
        3,
        "for user 'eve'",
    );
}

#[test]
fn no_prompt_without_a_terminal() {
    let home = Home::with_two();
    refused(&home, &["delete", "openai"], &[], "", 2, "pass --yes");
    refused(
        &home,
        &["delete", "openai", "--no-input"],
        &[],
        "",
        2,
        "--no-input",
    );
    refused(
        &home,
        &["store", "gh", "--provider", "github"],
        &[],
        "",
        2,
        "pass --secret -",
    );
    refused(
        &home,
        &["store", "gh", "--provider", "github", "--no-input"],
        &[],
        "",
        2,
        "--no-input was given",
    );
    refused(
        &home,
        &["store", "gh", "--provider", "github"],
        &[("CI", "true")],
        "",
        2,
        "CI=true",
    );
}
