use super::{Vault, find_credential};
use crate::Context;
use crate::cli::DeleteArgs;
use crate::revoke::Revoked;
use crate::token::TokenType;
use crate::vault::RouteKind;
use anyhow::Result;

pub fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, "credential to delete")?;
    let (meta, _) = find_credential(ctx, &vault, &args.integration)?;
    let what = meta.describe();
    if !args.yes
        && !ctx.prompt().confirm(
            &format!("Delete {what}?"),
            &format!("deleting {what} needs confirmation"),
            "pass --yes to delete without asking",
        )?
    {
        eprintln!("tokvault: {what} was not deleted");
        return Err(crate::error::Error::Exit(crate::error::code::FAILURE).into());
    }
    let revoked = if args.no_revoke {
        Revoked::NotAsked
    } else {
        crate::revoke::at_provider(ctx, &vault, &meta)?
    };
    let routes = vault.update(&meta.user, &meta.integration, |tx, current| {
        revoked.still_current(current.as_ref().map(|(m, _)| m))?;
        let mut routes = Vec::new();
        for kind in RouteKind::ALL {
            routes.extend(
                tx.routes(kind)?
                    .into_iter()
                    .filter(|r| r.user == meta.user && r.credential == meta.integration),
            );
        }
        tx.delete(&meta.user, &meta.integration)?;
        Ok(routes)
    })?;
    if args.json {
        return crate::output::json(&crate::output::ChangedJson {
            meta: crate::output::MetaJson::new(&meta, ctx.now),
            replaced: None,
            deleted: Some(true),
        });
    }
    eprintln!("tokvault: deleted {what}");
    match revoked {
        Revoked::At { url, sent, .. } if sent > 0 => {
            eprintln!("tokvault: its tokens were revoked at {url}");
        }
        Revoked::At { .. } => {
            eprintln!("tokvault: it held no live token to revoke");
        }
        Revoked::Unknown => eprintln!(
            "tokvault: note: tokvault knows no way to revoke its tokens at {}: they stay valid \
             there until they expire (give its client --revocation-url to revoke them next time)",
            meta.provider
        ),
        Revoked::Already(at) => eprintln!(
            "tokvault: its tokens were revoked at {}",
            crate::time::timestamp(at)
        ),
        Revoked::NotAsked if meta.token_type == TokenType::Oauth2 => eprintln!(
            "tokvault: note: --no-revoke: its tokens stay valid at {} until they expire",
            meta.provider
        ),
        Revoked::NotAsked => {}
    }
    // A key or JWT has no standard revocation: forgetting it here leaves it
    // valid there, and a person must not believe otherwise.
    if matches!(meta.token_type, TokenType::ApiKey | TokenType::Jwt) {
        let at = crate::providers::find(&meta.provider)
            .and_then(|p| p.revoke_at)
            .map_or_else(
                || "where it was issued".to_string(),
                |url| format!("at {url}"),
            );
        eprintln!(
            "tokvault: note: the {} itself stays valid at {}: revoke it {at}",
            if meta.token_type == TokenType::Jwt {
                "JWT"
            } else {
                "key"
            },
            meta.provider
        );
    }
    for route in routes {
        eprintln!(
            "tokvault: {}-credential no longer answers for {}",
            route.kind.as_str(),
            route.pattern
        );
    }
    Ok(())
}
