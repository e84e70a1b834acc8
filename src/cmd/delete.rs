use super::{find_credential, open_vault};
use crate::Context;
use crate::cli::DeleteArgs;
use anyhow::{Result, bail};

pub fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let mut vault = open_vault(ctx, "credential to delete")?;
    let (meta, _) = find_credential(ctx, &vault, &args.integration)?;
    let what = meta.describe();
    if !args.yes
        && !ctx.prompt.confirm(
            &format!("Delete {what}?"),
            &format!("deleting {what} needs confirmation"),
            "pass --yes to delete without asking",
        )?
    {
        bail!("{what} was not deleted");
    }
    vault.write(|tx| tx.delete(&meta.user, &meta.integration))?;
    eprintln!("tokvault: deleted {what}");
    Ok(())
}
