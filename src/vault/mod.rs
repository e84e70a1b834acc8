//! The encrypted store: an SQLite file, or a schema in a PostgreSQL database
//! (`pg`, with the postgres feature). It never prints and never prompts.
//! Every statement goes through `sql::Sql`, so sealing, versions and
//! bindings are one code for both.
//!
//! Metadata (provider, type, scopes, expiry, timestamps) is plain so that
//! `list` needs no key; every secret is a sealed blob bound to its row
//! (see `seal`).

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

pub use clients::{Client, ClientSecrets, client_not_found};
pub use credentials::{CredentialMeta, NewCredential};
pub use lock::{CredentialLock, VaultLock, Waiting};
pub use routes::{Route, RouteKind};
use seal::KeyCheck;
pub use seal::Sealer;
use sql::{Row, Sql, SqlError, Val};

use crate::error;
use anyhow::Result;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a process waits for another one's write lock before giving up.
/// A refresh holds it for one round trip to a token endpoint.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// The database a vault lives in.
enum Store {
    Sqlite(Connection),
    #[cfg(feature = "postgres")]
    Pg(Box<pg::PgStore>),
}

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
    store: Store,
    /// The file, or the database URL without its password: for messages.
    path: PathBuf,
    /// This process may not write the file or its directory: reads work,
    /// writes are refused with a clear message.
    read_only: bool,
}

impl Vault {
    /// Opens an existing vault; `Ok(None)` when there is no file yet, so read
    /// commands never create one.
    pub fn open_existing(location: &Location) -> Result<Option<Vault>> {
        let path = match location {
            Location::Database(url) => return Self::open_remote(url, false),
            Location::File(path) => path,
        };
        if !file::exists(path)? {
            file::remove_stale_temporaries(path);
            return Ok(None);
        }
        Self::open_file(path).map(Some)
    }

    /// Opens the vault, creating the file (0600, in a 0700 directory) first.
    pub fn open_or_create(location: &Location) -> Result<Vault> {
        let path = match location {
            Location::Database(url) => {
                return Self::open_remote(url, true)?
                    .ok_or_else(|| anyhow::anyhow!("the vault database was not created"));
            }
            Location::File(path) => path,
        };
        file::create_if_missing(path, |tmp| {
            let mut conn = Connection::open(tmp).map_err(|e| sqlite_error(e, path))?;
            schema::ensure_current(&mut conn, path)
        })?;
        Self::open_file(path)
    }

    #[cfg(feature = "postgres")]
    fn open_remote(url: &str, create: bool) -> Result<Option<Vault>> {
        let location = pg::Location::parse(url)?;
        let shown = PathBuf::from(&location.shown);
        Ok(pg::PgStore::open(location, create)?.map(|store| Vault {
            store: Store::Pg(Box::new(store)),
            path: shown,
            read_only: false,
        }))
    }

    #[cfg(not(feature = "postgres"))]
    fn open_remote(_: &str, _: bool) -> Result<Option<Vault>> {
        Err(error::usage(
            "this tokvault was built without PostgreSQL support (cargo feature \"postgres\")",
        ))
    }

    fn open_file(path: &Path) -> Result<Vault> {
        file::check_header(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::harden::warn_if_others_write(dir);
        }
        // SQLite in WAL mode must create files beside the vault even to read
        // it; where it cannot, the file is opened as immutable instead.
        let read_only = !file::writable(path);
        let conn = if read_only {
            Connection::open_with_flags(
                file::immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        }
        .map_err(|e| sqlite_error(e, path))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sqlite_error(e, path))?;
        let mut conn = conn;
        if read_only {
            schema::check_current(&conn, path)?;
        } else {
            schema::ensure_current(&mut conn, path)?;
        }
        Ok(Vault {
            store: Store::Sqlite(conn),
            path: path.to_owned(),
            read_only,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the connection to a database vault was lost (the server
    /// restarted, the network dropped): the locks held through it are gone
    /// too. Never for a file.
    pub fn connection_lost(&self) -> bool {
        match &self.store {
            Store::Sqlite(_) => false,
            #[cfg(feature = "postgres")]
            Store::Pg(store) => store.client.borrow().is_closed(),
        }
    }

    /// Connects again after `connection_lost`.
    pub fn reconnect(&mut self) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let Store::Pg(store) = &self.store {
            let fresh = pg::PgStore::open(store.location.clone(), false)?.ok_or_else(|| {
                error::vault(format!("the vault {} is gone", self.path.display()))
            })?;
            self.store = Store::Pg(Box::new(fresh));
        }
        Ok(())
    }

    /// Runs `f` inside a write transaction taken before it starts, so that
    /// what it reads cannot change under it (BEGIN IMMEDIATE).
    pub fn write<T>(&mut self, f: impl FnOnce(&WriteTx<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        if self.read_only {
            return Err(anyhow::anyhow!(
                "the vault {} is read-only here (this user cannot write it or its directory), \
                 and this command needs to write it",
                path.display()
            ));
        }
        match &mut self.store {
            Store::Sqlite(conn) => {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|e| sqlite_error(e, &path))?;
                let value = f(&WriteTx(Tx {
                    db: &*tx,
                    path: &path,
                }))?;
                tx.commit().map_err(|e| sqlite_error(e, &path))?;
                Ok(value)
            }
            #[cfg(feature = "postgres")]
            Store::Pg(store) => {
                let store: &pg::PgStore = store;
                store.write(|| {
                    f(&WriteTx(Tx {
                        db: store,
                        path: &path,
                    }))
                })
            }
        }
    }

    /// A read-only view without a transaction of its own (one statement each).
    pub fn read(&self) -> Tx<'_> {
        // One arm when built without PostgreSQL.
        #[allow(clippy::infallible_destructuring_match)]
        let db: &dyn Sql = match &self.store {
            Store::Sqlite(conn) => conn,
            #[cfg(feature = "postgres")]
            Store::Pg(store) => &**store,
        };
        Tx {
            db,
            path: &self.path,
        }
    }
}

/// A view that reads: `Vault::read` gives one outside any transaction
/// (each statement on its own), `Vault::write` one inside its transaction.
pub struct Tx<'a> {
    db: &'a dyn Sql,
    path: &'a Path,
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
    fn err(&self, e: SqlError) -> anyhow::Error {
        match e {
            SqlError::Sqlite(e) => sqlite_error(e, self.path),
            #[cfg(feature = "postgres")]
            SqlError::Pg(e) => pg::pg_error(&self.path.display().to_string(), e),
        }
    }

    /// Every row `sql` returns.
    fn query(&self, sql: &str, params: &[Val]) -> Result<Vec<Row<'a>>> {
        let rows = self.db.rows(sql, params).map_err(|e| self.err(e))?;
        let path = self.path;
        Ok(rows
            .into_iter()
            .map(|values| Row { values, path })
            .collect())
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
                vault: self.path.display().to_string(),
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
            self.path.display()
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
                    self.path.display()
                )),
                Err(e) => e,
            },
            Ok(None) => self.missing_key_check(what),
            Err(e) => e,
        }
    }

    pub fn path(&self) -> &Path {
        self.path
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
        self.db.execute(sql, params).map_err(|e| self.err(e))
    }

    /// The sealer for this vault's key: checks the key against the vault's
    /// key-check blob, or records one when the vault has never held a
    /// secret. Rows still sealed the pre-version way are sealed anew here,
    /// inside the caller's transaction, so every write leaves a vault with
    /// one kind of seal.
    pub fn sealer_for_write(&self, key: fernet::Fernet) -> Result<Sealer> {
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
        None if matches!(
            e,
            rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::InvalidColumnType(..)
        ) =>
        {
            error::vault(format!(
                "the vault {shown} is damaged: a column holds a value this tokvault never writes; \
                 restore it from a backup"
            ))
        }
        None if matches!(e, rusqlite::Error::SqlInputError { .. }) => {
            let why = match &e {
                rusqlite::Error::SqlInputError { msg, .. } => crate::text::excerpt(msg),
                _ => String::new(),
            };
            error::vault(format!(
                "the vault {shown} is damaged: its schema is not what this tokvault wrote ({why}); \
                 restore it from a backup"
            ))
        }
        // tokvault's statements are fixed and tested: a generic SQL error
        // ("no such table", "no such column") means the schema was altered.
        Some(Unknown) => error::vault(format!(
            "the vault {shown} is damaged: its schema is not what this tokvault wrote ({}); \
             restore it from a backup",
            crate::text::excerpt(&e.to_string())
        )),
        _ => anyhow::Error::new(e).context(format!("vault {shown}")),
    }
}
