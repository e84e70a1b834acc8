//! Tokens minted from a private key: GitHub App installation tokens and
//! Google service-account tokens (the RFC 7523 JWT bearer grant). Each
//! mint signs a fresh assertion; the caller (refresh) holds the
//! credential's lock, so one mint serves every waiting process.

use crate::error::{self, Error, Refusal};
use crate::http::{Http, PostBody};
use crate::jws::SigningKey;
use crate::secret::Secret;
use crate::token::Extra;
pub use crate::token::Identity;
use anyhow::Result;
use serde_json::{Map, Value, json};

/// GitHub's REST API version tokvault speaks.
pub const GITHUB_API_VERSION: &str = "2022-11-28";
pub const GITHUB_API: &str = "https://api.github.com";

pub struct Minted {
    pub token: Secret,
    pub expires_at: i64,
}

/// Mints a token for `identity` signed with `key`.
pub fn mint(http: &Http, identity: &Identity, key: &SigningKey, now: i64) -> Result<Minted> {
    match identity {
        Identity::GithubApp {
            app_id,
            installation_id,
            api_url,
            repositories,
            permissions,
        } => {
            let jwt = github_app_jwt(key, app_id, now)?;
            let mut body = Map::new();
            if !repositories.is_empty() {
                body.insert("repositories".into(), json!(repositories));
            }
            if !permissions.is_empty() {
                body.insert("permissions".into(), Value::Object(permissions.clone()));
            }
            let url = format!("{api_url}/app/installations/{installation_id}/access_tokens");
            let answer = github(
                http,
                &url,
                &jwt,
                Some(&PostBody::Json(Value::Object(body))),
                "check --installation-id: the app is not installed there",
            )?;
            let token = answer
                .get("token")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
                .ok_or_else(|| unusable(&url, "no token"))?;
            let expires_at = answer
                .get("expires_at")
                .and_then(Value::as_str)
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .map(|t| t.as_second().min(crate::time::MAX_EXPIRY))
                .ok_or_else(|| unusable(&url, "no expires_at"))?;
            Ok(Minted {
                token: Secret::new(token),
                expires_at,
            })
        }
        Identity::GoogleServiceAccount {
            client_email,
            private_key_id,
            token_uri,
            scopes,
            subject,
            audience,
        } => {
            // Google accepts assertions valid for at most an hour.
            let mut claims = json!({
                "iss": client_email,
                "aud": token_uri,
                "iat": now,
                "exp": now + 3600,
            });
            match audience {
                Some(aud) => claims["target_audience"] = aud.as_str().into(),
                None => claims["scope"] = scopes.join(" ").into(),
            }
            if let Some(sub) = subject {
                claims["sub"] = sub.as_str().into();
            }
            let assertion = key
                .sign(private_key_id.as_deref(), &claims)
                .map_err(anyhow::Error::msg)?;
            let params = vec![
                (
                    "grant_type".to_string(),
                    Secret::new("urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ),
                ("assertion".to_string(), assertion),
            ];
            let answer = http.post(token_uri, &PostBody::Form(params), &[])?;
            let object = crate::oauth::parse_answer(&answer, token_uri, |e| {
                (e == "invalid_grant").then(|| {
                    "check the key (rotated or deleted?), the scopes and, for --subject, \
                     the domain-wide delegation"
                        .to_string()
                })
            })?;
            let field = if audience.is_some() {
                "id_token"
            } else {
                "access_token"
            };
            let token = object
                .get(field)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
                .ok_or_else(|| unusable(token_uri, &format!("no {field}")))?;
            let expires_at = match (field, object.get("expires_in").and_then(Value::as_i64)) {
                ("access_token", Some(secs)) if secs > 0 => now.saturating_add(secs),
                _ => crate::token::jwt_exp(token)
                    .ok()
                    .flatten()
                    .ok_or_else(|| unusable(token_uri, "no expiry"))?,
            };
            Ok(Minted {
                token: Secret::new(token),
                expires_at: expires_at.min(crate::time::MAX_EXPIRY),
            })
        }
    }
}

/// The JWT a GitHub App authenticates as itself with: issued a minute in
/// the past against clock drift, valid ten minutes in all, GitHub's limit.
fn github_app_jwt(key: &SigningKey, app_id: &str, now: i64) -> Result<Secret> {
    key.sign(
        None,
        &json!({"iat": now - 60, "exp": now + 540, "iss": app_id}),
    )
    .map_err(anyhow::Error::msg)
}

/// The installation of the app on account `owner` (a user or an
/// organisation), found through the app's list of installations.
pub fn github_installation(
    http: &Http,
    api_url: &str,
    app_id: &str,
    key: &SigningKey,
    owner: &str,
    now: i64,
) -> Result<u64> {
    let jwt = github_app_jwt(key, app_id, now)?;
    for page in 1..=10 {
        let url = format!("{api_url}/app/installations?per_page=100&page={page}");
        let answer = github(
            http,
            &url,
            &jwt,
            None,
            "check --app-id and --api-url: GitHub knows no such app there",
        )?;
        let installations = answer
            .get("installations")
            .and_then(Value::as_array)
            .ok_or_else(|| unusable(&url, "no list of installations"))?;
        if let Some(id) = installations.iter().find_map(|i| {
            let login = i.pointer("/account/login").and_then(Value::as_str)?;
            login
                .eq_ignore_ascii_case(owner)
                .then(|| i.get("id")?.as_u64())?
        }) {
            return Ok(id);
        }
        if installations.len() < 100 {
            break;
        }
    }
    Err(error::not_found(format!(
        "the app is not installed on '{}'; install it there, or pass --installation-id",
        crate::text::excerpt(owner)
    )))
}

/// A GitHub API call as the app; GitHub's error answers are refusals with
/// GitHub's message. A JSON array is answered as `{"installations": [...]}`.
/// `not_found` is the hint for a 404, which means another thing for each
/// call (no such installation, no such app).
fn github(
    http: &Http,
    url: &str,
    jwt: &Secret,
    body: Option<&PostBody>,
    not_found: &str,
) -> Result<Extra> {
    let auth = format!("Bearer {}", jwt.expose());
    let headers = [
        ("Authorization", auth.as_str()),
        ("Accept", "application/vnd.github+json"),
        ("X-GitHub-Api-Version", GITHUB_API_VERSION),
    ];
    let answer = match body {
        Some(body) => http.post(url, body, &headers)?,
        None => http.get_with(url, &headers)?,
    };
    let value: Option<Value> = serde_json::from_str(answer.body.expose()).ok();
    if !(200..300).contains(&answer.status) {
        let message = value
            .as_ref()
            .and_then(|v| v.get("message"))
            .and_then(Value::as_str)
            .map(crate::text::excerpt);
        // A refusal is GitHub's word on this request; a server error, a
        // rate limit or an answer without a message is worth retrying.
        let refused = (400..500).contains(&answer.status) && answer.status != 429;
        let Some(message) = message.clone().filter(|_| refused) else {
            let said = message.map_or(String::new(), |m| format!(": {m}"));
            return Err(unusable(url, &format!("HTTP {}{said}", answer.status)));
        };
        return Err(Error::ProviderRefused(Refusal {
            error: format!("HTTP {}", answer.status),
            description: Some(message),
            hint: match answer.status {
                401 => {
                    Some("check --app-id and the private key (GitHub refused the app's JWT)".into())
                }
                404 => Some(not_found.into()),
                422 => Some(
                    "check --repositories and --permissions against what the app may grant".into(),
                ),
                _ => None,
            },
        })
        .into());
    }
    match value {
        // An installation token's answer holds it: wiped when it goes.
        Some(Value::Object(map)) => Ok(Extra::from(map)),
        Some(Value::Array(list)) => Ok(Extra::from(Map::from_iter([(
            "installations".into(),
            Value::Array(list),
        )]))),
        _ => Err(unusable(url, "a body that is not JSON")),
    }
}

fn unusable(url: &str, why: &str) -> anyhow::Error {
    Error::Network(format!("network: {url} answered with {why}")).into()
}
