use super::{find_credential, open_vault, read_sealer};
use crate::Context;
use crate::cli::GetArgs;
use crate::error::{self, Error};
use crate::output::{self, RecordJson};
use anyhow::Result;

pub fn run(args: &GetArgs, ctx: &Context) -> Result<()> {
    let vault = open_vault(ctx, &format!("credential '{}'", args.integration))?;
    let (meta, sealed) = find_credential(ctx, &vault, &args.integration)?;
    let sealer = read_sealer(ctx)?;
    let data = vault.read().unseal(&sealer, &meta, &sealed)?;
    let what = meta.describe();

    if meta.is_expired_at(ctx.now) && !args.allow_expired {
        return Err(Error::Expired(format!(
            "{what} expired at {} and cannot be refreshed; store a new token \
             (or pass --allow-expired to print it anyway)",
            output::timestamp(meta.expires_at.unwrap_or_default())
        ))
        .into());
    }
    if args.json {
        return output::json(&RecordJson::new(&meta, &data, ctx.now, false));
    }
    let value = match &args.field {
        Some(name) => data
            .field(name)
            .ok_or_else(|| error::not_found(format!("{what} has no field '{name}'")))?,
        None => data
            .primary(meta.token_type)
            .cloned()
            .ok_or_else(|| error::not_found(format!("{what} holds no access token or api key")))?,
    };
    output::secret(&value)
}
