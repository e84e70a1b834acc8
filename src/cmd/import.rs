//! `tokvault import FORMAT [FILE]`: another tool's plaintext credentials
//! into the vault in one transaction, with a report of each entry.

use super::Vault;
use crate::Context;
use crate::cli::{ImportArgs, ImportFormat};
use crate::error;
use crate::import::{self, Action, Format, Found, Options, Reported};
use crate::secret::Secret;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The largest file read: far beyond any real one, and never /dev/zero.
const MAX_FILE: u64 = 16 << 20;

pub fn run(args: &ImportArgs, ctx: &Context) -> Result<()> {
    super::check_new_user(ctx)?;
    if !args.prefix.is_empty() {
        crate::text::check_name(&format!("{}x", args.prefix))
            .map_err(|e| error::usage(format!("--prefix: {e}")))?;
    }
    let format = format_of(args.format);
    let (found, shown) = read(format, args.file.as_deref())?;
    let opts = Options {
        user: ctx.user(),
        prefix: &args.prefix,
        replace: args.replace,
        now: ctx.now,
        operation: "import",
    };
    let reported = if args.dry_run {
        match Vault::open_if_exists(ctx)? {
            Some(vault) => {
                let sealer = vault.read_sealer()?;
                import::preview(found, &opts, Some((&vault.read(), &sealer)))?
            }
            None => import::preview(found, &opts, None)?,
        }
    } else {
        let mut vault = Vault::open_or_create(ctx)?;
        let _lock = vault.lock_all(|| {
            eprintln!("tokvault: waiting for refreshes in progress to finish");
        })?;
        vault.write(|tx| import::apply(tx, found, &opts))?
    };
    // Names, sources and reasons come from the file: cleaned before any
    // terminal sees them, in the table and in JSON alike.
    let reported: Vec<Reported> = reported
        .into_iter()
        .map(|r| Reported {
            source: crate::text::clean(&r.source, 200),
            name: crate::text::clean(&r.name, 200),
            reason: r.reason.map(|why| {
                let why = crate::text::clean(&why, 300);
                if r.replaceable {
                    format!("{why} (--replace replaces it)")
                } else {
                    why
                }
            }),
            ..r
        })
        .collect();
    report(&reported, args.json, args.dry_run)?;

    let count = |action: Action| reported.iter().filter(|r| r.result == action).count();
    let changed = count(Action::Added) + count(Action::Replaced);
    if reported.is_empty() {
        eprintln!("tokvault: {shown} holds no credentials");
    } else if args.dry_run {
        eprintln!("tokvault: nothing was changed (--dry-run)");
    } else if changed > 0 {
        eprintln!(
            "tokvault: {shown} is unchanged; once you have checked the result (tokvault list), {}",
            afterwards(format, &shown)
        );
    }
    match count(Action::Refused) {
        0 => Ok(()),
        n => {
            eprintln!(
                "tokvault: error: {n} entr{} of {shown} refused; the others were {}",
                if n == 1 { "y" } else { "ies" },
                if args.dry_run {
                    "not imported either (--dry-run)"
                } else {
                    "imported"
                }
            );
            Err(error::Error::Exit(error::code::FAILURE).into())
        }
    }
}

fn format_of(format: ImportFormat) -> Format {
    match format {
        ImportFormat::Dotenv => Format::Dotenv,
        ImportFormat::Gh => Format::Gh,
        ImportFormat::Aws => Format::Aws,
        ImportFormat::Docker => Format::Docker,
        ImportFormat::Netrc => Format::Netrc,
        ImportFormat::GitCredentials => Format::GitCredentials,
        ImportFormat::TokensApi => Format::TokensApi,
    }
}

/// Every entry of the file named, or of the tool's own files (those that
/// exist); and how to name them in messages. A file that does not parse
/// is an error: nothing is imported from any.
fn read(format: Format, file: Option<&Path>) -> Result<(Found, String)> {
    let named = file.is_some();
    let files: Vec<PathBuf> = match file {
        Some(path) => vec![path.to_path_buf()],
        None => format.default_files(&|name| std::env::var(name).ok()),
    };
    if files.is_empty() {
        return Err(error::usage(format!(
            "{}: name the file to read (- for stdin)",
            format.as_str()
        )));
    }
    let mut found = Found::default();
    let mut read = Vec::new();
    for path in &files {
        let shown = crate::text::clean(&path.display().to_string(), 300);
        let text = Secret::new(if path == Path::new("-") {
            crate::input::text_stdin(MAX_FILE, "the file")?
        } else if !named && !path.exists() {
            continue;
        } else {
            crate::input::text_file(path, MAX_FILE, "the file")?
        });
        let part = import::parse(format, text.expose())
            .map_err(|e| error::usage(format!("{shown}: {e}; nothing was imported")))?;
        found.entries.extend(part.entries);
        found.skipped.extend(part.skipped);
        read.push(shown);
    }
    if read.is_empty() {
        return Err(error::not_found(format!(
            "no {} file: {} does not exist (name the file to read)",
            format.as_str(),
            files
                .iter()
                .map(|p| crate::text::clean(&p.display().to_string(), 300))
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    Ok((found, read.join(" and ")))
}

fn report(reported: &[Reported], json: bool, dry_run: bool) -> Result<()> {
    if json {
        return crate::output::json(&serde_json::json!({
            "dry_run": dry_run,
            "items": reported,
        }));
    }
    if reported.is_empty() {
        return Ok(());
    }
    let rows = reported
        .iter()
        .map(|r| {
            vec![
                r.result.as_str().to_string(),
                r.kind.to_string(),
                r.name.clone(),
                r.source.clone(),
                r.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    crate::output::table(&["RESULT", "KIND", "NAME", "FROM", "REASON"], rows)
}

/// What to do with the plaintext once the vault holds its secrets.
fn afterwards(format: Format, file: &str) -> String {
    match format {
        Format::Dotenv => format!(
            "replace each value in {file} with its reference (KEY=tokvault://NAME) and \
             start the program with `tokvault run --env-file {file} -- ...`"
        ),
        Format::Gh => "point git at tokvault (`git config --global credential.helper \
             '!tokvault git-credential'`), then `gh auth logout` removes gh's copy"
            .into(),
        Format::Aws => format!(
            "give each profile `credential_process = tokvault aws-credential NAME` \
             (`aws configure set credential_process ... --profile P`), then remove its \
             keys from {file}"
        ),
        Format::Docker => "`docker logout REGISTRY` removes each plaintext login; then set \
             \"credsStore\": \"tokvault\" in config.json (docker-credential-tokvault on PATH)"
            .into(),
        Format::Netrc => format!(
            "remove the imported machines from {file} (git asks tokvault through \
             `credential.helper '!tokvault git-credential'`)"
        ),
        Format::GitCredentials => format!(
            "set `git config --global credential.helper '!tokvault git-credential'` in \
             place of `store`, then remove {file}"
        ),
        Format::TokensApi => format!("remove {file}"),
    }
}
