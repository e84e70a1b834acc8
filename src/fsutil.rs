//! Files and directories that hold secrets: private from the moment they exist.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// Creates `dir` and missing parents with mode 0700; existing ones are left alone.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Creates a new file with mode 0600; fails if it exists.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// Writes a file that must not exist yet, whole or not at all: the bytes
/// go to a private file beside it, are synced, and only then linked into
/// place, so a kill at any point leaves either no file or the whole one
/// (and perhaps a temporary that `remove_stale_temporaries` clears).
/// Fails with `AlreadyExists` when the file appeared meanwhile.
pub fn write_new_file_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let tmp = temporary(path, TMP);
    let result = create_private_file(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    result?;
    sync_dir(path);
    Ok(())
}

/// The marker of `write_new_file_whole`'s temporaries.
const TMP: &str = ".tmp-";

/// `path` with `marker` and this process's id appended.
pub fn temporary(path: &Path, marker: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!("{marker}{}", std::process::id()));
    name.into()
}

/// Makes a rename or link in `path`'s directory durable.
pub fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir).and_then(|d| d.sync_all()).ok();
    }
}

/// Removes what a killed process left beside `path`: files named
/// `path` + `marker` + PID (with any suffix SQLite adds, `-journal`,
/// `-wal`) whose process is gone. Other processes' live temporaries stay.
pub fn remove_stale_temporaries(path: &Path, marker: &str) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}{marker}", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        // Only what tokvault and SQLite name so: a copy a person made
        // (`vault.db.new-20250101.bak`) is never touched.
        if !matches!(&rest[digits.len()..], "" | "-journal" | "-wal" | "-shm") {
            continue;
        }
        let Ok(pid) = digits.parse::<i32>() else {
            continue;
        };
        let gone = pid > 0
            && pid <= pid_max()
            && matches!(
                nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
                Err(nix::errno::Errno::ESRCH)
            );
        if gone {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The largest process id this system gives: a larger "pid" in a file
/// name is not one.
fn pid_max() -> i32 {
    std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(4_194_304)
}

/// Also clears temporaries of `write_new_file_whole` for `path`.
pub fn remove_stale_file_temporaries(path: &Path) {
    remove_stale_temporaries(path, TMP);
}

/// Opens `path` for reading only when it is a regular file (links
/// followed): opening a FIFO would wait for a writer for ever, and a device
/// such as /dev/zero never ends. Opened without blocking, then checked.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}
