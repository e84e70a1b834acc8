//! The master key: where it comes from, and creating the default key file.

use crate::error;
use crate::secret::Secret;
use anyhow::{Context, Result};
use fernet::Fernet;
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
    pub fn load(&self) -> Result<Option<MasterKey>> {
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
    /// Only for a vault that holds no secret yet: no vault depends on an
    /// empty default key file (one an older tokvault, killed while writing
    /// it, left behind), so that is replaced too.
    /// Says whether the key file was created now.
    pub fn load_or_create(&self) -> Result<(MasterKey, bool)> {
        if let KeySource::Default(path) = self
            && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
        {
            std::fs::remove_file(path)
                .with_context(|| format!("removing the empty key file {}", path.display()))?;
        }
        if let Some(key) = self.load()? {
            return Ok((key, false));
        }
        let KeySource::Default(path) = self else {
            unreachable!("only the default key file may be missing")
        };
        let text = Secret::new(Fernet::generate_key());
        write_new_key_file(path, &text)?;
        Ok((parse(&text, &self.describe())?, true))
    }
}

/// Upper bound on a key file: a Fernet key is 44 characters.
const MAX_KEY_FILE: u64 = 4096;

/// Reads a key file after checking who may read it. A symlink is allowed
/// and judged by the file it points to (the checks follow it).
pub fn read_key_file(path: &Path) -> Result<Secret> {
    use std::io::Read;
    let file = crate::fsutil::open_regular(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => error::key(format!(
            "the key file {} is not a regular file",
            path.display()
        )),
        _ => e.into(),
    })?;
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

/// The master key: the Fernet key every secret is sealed with, and the key
/// the audit log is sealed with, derived from it so that the log needs no
/// key of its own and moves to the new key with a rekey.
#[derive(Clone)]
pub struct MasterKey {
    fernet: Fernet,
    audit: zeroize::Zeroizing<[u8; 32]>,
}

impl MasterKey {
    /// A key from its text (32 bytes in url-safe base64), as Fernet reads it.
    pub fn new(text: &str) -> Option<MasterKey> {
        use base64::Engine as _;
        let fernet = Fernet::new(text)?;
        let raw = zeroize::Zeroizing::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .ok()?,
        );
        let derive = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &raw);
        let tag = ring::hmac::sign(&derive, AUDIT_KEY_LABEL);
        let mut audit = zeroize::Zeroizing::new([0u8; 32]);
        audit.copy_from_slice(tag.as_ref());
        Some(MasterKey { fernet, audit })
    }

    pub fn fernet(&self) -> &Fernet {
        &self.fernet
    }

    /// The audit log's sealing key.
    pub fn audit(&self) -> &[u8; 32] {
        &self.audit
    }
}

/// What the audit key is derived for: changing it would break every log.
const AUDIT_KEY_LABEL: &[u8] = b"tokvault audit log v1";

pub fn parse(text: &Secret, what: &str) -> Result<MasterKey> {
    MasterKey::new(text.expose().trim()).ok_or_else(|| {
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
    opens: impl Fn(&MasterKey) -> bool,
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
        crate::notice::note(format!(
            "finished an interrupted rekey: the new key from {} replaced {}",
            staged.display(),
            path.display()
        ));
        return Ok(());
    }
    if source.load()?.is_some_and(|current| opens(&current)) {
        std::fs::remove_file(staged).with_context(|| format!("removing {}", staged.display()))?;
        crate::notice::note(format!(
            "removed {}: a rekey was interrupted before it changed anything, \
             and {} still opens the vault",
            staged.display(),
            path.display()
        ));
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
/// Written whole or not at all (see `fsutil::write_new_file_whole`): a kill
/// never leaves an empty key file behind.
pub fn write_new_key_file(path: &Path, key: &Secret) -> Result<()> {
    if let Some(dir) = path.parent() {
        crate::fsutil::create_private_dir(dir)?;
    }
    crate::fsutil::remove_stale_file_temporaries(path);
    let line = zeroize::Zeroizing::new(format!("{}\n", key.expose()));
    crate::fsutil::write_new_file_whole(path, line.as_bytes())
        .with_context(|| format!("creating key file {}", path.display()))
}

/// The vaults the default key file opens, as tokvault recorded them beside
/// it (`key.vaults`, one absolute path a line): every vault file written
/// with that key. `rekey` reads it, so that replacing the key file never
/// leaves another vault that no key opens.
pub fn vaults_file(key_path: &Path) -> PathBuf {
    let mut name = key_path.as_os_str().to_owned();
    name.push(".vaults");
    PathBuf::from(name)
}

/// The vault files recorded for `key_path`.
pub fn recorded_vaults(key_path: &Path) -> Vec<PathBuf> {
    let Ok(text) = crate::input::text_file(&vaults_file(key_path), 1 << 20, "vault list") else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let path = PathBuf::from(line);
        if !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// Records that `vault` (a file) is sealed with the key in `key_path`.
/// Best effort: a path that cannot be written as one line is left out.
pub fn record_vault(key_path: &Path, vault: &Path) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let vault = std::fs::canonicalize(vault)
        .or_else(|_| std::path::absolute(vault))
        .with_context(|| format!("finding the vault {}", vault.display()))?;
    let Some(line) = vault.to_str().filter(|s| !s.contains('\n')) else {
        return Ok(());
    };
    if recorded_vaults(key_path).contains(&vault) {
        return Ok(());
    }
    let list = vaults_file(key_path);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(&list)
        .with_context(|| format!("recording the vault in {}", list.display()))?;
    file.write_all(format!("{line}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("recording the vault in {}", list.display()))
}
