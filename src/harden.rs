//! Keeping secrets out of core dumps, and refusing key files others can
//! read, as ssh does with private keys.

use crate::error;
use anyhow::Result;
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::OnceLock;

/// The core-file limit tokvault started with, given back to the commands
/// that `run` starts: they are the user's programs, not ours.
static INHERITED_CORE_LIMIT: OnceLock<(u64, u64)> = OnceLock::new();

/// Before any key or secret is read: no core file, and no ptrace or
/// /proc/PID/mem access by other processes of the same user.
pub fn process() {
    // The hard limit stays, so the soft one can be given back to a child.
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_CORE) {
        let _ = INHERITED_CORE_LIMIT.set((soft, hard));
        let _ = setrlimit(Resource::RLIMIT_CORE, 0, hard);
    }
    let _ = nix::sys::prctl::set_dumpable(false);
}

/// Restores the user's core limit before `run` starts its command.
/// tokvault itself stays non-dumpable, which is not inherited across exec.
pub fn restore_core_limit_for_child() {
    if let Some(&(soft, hard)) = INHERITED_CORE_LIMIT.get() {
        let _ = setrlimit(Resource::RLIMIT_CORE, soft, hard);
    }
}

/// A key file must belong to this user (or root) and be readable and
/// writable by its owner alone; a symlink is judged by what it points to.
pub fn check_key_file(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(error::key(format!(
            "the key file {} belongs to another user (uid {}); refusing to use it",
            path.display(),
            meta.uid()
        )));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(error::key(format!(
            "the key file {} can be read or written by others (mode {mode:04o}); \
             run `chmod 600 {}` if nobody else has copied it, else rotate the key with `tokvault rekey`",
            path.display(),
            path.display()
        )));
    }
    Ok(())
}

/// Warns once about a directory that others may write into: they could
/// replace the vault or the key file.
pub fn warn_if_others_write(dir: &Path) {
    if let Ok(meta) = std::fs::metadata(dir)
        && meta.permissions().mode() & 0o022 != 0
        && meta.permissions().mode() & 0o1000 == 0
    {
        crate::notice::warn(format!(
            "{} can be written by others (mode {:04o}); run `chmod 700 {}`",
            dir.display(),
            meta.permissions().mode() & 0o7777,
            dir.display()
        ));
    }
}
