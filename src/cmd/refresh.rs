use super::{find_credential, open_vault, read_sealer};
use crate::Context;
use crate::cli::RefreshArgs;
use crate::refresh::{self, Policy};
use anyhow::Result;

pub fn run(args: &RefreshArgs, ctx: &Context) -> Result<()> {
    let mut vault = open_vault(ctx, &format!("credential '{}'", args.integration))?;
    let (meta, sealed) = find_credential(ctx, &vault, &args.integration)?;
    let sealer = read_sealer(ctx)?;
    let data = vault.read().unseal(&sealer, &meta, &sealed)?;
    let fresh = refresh::ensure(ctx, &mut vault, &sealer, meta, data, Policy::Force)?;
    if args.json {
        return super::print_record(ctx, &fresh.meta, &fresh.data, fresh.refreshed);
    }
    super::report_stored("refreshed", &fresh.meta);
    Ok(())
}
