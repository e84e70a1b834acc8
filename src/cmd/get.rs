use super::{find_credential, open_vault, read_sealer};
use crate::Context;
use crate::cli::GetArgs;
use crate::error::{self, Error};
use crate::output::{self, RecordJson};
use crate::refresh::{self, Fresh, Policy};
use crate::secret::Secret;
use crate::vault::CredentialMeta;
use anyhow::Result;

pub fn run(args: &GetArgs, ctx: &Context) -> Result<()> {
    let mut vault = open_vault(ctx, &format!("credential '{}'", args.integration))?;
    let (meta, sealed) = find_credential(ctx, &vault, &args.integration)?;
    let sealer = read_sealer(ctx)?;
    let data = vault.read().unseal(&sealer, &meta, &sealed)?;
    let policy = if args.no_refresh {
        Policy::Never
    } else {
        Policy::Auto {
            min_valid: args.min_valid,
        }
    };
    let still_valid = data.access_token.is_some() && !meta.is_expired_at(ctx.now);
    let fresh = match refresh::ensure(ctx, &mut vault, &sealer, meta.clone(), data.clone(), policy)
    {
        Ok(fresh) => fresh,
        // Renewing early failed, but the token has not expired: use it.
        Err(e) if still_valid => {
            eprintln!(
                "tokvault: warning: {e:#}; the current token stays valid until {}",
                output::timestamp(meta.expires_at.unwrap_or_default())
            );
            Fresh {
                meta,
                data,
                refreshed: false,
            }
        }
        Err(e) => return Err(e),
    };
    let prints_token = args.field.is_none() && !args.json;
    check_usable(
        &fresh,
        ctx.now,
        args.allow_expired,
        args.no_refresh,
        prints_token,
    )?;
    if args.json {
        return output::json(&RecordJson::new(
            &fresh.meta,
            &fresh.data,
            ctx.now,
            fresh.refreshed,
        ));
    }
    output::secret(&value(&fresh, args.field.as_deref())?)
}

/// Fails for a credential that is expired (unless allowed) or holds nothing
/// to print, saying what to do.
fn check_usable(
    fresh: &Fresh,
    now: i64,
    allow_expired: bool,
    no_refresh: bool,
    prints_token: bool,
) -> Result<()> {
    let meta: &CredentialMeta = &fresh.meta;
    let what = meta.describe();
    let renewable = fresh.data.refresh_token.is_some() || meta.client_credentials;
    let remedy = if no_refresh && renewable {
        "run without --no-refresh to refresh it"
    } else {
        "store a new token"
    };
    if prints_token && fresh.data.primary(meta.token_type).is_none() && renewable {
        return Err(Error::Expired(format!("{what} has no access token yet; {remedy}")).into());
    }
    if meta.is_expired_at(now) && !allow_expired {
        return Err(Error::Expired(format!(
            "{what} expired at {} and was not refreshed; {remedy} (or pass --allow-expired to print it anyway)",
            output::timestamp(meta.expires_at.unwrap_or_default())
        ))
        .into());
    }
    Ok(())
}

/// The secret to print: one field, or the access token / api key.
pub fn value(fresh: &Fresh, field: Option<&str>) -> Result<Secret> {
    let what = fresh.meta.describe();
    match field {
        Some(name) => fresh
            .data
            .field(name)
            .ok_or_else(|| error::not_found(format!("{what} has no field '{name}'"))),
        None => fresh
            .data
            .primary(fresh.meta.token_type)
            .cloned()
            .ok_or_else(|| error::not_found(format!("{what} holds no access token or api key"))),
    }
}
