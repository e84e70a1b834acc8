//! The encrypted store: an SQLite file, or a schema in a PostgreSQL database
//! (`pg`, with the postgres feature). It never prints and never prompts.
//! Every statement goes through `sql::Sql`, so sealing, versions and
//! bindings are one code for both.
//!
//! Metadata (provider, type, scopes, expiry, timestamps) is plain so that
//! `list` needs no key; every secret is a sealed blob bound to its row
//! (see `seal`).

mod audit;
mod backend;
mod clients;
mod credentials;
mod file;
mod lock;
#[cfg(feature = "postgres")]
mod pg;
mod rekey;
mod routes;
mod schema;
mod seal;
mod sql;
mod sqlite;

pub use audit::{
    Entry as AuditEntry, Event as AuditEvent, Filter as AuditFilter, Verified as AuditVerified,
};
use backend::Backend;
pub use clients::{Client, ClientSecrets, client_not_found};
pub use credentials::{CredentialMeta, NewCredential};
pub use lock::{CredentialLock, VaultLock, Waiting};
pub use routes::{Route, RouteKind, git_pattern, git_username};
use seal::KeyCheck;
pub use seal::Sealer;
use sql::{Row, Sql, Val};

use crate::error;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Where a vault is: `--db` (or the default path) parsed once.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    /// A PostgreSQL URL, scheme in lower case. It may hold a password, so
    /// it is shown only through `shown`.
    Database(String),
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Location {
    /// `--db` as given, checked once: a PostgreSQL URL with its scheme in
    /// lower case (schemes are case-insensitive, RFC 3986 §3.1), a file
    /// path, or a usage error for what looks like a URL tokvault does not
    /// serve (`mysql://`, `postgres:host/db`), which must never become a
    /// file named after it. The error never repeats the text: it may hold
    /// a password.
    pub fn parse(db: &Path) -> Result<Location> {
        let file = || Ok(Location::File(db.to_owned()));
        let Some(text) = db.to_str() else {
            return file();
        };
        let Some((scheme, rest)) = text.trim_start().split_once(':') else {
            return file();
        };
        let is_scheme = !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        let postgres = ["postgres", "postgresql"]
            .iter()
            .any(|p| scheme.eq_ignore_ascii_case(p));
        const SHAPE: &str = "a database URL is postgres://[user[:password]@]host[:port]/database \
                             (not shown here: it may hold a password)";
        match (postgres, rest.starts_with("//")) {
            (true, true) if text.starts_with(char::is_whitespace) => Err(error::usage(format!(
                "--db / TOKVAULT_DB: {SHAPE}, with nothing before it"
            ))),
            (true, true) => Ok(Location::Database(format!(
                "{}:{rest}",
                scheme.to_ascii_lowercase()
            ))),
            (true, false) => Err(error::usage(format!("--db / TOKVAULT_DB: {SHAPE}"))),
            (false, true) if is_scheme => Err(error::usage(format!(
                "--db / TOKVAULT_DB: only PostgreSQL URLs are served ({SHAPE}), or a file path"
            ))),
            _ => file(),
        }
    }

    /// The file, for a vault that is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Database(_) => None,
        }
    }

    /// As messages show it: a database URL without its password.
    pub fn shown(&self) -> String {
        let url = match self {
            Location::File(path) => return path.display().to_string(),
            Location::Database(url) => url,
        };
        // The driver reads credentials up to the first `@`, whatever
        // precedes it (a password may hold `/` or `?`); one more `@` may
        // belong to the password too. So from the first `:` before the
        // first `@` up to the last `@`, all goes.
        let url = match url.split_once("://") {
            Some((scheme, rest)) => match (rest.split_once('@'), rest.rsplit_once('@')) {
                (Some((auth, _)), Some((_, host))) if auth.contains(':') => {
                    format!("{scheme}://{}@{host}", auth.split(':').next().unwrap_or(""))
                }
                _ => url.to_string(),
            },
            None => url.to_string(),
        };
        // A password may also come as a query parameter.
        let without = match url.split_once('?') {
            Some((base, query)) => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                    .collect();
                if kept.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
            None => url,
        };
        crate::text::clean(&without, 300)
    }
}

pub struct Vault {
    store: Box<dyn Backend>,
    /// The file, or the database without its password: for messages.
    shown: String,
}

impl Vault {
    /// Opens an existing vault; `Ok(None)` when there is none yet, so read
    /// commands never create one.
    pub fn open_existing(location: &Location) -> Result<Option<Vault>> {
        let shown = location.shown();
        let store: Option<Box<dyn Backend>> = match location {
            Location::File(path) => {
                sqlite::SqliteStore::open_existing(path)?.map(|s| Box::new(s) as _)
            }
            Location::Database(url) => open_database(url, false)?,
        };
        Ok(store.map(|store| Vault { store, shown }))
    }

    /// Opens the vault, creating it first (a file 0600 in a 0700
    /// directory, or a database's schema).
    pub fn open_or_create(location: &Location) -> Result<Vault> {
        let store: Box<dyn Backend> = match location {
            Location::File(path) => Box::new(sqlite::SqliteStore::open_or_create(path)?),
            Location::Database(url) => open_database(url, true)?
                .ok_or_else(|| anyhow::anyhow!("the vault database was not created"))?,
        };
        Ok(Vault {
            store,
            shown: location.shown(),
        })
    }

    /// The file, or the database without its password: for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether this process may only read the vault.
    pub fn read_only(&self) -> bool {
        self.store.read_only()
    }

    /// Whether the connection to a database vault was lost (the server
    /// restarted, the network dropped): the locks held through it are gone
    /// too. Never for a file.
    pub fn connection_lost(&self) -> bool {
        self.store.connection_lost()
    }

    /// Connects again after `connection_lost`.
    pub fn reconnect(&mut self) -> Result<()> {
        self.store.reconnect()
    }

    /// Runs `f` inside a write transaction taken before it starts, so that
    /// what it reads cannot change under it (BEGIN IMMEDIATE).
    pub fn write<T>(&mut self, f: impl FnOnce(&WriteTx<'_>) -> Result<T>) -> Result<T> {
        let shown = self.shown.as_str();
        let mut f = Some(f);
        let mut out = None;
        self.store.write(&mut |db| {
            let f = f.take().expect("a transaction runs its work once");
            out = Some(f(&WriteTx(Tx { db, shown }))?);
            Ok(())
        })?;
        Ok(out.expect("committed"))
    }

    /// `write` for what may be lost in a power cut but never torn (see
    /// `Backend::append`).
    pub fn append(&mut self, f: impl FnOnce(&WriteTx<'_>) -> Result<()>) -> Result<()> {
        let shown = self.shown.as_str();
        let mut f = Some(f);
        self.store.append(&mut |db| {
            let f = f.take().expect("a transaction runs its work once");
            f(&WriteTx(Tx { db, shown }))
        })
    }

    /// A read-only view without a transaction of its own (one statement each).
    pub fn read(&self) -> Tx<'_> {
        Tx {
            db: self.store.sql(),
            shown: &self.shown,
        }
    }
}

/// The backend of a database vault: the one place the postgres feature
/// decides anything outside its module.
#[cfg(feature = "postgres")]
fn open_database(url: &str, create: bool) -> Result<Option<Box<dyn Backend>>> {
    let location = pg::Location::parse(url)?;
    Ok(pg::PgStore::open(location, create)?.map(|s| Box::new(s) as _))
}

#[cfg(not(feature = "postgres"))]
fn open_database(_: &str, _: bool) -> Result<Option<Box<dyn Backend>>> {
    Err(error::usage(
        "this tokvault was built without PostgreSQL support (cargo feature \"postgres\")",
    ))
}

/// A view that reads: `Vault::read` gives one outside any transaction
/// (each statement on its own), `Vault::write` one inside its transaction.
pub struct Tx<'a> {
    db: &'a dyn Sql,
    shown: &'a str,
}

/// Reads and writes inside one write transaction. Only `Vault::write` makes
/// one, so a read view can never write.
pub struct WriteTx<'a>(Tx<'a>);

impl<'a> std::ops::Deref for WriteTx<'a> {
    type Target = Tx<'a>;
    fn deref(&self) -> &Tx<'a> {
        &self.0
    }
}

impl<'a> Tx<'a> {
    /// Every row `sql` returns.
    fn query(&self, sql: &str, params: &[Val]) -> Result<Vec<Row<'a>>> {
        let mut rows = Vec::new();
        self.each(sql, params, |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

    /// Each row `sql` returns, one at a time (see `Sql::each`).
    fn each(
        &self,
        sql: &str,
        params: &[Val],
        mut f: impl FnMut(Row<'a>) -> Result<()>,
    ) -> Result<()> {
        let shown = self.shown;
        self.db
            .each(sql, params, &mut |values| f(Row { values, shown }))
    }

    /// The first row `sql` returns, if any.
    fn query_one(&self, sql: &str, params: &[Val]) -> Result<Option<Row<'a>>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Which key check `sealer` opens, or the wrong-key error, carrying
    /// what the vault records of the key file that opens it.
    fn verify(&self, sealer: &Sealer, check: &str) -> Result<KeyCheck> {
        sealer.verify_key_check(check).ok_or_else(|| {
            let recorded = self.key_file_hint().ok().flatten();
            error::Error::WrongKey(error::WrongKey {
                vault: self.shown.to_string(),
                recorded: recorded.map(|file| (PathBuf::from(file), check.to_string())),
            })
            .into()
        })
    }

    /// Whether a version-0 row may carry the older seal: only while the key
    /// check says the vault was never written since versions came.
    fn legacy_seals_allowed(&self, sealer: &Sealer) -> Result<bool> {
        match self.meta("key_check")? {
            Some(check) => Ok(self.verify(sealer, &check)? == KeyCheck::Legacy),
            None => Ok(false),
        }
    }

    /// Whether this vault has a key: a key check, or any sealed row (whose
    /// key check was then removed). Such a vault never gets a new key.
    pub fn has_key(&self) -> Result<bool> {
        Ok(self.meta("key_check")?.is_some() || self.has_rows()?)
    }

    fn has_rows(&self) -> Result<bool> {
        let row = self.query_one(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM credentials)
                 OR EXISTS (SELECT 1 FROM oauth2_clients) THEN 1 ELSE 0 END",
            &[],
        )?;
        row.map_or(Ok(false), |r| r.flag(0))
    }

    fn missing_key_check(&self, what: &str) -> anyhow::Error {
        error::vault(format!(
            "{what}: the vault {} has encrypted data but no key check; it has been tampered with",
            self.shown
        ))
    }

    /// Turns a failure to open a sealed blob into "wrong key" or "tampered":
    /// if the key opens the vault's key check, the blob itself is bad.
    pub fn diagnose(&self, sealer: &Sealer, what: &str) -> anyhow::Error {
        match self.meta("key_check") {
            Ok(Some(check)) => match self.verify(sealer, &check) {
                Ok(_) => error::vault(format!(
                    "{what}: its encrypted data fails authentication or belongs to another row; \
                     the vault {} has been tampered with",
                    self.shown
                )),
                Err(e) => e,
            },
            Ok(None) => self.missing_key_check(what),
            Err(e) => e,
        }
    }

    pub fn shown(&self) -> &str {
        self.shown
    }

    /// The key-check blob: the vault's key opens it.
    pub fn key_check(&self) -> Result<Option<String>> {
        self.meta("key_check")
    }

    pub fn key_file_hint(&self) -> Result<Option<String>> {
        self.meta("key_file")
    }

    fn meta(&self, name: &str) -> Result<Option<String>> {
        self.query_one("SELECT value FROM meta WHERE name = ?1", &[name.into()])?
            .map(|r| r.text(0))
            .transpose()
    }
}

impl WriteTx<'_> {
    /// Runs a statement that returns no rows; how many rows it changed.
    fn run(&self, sql: &str, params: &[Val]) -> Result<u64> {
        self.db.execute(sql, params)
    }

    /// The sealer for this vault's key: checks the key against the vault's
    /// key-check blob, or records one when the vault has never held a
    /// secret. Rows still sealed the pre-version way are sealed anew here,
    /// inside the caller's transaction, so every write leaves a vault with
    /// one kind of seal.
    pub fn sealer_for_write(&self, key: crate::key::MasterKey) -> Result<Sealer> {
        let sealer = Sealer::new(key);
        match self.meta("key_check")? {
            Some(check) => {
                if self.verify(&sealer, &check)? == KeyCheck::Legacy {
                    self.upgrade_seals(&sealer)?;
                }
            }
            None if self.has_rows()? => return Err(self.missing_key_check("the vault")),
            None => self.set_meta("key_check", &sealer.key_check())?,
        }
        Ok(sealer)
    }

    /// Seals every version-0 row with its version and all its columns, and
    /// marks the vault so that older seals are refused from then on.
    fn upgrade_seals(&self, sealer: &Sealer) -> Result<()> {
        for (mut meta, sealed) in self.sealed_credentials(None)? {
            if meta.version == 0 {
                let data = self.unseal(sealer, &meta, &sealed)?;
                meta.version = 1;
                self.reseal(sealer, &meta, &data)?;
            }
        }
        for (mut client, sealed) in self.all_clients()? {
            if client.version == 0 {
                let secrets = self.unseal_client(sealer, &client, &sealed)?;
                client.version = 1;
                self.reseal_client(sealer, &client, &secrets)?;
            }
        }
        self.set_meta("key_check", &sealer.key_check())
    }

    /// Remembers the key file tokvault wrote this vault's key to, so a
    /// wrong-key error can name it. A path, never a secret.
    pub fn set_key_file_hint(&self, path: &Path) -> Result<()> {
        self.set_meta("key_file", &path.to_string_lossy())
    }

    fn set_meta(&self, name: &str, value: &str) -> Result<()> {
        self.run(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &[name.into(), value.into()],
        )?;
        Ok(())
    }
}
