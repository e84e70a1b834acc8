//! Locks that outlive a transaction, for work that waits on the network.
//!
//! A refresh must hold its credential from before the token request until
//! the answer is committed: a rotated refresh token or a single-use code's
//! tokens must always have a place to land. SQLite's write lock covers the
//! whole vault, so holding it across a request would stall every writer
//! behind one slow provider. Instead each credential has a lock file beside
//! the vault, locked with flock(2): the kernel releases it when its holder
//! exits, however it exits, and SQLite transactions stay a few milliseconds.
//!
//! Every credential lock also holds the vault's lock file shared; commands
//! that rewrite every secret (rekey, import-vault) take it exclusively, so
//! they never interleave with a refresh that is waiting for its answer.

use super::Vault;
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Held while a credential is being renewed or written; released on drop
/// or when the process dies.
pub struct CredentialLock {
    _held: Held,
}

/// Lock files beside a vault file, or advisory locks in its database.
enum Held {
    Files(#[allow(dead_code)] Vec<File>),
    #[cfg(feature = "postgres")]
    Database(#[allow(dead_code)] Box<super::pg::PgLock>),
}

/// What a lock request is waiting for, so the caller can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// A rekey or import holds the whole vault.
    Vault,
    /// Another process holds this credential (refreshing or writing it).
    Credential,
}

/// Held while every secret is rewritten.
pub struct VaultLock {
    _held: Held,
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

impl Vault {
    /// Locks one credential, waiting for whoever holds it. `waiting` is
    /// called at most once, before blocking, so the caller can say what it
    /// waits for.
    pub fn lock_credential(
        &self,
        user: &str,
        name: &str,
        waiting: impl FnOnce(Waiting),
    ) -> Result<CredentialLock> {
        #[cfg(feature = "postgres")]
        if let super::Store::Pg(store) = &self.store {
            let l = &store.location;
            let held = super::pg::lock(
                store,
                &[l.lock_key(&["vault"])],
                &[l.lock_key(&["credential", user, name])],
                || waiting(Waiting::Credential),
            )?;
            return Ok(CredentialLock {
                _held: Held::Database(Box::new(held)),
            });
        }
        let dir = lock_dir(self.path())?;
        let vault = lock_file(&dir.join("vault"))?;
        let mut waiting = Some(waiting);
        let mut say = |what| {
            if let Some(f) = waiting.take() {
                f(what)
            }
        };
        match vault.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                say(Waiting::Vault);
                vault.lock_shared().context("locking the vault")?;
            }
            Err(TryLockError::Error(e)) => return Err(e).context("locking the vault"),
        }
        let credential = lock_file(&dir.join(credential_file(user, name)))?;
        match credential.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                say(Waiting::Credential);
                credential.lock().context("locking the credential")?;
            }
            Err(TryLockError::Error(e)) => return Err(e).context("locking the credential"),
        }
        Ok(CredentialLock {
            _held: Held::Files(vec![vault, credential]),
        })
    }

    /// Locks the whole vault against credential locks, waiting for the ones
    /// held (a refresh in flight ends within the HTTP timeout).
    pub fn lock_all(&self, waiting: impl FnOnce()) -> Result<VaultLock> {
        #[cfg(feature = "postgres")]
        if let super::Store::Pg(store) = &self.store {
            let l = &store.location;
            let held = super::pg::lock(store, &[], &[l.lock_key(&["vault"])], waiting)?;
            return Ok(VaultLock {
                _held: Held::Database(Box::new(held)),
            });
        }
        let vault = lock_file(&lock_dir(self.path())?.join("vault"))?;
        match vault.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                waiting();
                vault.lock().context("locking the vault")?;
            }
            Err(TryLockError::Error(e)) => return Err(e).context("locking the vault"),
        }
        Ok(VaultLock {
            _held: Held::Files(vec![vault]),
        })
    }
}

impl Vault {
    /// Waits until no rekey (or import) holds the whole vault: a reader
    /// whose key no longer opens a row it just read calls this, then reads
    /// the key and the row again, so it never sees a half-rotated key.
    pub fn wait_for_rekey(&self) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let super::Store::Pg(store) = &self.store {
            let l = &store.location;
            super::pg::lock(store, &[l.lock_key(&["vault"])], &[], || {})?;
            return Ok(());
        }
        let vault = lock_file(&lock_dir(self.path())?.join("vault"))?;
        vault.lock_shared().context("locking the vault")
    }
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
