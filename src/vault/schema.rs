//! The schema: one list of migrations, each in SQLite's and PostgreSQL's
//! words, applied forward on open. An SQLite file keeps its version in
//! `PRAGMA user_version`, a PostgreSQL vault in its `meta` table
//! (`schema_version`). A vault from a newer tokvault is refused and never
//! altered.

use super::sqlite::sqlite_error;
use crate::error;
use anyhow::Result;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// "tkvt": marks the SQLite file as a tokvault vault.
const APPLICATION_ID: i32 = 0x746b_7674;

/// One step of the schema, in each store's dialect: applied in order, from
/// the version a vault has to the one this tokvault writes, by SQLite and
/// PostgreSQL alike. Migration N takes the schema from version N to N+1.
pub struct Migration {
    pub sqlite: &'static str,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub postgres: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    // 1: credentials and the key check.
    Migration {
        sqlite: "CREATE TABLE meta (
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
        postgres: r#"CREATE TABLE meta (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE credentials (
            id            BIGSERIAL PRIMARY KEY,
            "user"        TEXT NOT NULL,
            integration   TEXT NOT NULL,
            provider      TEXT NOT NULL,
            token_type    TEXT NOT NULL,
            scopes        TEXT NOT NULL,
            expires_at    BIGINT,
            created_at    BIGINT NOT NULL,
            updated_at    BIGINT NOT NULL,
            oauth2_client BIGINT,
            sealed        TEXT NOT NULL,
            UNIQUE ("user", integration)
        );"#,
    },
    // 2: OAuth2 clients, pending authorizations (PKCE verifiers), and the
    // grant a credential is renewed with when it has no refresh token.
    Migration {
        sqlite: "CREATE TABLE oauth2_clients (
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
        postgres: "CREATE TABLE oauth2_clients (
            id           BIGINT PRIMARY KEY,
            name         TEXT NOT NULL UNIQUE,
            provider     TEXT,
            token_url    TEXT NOT NULL,
            auth_url     TEXT,
            device_url   TEXT,
            client_id    TEXT NOT NULL,
            auth_method  TEXT NOT NULL,
            redirect_uri TEXT,
            scopes       TEXT NOT NULL,
            created_at   BIGINT NOT NULL,
            updated_at   BIGINT NOT NULL,
            sealed       TEXT NOT NULL
        );
        CREATE TABLE pending_authorizations (
            state        TEXT PRIMARY KEY,
            client       BIGINT NOT NULL,
            redirect_uri TEXT,
            expires_at   BIGINT NOT NULL,
            sealed       TEXT NOT NULL
        );
        ALTER TABLE credentials ADD COLUMN renew_grant TEXT;",
    },
    // 3: a write counter per row, sealed with its blob (rows from before
    // keep 0 and their older seal until the vault is next written); a
    // client's issuer, for RFC 9207's check of authorization responses; the
    // hosts the git and docker credential helpers answer for.
    Migration {
        sqlite: "ALTER TABLE credentials ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
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
        postgres: r#"ALTER TABLE credentials ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE oauth2_clients ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE oauth2_clients ADD COLUMN issuer TEXT;
        ALTER TABLE oauth2_clients ADD COLUMN iss_required BIGINT NOT NULL DEFAULT 0;
        CREATE TABLE routes (
            kind        TEXT NOT NULL,
            pattern     TEXT NOT NULL,
            "user"      TEXT NOT NULL,
            credential  TEXT NOT NULL,
            username    TEXT NOT NULL,
            sealed      TEXT NOT NULL,
            PRIMARY KEY (kind, pattern)
        );"#,
    },
    // 4: the audit log: one row each time a secret leaves the vault or a
    // credential changes, numbered. Each row's digest covers the one before
    // it and its own columns, and `mac` seals that digest with a key derived
    // from the master key, so an edited, removed or reordered row shows (see
    // `vault::audit`). Who asked (uid, process, host, client) is one JSON
    // object; `detail` says what a prune removed. Clients learn where their
    // tokens are revoked and when their secret expires; a credential when
    // `revoke` revoked it.
    Migration {
        sqlite: "CREATE TABLE audit (
            seq         INTEGER PRIMARY KEY,
            at          INTEGER NOT NULL,
            operation   TEXT NOT NULL,
            user        TEXT,
            credential  TEXT,
            outcome     TEXT NOT NULL,
            exit_code   INTEGER,
            who         TEXT NOT NULL,
            detail      TEXT,
            digest      TEXT NOT NULL,
            mac         TEXT NOT NULL
        ) STRICT;
        ALTER TABLE oauth2_clients ADD COLUMN revocation_url TEXT;
        ALTER TABLE oauth2_clients ADD COLUMN secret_expires_at INTEGER;
        ALTER TABLE credentials ADD COLUMN revoked_at INTEGER;",
        postgres: r#"CREATE TABLE audit (
            seq         BIGINT PRIMARY KEY,
            at          BIGINT NOT NULL,
            operation   TEXT NOT NULL,
            "user"      TEXT,
            credential  TEXT,
            outcome     TEXT NOT NULL,
            exit_code   BIGINT,
            who         TEXT NOT NULL,
            detail      TEXT,
            digest      TEXT NOT NULL,
            mac         TEXT NOT NULL
        );
        ALTER TABLE oauth2_clients ADD COLUMN revocation_url TEXT;
        ALTER TABLE oauth2_clients ADD COLUMN secret_expires_at BIGINT;
        ALTER TABLE credentials ADD COLUMN revoked_at BIGINT;"#,
    },
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
        tx.execute_batch(migration.sqlite).map_err(sql)?;
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
