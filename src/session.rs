//! A command's session: what it may need, resolved once from flags and
//! environment (vault path, key source, namespace, clock, HTTP limits), and
//! the one place that opens the vault and loads the key. Commands start
//! here; the modules below them (resolve, refresh) take what they need from
//! here too, never from the commands.

use crate::error;
use crate::key::KeySource;
use crate::vault::{CredentialMeta, Sealer, Tx, Vault};
use crate::{cli, http, mask, prompt};
use anyhow::{Context as _, Result};
use std::path::PathBuf;
use std::time::Duration;

/// What every command may need, resolved once from flags and environment.
#[derive(Clone)]
pub struct Context {
    pub db: PathBuf,
    /// The vault path was given (--db, TOKVAULT_DB), not the default one.
    pub db_given: bool,
    pub key: KeySource,
    pub user: String,
    pub prompt: prompt::Prompter,
    pub mask: mask::Masker,
    /// Unix seconds, read once so one command sees one "now".
    pub now: i64,
    /// Where tokvault keeps what it may forget (when it last warned of a
    /// refresh token's end); None without a home directory.
    pub cache_dir: Option<PathBuf>,
    connect_timeout: Duration,
    timeout: Duration,
}

impl Context {
    pub(crate) fn new(global: &cli::GlobalArgs) -> Result<Context> {
        // Every default path derives from here; tests point HOME or the XDG
        // variables (or --db / --key-file) at a temporary directory.
        let dirs = || {
            directories::ProjectDirs::from("", "", "tokvault").context(
                "cannot find a home directory for the default vault; pass --db and --key-file",
            )
        };
        let db = match &global.db {
            Some(path) => crate::vault::check_location(path)?,
            None => dirs()?.data_dir().join("vault.db"),
        };
        let key = match (std::env::var("TOKVAULT_KEY"), &global.key_file) {
            (Ok(value), _) if !value.is_empty() => KeySource::Env(value.into()),
            // Never quietly the default key instead of the one meant.
            (Err(std::env::VarError::NotUnicode(_)), _) => {
                return Err(error::key(
                    "TOKVAULT_KEY is not valid UTF-8, so it is not a Fernet key",
                ));
            }
            (_, Some(path)) => KeySource::File(path.clone()),
            _ => KeySource::Default(dirs()?.config_dir().join("key")),
        };
        Ok(Context {
            db,
            db_given: global.db.is_some(),
            key,
            user: global.user.clone(),
            prompt: prompt::Prompter::new(global.no_input),
            mask: mask::Masker::new(global.no_mask),
            now: jiff::Timestamp::now().as_second(),
            cache_dir: dirs().ok().map(|d| d.cache_dir().to_owned()),
            connect_timeout: Duration::from_secs(global.connect_timeout.unsigned_abs()),
            timeout: Duration::from_secs(global.http_timeout.unsigned_abs()),
        })
    }

    /// The same context with "now" read again, for a command that goes on
    /// working while time passes (`run --file`).
    pub fn at_now(&self) -> Context {
        Context {
            now: jiff::Timestamp::now().as_second(),
            ..self.clone()
        }
    }

    /// The same context for another vault (`migrate`'s target).
    pub fn with_db(&self, db: PathBuf) -> Context {
        Context {
            db,
            db_given: true,
            ..self.clone()
        }
    }

    /// The HTTP client, made only by commands that talk to a provider.
    pub fn http(&self) -> http::Http {
        http::Http::new(self.connect_timeout, self.timeout)
    }
}

/// Opens the vault for reading, or says why there is nothing to read.
pub fn open_vault(ctx: &Context, what: &str) -> Result<Vault> {
    check_db_dir(ctx)?;
    open_vault_if_exists(ctx)?.ok_or_else(|| {
        error::not_found(format!(
            "no {what}: the vault {} does not exist yet (create it with `tokvault store`)",
            crate::vault::shown(&ctx.db)
        ))
    })
}

/// The vault, or None when there is none yet.
pub fn open_vault_if_exists(ctx: &Context) -> Result<Option<Vault>> {
    let Some(vault) = Vault::open_existing(&ctx.db)? else {
        return Ok(None);
    };
    settle_interrupted_rekey(ctx, &vault)?;
    Ok(Some(vault))
}

/// A `--db` in a directory that does not exist is refused by every
/// command, reading or writing: a typo in TOKVAULT_DB must neither look
/// like an empty vault nor make a new one somewhere unexpected. The default
/// location's directories are made as needed.
pub fn check_db_dir(ctx: &Context) -> Result<()> {
    let missing_dir = ctx.db.parent().filter(|d| {
        ctx.db_given
            && !crate::vault::is_remote(&ctx.db)
            && !d.as_os_str().is_empty()
            && !d.exists()
    });
    match missing_dir {
        Some(dir) => Err(error::not_found(format!(
            "no vault at {}: the directory {} does not exist (check --db / TOKVAULT_DB)",
            crate::vault::shown(&ctx.db),
            dir.display()
        ))),
        None => Ok(()),
    }
}

/// Opens the vault, creating it first if there is none.
pub fn open_or_create_vault(ctx: &Context) -> Result<Vault> {
    check_db_dir(ctx)?;
    let vault = Vault::open_or_create(&ctx.db)?;
    settle_interrupted_rekey(ctx, &vault)?;
    Ok(vault)
}

/// A rekey killed between its commit and moving the new key into place
/// leaves `key.new`: the next command finishes (or undoes) it, holding the
/// whole vault's lock so no rekey runs meanwhile. Costs one `stat` when
/// there is nothing to do. Runs before the command takes any lock of its
/// own; `rekey` calls `settle_locked` under the lock it holds.
pub fn settle_interrupted_rekey(ctx: &Context, vault: &Vault) -> Result<()> {
    if ctx.key.staged().is_none_or(|p| !p.exists()) {
        return Ok(());
    }
    let _lock = vault.lock_all(|| {
        crate::notice::note("waiting for refreshes in progress to finish an interrupted rekey")
    })?;
    settle_locked(ctx, vault)
}

/// `settle_interrupted_rekey` for a caller that holds the vault's lock. The
/// key check is read only now, under the lock, so it is the one the staged
/// key must be judged against.
pub fn settle_locked(ctx: &Context, vault: &Vault) -> Result<()> {
    let Some(staged) = ctx.key.staged().filter(|p| p.exists()) else {
        return Ok(());
    };
    let Some(check) = vault.read().key_check()? else {
        return Ok(());
    };
    crate::key::settle_staged(&ctx.key, &staged, |k| Sealer::new(k.clone()).opens(&check))
}

/// `find_credential` in the namespace `user`.
pub fn find_credential_of(
    vault: &Vault,
    user: &str,
    name: &str,
) -> Result<(CredentialMeta, String)> {
    vault.read().credential(user, name)?.ok_or_else(|| {
        let whose = if user == "default" {
            String::new()
        } else {
            format!(" for user '{user}'")
        };
        error::not_found(format!(
            "no credential '{name}'{whose} (see `tokvault list`)"
        ))
    })
}

/// The master key.
pub fn load_key(ctx: &Context) -> Result<fernet::Fernet> {
    ctx.key.load()?.ok_or_else(|| {
        error::key(format!(
            "no master key: {} does not exist and TOKVAULT_KEY is not set",
            ctx.key.describe()
        ))
    })
}

/// The sealer for reading: the key must exist; it is checked against the
/// vault only when a blob fails to open, keeping `get` to one decryption.
pub fn read_sealer(ctx: &Context) -> Result<Sealer> {
    load_key(ctx).map(Sealer::new)
}

/// The sealer for writing, checked against the vault's key. The default key
/// file is created only for a vault that has never held a secret.
///
/// Every vault file written with a key file is recorded beside it, so that
/// `rekey` of that key file knows every vault it would leave behind.
pub fn write_sealer(ctx: &Context, tx: &Tx<'_>) -> Result<Sealer> {
    let first = !tx.has_key()?;
    let key = if first {
        let (key, created) = ctx.key.load_or_create()?;
        if let KeySource::Default(path) = &ctx.key {
            tx.set_key_file_hint(path)?;
            if created {
                crate::notice::note(format!("created a new master key at {}", path.display()));
            }
        }
        key
    } else {
        load_key(ctx)?
    };
    let sealer = tx.sealer_for_write(key)?;
    // Best effort: a key directory this user cannot write (a mounted
    // secret) must not stop every write; rekey then cannot know.
    if let KeySource::Default(path) | KeySource::File(path) = &ctx.key
        && !crate::vault::is_remote(&ctx.db)
        && let Err(e) = crate::key::record_vault(path, &ctx.db)
        && matches!(ctx.key, KeySource::Default(_))
    {
        crate::notice::warn(format!("{e:#}; rekey cannot know this vault uses the key"));
    }
    if first {
        let shared = match &ctx.key {
            KeySource::Default(_) => {
                " (the default key: every vault made without --key-file or TOKVAULT_KEY shares it)"
            }
            _ => "",
        };
        crate::notice::note(format!(
            "the vault {} is sealed with {}{shared}",
            crate::vault::shown(&ctx.db),
            ctx.key.describe()
        ));
    }
    Ok(sealer)
}
