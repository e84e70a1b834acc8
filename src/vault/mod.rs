//! The encrypted SQLite store. It never prints and never prompts.
//!
//! Metadata (provider, type, scopes, expiry, timestamps) is plain so that
//! `list` needs no key; every secret is a sealed blob bound to its row
//! (see `seal`).

mod clients;
mod credentials;
mod file;
mod rekey;
mod schema;
mod seal;

pub use clients::{Client, ClientSecrets, client_not_found};
pub use credentials::{CredentialMeta, NewCredential};
pub use seal::Sealer;

use crate::error;
use anyhow::Result;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a process waits for another one's write lock before giving up.
/// A refresh holds it for one round trip to a token endpoint.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Vault {
    conn: Connection,
    path: PathBuf,
}

impl Vault {
    /// Opens an existing vault; `Ok(None)` when there is no file yet, so read
    /// commands never create one.
    pub fn open_existing(path: &Path) -> Result<Option<Vault>> {
        if !file::exists(path)? {
            return Ok(None);
        }
        Self::open_file(path).map(Some)
    }

    /// Opens the vault, creating the file (0600, in a 0700 directory) first.
    pub fn open_or_create(path: &Path) -> Result<Vault> {
        file::create_if_missing(path, |tmp| {
            let mut conn = Connection::open(tmp).map_err(|e| sqlite_error(e, path))?;
            schema::ensure_current(&mut conn, path)
        })?;
        Self::open_file(path)
    }

    fn open_file(path: &Path) -> Result<Vault> {
        file::check_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sqlite_error(e, path))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_error(e, path))?;
        let mut vault = Vault {
            conn,
            path: path.to_owned(),
        };
        schema::ensure_current(&mut vault.conn, path)?;
        Ok(vault)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside a write transaction taken before it starts, so that
    /// what it reads cannot change under it (BEGIN IMMEDIATE).
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite_error(e, &path))?;
        let value = f(&Tx {
            tx: &tx,
            path: &path,
        })?;
        tx.commit().map_err(|e| sqlite_error(e, &path))?;
        Ok(value)
    }

    /// A read-only view without a transaction of its own (one statement each).
    pub fn read(&self) -> Tx<'_> {
        Tx {
            tx: &self.conn,
            path: &self.path,
        }
    }
}

/// Queries and writes; inside `Vault::write` they share one transaction.
pub struct Tx<'a> {
    tx: &'a Connection,
    path: &'a Path,
}

impl Tx<'_> {
    fn err(&self, e: rusqlite::Error) -> anyhow::Error {
        sqlite_error(e, self.path)
    }

    /// The sealer for this vault's key: checks the key against the vault's
    /// key-check blob, or records one when the vault has none yet.
    pub fn sealer_for_write(&self, key: fernet::Fernet) -> Result<Sealer> {
        let sealer = Sealer::new(key);
        match self.meta("key_check")? {
            Some(check) => sealer.verify_key_check(&check, self.path)?,
            None => self.set_meta("key_check", &sealer.key_check())?,
        }
        Ok(sealer)
    }

    /// Whether this vault has ever had a key (so a missing key file is an
    /// error rather than a reason to make one).
    pub fn has_key(&self) -> Result<bool> {
        Ok(self.meta("key_check")?.is_some())
    }

    /// Turns a failure to open a sealed blob into "wrong key" or "tampered":
    /// if the key opens the vault's key check, the blob itself is bad.
    pub fn diagnose(&self, sealer: &Sealer, what: &str) -> anyhow::Error {
        match self.meta("key_check") {
            Ok(Some(check)) => match sealer.verify_key_check(&check, self.path) {
                Ok(()) => error::vault(format!(
                    "{what}: its encrypted data fails authentication or belongs to another row; \
                     the vault {} has been tampered with",
                    self.path.display()
                )),
                Err(e) => e,
            },
            Ok(None) => error::vault(format!(
                "{what}: the vault {} has encrypted data but no key check; it has been tampered with",
                self.path.display()
            )),
            Err(e) => e,
        }
    }

    fn meta(&self, name: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.tx
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    fn set_meta(&self, name: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO meta (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [name, value],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// Maps SQLite's errors on a damaged file to the vault exit code.
pub(crate) fn sqlite_error(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    use rusqlite::ErrorCode::*;
    let shown = path.display();
    match e.sqlite_error_code() {
        Some(NotADatabase | DatabaseCorrupt) => error::vault(format!(
            "the vault {shown} is damaged ({e}); restore it from a backup"
        )),
        Some(DatabaseBusy | DatabaseLocked) => anyhow::Error::new(e).context(format!(
            "the vault {shown} stayed locked by another process"
        )),
        _ => anyhow::Error::new(e).context(format!("vault {shown}")),
    }
}
