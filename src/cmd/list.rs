use crate::Context;
use crate::cli::ListArgs;
use crate::output::{self, MetaJson};
use crate::vault::CredentialMeta;
use anyhow::Result;

/// Streamed from the vault, in the order people read names: a vault of any
/// size is listed in the memory of one row (a table is read twice, to size
/// its columns first).
pub fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let vault = super::open_for_listing(ctx)?;
    let user = (!args.all_users).then_some(ctx.user());
    let shown = |c: &CredentialMeta| {
        (!args.expired || c.is_expired_at(ctx.now))
            && args.expiring.is_none_or(|within| {
                let by = ctx.now.saturating_add(within);
                c.expires_at.is_some_and(|t| t <= by)
            })
    };
    let each = |f: &mut dyn FnMut(CredentialMeta) -> Result<()>| -> Result<()> {
        match &vault {
            Some(vault) => vault
                .read()
                .each_listed(user, args.provider.as_deref(), |c| {
                    if shown(&c) { f(c) } else { Ok(()) }
                }),
            None => Ok(()),
        }
    };
    if args.json {
        let mut array = output::JsonArray::new();
        each(&mut |c| array.push(&MetaJson::new(&c, ctx.now)))?;
        return array.finish();
    }
    let mut header = vec!["NAME", "PROVIDER", "TYPE", "SCOPES", "EXPIRES", "UPDATED"];
    if args.all_users {
        header.insert(0, "USER");
    }
    output::table_streamed(&header, |emit| {
        each(&mut |c| {
            let mut row = vec![
                c.integration.clone(),
                c.provider.clone(),
                c.kind().to_string(),
                c.scopes.join(" "),
                c.expiry_shown(ctx.now),
                crate::time::timestamp(c.updated_at),
            ];
            if args.all_users {
                row.insert(0, c.user.clone());
            }
            emit(row)
        })
    })
}
