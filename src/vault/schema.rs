//! The schema, versioned with `PRAGMA user_version` and migrated forward on
//! open. A vault from a newer tokvault is refused and never altered.

use super::sqlite_error;
use crate::error;
use anyhow::Result;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// "tkvt": marks the SQLite file as a tokvault vault.
const APPLICATION_ID: i32 = 0x746b_7674;

/// Migration N takes the schema from version N to N+1.
const MIGRATIONS: &[&str] = &[
    // 1: credentials and the key check.
    "CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;
    CREATE TABLE credentials (
        id           INTEGER PRIMARY KEY,
        user         TEXT NOT NULL,
        integration  TEXT NOT NULL,
        provider     TEXT NOT NULL,
        token_type   TEXT NOT NULL,
        scopes       TEXT NOT NULL,
        expires_at   INTEGER,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        oauth2_client INTEGER,
        sealed       TEXT NOT NULL,
        UNIQUE (user, integration)
    ) STRICT;",
    // 2: OAuth2 clients, pending authorizations (PKCE verifiers), and the
    // grant a credential is renewed with when it has no refresh token.
    "CREATE TABLE oauth2_clients (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE,
        provider     TEXT,
        token_url    TEXT NOT NULL,
        auth_url     TEXT,
        device_url   TEXT,
        client_id    TEXT NOT NULL,
        auth_method  TEXT NOT NULL,
        redirect_uri TEXT,
        scopes       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        sealed       TEXT NOT NULL
    ) STRICT;
    CREATE TABLE pending_authorizations (
        state        TEXT PRIMARY KEY,
        client       INTEGER NOT NULL,
        redirect_uri TEXT,
        expires_at   INTEGER NOT NULL,
        sealed       TEXT NOT NULL
    ) STRICT;
    ALTER TABLE credentials ADD COLUMN renew_grant TEXT;",
    // 3: a write counter per row, sealed with its blob (rows from before
    // keep 0 and their older seal until the vault is next written); a
    // client's issuer, for RFC 9207's check of authorization responses; the
    // hosts the git and docker credential helpers answer for.
    "ALTER TABLE credentials ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE oauth2_clients ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE oauth2_clients ADD COLUMN issuer TEXT;
    ALTER TABLE oauth2_clients ADD COLUMN iss_required INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE routes (
        kind        TEXT NOT NULL,
        pattern     TEXT NOT NULL,
        user        TEXT NOT NULL,
        credential  TEXT NOT NULL,
        username    TEXT NOT NULL,
        sealed      TEXT NOT NULL,
        PRIMARY KEY (kind, pattern)
    ) STRICT;",
];

pub const CURRENT: i64 = MIGRATIONS.len() as i64;

fn versions(conn: &Connection) -> rusqlite::Result<(i32, i64)> {
    conn.query_row(
        "SELECT a.application_id, v.user_version
         FROM pragma_application_id AS a, pragma_user_version AS v",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn ensure_current(conn: &mut Connection, path: &Path) -> Result<()> {
    let sql = |e| sqlite_error(e, path);
    let (app_id, version) = versions(conn).map_err(sql)?;
    if app_id == APPLICATION_ID && version == CURRENT {
        return Ok(());
    }
    check_ours(conn, path, app_id, version)?;
    if version == 0 {
        // Persistent, and must be set outside a transaction: readers then
        // never wait for a writer.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    // Another process may have migrated while we waited for the lock.
    let (app_id, version) = versions(&tx).map_err(sql)?;
    check_ours(&tx, path, app_id, version)?;
    for migration in &MIGRATIONS[version as usize..] {
        tx.execute_batch(migration).map_err(sql)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql)?;
    tx.pragma_update(None, "user_version", CURRENT)
        .map_err(sql)?;
    tx.commit().map_err(sql)
}

/// For a vault opened read-only: it must be ours and current, since it
/// cannot be migrated.
pub fn check_current(conn: &Connection, path: &Path) -> Result<()> {
    let (app_id, version) = versions(conn).map_err(|e| sqlite_error(e, path))?;
    check_ours(conn, path, app_id, version)?;
    if version != CURRENT {
        return Err(error::vault(format!(
            "the vault {} needs upgrading to schema {CURRENT}, but this user cannot write it",
            path.display()
        )));
    }
    Ok(())
}

fn check_ours(conn: &Connection, path: &Path, app_id: i32, version: i64) -> Result<()> {
    if version > CURRENT {
        return Err(error::vault(format!(
            "the vault {} was written by a newer tokvault (schema {version}; this one knows up to {CURRENT}); \
             upgrade tokvault to use it",
            path.display()
        )));
    }
    let empty = || -> Result<bool> {
        conn.query_row("SELECT count(*) = 0 FROM sqlite_schema", [], |r| r.get(0))
            .map_err(|e| sqlite_error(e, path))
    };
    if app_id != APPLICATION_ID && !(app_id == 0 && version == 0 && empty()?) {
        return Err(error::vault(format!(
            "{} is an SQLite database but not a tokvault vault; refusing to touch it",
            path.display()
        )));
    }
    // Ours, yet claiming no schema while holding tables: its version was
    // reset, and migrating again would fail half-way.
    if app_id == APPLICATION_ID && version == 0 && !empty()? {
        return Err(error::vault(format!(
            "the vault {} is damaged: its schema version was reset to 0; restore it from a backup",
            path.display()
        )));
    }
    Ok(())
}
