//! Secrets given to tokvault: `-` for stdin, a file, or (with a warning) a
//! literal on the command line.

use crate::error;
use crate::secret::Secret;
use anyhow::{Context, Result};
use std::io::Read;
use std::path::Path;

/// Upper bound on any one input; a token response is a few kilobytes.
const MAX_INPUT: u64 = 1 << 20;

/// Rejects a command line on which more than one input reads stdin.
pub fn one_stdin<'a>(args: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Result<()> {
    let readers: Vec<&str> = args
        .into_iter()
        .filter(|(_, v)| *v == Some("-"))
        .map(|(flag, _)| flag)
        .collect();
    if readers.len() > 1 {
        return Err(error::usage(format!(
            "{} all read stdin; at most one input may",
            readers.join(" and ")
        )));
    }
    Ok(())
}

/// Reads all of stdin, without the final line break.
pub fn stdin(flag: &str) -> Result<Secret> {
    read_all(std::io::stdin().lock(), flag)
}

pub fn file(path: &Path, flag: &str) -> Result<Secret> {
    let file = open(path).map_err(|e| match e {
        Opened::NotRegular => error::usage(format!(
            "{flag}: {} is not a regular file (pass - to read stdin)",
            path.display()
        )),
        Opened::Io(e) => {
            anyhow::Error::new(e).context(format!("{flag}: reading {}", path.display()))
        }
    })?;
    read_all(file, flag)
}

fn read_all(reader: impl Read, flag: &str) -> Result<Secret> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{flag}: reading input"))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(error::usage(format!("{flag}: input is larger than 1 MiB")));
    }
    let text = Secret::new(
        String::from_utf8(bytes)
            .map_err(|_| error::usage(format!("{flag}: input is not UTF-8 text")))?,
    );
    let trimmed = Secret::new(text.expose().trim_end_matches(['\n', '\r']));
    if trimmed.is_empty() {
        return Err(error::usage(format!("{flag}: input is empty")));
    }
    Ok(trimmed)
}

enum Opened {
    NotRegular,
    Io(std::io::Error),
}

/// A file to read, refused when it is not a regular file (a FIFO would
/// block for ever).
fn open(path: &Path) -> std::result::Result<std::fs::File, Opened> {
    crate::fsutil::open_regular(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => Opened::NotRegular,
        _ => Opened::Io(e),
    })
}

/// A whole text file of at most `limit` bytes: never more is read, so
/// `/dev/zero` or a huge file is an error, not a process that eats memory.
pub fn text_file(path: &Path, limit: u64, what: &str) -> Result<String> {
    let file = open(path).map_err(|e| match e {
        Opened::NotRegular => {
            error::usage(format!("{what} {} is not a regular file", path.display()))
        }
        Opened::Io(e) => {
            anyhow::Error::new(e).context(format!("reading {what} {}", path.display()))
        }
    })?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(error::usage(format!(
            "{what} {} is larger than {}",
            path.display(),
            size(limit)
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| error::usage(format!("{what} {} is not UTF-8 text", path.display())))
}

/// A limit as people write it: 16 MiB, 512 KiB.
fn size(limit: u64) -> String {
    match limit {
        l if l >= 1 << 20 && l % (1 << 20) == 0 => format!("{} MiB", l >> 20),
        l => format!("{} KiB", l / 1024),
    }
}

/// `text_file` for stdin.
pub fn text_stdin(limit: u64, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what} from stdin"))?;
    if bytes.len() as u64 > limit {
        return Err(error::usage(format!(
            "{what} on stdin is larger than {}",
            size(limit)
        )));
    }
    String::from_utf8(bytes).map_err(|_| error::usage(format!("{what} on stdin is not UTF-8 text")))
}

/// A `VALUE|-` argument: `-` reads stdin; a literal works but is visible to
/// other processes and kept in shell history, so it earns a warning.
pub fn value_or_stdin(value: &str, flag: &str) -> Result<Secret> {
    if value == "-" {
        return stdin(flag);
    }
    crate::notice::warn(format!(
        "a secret given with {flag} is visible to other processes and in shell \
         history; pass {flag} - to read it from stdin"
    ));
    if value.is_empty() {
        return Err(error::usage(format!("{flag}: the value is empty")));
    }
    Ok(Secret::new(value))
}

/// A `FILE|-` argument's contents.
pub fn file_or_stdin(arg: &str, flag: &str) -> Result<Secret> {
    if arg == "-" {
        stdin(flag)
    } else {
        file(Path::new(arg), flag)
    }
}
