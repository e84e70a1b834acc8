//! Revoking a credential's tokens at the provider that issued them, where
//! tokvault knows how: RFC 7009 at the client's revocation endpoint (from
//! discovery or `--revocation-url`) or its preset's, the presets' own ways
//! (Dropbox, Slack: a POST with the token as bearer), and a GitHub App's
//! installation token (`DELETE /installation/token`). A token already
//! expired is dead and is not sent.

use crate::app::Vault;
use crate::http::{Http, PostBody};
use crate::providers::{self, Revocation};
use crate::refresh::ClientConfig;
use crate::secret::Secret;
use crate::session::Context;
use crate::token::{Identity, TokenData, TokenType};
use crate::vault::{CredentialMeta, Sealer, Tx};
use anyhow::Result;

/// How one credential's tokens are revoked.
pub enum Method {
    /// RFC 7009: the refresh and the access token, each with its
    /// token_type_hint, authenticated as the client.
    Rfc7009 { url: String, client: ClientConfig },
    /// The access token as the bearer of a POST (or a DELETE).
    Bearer { url: String, delete: bool },
}

impl Method {
    /// Where, for messages.
    pub fn url(&self) -> &str {
        match self {
            Method::Rfc7009 { url, .. } | Method::Bearer { url, .. } => url,
        }
    }
}

/// How `meta`'s tokens are revoked, or None where tokvault knows no way.
pub fn method(
    tx: &Tx<'_>,
    sealer: &Sealer,
    meta: &CredentialMeta,
    data: &TokenData,
) -> Result<Option<Method>> {
    if let Some(Identity::GithubApp { api_url, .. }) = &data.identity {
        return Ok(Some(Method::Bearer {
            url: format!("{}/installation/token", api_url.trim_end_matches('/')),
            delete: true,
        }));
    }
    if meta.token_type != TokenType::Oauth2 || data.identity.is_some() {
        return Ok(None);
    }
    let own = match meta.oauth2_client {
        Some(id) => tx.client_by_id(id)?.and_then(|(c, _)| c.revocation_url),
        None => None,
    };
    let preset = providers::find(&meta.provider).and_then(|p| p.revocation);
    let client = || crate::refresh::client_for(tx, sealer, meta, data);
    Ok(match (own, preset) {
        (Some(url), _) => Some(Method::Rfc7009 {
            url,
            client: client()?,
        }),
        // Without a client to authenticate as, tokvault cannot revoke
        // there; any other failure (a tampered client row) is an error.
        (None, Some(Revocation::Rfc7009(url))) => match client() {
            Ok(client) => Some(Method::Rfc7009 {
                url: url.to_string(),
                client,
            }),
            Err(e) if crate::error::exit_code(&e) == crate::error::code::EXPIRED => None,
            Err(e) => return Err(e),
        },
        (None, Some(Revocation::BearerPost(url))) => Some(Method::Bearer {
            url: url.to_string(),
            delete: false,
        }),
        (None, None) => None,
    })
}

/// Revokes what of `data` is still alive; how many tokens were sent. The
/// first refusal (exit 5) or failure to reach the provider (exit 6) stops.
pub fn revoke(
    http: &Http,
    method: &Method,
    meta: &CredentialMeta,
    data: &TokenData,
    now: i64,
) -> Result<usize> {
    let live_access = data
        .access_token
        .as_ref()
        .filter(|t| !t.is_empty() && !meta.is_expired_at(now));
    match method {
        Method::Rfc7009 { url, client } => {
            let tokens = [
                (data.refresh_token.as_ref(), "refresh_token"),
                (live_access, "access_token"),
            ];
            let mut sent = 0;
            for (token, hint) in tokens {
                let Some(token) = token.filter(|t| !t.is_empty()) else {
                    continue;
                };
                match crate::oauth::revoke(http, &client.endpoint(), url, token, hint) {
                    Ok(()) => {}
                    // Revoking the refresh token took the grant, and its
                    // access token with it (Google says so of the second).
                    Err(e) if sent > 0 && refused_as(&e, "invalid_token") => {}
                    Err(e) => return Err(e),
                }
                sent += 1;
            }
            Ok(sent)
        }
        Method::Bearer { url, delete } => {
            let Some(token) = live_access else {
                // Such a provider revokes only with a live access token;
                // the refresh token would outlive a "revoked" credential.
                if data.refresh_token.is_some() {
                    return Err(anyhow::anyhow!(
                        "{} revokes only with a live access token, and this one has expired \
                         while its refresh token still works: `tokvault refresh {}`, then try again",
                        meta.provider,
                        meta.integration
                    ));
                }
                return Ok(0);
            };
            let bearer = Secret::new(format!("Bearer {}", token.expose()));
            let headers = [("Authorization", bearer.expose())];
            let answer = if *delete {
                http.delete(url, &headers)?
            } else {
                http.post(url, &PostBody::Empty, &headers)?
            };
            crate::oauth::revoked(&answer, url)?;
            Ok(1)
        }
    }
}

/// Whether `e` is the provider refusing with OAuth2 error `code`.
fn refused_as(e: &anyhow::Error, code: &str) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref(),
            Some(crate::error::Error::ProviderRefused(r)) if r.error == code
        )
    })
}

/// What was done at the provider.
pub enum Revoked {
    /// --no-revoke.
    NotAsked,
    /// Revoked there, this many tokens (none alive is 0), as the row was
    /// at this version.
    At {
        url: String,
        sent: usize,
        version: i64,
    },
    /// An OAuth2 token tokvault knows no way to revoke.
    Unknown,
    /// `revoke` did it already, at this time.
    Already(i64),
}

/// Revokes the credential's tokens where tokvault knows how, before
/// anything is deleted or marked: a user must never believe a token is
/// dead when it is not. Any failure is an error that names --no-revoke.
pub fn at_provider(ctx: &Context, vault: &Vault, meta: &CredentialMeta) -> Result<Revoked> {
    let oauth = meta.token_type == TokenType::Oauth2;
    if !oauth && meta.renewal.as_deref() != Some("github-app") {
        return Ok(Revoked::NotAsked);
    }
    if let Some(at) = meta.revoked_at {
        return Ok(Revoked::Already(at));
    }
    let what = meta.describe();
    let stop = |e: anyhow::Error| {
        e.context(format!(
            "{what} was not revoked at {}, so nothing changed; \
             `tokvault delete {} --no-revoke` deletes it here only, leaving its tokens valid there",
            meta.provider, meta.integration
        ))
    };
    let sealer = vault.read_sealer().map_err(stop)?;
    let (meta, sealed) = vault.credential(&meta.user, &meta.integration)?;
    let read = vault.read();
    let data = read.unseal(&sealer, &meta, &sealed).map_err(stop)?;
    let Some(method) = method(&read, &sealer, &meta, &data).map_err(stop)? else {
        return Ok(Revoked::Unknown);
    };
    let sent = revoke(&ctx.http(), &method, &meta, &data, ctx.now).map_err(stop)?;
    Ok(Revoked::At {
        url: method.url().to_string(),
        sent,
        version: meta.version,
    })
}

impl Revoked {
    /// Refuses to delete or mark a row written since its tokens were
    /// revoked (a refresh rotated them meanwhile: the new ones are alive).
    /// The lock is not held across the provider's answer; this is checked
    /// under it instead.
    pub fn still_current(&self, now: Option<&CredentialMeta>) -> Result<()> {
        match (self, now) {
            (Revoked::At { version, .. }, Some(m)) if m.version != *version => {
                Err(anyhow::anyhow!(
                    "{} was written while its tokens were revoked (a refresh?); nothing changed: \
                     run the command again to revoke its new tokens",
                    m.describe()
                ))
            }
            _ => Ok(()),
        }
    }
}
