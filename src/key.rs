//! The master key: where it comes from, and creating the default key file.

use crate::error;
use crate::secret::Secret;
use anyhow::{Context, Result};
use fernet::Fernet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the master key is looked for, in the order design.md gives.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// `TOKVAULT_KEY`
    Env(Secret),
    /// `--key-file` / `TOKVAULT_KEY_FILE`: must exist.
    File(PathBuf),
    /// The key file in the config directory: created on first write.
    Default(PathBuf),
}

impl KeySource {
    pub fn describe(&self) -> String {
        match self {
            KeySource::Env(_) => "TOKVAULT_KEY".into(),
            KeySource::File(p) | KeySource::Default(p) => format!("key file {}", p.display()),
        }
    }

    /// The key, or `None` when the default key file does not exist yet.
    pub fn load(&self) -> Result<Option<Fernet>> {
        let (text, what) = match self {
            KeySource::Env(value) => (value.clone(), self.describe()),
            KeySource::File(path) | KeySource::Default(path) => match read_key_file(path) {
                Ok(text) => (text, self.describe()),
                Err(e) => match e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) {
                    Some(std::io::ErrorKind::NotFound) if matches!(self, KeySource::Default(_)) => {
                        return Ok(None);
                    }
                    Some(std::io::ErrorKind::NotFound) => {
                        return Err(error::key(format!("{} does not exist", self.describe())));
                    }
                    Some(_) => {
                        return Err(e).with_context(|| format!("reading {}", self.describe()));
                    }
                    None => return Err(e),
                },
            },
        };
        parse(&text, &what).map(Some)
    }

    /// The key file, when the key comes from one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            KeySource::Env(_) => None,
            KeySource::File(p) | KeySource::Default(p) => Some(p),
        }
    }

    /// Where `rekey` stages a new key before its commit: beside the file the
    /// key lives in (a symlink's target), so that moving it into place is a
    /// rename within one directory and one file system.
    pub fn staged(&self) -> Option<PathBuf> {
        self.file().map(|p| {
            let mut name = key_target(p).into_os_string();
            name.push(".new");
            PathBuf::from(name)
        })
    }

    /// Loads the key, creating the default key file when it is missing.
    pub fn load_or_create(&self) -> Result<Fernet> {
        if let Some(key) = self.load()? {
            return Ok(key);
        }
        let KeySource::Default(path) = self else {
            unreachable!("only the default key file may be missing")
        };
        let text = Secret::new(Fernet::generate_key());
        write_new_key_file(path, &text)?;
        eprintln!("tokvault: created a new master key at {}", path.display());
        parse(&text, &self.describe())
    }
}

/// Upper bound on a key file: a Fernet key is 44 characters.
const MAX_KEY_FILE: u64 = 4096;

/// Reads a key file after checking who may read it. A symlink is allowed
/// and judged by the file it points to (the checks follow it).
pub fn read_key_file(path: &Path) -> Result<Secret> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    crate::harden::check_key_file(path, &meta)?;
    if let Some(dir) = key_target(path).parent() {
        crate::harden::warn_if_others_write(dir);
    }
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(MAX_KEY_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_KEY_FILE {
        return Err(error::key(format!(
            "the key file {} is larger than {MAX_KEY_FILE} bytes; it is not a key",
            path.display()
        )));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| error::key(format!("the key file {} is not text", path.display())))?;
    Ok(Secret::new(text.trim()))
}

pub fn parse(text: &Secret, what: &str) -> Result<Fernet> {
    Fernet::new(text.expose().trim()).ok_or_else(|| {
        error::key(format!(
            "{what} is not a valid Fernet key (expected 32 bytes in url-safe base64)"
        ))
    })
}

/// Settles a key staged by a rekey that was killed (`staged` exists): if
/// the staged key opens the vault, the rekey committed and the staged key
/// replaces the key file; if instead the key file still opens it, the rekey
/// never committed and the staged key, which opens nothing, is removed.
/// Neither: both are left as they are and the error names them. No branch
/// removes the only key that opens the vault.
pub fn settle_staged(
    source: &KeySource,
    staged: &Path,
    opens: impl Fn(&Fernet) -> bool,
) -> Result<()> {
    let Some(path) = source.file() else {
        return Ok(());
    };
    let new = parse(
        &read_key_file(staged)?,
        &format!("key file {}", staged.display()),
    );
    if new.as_ref().is_ok_and(&opens) {
        replace_key_file(staged, path)?;
        eprintln!(
            "tokvault: finished an interrupted rekey: the new key from {} replaced {}",
            staged.display(),
            path.display()
        );
        return Ok(());
    }
    if source.load()?.is_some_and(|current| opens(&current)) {
        std::fs::remove_file(staged).with_context(|| format!("removing {}", staged.display()))?;
        eprintln!(
            "tokvault: removed {}: a rekey was interrupted before it changed anything, \
             and {} still opens the vault",
            staged.display(),
            path.display()
        );
        return Ok(());
    }
    Err(error::key(format!(
        "neither {} nor {} opens the vault; if you keep the key elsewhere, pass it with --key-file",
        path.display(),
        staged.display()
    )))
}

/// Moves a new key file over the key file in use, atomically and durably. A
/// symlinked key file keeps its link: the file it points to is replaced.
pub fn replace_key_file(new: &Path, path: &Path) -> Result<()> {
    let target = key_target(path);
    std::fs::rename(new, &target).with_context(|| {
        format!(
            "moving the new key from {} to {}; move it there by hand",
            new.display(),
            target.display()
        )
    })?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).ok();
    }
    Ok(())
}

/// The file a key path names: itself, or what a symlink points to.
fn key_target(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
        }
        _ => path.to_owned(),
    }
}

/// Writes a key file that did not exist, 0600 from the moment it is created,
/// in a 0700 directory.
pub fn write_new_key_file(path: &Path, key: &Secret) -> Result<()> {
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir(dir)?;
    }
    let mut file = crate::fsutil::create_private_file(path)
        .with_context(|| format!("creating key file {}", path.display()))?;
    writeln!(file, "{}", key.expose())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing key file {}", path.display()))
}
