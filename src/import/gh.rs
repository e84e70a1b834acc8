//! gh's `hosts.yml`, in both of its forms: one account per host (`user`,
//! `oauth_token`), and the multi-account form gh 2.40 writes (`users:` with
//! each account's token, the active one's also at the top). A token gh
//! keeps in the system keyring is not in the file and is reported, not read.

use super::{Entry, Found};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::RouteKind;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Host {
    user: Option<String>,
    oauth_token: Option<Secret>,
    users: Option<BTreeMap<String, Option<Account>>>,
}

#[derive(Deserialize)]
struct Account {
    oauth_token: Option<Secret>,
}

pub fn parse(text: &str) -> Result<Found, String> {
    // An empty file is what `gh auth logout` of the last account leaves.
    let hosts: BTreeMap<String, Option<Host>> = if text.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_norway::from_str(text).map_err(|e| match e.location() {
            // serde's message quotes the value it did not expect.
            Some(at) => format!("line {}: not gh's hosts.yml", at.line()),
            None => "not gh's hosts.yml".into(),
        })?
    };
    let mut found = Found::default();
    for (host, config) in hosts {
        let Some(config) = config else { continue };
        let active = config.user.clone();
        let mut accounts: Vec<(Option<String>, Option<Secret>)> = match config.users {
            Some(users) => users
                .into_iter()
                .map(|(user, account)| {
                    let token = account.and_then(|a| a.oauth_token).or_else(|| {
                        (Some(&user) == active.as_ref())
                            .then(|| config.oauth_token.clone())
                            .flatten()
                    });
                    (Some(user), token)
                })
                .collect(),
            None => vec![(active.clone(), config.oauth_token.clone())],
        };
        // The active account first: it has the short name and git's route.
        accounts.sort_by_key(|(user, _)| *user != active);
        let base = if host.eq_ignore_ascii_case("github.com") {
            "github".to_string()
        } else {
            host.to_ascii_lowercase()
        };
        for (user, token) in accounts {
            let shown = user.as_deref().unwrap_or("(no user)");
            let source = format!("{host} {shown}");
            let Some(token) = token.filter(|t| !t.expose().trim().is_empty()) else {
                found.skip(
                    source,
                    "gh keeps this token in the system keyring (`gh auth token` prints it)",
                );
                continue;
            };
            let is_active = user == active;
            let name = match (&user, is_active) {
                (Some(user), false) => format!("{base}-{user}"),
                _ => base.clone(),
            };
            // gh's tokens on github.com are OAuth tokens that never expire
            // and are never refreshed; another host's are its own keys.
            let provider = super::provider_of(&host);
            let mut data = TokenData::default();
            let token_type = if provider == "github" {
                data.access_token = Some(token);
                TokenType::Oauth2
            } else {
                data.api_key = Some(token);
                TokenType::ApiKey
            };
            found.entries.push(Entry {
                source,
                name,
                provider,
                token_type,
                scopes: Vec::new(),
                expires_at: None,
                data,
                route: is_active.then(|| {
                    (
                        RouteKind::Git,
                        host.to_ascii_lowercase(),
                        user.unwrap_or_else(|| "x-access-token".into()),
                    )
                }),
            });
        }
    }
    Ok(found)
}
