use super::{Vault, find_credential};
use crate::Context;
use crate::audit::{Access, Outcome};
use crate::cli::RefreshArgs;
use crate::refresh::{self, Policy};
use anyhow::Result;

pub fn run(args: &RefreshArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, &format!("credential '{}'", args.integration))?;
    let (meta, sealed) = find_credential(ctx, &vault, &args.integration)?;
    let sealer = vault.read_sealer()?;
    let data = vault.read().unseal(&sealer, &meta, &sealed)?;
    let fresh = refresh::ensure(ctx, &mut vault, &sealer, meta, data, Policy::Force)?;
    if args.json {
        // The record holds its secrets: on record before it is printed.
        let m = &fresh.meta;
        vault.record(
            &Access::to(vault.operation(), &m.user, &m.integration, Outcome::Served),
            Some(&sealer),
        )?;
        return super::print_record(ctx, m, &fresh.data, fresh.refreshed);
    }
    super::report_stored("refreshed", &fresh.meta);
    Ok(())
}
