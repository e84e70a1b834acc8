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
                Err(e)
                    if e.kind() == std::io::ErrorKind::NotFound
                        && matches!(self, KeySource::Default(_)) =>
                {
                    return Ok(None);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(error::key(format!("{} does not exist", self.describe())));
                }
                Err(e) => return Err(e).with_context(|| format!("reading {}", self.describe())),
            },
        };
        parse(&text, &what).map(Some)
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

fn read_key_file(path: &Path) -> std::io::Result<Secret> {
    let text = Secret::new(std::fs::read_to_string(path)?);
    Ok(Secret::new(text.expose().trim()))
}

pub fn parse(text: &Secret, what: &str) -> Result<Fernet> {
    Fernet::new(text.expose().trim()).ok_or_else(|| {
        error::key(format!(
            "{what} is not a valid Fernet key (expected 32 bytes in url-safe base64)"
        ))
    })
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
