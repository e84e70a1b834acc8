//! `tokvault inject`: a template's `{{ tokvault://... }}` references
//! replaced by fresh secrets, to stdout or to a private file written whole.

use crate::Context;
use crate::cli::InjectArgs;
use crate::error;
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use crate::template::{self, Piece, Reference};
use anyhow::{Context as _, Result};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The marker of the copies written before they replace OUT.
const INJECT_TMP: &str = ".tokvault-inject-";

/// The largest template read.
const MAX_TEMPLATE: u64 = 16 << 20;

pub fn run(args: &InjectArgs, ctx: &Context) -> Result<()> {
    // A link is never written through, nor silently replaced by a file:
    // in a shared directory it may point at someone else's.
    if let Some(out) = &args.out_file
        && out
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(error::usage(format!(
            "{} is a symbolic link; name the file it points to",
            out.display()
        )));
    }
    if let Some(out) = &args.out_file
        && out.exists()
        && !args.force
    {
        return Err(error::usage(format!(
            "{} exists; pass --force to replace it",
            out.display()
        )));
    }
    let text = match &args.in_file {
        Some(path) => crate::input::text_file(path, MAX_TEMPLATE, "the template")?,
        None => crate::input::text_stdin(MAX_TEMPLATE, "the template")?,
    };
    let pieces = template::pieces(&text)
        .map_err(|(line, why)| error::usage(format!("line {line}: {why}; nothing was written")))?;
    let filled = fill(ctx, &pieces, args.allow_multiline)?;
    match &args.out_file {
        Some(path) => write_private(path, filled.expose().as_bytes()),
        None => crate::output::raw(&filled),
    }
}

/// The template with every reference resolved (each once), or the first
/// that cannot be, named with its line.
fn fill(ctx: &Context, pieces: &[Piece<'_>], allow_multiline: bool) -> Result<Secret> {
    let mut resolver: Option<Resolver> = None;
    let mut values: HashMap<&Reference, Secret> = HashMap::new();
    let mut out = String::new();
    for piece in pieces {
        let (line, reference) = match piece {
            Piece::Text(text) => {
                out.push_str(text);
                continue;
            }
            Piece::Ref(line, reference) => (*line, reference),
        };
        if !values.contains_key(reference) {
            let at_line = |e: anyhow::Error| e.context(format!("line {line}: {reference}"));
            let resolver = match &mut resolver {
                Some(r) => r,
                None => resolver.insert(
                    Resolver::open(ctx, "credentials to inject", Freshness::default())
                        .map_err(at_line)?,
                ),
            };
            let (_, value) = resolver.url(reference).map_err(at_line)?;
            if !allow_multiline && value.expose().contains(['\n', '\r']) {
                return Err(error::usage(format!(
                    "line {line}: {reference} holds a line break; pass --allow-multiline to \
                     write it as it is; nothing was written"
                )));
            }
            ctx.mask().register(&value);
            values.insert(reference, value);
        }
        out.push_str(values[reference].expose());
    }
    Ok(Secret::new(out))
}

/// Writes `bytes` to `path` whole: a private file beside it, synced, then
/// renamed over it. A file replaced keeps its mode, never wider than 0600.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // Others who may write beside OUT could replace it once written.
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => crate::harden::warn_if_others_write(dir),
        _ => crate::harden::warn_if_others_write(Path::new(".")),
    }
    // A copy that a killed inject left beside it holds secrets.
    crate::fsutil::remove_stale_temporaries(path, INJECT_TMP);
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o600)
        .unwrap_or(0o600);
    let tmp = crate::fsutil::temporary(path, INJECT_TMP);
    let written = crate::fsutil::create_private_file(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.set_permissions(std::fs::Permissions::from_mode(mode))?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("writing {}", path.display()))?;
    crate::fsutil::sync_dir(path);
    Ok(())
}
