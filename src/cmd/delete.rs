use super::{find_credential, open_vault};
use crate::Context;
use crate::cli::DeleteArgs;
use anyhow::Result;

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
        eprintln!("tokvault: {what} was not deleted");
        return Err(crate::error::Error::Exit(crate::error::code::FAILURE).into());
    }
    let _lock = vault.lock_credential(
        &meta.user,
        &meta.integration,
        crate::refresh::waiting_for(&what),
    )?;
    vault.write(|tx| tx.delete(&meta.user, &meta.integration))?;
    if args.json {
        return crate::output::json(&crate::output::ChangedJson {
            meta: crate::output::MetaJson::new(&meta, ctx.now),
            replaced: None,
            deleted: Some(true),
        });
    }
    eprintln!("tokvault: deleted {what}");
    Ok(())
}
