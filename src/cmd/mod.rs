//! One module per subcommand, each a small `run(args, ctx)`.

pub mod backup;
pub mod cargo_credential;
pub mod client_credentials;
pub mod completion;
pub mod delete;
pub mod docker_credential;
pub mod exchange_code;
pub mod exec_credential;
pub mod export;
pub mod get;
pub mod git_credential;
mod grant;
pub mod identity;
pub mod list;
pub mod login;
pub mod oauth2;
pub mod refresh;
pub mod rekey;
pub mod run;
pub mod store;

use crate::Context;
use crate::error;
use crate::vault::{Client, ClientSecrets, CredentialMeta, Sealer, Tx, Vault, client_not_found};
use anyhow::Result;

/// Opens the vault for reading, or says why there is nothing to read.
pub fn open_vault(ctx: &Context, what: &str) -> Result<Vault> {
    let vault = Vault::open_existing(&ctx.db)?.ok_or_else(|| {
        error::not_found(format!(
            "no {what}: the vault {} does not exist yet (create it with `tokvault store`)",
            ctx.db.display()
        ))
    })?;
    settle_interrupted_rekey(ctx, &vault)?;
    Ok(vault)
}

/// Opens the vault, creating it first if there is none.
pub fn open_or_create_vault(ctx: &Context) -> Result<Vault> {
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
        eprintln!("tokvault: waiting for refreshes in progress to finish an interrupted rekey")
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

/// The credential's metadata and sealed blob, or "not found".
pub fn find_credential(
    ctx: &Context,
    vault: &Vault,
    name: &str,
) -> Result<(CredentialMeta, String)> {
    find_credential_of(vault, &ctx.user, name)
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
pub fn write_sealer(ctx: &Context, tx: &Tx<'_>) -> Result<Sealer> {
    let key = if tx.has_key()? {
        load_key(ctx)?
    } else {
        let key = ctx.key.load_or_create()?;
        if let crate::key::KeySource::Default(path) = &ctx.key {
            tx.set_key_file_hint(path)?;
        }
        key
    };
    tx.sealer_for_write(key)
}

/// Checks the namespace a credential is about to be created in. Names are
/// checked where they are made, so a credential of an older vault with a
/// name that is no longer allowed can still be read and deleted.
pub fn check_new_user(ctx: &Context) -> Result<()> {
    crate::text::check_name(&ctx.user).map_err(|e| error::usage(format!("--user: {e}")))
}

/// One line on stderr saying what was written, never a secret.
pub fn report_stored(verb: &str, meta: &CredentialMeta) {
    let expiry = meta.expires_at.map_or(String::new(), |t| {
        format!(", expires {}", crate::time::timestamp(t))
    });
    eprintln!(
        "tokvault: {verb} {} ({}{expiry})",
        meta.describe(),
        meta.token_type.as_str()
    );
}

/// An OAuth2 client and its secrets, or "not found".
pub fn find_client(tx: &Tx<'_>, sealer: &Sealer, name: &str) -> Result<(Client, ClientSecrets)> {
    let (client, sealed) = tx.client(name)?.ok_or_else(|| client_not_found(name))?;
    let secrets = tx.unseal_client(sealer, &client, &sealed)?;
    Ok((client, secrets))
}

/// `--json` output of a credential with its secrets, masked first on CI.
pub fn print_record(
    ctx: &Context,
    meta: &CredentialMeta,
    data: &crate::token::TokenData,
    refreshed: bool,
) -> Result<()> {
    for secret in data.secrets() {
        ctx.mask.register(&secret);
    }
    crate::output::json(&crate::output::RecordJson::new(
        meta,
        &data.shown(),
        ctx.now,
        refreshed,
    ))
}
