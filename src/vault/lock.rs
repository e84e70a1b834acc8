//! Locks that outlive a transaction, for work that waits on the network.
//!
//! A refresh must hold its credential from before the token request until
//! the answer is committed: a rotated refresh token or a single-use code's
//! tokens must always have a place to land. SQLite's write lock covers the
//! whole vault, so holding it across a request would stall every writer
//! behind one slow provider. Instead each credential has a lock of its own
//! (a lock file beside a vault file, an advisory lock in a database), which
//! goes away with its holder however it ends, so transactions stay a few
//! milliseconds.
//!
//! Every credential lock also holds the vault's lock shared; commands that
//! rewrite every secret (rekey, import-vault) take it exclusively, so they
//! never interleave with a refresh that is waiting for its answer.

use super::Vault;
use super::backend::{Held, Lock};
use anyhow::Result;

/// Held while a credential is being renewed or written; released on drop
/// or when the process dies.
pub struct CredentialLock {
    _held: Held,
}

/// Held while every secret is rewritten.
pub struct VaultLock {
    _held: Held,
}

/// What a lock request is waiting for, so the caller can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// A rekey or import holds the whole vault.
    Vault,
    /// Another process holds this credential (refreshing or writing it).
    Credential,
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
        let mut waiting = Some(waiting);
        let held = self.store.lock(Lock::Credential { user, name }, &mut |w| {
            if let Some(f) = waiting.take() {
                f(w)
            }
        })?;
        Ok(CredentialLock { _held: held })
    }

    /// Locks the whole vault against credential locks, waiting for the ones
    /// held (a refresh in flight ends within the HTTP timeout).
    pub fn lock_all(&self, waiting: impl FnOnce()) -> Result<VaultLock> {
        let mut waiting = Some(waiting);
        let held = self.store.lock(Lock::Vault, &mut |_| {
            if let Some(f) = waiting.take() {
                f()
            }
        })?;
        Ok(VaultLock { _held: held })
    }

    /// Waits until no rekey (or import) holds the whole vault: a reader
    /// whose key no longer opens a row it just read calls this, then reads
    /// the key and the row again, so it never sees a half-rotated key.
    pub fn wait_for_rekey(&self) -> Result<()> {
        self.store.lock(Lock::NoRekey, &mut |_| {}).map(drop)
    }
}
