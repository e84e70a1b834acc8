//! docker's `config.json`: each `auths` entry docker login wrote in the
//! file (`auth` is base64 of `user:secret`, or an `identitytoken`) becomes
//! what `docker-credential store` keeps for a login, `docker:REGISTRY` with
//! its route. Logins in a `credsStore` or a `credHelpers` helper are not in
//! the file; they are reported, not read.

use super::{Entry, Found};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::RouteKind;
use base64::Engine;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Config {
    #[serde(default)]
    auths: BTreeMap<String, Option<Auth>>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Default, Deserialize)]
struct Auth {
    auth: Option<Secret>,
    username: Option<String>,
    password: Option<Secret>,
    identitytoken: Option<Secret>,
}

/// The username docker-credential helpers are given with an identity token.
const IDENTITY_TOKEN_USER: &str = "<token>";

pub fn parse(text: &str) -> Result<Found, String> {
    // An empty file is what docker reads as no configuration at all.
    if text.trim().is_empty() {
        return Ok(Found::default());
    }
    let config: Config = serde_json::from_str(text).map_err(|e| {
        // serde_json names the line; its message may quote a value.
        format!("line {}: not docker's config.json", e.line())
    })?;
    let mut found = Found::default();
    for (registry, helper) in &config.cred_helpers {
        found.skip(
            registry.as_str(),
            format!(
                "kept by docker-credential-{} (credHelpers)",
                crate::text::excerpt(helper)
            ),
        );
    }
    let creds_store = config
        .creds_store
        .as_deref()
        .filter(|s| !s.trim().is_empty());
    for (registry, auth) in config.auths {
        // docker asks the helper for these: a copy left in the file is
        // one docker no longer reads, and may be stale.
        if let Some(helper) = config
            .cred_helpers
            .get(&registry)
            .map(String::as_str)
            .or(creds_store)
            && auth
                .as_ref()
                .is_some_and(|a| a.auth.is_some() || a.identitytoken.is_some())
        {
            found.skip(
                registry,
                format!(
                    "docker asks docker-credential-{} for it; the copy in the file is not used",
                    crate::text::excerpt(helper)
                ),
            );
            continue;
        }
        let auth = auth.unwrap_or_default();
        let login = match (&auth.identitytoken, &auth.auth, &auth.password) {
            (Some(token), _, _) if !token.is_empty() => {
                Some((IDENTITY_TOKEN_USER.to_string(), token.clone()))
            }
            (_, Some(encoded), _) if !encoded.is_empty() => Some(decode(&registry, encoded)?),
            (_, _, Some(password)) if !password.is_empty() => {
                Some((auth.username.clone().unwrap_or_default(), password.clone()))
            }
            _ => None,
        };
        let Some((username, secret)) = login else {
            let reason = match creds_store {
                Some(store) => format!(
                    "kept by docker-credential-{} (credsStore)",
                    crate::text::excerpt(store)
                ),
                None => "no login is stored in the file".into(),
            };
            found.skip(registry, reason);
            continue;
        };
        let mut data = TokenData {
            api_key: Some(secret),
            ..TokenData::default()
        };
        data.extra
            .insert("username".into(), username.clone().into());
        found.entries.push(Entry {
            source: registry.clone(),
            // As `docker login` through the helper names it.
            name: format!("docker:{registry}"),
            provider: "docker".into(),
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            data,
            route: Some((RouteKind::Docker, registry, username)),
        });
    }
    Ok(found)
}

/// `auth`: base64 of `user:secret` (the secret may hold colons).
fn decode(registry: &str, encoded: &Secret) -> Result<(String, Secret), String> {
    let bad = || {
        format!(
            "{}: auth is not base64 of user:secret",
            crate::text::excerpt(registry)
        )
    };
    let bytes = zeroize::Zeroizing::new(
        base64::engine::general_purpose::STANDARD
            .decode(encoded.expose().trim())
            .map_err(|_| bad())?,
    );
    let text = std::str::from_utf8(&bytes).map_err(|_| bad())?;
    let (user, secret) = text.split_once(':').ok_or_else(bad)?;
    Ok((user.to_string(), Secret::new(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_tokens_and_helpers() {
        let text = r#"{
            "auths": {
                "127.0.0.1:5000": {"auth": "bWU6czM6Y3JldA=="},
                "https://index.docker.io/v1/": {"identitytoken": "idt-1"},
                "gcr.io": {"auth": "bWU6b2xk"},
                "quay.io": null
            },
            "credHelpers": {"gcr.io": "gcloud"}
        }"#;
        let found = parse(text).unwrap();
        let got: Vec<_> = found
            .entries
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    e.route.clone().unwrap().2,
                    e.data.api_key.as_ref().unwrap().expose().to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "docker:127.0.0.1:5000".into(),
                    "me".into(),
                    "s3:cret".into()
                ),
                (
                    "docker:https://index.docker.io/v1/".into(),
                    "<token>".into(),
                    "idt-1".into()
                ),
            ]
        );
        let skipped: Vec<_> = found.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            skipped,
            [
                "kept by docker-credential-gcloud (credHelpers)",
                "docker asks docker-credential-gcloud for it; the copy in the file is not used",
                "no login is stored in the file",
            ]
        );
        // With a credsStore every login is the helper's.
        let found = parse(r#"{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}"#).unwrap();
        assert_eq!(
            found.skipped[0].reason,
            "kept by docker-credential-desktop (credsStore)"
        );
        assert!(parse("").unwrap().entries.is_empty());
    }

    #[test]
    fn a_bad_auth_is_named_without_its_value() {
        let e = parse(r#"{"auths": {"r.io": {"auth": "c2VjcmV0"}}}"#)
            .err()
            .unwrap();
        assert_eq!(e, "r.io: auth is not base64 of user:secret");
        assert!(parse("[1]").is_err());
    }
}
