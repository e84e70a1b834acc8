//! Secret files for a running command (`run --file`).
//!
//! Each run gets a private directory (0700, on tmpfs where there is one)
//! holding one 0600 file per variable, rewritten by rename so a reader sees
//! the old token or the new one, never half of either. The directory is
//! removed when the run ends. A run killed with SIGKILL cannot clean up, so
//! each run holds a lock file inside its directory (the kernel releases it
//! however the process ends) and every new run removes the directories whose
//! lock is free.

use crate::secret::Secret;
use anyhow::{Context, Result};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const LOCK: &str = ".lock";
/// A run's directory, once its lock is held.
const RUN_PREFIX: &str = "run-";
/// A directory still being set up; renamed to `run-*` once locked.
const NEW_PREFIX: &str = ".new-";
/// A `.new-*` directory this old was left by a run killed while creating it.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// One run's directory; removed on drop.
pub struct RunDir {
    path: PathBuf,
    _lock: File,
}

impl RunDir {
    /// Creates this run's directory under the user's private base, after
    /// removing what killed runs left there.
    pub fn create() -> Result<RunDir> {
        let base = base_dir()?;
        remove_stale(&base);
        let suffix = format!("{}-{:08x}", std::process::id(), random_u32());
        let new = base.join(format!("{NEW_PREFIX}{suffix}"));
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&new)
            .with_context(|| format!("creating {}", new.display()))?;
        let lock = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(new.join(LOCK))
            .with_context(|| format!("creating a lock file in {}", new.display()))?;
        lock.try_lock()
            .with_context(|| format!("locking {}", new.display()))?;
        let path = base.join(format!("{RUN_PREFIX}{suffix}"));
        fs::rename(&new, &path).with_context(|| format!("creating {}", path.display()))?;
        Ok(RunDir { path, _lock: lock })
    }

    /// Where `var`'s secret is kept: the path the command receives.
    pub fn file(&self, var: &str) -> PathBuf {
        self.path.join(var)
    }

    /// Writes `var`'s file whole, replacing the previous one at once.
    pub fn write(&self, var: &str, secret: &Secret) -> Result<()> {
        let target = self.file(var);
        let staged = self.path.join(format!(".{var}.new"));
        let _ = fs::remove_file(&staged);
        let written = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&staged)?;
            file.write_all(secret.expose().as_bytes())?;
            file.sync_all()?;
            fs::rename(&staged, &target)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&staged);
        }
        written.with_context(|| format!("writing {}", target.display()))
    }
}

impl Drop for RunDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// The user's directory for run directories: `$XDG_RUNTIME_DIR/tokvault`
/// (a per-user tmpfs on systemd systems), else `/dev/shm/tokvault-UID`
/// (tmpfs), else `$TMPDIR/tokvault-UID`. A base that is not a directory of
/// the user's own (another user's, a symlink) is never used: it could be a
/// trap. In the user's private runtime directory that is an error; in a
/// shared one (which anyone may have planted it in) the next place is
/// tried.
fn base_dir() -> Result<PathBuf> {
    let uid = nix::unistd::getuid().as_raw();
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute() && owned_private_dir(dir, uid));
    if let Some(dir) = runtime {
        return claim(&dir.join("tokvault"), uid);
    }
    let shared = [PathBuf::from("/dev/shm"), std::env::temp_dir()];
    let mut refused = None;
    for dir in shared.iter().filter(|d| d.is_dir()) {
        match claim(&dir.join(format!("tokvault-{uid}")), uid) {
            Ok(base) => return Ok(base),
            Err(e) => refused = Some(e),
        }
    }
    Err(refused
        .unwrap_or_else(|| anyhow::anyhow!("no directory for secret files: set XDG_RUNTIME_DIR")))
}

/// `base`, created private if missing, once it is sure to be the user's.
fn claim(base: &Path, uid: u32) -> Result<PathBuf> {
    match fs::DirBuilder::new().mode(0o700).create(base) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("creating {}", base.display())));
        }
    }
    let meta = fs::symlink_metadata(base).with_context(|| format!("reading {}", base.display()))?;
    if !meta.is_dir() || meta.uid() != uid {
        return Err(anyhow::anyhow!(
            "{} is not a directory of yours; remove it, or set XDG_RUNTIME_DIR to a private directory",
            base.display()
        ));
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(base, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} private", base.display()))?;
    }
    Ok(base.to_path_buf())
}

fn owned_private_dir(dir: &Path, uid: u32) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && m.uid() == uid && m.mode() & 0o077 == 0)
}

/// Removes the directories of runs that are gone: a `run-*` whose lock is
/// free, a `.new-*` abandoned while being set up. Best effort: what cannot be
/// removed now is tried again by the next run.
fn remove_stale(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        if name.starts_with(RUN_PREFIX) {
            // Opened read-only and never created: a directory without a
            // lock file is not one of ours to judge.
            let Ok(lock) = File::open(path.join(LOCK)) else {
                continue;
            };
            if lock.try_lock().is_ok() {
                let _ = fs::remove_dir_all(&path);
            }
        } else if name.starts_with(NEW_PREFIX) {
            let abandoned = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| {
                SystemTime::now()
                    .duration_since(t)
                    .is_ok_and(|age| age > ABANDONED_AFTER)
            });
            if abandoned {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }
}

fn random_u32() -> u32 {
    let mut bytes = [0u8; 4];
    // A name clash only makes create() fail; it never exposes anything.
    let _ = getrandom::getrandom(&mut bytes);
    u32::from_ne_bytes(bytes)
}
