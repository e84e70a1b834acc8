//! The one seam between the vault's logic and the database it runs on, at
//! the level of whole operations: statements, a write transaction, the
//! locks that outlive a transaction, and a connection that may be lost.
//! `sqlite` and `pg` implement it side by side; sealing, versions and
//! bindings live above it and are the same whatever the store. Each
//! backend maps its own errors to exit codes, knowing what they mean.

use super::lock::Waiting;
use super::sql::Sql;
use anyhow::Result;

/// Which lock to take.
#[derive(Clone, Copy)]
pub enum Lock<'a> {
    /// One credential, and the vault shared: while it is renewed or written.
    Credential { user: &'a str, name: &'a str },
    /// The whole vault, against every credential lock (rekey, import).
    Vault,
    /// The vault shared, only to wait for a rekey to end.
    NoRekey,
}

/// A lock held until dropped (or until its process dies).
pub type Held = Box<dyn std::any::Any>;

pub trait Backend {
    /// Statements outside any transaction, each on its own.
    fn sql(&self) -> &dyn Sql;

    /// Runs `f` in a write transaction taken before it starts, so that what
    /// it reads cannot change under it, and commits if it succeeds.
    fn write(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()>;

    /// `write` for what may be lost if the machine loses power before the
    /// next durable write, but never torn (an audit entry of a read): a
    /// file then skips waiting for the disk.
    fn append(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        self.write(f)
    }

    /// Takes a lock, calling `waiting` before it blocks on each part.
    fn lock(&self, what: Lock<'_>, waiting: &mut dyn FnMut(Waiting)) -> Result<Held>;

    /// Whether this process may only read the vault (a file this user
    /// cannot write): writes are then refused.
    fn read_only(&self) -> bool {
        false
    }

    /// Whether the connection (and the locks held through it) was lost:
    /// never for a file.
    fn connection_lost(&self) -> bool {
        false
    }

    /// Connects again after `connection_lost`.
    fn reconnect(&mut self) -> Result<()> {
        Ok(())
    }
}
