use crate::Context;
use crate::cli::ListArgs;
use crate::output::{self, MetaJson};
use anyhow::Result;

pub fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let mut creds = match super::open_for_listing(ctx)? {
        Some(vault) => vault.read().list(
            (!args.all_users).then_some(ctx.user.as_str()),
            args.provider.as_deref(),
        )?,
        None => Vec::new(),
    };
    creds.sort_by(|a, b| {
        a.user
            .cmp(&b.user)
            .then_with(|| crate::text::natural_cmp(&a.integration, &b.integration))
    });
    if args.expired {
        creds.retain(|c| c.is_expired_at(ctx.now));
    }
    if let Some(within) = args.expiring {
        let by = ctx.now.saturating_add(within);
        creds.retain(|c| c.expires_at.is_some_and(|t| t <= by));
    }
    if args.json {
        let rows: Vec<MetaJson> = creds.iter().map(|c| MetaJson::new(c, ctx.now)).collect();
        return output::json(&rows);
    }
    let mut header = vec!["NAME", "PROVIDER", "TYPE", "SCOPES", "EXPIRES", "UPDATED"];
    if args.all_users {
        header.insert(0, "USER");
    }
    let rows = creds
        .iter()
        .map(|c| {
            let expires = c.expiry_shown(ctx.now);
            let mut row = vec![
                c.integration.clone(),
                c.provider.clone(),
                c.kind().to_string(),
                c.scopes.join(" "),
                expires,
                crate::time::timestamp(c.updated_at),
            ];
            if args.all_users {
                row.insert(0, c.user.clone());
            }
            row
        })
        .collect();
    output::table(&header, rows)
}
