//! The vault file itself: created private, and checked before SQLite sees it.
//!
//! SQLite reads a truncated file without complaint until a query touches a
//! missing page, and treats an empty file as a new database; both would let a
//! damaged vault look like a smaller one. The 100-byte header says how big
//! the file must be, so it is checked on every open (one small read).

use crate::error;
use crate::fsutil;
use anyhow::{Context, Result};
use std::io::Read;
use std::path::Path;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub fn exists(path: &Path) -> Result<bool> {
    path.try_exists()
        .with_context(|| format!("checking for the vault {}", path.display()))
}

/// Creates the vault atomically: `init` builds it under a temporary name,
/// then it is linked into place, so no process ever sees a half-made vault
/// (an empty file is always damage). If another process wins the race, its
/// vault is kept and ours discarded.
pub fn create_if_missing(path: &Path, init: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if exists(path)? {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fsutil::create_private_dir(dir)
            .with_context(|| format!("creating directory {}", dir.display()))?;
    }
    remove_stale_temporaries(path);
    let tmp = fsutil::temporary(path, NEW);
    let result = fsutil::create_private_file(&tmp)
        .with_context(|| format!("creating the vault {}", path.display()))
        .and_then(|_| init(&tmp))
        .and_then(|()| match std::fs::hard_link(&tmp, path) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                Err(e).with_context(|| format!("creating the vault {}", path.display()))
            }
            _ => Ok(()),
        });
    let _ = std::fs::remove_file(&tmp);
    result
}

/// The marker of a vault being made: `vault.db.new-PID`.
const NEW: &str = ".new-";

/// Vaults half made by a killed process (with SQLite's journal or log
/// beside them), and temporaries of key files: cleared by the next command
/// that finds no vault or makes one.
pub fn remove_stale_temporaries(path: &Path) {
    fsutil::remove_stale_temporaries(path, NEW);
}

/// Whether this process may write the vault and create files beside it
/// (SQLite's write-ahead log and shared memory).
pub fn writable(path: &Path) -> bool {
    use nix::unistd::{AccessFlags, access};
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    access(path, AccessFlags::W_OK).is_ok() && access(dir, AccessFlags::W_OK).is_ok()
}

/// A URI that opens the vault read-only without locks or side files: for a
/// vault this user cannot write, which then nobody is changing under it.
pub fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Refuses files that are not SQLite or shorter than their header says.
///
/// A checkpoint writes page 1 (with the new page count) before the pages
/// that grow the file, so a vault being written is briefly shorter than its
/// header says. A checkpoint needs a non-empty write-ahead log, and the log
/// is removed when the last connection closes: with no log, the file is at
/// rest and a shortfall is damage. With a log, the check waits up to two
/// seconds for the checkpoint to finish and then leaves the file to SQLite,
/// which reports missing pages as corruption when it reads them.
pub fn check_header(path: &Path) -> Result<()> {
    for _ in 0..200 {
        let (len, expected) = match read_header(path)? {
            Header::Complete => return Ok(()),
            Header::Short { len, expected } => (len, expected),
        };
        if !wal_in_use(path) {
            return Err(error::vault(format!(
                "the vault {} is damaged: the file is {len} bytes but its header says {expected}; \
                 it was truncated; restore it from a backup",
                path.display()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Ok(())
}

/// Whether SQLite's write-ahead log beside the vault holds anything.
fn wal_in_use(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

enum Header {
    Complete,
    Short { len: u64, expected: u64 },
}

fn read_header(path: &Path) -> Result<Header> {
    let damaged = |why: &str| {
        error::vault(format!(
            "the vault {} is damaged: {why}; restore it from a backup",
            path.display()
        ))
    };
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(error::usage(format!(
            "{} is a directory; --db / TOKVAULT_DB names the vault file itself",
            path.display()
        )));
    }
    let mut file = fsutil::open_regular(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => error::vault(format!(
            "{} is not a tokvault vault (not a regular file)",
            path.display()
        )),
        _ => anyhow::Error::new(e).context(format!("opening the vault {}", path.display())),
    })?;
    let meta = file.metadata()?;
    let len = meta.len();
    if len == 0 {
        return Err(damaged("the file is empty"));
    }
    let mut header = [0u8; 100];
    if len < header.len() as u64 || file.read_exact(&mut header).is_err() {
        return Err(damaged("the file is shorter than a database header"));
    }
    if &header[..16] != MAGIC {
        return Err(error::vault(format!(
            "{} is not a tokvault vault (not an SQLite database)",
            path.display()
        )));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes(header[28..32].try_into().unwrap()));
    let expected = pages * page_size;
    Ok(if len < expected {
        Header::Short { len, expected }
    } else {
        Header::Complete
    })
}
