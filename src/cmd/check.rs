//! `tokvault check`: which credentials will stop working without a person
//! within a while, and why; for cron and CI, before a job finds out.

use crate::Context;
use crate::cli::CheckArgs;
use crate::error::{self, Error};
use crate::token::TokenType;
use crate::vault::CredentialMeta;
use anyhow::Result;
use serde::Serialize;

/// A credential that will stop working, and why.
#[derive(Serialize)]
struct Finding {
    integration_key: String,
    user: String,
    expires_at: Option<String>,
    reason: String,
}

pub fn run(args: &CheckArgs, ctx: &Context) -> Result<()> {
    let Some(vault) = super::open_for_listing(ctx)? else {
        return report(args, &[]);
    };
    let read = vault.read();
    let by = ctx.now.saturating_add(args.within);
    let mut findings = Vec::new();
    let user = (!args.all_users).then_some(ctx.user());
    let mut sealer = None;
    // Clients whose secret ends in time: the credentials they renew stop
    // renewing then.
    let secret_ends: std::collections::HashMap<i64, (String, i64)> = read
        .all_clients()?
        .into_iter()
        .filter_map(|(c, _)| {
            c.secret_expires_at
                .filter(|t| *t <= by)
                .map(|t| (c.id, (c.name, t)))
        })
        .collect();
    for meta in read.list(user, None)? {
        if let Some(at) = meta.revoked_at {
            findings.push(Finding {
                integration_key: meta.integration.clone(),
                user: meta.user.clone(),
                expires_at: Some(crate::time::timestamp(at)),
                reason: format!(
                    "revoked at {}: store a new token, or delete it",
                    crate::time::timestamp(at)
                ),
            });
            continue;
        }
        if let Some((client, end)) = meta.oauth2_client.and_then(|id| secret_ends.get(&id)) {
            findings.push(Finding {
                integration_key: meta.integration.clone(),
                user: meta.user.clone(),
                expires_at: Some(crate::time::timestamp(*end)),
                reason: format!(
                    "the secret of its OAuth2 client '{client}' {} at {}: renew it at the \
                     provider and add the client again",
                    if *end <= ctx.now {
                        "expired"
                    } else {
                        "expires"
                    },
                    crate::time::timestamp(*end)
                ),
            });
            continue;
        }
        let expires = meta.expires_at.filter(|t| *t <= by);
        // Nothing said it stops: nothing to open. An OAuth2 credential's
        // refresh token may have an end of its own, kept sealed.
        if expires.is_none() && meta.token_type != TokenType::Oauth2 {
            continue;
        }
        if sealer.is_none() {
            sealer = Some(vault.read_sealer()?);
        }
        let Some((meta, sealed)) = read.credential(&meta.user, &meta.integration)? else {
            continue;
        };
        let data = read.unseal(sealer.as_ref().expect("loaded"), &meta, &sealed)?;
        // Renews by itself: a refresh token, the client_credentials grant,
        // or a machine identity's key.
        let identity_ready = data.identity.is_none() || data.private_key.is_some();
        let renews = crate::refresh::renewable(&meta, &data) && identity_ready;
        let refresh_ends = crate::token::refresh_expires_at(&data)
            .filter(|t| *t <= by && data.refresh_token.is_some() && !meta.client_credentials);
        let why = match (renews, expires, refresh_ends) {
            (true, _, Some(end)) => Some((
                end,
                format!(
                    "its refresh token {} at {}: sign in again",
                    if end <= ctx.now { "expired" } else { "expires" },
                    crate::time::timestamp(end)
                ),
            )),
            (false, Some(at), _) => Some((at, reason(&meta, at, ctx.now))),
            _ => None,
        };
        if let Some((at, reason)) = why {
            findings.push(Finding {
                reason,
                integration_key: meta.integration.clone(),
                user: meta.user.clone(),
                expires_at: Some(crate::time::timestamp(at)),
            });
        }
    }
    report(args, &findings)
}

fn reason(meta: &CredentialMeta, expires: i64, now: i64) -> String {
    let when = if expires <= now { "expired" } else { "expires" };
    let what = match meta.token_type {
        TokenType::Oauth2 => "an access token without a refresh token",
        TokenType::ApiKey => "an API key",
        TokenType::Jwt => "a JWT",
    };
    format!(
        "{when} at {}: {what}, which tokvault cannot renew",
        crate::time::timestamp(expires)
    )
}

fn report(args: &CheckArgs, findings: &[Finding]) -> Result<()> {
    if args.json {
        crate::output::json(findings)?;
    } else if !findings.is_empty() {
        let rows = findings
            .iter()
            .map(|f| vec![f.integration_key.clone(), f.user.clone(), f.reason.clone()])
            .collect();
        crate::output::table(&["NAME", "USER", "WHY"], rows)?;
    }
    let within = crate::time::human_duration(args.within.unsigned_abs());
    if findings.is_empty() {
        eprintln!("tokvault: every credential stays valid, or renews itself, for {within}");
        return Ok(());
    }
    eprintln!(
        "tokvault: {} credential(s) will stop working within {within} unless a person renews them",
        findings.len()
    );
    Err(Error::Exit(error::code::EXPIRED).into())
}
