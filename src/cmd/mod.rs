//! One module per subcommand, each a small `run(args, ctx)`.

pub mod backup;
pub mod client_credentials;
pub mod completion;
pub mod delete;
pub mod exchange_code;
pub mod export;
pub mod get;
mod grant;
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
    Vault::open_existing(&ctx.db)?.ok_or_else(|| {
        error::not_found(format!(
            "no {what}: the vault {} does not exist yet (create it with `tokvault store`)",
            ctx.db.display()
        ))
    })
}

/// The credential's metadata and sealed blob, or "not found".
pub fn find_credential(
    ctx: &Context,
    vault: &Vault,
    name: &str,
) -> Result<(CredentialMeta, String)> {
    vault.read().credential(&ctx.user, name)?.ok_or_else(|| {
        let whose = if ctx.user == "default" {
            String::new()
        } else {
            format!(" for user '{}'", ctx.user)
        };
        error::not_found(format!(
            "no credential '{name}'{whose} (see `tokvault list`)"
        ))
    })
}

/// The master key. A rekey killed between its commit and moving the new
/// key into place is finished first (one `stat` when there is none), unless
/// a rekey is running right now.
pub fn load_key(ctx: &Context, tx: &Tx<'_>) -> Result<fernet::Fernet> {
    if let Some(staged) = ctx.key.staged().filter(|p| p.exists())
        && let Some(check) = tx.key_check()?
        && let Some(_lock) = crate::vault::try_lock_all(tx.path())?
        && staged.exists()
    {
        crate::key::settle_staged(&ctx.key, &staged, |k| Sealer::new(k.clone()).opens(&check))?;
    }
    ctx.key.load()?.ok_or_else(|| {
        error::key(format!(
            "no master key: {} does not exist and TOKVAULT_KEY is not set",
            ctx.key.describe()
        ))
    })
}

/// The sealer for reading: the key must exist; it is checked against the
/// vault only when a blob fails to open, keeping `get` to one decryption.
pub fn read_sealer(ctx: &Context, vault: &Vault) -> Result<Sealer> {
    load_key(ctx, &vault.read()).map(Sealer::new)
}

/// The sealer for writing, checked against the vault's key. The default key
/// file is created only for a vault that has never held a secret.
pub fn write_sealer(ctx: &Context, tx: &Tx<'_>) -> Result<Sealer> {
    let key = if tx.has_key()? {
        load_key(ctx, tx)?
    } else {
        let key = ctx.key.load_or_create()?;
        if let crate::key::KeySource::Default(path) = &ctx.key {
            tx.set_key_file_hint(path)?;
        }
        key
    };
    tx.sealer_for_write(key)
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
        ctx.mask.register(secret);
    }
    crate::output::json(&crate::output::RecordJson::new(
        meta, data, ctx.now, refreshed,
    ))
}
