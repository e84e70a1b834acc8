use super::{find_credential, open_vault, read_sealer};
use crate::Context;
use crate::cli::RefreshArgs;
use crate::output::{self, RecordJson};
use crate::refresh::{self, Policy};
use anyhow::Result;

pub fn run(args: &RefreshArgs, ctx: &Context) -> Result<()> {
    let mut vault = open_vault(ctx, &format!("credential '{}'", args.integration))?;
    let (meta, sealed) = find_credential(ctx, &vault, &args.integration)?;
    let sealer = read_sealer(ctx)?;
    let data = vault.read().unseal(&sealer, &meta, &sealed)?;
    let fresh = refresh::ensure(ctx, &mut vault, &sealer, meta, data, Policy::Force)?;
    if args.json {
        return output::json(&RecordJson::new(
            &fresh.meta,
            &fresh.data,
            ctx.now,
            fresh.refreshed,
        ));
    }
    super::report_stored("refreshed", &fresh.meta);
    Ok(())
}
