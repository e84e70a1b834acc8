//! A vault made by the previous release (schema 3, before the audit log)
//! migrates to this one's schema on first use, on both backends, and every
//! credential, client and route in it still opens.

use crate::common::Home;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schema3")
        .join(name)
}

/// The release's key file, private as tokvault requires.
fn release_key(home: &Home) -> PathBuf {
    let key = home.path().join("release.key");
    crate::common::write_private(&key, std::fs::read(fixture("key")).unwrap());
    key
}

/// Everything the release stored, read through this one.
fn assert_release_contents(cmd: impl Fn() -> assert_cmd::Command) {
    cmd()
        .args(["get", "api"])
        .assert()
        .success()
        .stdout("sk-old-release\n");
    // Stored an hour before the fixture was made: expired, so read as is.
    cmd()
        .args([
            "get",
            "corp-token",
            "--field",
            "refresh_token",
            "--no-refresh",
            "--allow-expired",
        ])
        .assert()
        .success()
        .stdout("rt-old\n");
    let clients = cmd().args(["oauth2", "list", "--json"]).output().unwrap();
    let clients: serde_json::Value = serde_json::from_slice(&clients.stdout).unwrap();
    assert_eq!(clients[0]["name"], "corp");
    assert_eq!(clients[0]["client_id"], "cid");
    cmd()
        .args(["git-credential", "get"])
        .write_stdin("protocol=https\nhost=github.com\n\n")
        .assert()
        .success()
        .stdout(predicates::str::contains("password=sk-old-release\n"));
}

#[test]
fn a_file_vault_of_the_previous_schema_migrates_on_first_use() {
    let home = Home::new();
    let db = home.path().join("vault.db");
    std::fs::copy(fixture("vault.db"), &db).unwrap();
    let key = release_key(&home);
    let cmd = || {
        let mut c = home.cmd();
        c.arg("--db").arg(&db).arg("--key-file").arg(&key);
        c
    };
    assert_release_contents(cmd);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
    let audit: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, 1, "migration 4 made the audit table");
}

#[cfg(feature = "postgres")]
#[test]
fn a_postgres_vault_of_the_previous_schema_migrates_on_first_use() {
    use crate::common::pg::{Cluster, PASSWORD};
    let Some(pg) = Cluster::start() else { return };
    pg.psql_script(&std::fs::read_to_string(fixture("vault.pg.sql")).unwrap());
    assert_eq!(
        pg.psql(
            "tv",
            "SELECT value FROM tokvault.meta WHERE name = 'schema_version'"
        ),
        "3"
    );
    let home = Home::new();
    let key = release_key(&home);
    let cmd = || {
        let mut c = home.cmd();
        c.env("TOKVAULT_DB", pg.url())
            .env("PGPASSWORD", PASSWORD)
            .arg("--key-file")
            .arg(&key);
        c
    };
    assert_release_contents(cmd);
    assert_eq!(
        pg.psql(
            "tv",
            "SELECT value FROM tokvault.meta WHERE name = 'schema_version'"
        ),
        "4"
    );
    assert_eq!(
        pg.psql(
            "tv",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'tokvault' AND tablename = 'audit'"
        ),
        "1"
    );
    // A second store, written to after the migration: it works as any.
    cmd()
        .args(["store", "new", "--secret", "-"])
        .write_stdin("sk-new")
        .assert()
        .success();
    cmd()
        .args(["get", "new"])
        .assert()
        .success()
        .stdout("sk-new\n");
    pg.stop();
}
