//! `tokvault revoke`: the tokens killed at the provider, the credential
//! kept as a record that says so.

use super::{Vault, find_credential};
use crate::Context;
use crate::cli::RevokeArgs;
use crate::error;
use crate::revoke::Revoked;
use crate::token::TokenType;
use anyhow::Result;

pub fn run(args: &RevokeArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, "credential to revoke")?;
    let (meta, _) = find_credential(ctx, &vault, &args.integration)?;
    let what = meta.describe();
    if let Some(at) = meta.revoked_at {
        eprintln!(
            "tokvault: {what} was already revoked at {}",
            crate::time::timestamp(at)
        );
        return Ok(());
    }
    let revoked = crate::revoke::at_provider(ctx, &vault, &meta)?;
    let url = match &revoked {
        Revoked::At { url, .. } => url.clone(),
        Revoked::Already(_) => unreachable!("a revoked credential returned above"),
        Revoked::Unknown => {
            return Err(anyhow::anyhow!(
                "tokvault knows no way to revoke {what} at {}; nothing changed (give its client \
                 --revocation-url, or revoke it there and `tokvault delete {} --no-revoke`)",
                meta.provider,
                meta.integration
            ));
        }
        Revoked::NotAsked => {
            let at = crate::providers::find(&meta.provider)
                .and_then(|p| p.revoke_at)
                .map_or_else(|| "where it was issued".to_string(), |u| format!("at {u}"));
            let kind = if meta.token_type == TokenType::Jwt {
                "a JWT"
            } else {
                "an API key"
            };
            return Err(error::usage(format!(
                "{what} is {kind}, which has no standard revocation: revoke it {at}, then \
                 `tokvault delete {}`; nothing changed",
                meta.integration
            )));
        }
    };
    vault.update(&meta.user, &meta.integration, |w, current| {
        let (current, sealed) =
            current.ok_or_else(|| error::not_found(format!("{what} was deleted meanwhile")))?;
        revoked.still_current(Some(&current))?;
        w.mark_revoked(
            w.sealer()?,
            &current,
            &sealed,
            jiff::Timestamp::now().as_second(),
        )
    })?;
    eprintln!("tokvault: revoked {what} at {url}; it is kept, marked revoked");
    Ok(())
}
