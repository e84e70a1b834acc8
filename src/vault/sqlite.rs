//! The SQLite backend: a vault in one file, written in WAL mode, its
//! write transactions taken with BEGIN IMMEDIATE, and its locks that
//! outlive a transaction kept as lock files beside it (flock(2): the kernel
//! releases them when their holder exits, however it exits).

use super::backend::{Backend, Held, Lock};
use super::lock::Waiting;
use super::sql::{Sql, Val};
use super::{file, schema};
use crate::error;
use anyhow::{Context, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a process waits for another one's write lock before giving up.
/// A refresh holds it for one round trip to a token endpoint.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// This process may not write the file or its directory: reads work,
    /// writes are refused with a clear message.
    read_only: bool,
    /// This connection wrote more than audit entries: it checkpoints as
    /// it closes, so the vault file holds the change.
    wrote: bool,
}

/// Statements on a connection, or inside its transaction, with the file
/// they run on for their errors.
struct On<'c> {
    conn: &'c Connection,
    path: &'c Path,
}

impl SqliteStore {
    /// The vault file, or None when there is none yet.
    pub fn open_existing(path: &Path) -> Result<Option<SqliteStore>> {
        if !file::exists(path)? {
            file::remove_stale_temporaries(path);
            return Ok(None);
        }
        Self::open(path).map(Some)
    }

    /// The vault file, created first (0600, in a 0700 directory).
    pub fn open_or_create(path: &Path) -> Result<SqliteStore> {
        file::create_if_missing(path, |tmp| {
            let mut conn = Connection::open(tmp).map_err(|e| sqlite_error(e, path))?;
            schema::ensure_current(&mut conn, path)
        })?;
        Self::open(path)
    }

    fn open(path: &Path) -> Result<SqliteStore> {
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
        Ok(SqliteStore {
            conn,
            path: path.to_owned(),
            read_only,
            wrote: false,
        })
    }
}

impl Sql for SqliteStore {
    fn each(
        &self,
        sql: &str,
        params: &[Val],
        each: &mut dyn FnMut(Vec<Val>) -> Result<()>,
    ) -> Result<()> {
        self.on().each(sql, params, each)
    }

    fn execute(&self, sql: &str, params: &[Val]) -> Result<u64> {
        self.on().execute(sql, params)
    }

    fn natural(&self, column: &str) -> String {
        self.on().natural(column)
    }
}

/// The collation `Sql::natural` orders by.
const NATURAL: &str = "tokvault_natural";

impl SqliteStore {
    fn on(&self) -> On<'_> {
        On {
            conn: &self.conn,
            path: &self.path,
        }
    }
}

impl SqliteStore {
    /// One write transaction (BEGIN IMMEDIATE), refused on a vault this
    /// user may only read.
    fn transaction(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        let path = &self.path;
        if self.read_only {
            return Err(anyhow::anyhow!(
                "the vault {} is read-only here (this user cannot write it or its directory), \
                 and this command needs to write it",
                path.display()
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite_error(e, path))?;
        f(&On { conn: &tx, path })?;
        tx.commit().map_err(|e| sqlite_error(e, path))
    }
}

impl Backend for SqliteStore {
    fn sql(&self) -> &dyn Sql {
        self
    }

    fn read_only(&self) -> bool {
        self.read_only
    }

    fn write(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        if !self.wrote {
            self.wrote = true;
            self.conn
                .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)
                .map_err(|e| sqlite_error(e, &self.path))?;
        }
        self.transaction(f)
    }

    fn append(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        // In WAL mode NORMAL commits without an fsync: a kill -9 loses
        // nothing, a power cut may lose the last entries, never a row. And
        // a connection that only appended leaves the log's pages to the next
        // checkpoint (an automatic one, or a writer's as it closes last)
        // instead of copying them into the file with two fsyncs as it
        // closes: the file alone may then lag behind its -wal, which SQLite
        // reads with it (a backup is `export-vault`, never a copy).
        let path = self.path.clone();
        let sql = |e| sqlite_error(e, &path);
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        let written = self.transaction(f);
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        written?;
        if !self.wrote {
            self.conn
                .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
                .map_err(sql)?;
        }
        Ok(())
    }

    fn lock(&self, what: Lock<'_>, waiting: &mut dyn FnMut(Waiting)) -> Result<Held> {
        let dir = lock_dir(&self.path)?;
        let vault = lock_file(&dir.join("vault"))?;
        let (shared, credential) = match what {
            Lock::Credential { user, name } => (true, Some(credential_file(user, name))),
            Lock::Vault => (false, None),
            Lock::NoRekey => (true, None),
        };
        let free = if shared {
            vault.try_lock_shared()
        } else {
            vault.try_lock()
        };
        match free {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting(Waiting::Vault);
                if shared {
                    vault.lock_shared()
                } else {
                    vault.lock()
                }
                .context("locking the vault")?;
            }
            Err(TryLockError::Error(e)) => return Err(e).context("locking the vault"),
        }
        let mut held = vec![vault];
        if let Some(name) = credential {
            let credential = lock_file(&dir.join(name))?;
            match credential.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    waiting(Waiting::Credential);
                    credential.lock().context("locking the credential")?;
                }
                Err(TryLockError::Error(e)) => return Err(e).context("locking the credential"),
            }
            held.push(credential);
        }
        Ok(Box::new(held))
    }
}

impl Sql for On<'_> {
    fn each(
        &self,
        sql: &str,
        params: &[Val],
        each: &mut dyn FnMut(Vec<Val>) -> Result<()>,
    ) -> Result<()> {
        use rusqlite::types::ValueRef;
        let err = |e| sqlite_error(e, self.path);
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter().map(sqlite_value)))
            .map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i).map_err(err)? {
                    ValueRef::Integer(v) => Val::Int(v),
                    ValueRef::Text(t) => match std::str::from_utf8(t) {
                        Ok(t) => Val::Text(t.to_string()),
                        Err(_) => Val::Other,
                    },
                    ValueRef::Null => Val::Null,
                    ValueRef::Real(_) | ValueRef::Blob(_) => Val::Other,
                });
            }
            each(values)?;
        }
        Ok(())
    }

    fn execute(&self, sql: &str, params: &[Val]) -> Result<u64> {
        let err = |e| sqlite_error(e, self.path);
        let mut stmt = self.conn.prepare_cached(sql).map_err(err)?;
        stmt.execute(rusqlite::params_from_iter(params.iter().map(sqlite_value)))
            .map(|n| n as u64)
            .map_err(err)
    }

    fn natural(&self, column: &str) -> String {
        // Registered only by the statements that order by it, so that
        // opening the vault (every `get`) costs nothing more. Should it
        // fail, the statement says "no such collation".
        let _ = self
            .conn
            .create_collation(NATURAL, crate::text::natural_cmp);
        format!("{column} COLLATE {NATURAL}")
    }
}

fn sqlite_value(v: &Val) -> rusqlite::types::Value {
    match v {
        Val::Int(i) => rusqlite::types::Value::Integer(*i),
        Val::Text(t) => rusqlite::types::Value::Text(t.clone()),
        Val::Null | Val::Other => rusqlite::types::Value::Null,
    }
}

/// The directory of lock files: `<vault>-locks`, like SQLite's `-wal`.
fn lock_dir(db: &Path) -> Result<PathBuf> {
    let mut dir = db.as_os_str().to_owned();
    dir.push("-locks");
    let dir = PathBuf::from(dir);
    crate::fsutil::create_private_dir(&dir)
        .with_context(|| format!("creating the lock directory {}", dir.display()))?;
    Ok(dir)
}

fn lock_file(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("opening the lock file {}", path.display()))
}

/// A lock file's name says nothing of the credential: names may hold any
/// printable character, and the directory listing is not a place for them.
fn credential_file(user: &str, name: &str) -> String {
    let digest = Sha256::new()
        .chain_update(user.as_bytes())
        .chain_update([0])
        .chain_update(name.as_bytes())
        .finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("credential-{hex}")
}

/// Maps SQLite's errors on a damaged file to the vault exit code.
pub fn sqlite_error(e: rusqlite::Error, path: &Path) -> anyhow::Error {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_file_names_differ_by_user_and_name() {
        assert_ne!(credential_file("a", "bc"), credential_file("ab", "c"));
        assert_ne!(
            credential_file("default", "x"),
            credential_file("other", "x")
        );
        assert_eq!(credential_file("u", "n"), credential_file("u", "n"));
    }
}
