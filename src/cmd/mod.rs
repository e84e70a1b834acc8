//! One module per subcommand, each a small `run(args, ctx)`.

pub mod audit;
pub mod backup;
pub mod cargo_credential;
pub mod check;
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
pub mod import;
pub mod inject;
pub mod list;
pub mod login;
pub mod mcp;
pub mod oauth2;
pub mod refresh;
pub mod rekey;
pub mod revoke;
pub mod run;
pub mod serve;
pub mod store;

use crate::Context;
pub use crate::app::{Vault, find_client};
use crate::error;
use crate::vault::CredentialMeta;
use anyhow::Result;

/// The credential `name` in --user's namespace, or "not found".
pub fn find_credential(
    ctx: &Context,
    vault: &Vault,
    name: &str,
) -> Result<(CredentialMeta, String)> {
    vault.credential(ctx.user(), name)
}

/// The vault a listing reads, or None with a note that there is none yet
/// (a `--db` in a directory that does not exist is an error, exit 3).
pub fn open_for_listing(ctx: &Context) -> Result<Option<Vault>> {
    crate::app::check_db_dir(ctx)?;
    let vault = Vault::open_if_exists(ctx)?;
    if vault.is_none() {
        eprintln!(
            "tokvault: no vault at {} yet; `tokvault store` creates it",
            ctx.db().shown()
        );
    }
    Ok(vault)
}

/// Checks the namespace a credential is about to be created in. Names are
/// checked where they are made, so a credential of an older vault with a
/// name that is no longer allowed can still be read and deleted.
pub fn check_new_user(ctx: &Context) -> Result<()> {
    crate::text::check_name(ctx.user()).map_err(|e| error::usage(format!("--user: {e}")))
}

/// One line on stderr saying what was written, never a secret.
pub fn report_stored(verb: &str, meta: &CredentialMeta) {
    let expiry = meta.expires_at.map_or(String::new(), |t| {
        format!(", expires {}", crate::time::timestamp(t))
    });
    eprintln!(
        "tokvault: {verb} {} ({}{expiry})",
        meta.describe(),
        meta.kind()
    );
}

/// `--json` output of a credential with its secrets, masked first on CI.
pub fn print_record(
    ctx: &Context,
    meta: &CredentialMeta,
    data: &crate::token::TokenData,
    refreshed: bool,
) -> Result<()> {
    for secret in data.secrets() {
        ctx.mask().register(&secret);
    }
    crate::output::json(&crate::output::RecordJson::new(
        meta,
        &data.shown(),
        ctx.now,
        refreshed,
    ))
}

/// Writes the credential under its lock, and says what was stored.
pub fn save(
    args: &crate::cli::StoreArgs,
    ctx: &Context,
    vault: Option<Vault>,
    new: crate::vault::NewCredential,
    data: crate::token::TokenData,
) -> Result<()> {
    let mut vault = match vault {
        Some(v) => v,
        None => Vault::open_or_create(ctx)?,
    };
    let (meta, replaced) = vault.update(&new.user, &new.integration, |w, current| {
        let replaced = current.is_some();
        if replaced && args.no_replace {
            return Err(anyhow::anyhow!(
                "credential '{}' exists and --no-replace keeps it; nothing was stored",
                new.integration
            ));
        }
        Ok((w.put(w.sealer()?, &new, &data, ctx.now)?, replaced))
    })?;
    if args.json {
        return crate::output::json(&crate::output::ChangedJson {
            meta: crate::output::MetaJson::new(&meta, ctx.now),
            replaced: Some(replaced),
            deleted: None,
        });
    }
    report_stored(if replaced { "replaced" } else { "stored" }, &meta);
    Ok(())
}

/// `resolve::all`, rendered: one failure is the error; several are each
/// named on stderr with its exit code, and the first one's code is ours.
pub fn resolve_bindings(
    ctx: &Context,
    bindings: &[crate::refs::Binding],
    allow_expired: bool,
) -> Result<Vec<crate::resolve::Resolved>> {
    match crate::resolve::all(ctx, bindings, allow_expired) {
        Ok(values) => Ok(values),
        Err(mut failed) if failed.len() == 1 => {
            let f = failed.pop().expect("one");
            Err(if f.what.is_empty() {
                f.error
            } else {
                f.error.context(f.what)
            })
        }
        Err(failed) => {
            for f in &failed {
                let line = crate::text::clean(&format!("{}: {:#}", f.what, f.error), 2000);
                eprintln!(
                    "tokvault: error: {line} (exit {})",
                    error::exit_code(&f.error)
                );
            }
            Err(error::Error::Exit(error::exit_code(&failed[0].error)).into())
        }
    }
}
