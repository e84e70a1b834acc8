use crate::Context;
use crate::cli::ListArgs;
use crate::output::{self, MetaJson};
use crate::vault::Vault;
use anyhow::Result;

pub fn run(args: &ListArgs, ctx: &Context) -> Result<()> {
    let mut creds = match Vault::open_existing(&ctx.db)? {
        Some(vault) => vault.read().list(
            (!args.all_users).then_some(ctx.user.as_str()),
            args.provider.as_deref(),
        )?,
        None => {
            // A typo in TOKVAULT_DB must not look like an empty vault.
            let missing_dir = ctx.db.parent().filter(|d| {
                !crate::vault::is_remote(&ctx.db) && !d.as_os_str().is_empty() && !d.exists()
            });
            if let Some(dir) = missing_dir.filter(|_| ctx.db_given) {
                return Err(crate::error::not_found(format!(
                    "no vault at {}: the directory {} does not exist (check --db / TOKVAULT_DB)",
                    crate::vault::shown(&ctx.db),
                    dir.display()
                )));
            }
            eprintln!(
                "tokvault: no vault at {} yet; `tokvault store` creates it",
                crate::vault::shown(&ctx.db)
            );
            Vec::new()
        }
    };
    creds.sort_by(|a, b| {
        a.user
            .cmp(&b.user)
            .then_with(|| crate::text::natural_cmp(&a.integration, &b.integration))
    });
    if args.expired {
        creds.retain(|c| c.is_expired_at(ctx.now));
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
            let expires = match c.expires_at {
                None => "never".to_string(),
                Some(t) if c.is_expired_at(ctx.now) => {
                    format!("{} (expired)", crate::time::timestamp(t))
                }
                Some(t) => crate::time::timestamp(t),
            };
            let mut row = vec![
                c.integration.clone(),
                c.provider.clone(),
                c.token_type.as_str().to_string(),
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
