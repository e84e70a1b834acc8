//! A JSON array of the Tokens API's store requests (`integration_key`,
//! `provider`, `token_type`, `token_data`, `scopes`, `expires_at`): each
//! becomes the credential the API would store, with `store`'s defaults
//! (the type from the provider, the expiry from the token data).

use super::{Entry, Found};
use crate::token::{TokenData, TokenType};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreRequest {
    integration_key: String,
    provider: Option<String>,
    token_type: Option<String>,
    token_data: TokenData,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    expires_at: Option<String>,
}

pub fn parse(text: &str) -> Result<Found, String> {
    let requests: Vec<StoreRequest> = serde_json::from_str(text)
        .map_err(|e| shape_error(&e, "not a JSON array of store requests"))?;
    Ok(found(requests))
}

/// One store request, the body of the API's `POST .../tokens`.
pub fn parse_one(text: &str) -> Result<Found, String> {
    let request: StoreRequest = serde_json::from_str(text)
        .map_err(|e| shape_error(&e, "not a JSON object with a store request"))?;
    Ok(found(vec![request]))
}

/// serde_json's message may quote a value: only where, and what kind.
fn shape_error(e: &serde_json::Error, not_json: &str) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Data => {
            "a store request has a field missing, unknown or of the wrong type"
        }
        _ => not_json,
    };
    format!("line {}: {what}", e.line())
}

fn found(requests: Vec<StoreRequest>) -> Found {
    let mut found = Found::default();
    for (i, r) in requests.into_iter().enumerate() {
        let source = format!("entry {}", i + 1);
        let provider = r.provider.unwrap_or_else(|| r.integration_key.clone());
        let preset = crate::providers::find(&provider);
        let token_type = match r.token_type.as_deref() {
            Some(t) => match TokenType::parse(t) {
                Some(t) => t,
                None => {
                    found.skip(source, "token_type is not oauth2, api_key or jwt");
                    continue;
                }
            },
            None if preset.is_some_and(|p| !p.api_key_only) => TokenType::Oauth2,
            None => TokenType::ApiKey,
        };
        let refreshable =
            preset.is_some_and(|p| p.token_url.is_some()) && r.token_data.refresh_token.is_some();
        if r.token_data.primary(token_type).is_none()
            && r.token_data.aws().is_none()
            && !refreshable
        {
            found.skip(
                source,
                "no secret tokvault could serve (a refresh token alone needs a preset provider)",
            );
            continue;
        }
        let scopes = match r.scopes {
            Some(scopes) => scopes,
            None => match crate::scope::split(r.token_data.scope.as_deref().unwrap_or("")) {
                Ok(scopes) => scopes,
                Err(e) => {
                    found.skip(source, format!("scope {e}"));
                    continue;
                }
            },
        };
        let expires_at = match r.expires_at.as_deref().map(crate::time::parse_time) {
            Some(Ok(at)) => Some(at),
            Some(Err(e)) => {
                found.skip(source, format!("expires_at: {e}"));
                continue;
            }
            None => None,
        };
        found.entries.push(Entry {
            source,
            name: r.integration_key,
            provider,
            token_type,
            scopes,
            expires_at,
            data: r.token_data,
            route: None,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_become_what_the_api_stores() {
        let text = r#"[
            {"integration_key": "gmail", "provider": "google", "token_data": {"access_token": "ya29", "refresh_token": "1//r"}, "scopes": ["email"], "expires_at": "2030-01-01T00:00:00Z"},
            {"integration_key": "oa", "provider": "openai", "token_type": "api_key", "token_data": {"api_key": "sk-1"}},
            {"integration_key": "x", "provider": "inhouse", "token_data": {"refresh_token": "r"}},
            {"integration_key": "y", "token_type": "bogus", "token_data": {"api_key": "k"}}
        ]"#;
        let found = parse(text).unwrap();
        let got: Vec<_> = found
            .entries
            .iter()
            .map(|e| {
                (
                    e.name.as_str(),
                    e.provider.as_str(),
                    e.token_type,
                    e.expires_at,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("gmail", "google", TokenType::Oauth2, Some(1_893_456_000)),
                ("oa", "openai", TokenType::ApiKey, None),
            ]
        );
        assert_eq!(found.skipped.len(), 2);
    }

    #[test]
    fn wrong_shapes_name_the_line_only() {
        for text in [
            r#"{"integration_key": "a"}"#,
            "[{\"integration_key\": \"a\",\n \"token_data\": {\"access_token\": 5}}]",
            r#"[{"integration_key": "a", "token_data": {}, "typo": "sk-secret"}]"#,
            "[",
        ] {
            let e = parse(text).err().unwrap();
            assert!(e.starts_with("line "), "{e}");
            assert!(!e.contains("sk-secret") && !e.contains("typo"), "{e}");
        }
    }
}
