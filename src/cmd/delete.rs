use super::{Vault, find_credential};
use crate::Context;
use crate::cli::DeleteArgs;
use crate::token::TokenType;
use crate::vault::{CredentialMeta, RouteKind};
use anyhow::Result;

pub fn run(args: &DeleteArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, "credential to delete")?;
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
    let revoked = if args.no_revoke {
        Revoked::NotAsked
    } else {
        revoke_first(ctx, &vault, &meta)?
    };
    let routes = vault.update(&meta.user, &meta.integration, |tx, _| {
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
        Revoked::At(url, n) if n > 0 => {
            eprintln!("tokvault: its tokens were revoked at {url}");
        }
        Revoked::At(..) => {
            eprintln!("tokvault: it held no live token to revoke");
        }
        Revoked::Unknown => eprintln!(
            "tokvault: note: tokvault knows no way to revoke its tokens at {}: they stay valid \
             there until they expire (give its client --revocation-url to revoke them next time)",
            meta.provider
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

/// What was done at the provider before deleting.
enum Revoked {
    /// --no-revoke.
    NotAsked,
    /// Revoked there, this many tokens (none alive is 0).
    At(String, usize),
    /// An OAuth2 token tokvault knows no way to revoke.
    Unknown,
}

/// Revokes the credential's tokens where tokvault knows how, before
/// anything is deleted: a user must never believe a token is dead when it
/// is not. Any failure stops the delete and names --no-revoke.
fn revoke_first(ctx: &Context, vault: &Vault, meta: &CredentialMeta) -> Result<Revoked> {
    let oauth = meta.token_type == TokenType::Oauth2;
    if !oauth && meta.renewal.as_deref() != Some("github-app") {
        return Ok(Revoked::NotAsked);
    }
    let what = meta.describe();
    let stop = |e: anyhow::Error| {
        e.context(format!(
            "{what} was not revoked at {}, so nothing was deleted; \
             `tokvault delete {} --no-revoke` deletes it here only, leaving its tokens valid there",
            meta.provider, meta.integration
        ))
    };
    let sealer = vault.read_sealer().map_err(stop)?;
    let (meta, sealed) = vault.credential(&meta.user, &meta.integration)?;
    let read = vault.read();
    let data = read.unseal(&sealer, &meta, &sealed).map_err(stop)?;
    let Some(method) = crate::revoke::method(&read, &sealer, &meta, &data).map_err(stop)? else {
        return Ok(Revoked::Unknown);
    };
    let sent = crate::revoke::revoke(&ctx.http(), &method, &meta, &data, ctx.now).map_err(stop)?;
    Ok(Revoked::At(method.url().to_string(), sent))
}
