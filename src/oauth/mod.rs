//! The token endpoint client: code exchange, refresh and client_credentials
//! grants, with typed answers. It never prints and never prompts.

pub mod device;
pub mod discovery;
pub mod pkce;
pub mod redirect;

use crate::error::{Error, Refusal};
use crate::http::{Answer, Http, PostBody};
use crate::secret::Secret;
use crate::token::{Extra, TokenData};
use anyhow::Result;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How the client proves itself at the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum AuthMethod {
    /// `Authorization: Basic base64(client_id:client_secret)`
    ClientSecretBasic,
    /// client_id and client_secret in the request body
    ClientSecretPost,
    /// A public client: client_id in the body, no secret (use PKCE)
    None,
    /// A JWT signed with the client's private key (RFC 7523 §2.2)
    PrivateKeyJwt,
    /// A JWT signed (HS256) with the client secret
    ClientSecretJwt,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::None => "none",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::ClientSecretJwt => "client_secret_jwt",
        }
    }

    pub fn parse(s: &str) -> Option<AuthMethod> {
        [
            AuthMethod::ClientSecretBasic,
            AuthMethod::ClientSecretPost,
            AuthMethod::None,
            AuthMethod::PrivateKeyJwt,
            AuthMethod::ClientSecretJwt,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// How a token endpoint wants its request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// application/x-www-form-urlencoded, as RFC 6749 says.
    Form,
    /// A JSON object (Notion).
    Json,
}

/// Everything needed to call one token endpoint as one client.
pub struct Endpoint<'a> {
    pub token_url: &'a str,
    pub client_id: &'a str,
    pub client_secret: Option<&'a Secret>,
    pub auth_method: AuthMethod,
    pub body: BodyFormat,
    /// private_key_jwt's key (PEM), key id and algorithm.
    pub private_key: Option<&'a Secret>,
    pub key_id: Option<&'a str>,
    pub alg: Option<crate::jws::Alg>,
    /// A client assertion's `aud` when it is not the token endpoint.
    pub assertion_audience: Option<&'a str>,
}

pub enum Grant<'a> {
    AuthorizationCode {
        code: &'a Secret,
        redirect_uri: Option<&'a str>,
        code_verifier: Option<&'a Secret>,
    },
    RefreshToken {
        refresh_token: &'a Secret,
        scopes: &'a [String],
    },
    ClientCredentials {
        scopes: &'a [String],
    },
    /// RFC 8628 §3.4
    DeviceCode {
        device_code: &'a Secret,
    },
}

impl Grant<'_> {
    fn params(&self) -> Vec<(String, Secret)> {
        let mut p: Vec<(String, Secret)> = Vec::new();
        let mut add = |k: &str, v: &str| p.push((k.to_string(), Secret::new(v)));
        match self {
            Grant::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            } => {
                add("grant_type", "authorization_code");
                add("code", code.expose());
                if let Some(uri) = redirect_uri {
                    add("redirect_uri", uri);
                }
                if let Some(v) = code_verifier {
                    add("code_verifier", v.expose());
                }
            }
            Grant::RefreshToken {
                refresh_token,
                scopes,
            } => {
                add("grant_type", "refresh_token");
                add("refresh_token", refresh_token.expose());
                if !scopes.is_empty() {
                    add("scope", &scopes.join(" "));
                }
            }
            Grant::ClientCredentials { scopes } => {
                add("grant_type", "client_credentials");
                if !scopes.is_empty() {
                    add("scope", &scopes.join(" "));
                }
            }
            Grant::DeviceCode { device_code } => {
                add("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
                add("device_code", device_code.expose());
            }
        }
        p
    }

    fn hint(&self, error: &str) -> Option<String> {
        match (self, error) {
            (Grant::RefreshToken { .. }, "invalid_grant") => Some(
                "the refresh token is no longer valid; sign in again as it was first made: \
                 `tokvault login`, or `tokvault oauth2 authorize-url` then `tokvault exchange-code`"
                    .into(),
            ),
            (Grant::AuthorizationCode { .. }, "invalid_grant") => Some(
                "codes are single-use and expire within minutes, and the redirect URI and PKCE verifier \
                 must match the authorization request; get a new code"
                    .into(),
            ),
            (_, "invalid_client") => {
                Some("check the client id, secret and --auth-method with `tokvault oauth2 show`".into())
            }
            _ => None,
        }
    }
}

/// A grant that gave no usable token. `rotated` is a refresh token found in
/// an answer that is otherwise unusable: it may be the only copy of a
/// rotated grant (the provider has already revoked the one it was sent), so
/// the caller keeps it.
pub struct GrantFailed {
    pub error: anyhow::Error,
    pub rotated: Option<Secret>,
}

impl From<anyhow::Error> for GrantFailed {
    fn from(error: anyhow::Error) -> Self {
        GrantFailed {
            error,
            rotated: None,
        }
    }
}

impl From<GrantFailed> for anyhow::Error {
    fn from(failed: GrantFailed) -> Self {
        failed.error
    }
}

/// Runs a grant and returns the token response as token data.
pub fn request(
    http: &Http,
    endpoint: &Endpoint<'_>,
    grant: &Grant<'_>,
) -> std::result::Result<TokenData, GrantFailed> {
    let object = post(http, endpoint, endpoint.token_url, grant.params(), |e| {
        grant.hint(e)
    })?;
    parse_tokens(&object, endpoint.token_url).map_err(|error| GrantFailed {
        error,
        rotated: object
            .get("refresh_token")
            .and_then(Value::as_str)
            .filter(|t| is_vschar_token(t))
            .map(Secret::new),
    })
}

/// A token response's object as checked token data.
fn parse_tokens(object: &Extra, token_url: &str) -> Result<TokenData> {
    let unusable = |why: String| unusable(token_url, 200, &why);
    // Read from the borrowed answer: the copies land in zeroizing fields,
    // and the answer is wiped when it goes.
    let data = TokenData::deserialize(&**object).map_err(|e| {
        unusable(format!(
            "a malformed token ({})",
            crate::token::json_error(&e)
        ))
    })?;
    if data.access_token.as_ref().is_none_or(Secret::is_empty) {
        return Err(unusable("no access_token".into()));
    }
    crate::token::check_secrets(&data, crate::token::TokenType::Oauth2)
        .map_err(|why| unusable(format!("a token whose {why}")))?;
    // RFC 6749 §A.12-A.17: tokens and token_type are VSCHAR. Anything else
    // (an escape sequence) would reach a terminal when `get` prints it.
    for (field, value) in [
        (
            "access_token",
            data.access_token.as_ref().map(Secret::expose),
        ),
        (
            "refresh_token",
            data.refresh_token.as_ref().map(Secret::expose),
        ),
        ("id_token", data.id_token.as_ref().map(Secret::expose)),
        ("token_type", data.token_type.as_deref()),
    ] {
        if value.is_some_and(|v| !is_vschar_token(v)) {
            return Err(unusable(format!(
                "a {field} with characters a token may not hold (RFC 6749: printable ASCII)"
            )));
        }
    }
    if let Some(scope) = &data.scope {
        crate::scope::split(scope).map_err(|why| unusable(format!("a scope {why}")))?;
    }
    Ok(data)
}

/// A token as RFC 6749 allows one: 1*VSCHAR (%x20-7E), not all spaces.
fn is_vschar_token(t: &str) -> bool {
    !t.trim().is_empty() && t.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// POSTs `params` to `url` authenticated as the endpoint's client, and
/// returns the answer's JSON object, or the provider's refusal.
pub fn post(
    http: &Http,
    endpoint: &Endpoint<'_>,
    url: &str,
    params: Vec<(String, Secret)>,
    hint: impl Fn(&str) -> Option<String>,
) -> Result<Extra> {
    let answer = send_authenticated(http, endpoint, url, params)?;
    parse_answer(&answer, url, hint)
}

/// Revokes `token` at an RFC 7009 endpoint, authenticated as the client
/// the way its token endpoint wants. 200 means revoked, or already
/// invalid (RFC 7009 §2.2); an error is the provider's refusal (exit 5),
/// a server that cannot answer now (503) a network failure (exit 6).
pub fn revoke(
    http: &Http,
    endpoint: &Endpoint<'_>,
    url: &str,
    token: &Secret,
    hint: &str,
) -> Result<()> {
    let params = vec![
        ("token".to_string(), token.clone()),
        ("token_type_hint".to_string(), Secret::new(hint)),
    ];
    let answer = send_authenticated(http, endpoint, url, params)?;
    revoked(&answer, url)
}

/// Whether a revocation's answer says it was done: any 2xx (with a JSON
/// body, not Slack's `"ok": false`), else the refusal as the provider put
/// it.
pub fn revoked(answer: &crate::http::Answer, url: &str) -> Result<()> {
    let object = parse_object(answer);
    let refused_in_200 = object
        .as_ref()
        .is_some_and(|o| o.get("ok") == Some(&Value::Bool(false)) || o.contains_key("error"));
    if (200..300).contains(&answer.status) && !refused_in_200 {
        return Ok(());
    }
    if answer.status >= 500 || answer.status == 429 {
        return Err(unusable(
            url,
            answer.status,
            "no revocation (try again later)",
        ));
    }
    match parse_answer(answer, url, |_| None) {
        Err(e) if crate::error::exit_code(&e) == crate::error::code::PROVIDER_REFUSED => Err(e),
        _ => Err(Error::ProviderRefused(Refusal {
            hint: None,
            error: format!("http_{}", answer.status),
            description: Some(format!("{url} did not revoke the token")),
        })
        .into()),
    }
}

/// POSTs `params` authenticated as the endpoint's client.
fn send_authenticated(
    http: &Http,
    endpoint: &Endpoint<'_>,
    url: &str,
    mut params: Vec<(String, Secret)>,
) -> Result<crate::http::Answer> {
    let mut basic = None;
    let secret = endpoint.client_secret.filter(|s| !s.is_empty());
    match endpoint.auth_method {
        AuthMethod::ClientSecretBasic => {
            // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
            let pair = Secret::new(format!(
                "{}:{}",
                form_encode(endpoint.client_id),
                form_encode(secret.map_or("", |s| s.expose()))
            ));
            basic = Some(Secret::new(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair.expose())
            )));
        }
        AuthMethod::ClientSecretPost => {
            params.push(("client_id".into(), Secret::new(endpoint.client_id)));
            if let Some(s) = secret {
                params.push(("client_secret".into(), s.clone()));
            }
        }
        AuthMethod::None => params.push(("client_id".into(), Secret::new(endpoint.client_id))),
        AuthMethod::PrivateKeyJwt | AuthMethod::ClientSecretJwt => {
            params.push(("client_id".into(), Secret::new(endpoint.client_id)));
            params.push((
                "client_assertion_type".into(),
                Secret::new("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ));
            params.push(("client_assertion".into(), client_assertion(endpoint)?));
        }
    }
    let body = match endpoint.body {
        BodyFormat::Form => PostBody::Form(params),
        BodyFormat::Json => PostBody::Json(Value::Object(
            params
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.expose().to_string())))
                .collect(),
        )),
    };
    let headers: Vec<(&str, &str)> = basic
        .as_ref()
        .map(|b| ("Authorization", b.expose()))
        .into_iter()
        .collect();
    http.post(url, &body, &headers)
}

/// A fresh client assertion (RFC 7523 §3, OIDC Core §9): issued by and
/// about the client, for the token endpoint (or the issuer, when the
/// client says so), valid five minutes, with an id never used before.
fn client_assertion(endpoint: &Endpoint<'_>) -> Result<Secret> {
    let key = match (
        endpoint.auth_method,
        endpoint.private_key,
        endpoint.client_secret,
    ) {
        (AuthMethod::PrivateKeyJwt, Some(pem), _) => {
            crate::jws::SigningKey::from_pem(pem, endpoint.alg)
                .map_err(|why| Error::Vault(format!("the client's private key is {why}")))?
        }
        (AuthMethod::ClientSecretJwt, _, Some(secret)) => crate::jws::SigningKey::hmac(secret),
        _ => {
            return Err(crate::error::usage(format!(
                "{} needs the client's {}; add the client again",
                endpoint.auth_method.as_str(),
                if endpoint.auth_method == AuthMethod::PrivateKeyJwt {
                    "private key"
                } else {
                    "secret"
                }
            )));
        }
    };
    let now = jiff::Timestamp::now().as_second();
    let claims = serde_json::json!({
        "iss": endpoint.client_id,
        "sub": endpoint.client_id,
        "aud": endpoint.assertion_audience.unwrap_or(endpoint.token_url),
        "jti": crate::jws::random_id(),
        "iat": now,
        "exp": now + 300,
    });
    key.sign(endpoint.key_id, &claims)
        .map_err(anyhow::Error::msg)
}

fn unusable(url: &str, status: u16, why: &str) -> anyhow::Error {
    Error::Network(format!("network: {url} answered HTTP {status} with {why}")).into()
}

fn form_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Reads an OAuth2 endpoint's answer: a JSON object, or an RFC 6749 §5.2
/// error (also when sent with HTTP 200, as GitHub does, or as Slack's
/// `"ok": false`), or something unusable.
pub(crate) fn parse_answer(
    answer: &Answer,
    url: &str,
    hint: impl Fn(&str) -> Option<String>,
) -> Result<Extra> {
    let unusable = |why: String| unusable(url, answer.status, &why);
    let object = match parse_object(answer) {
        Some(object) => object,
        None if answer.body.expose().trim().is_empty() => {
            return Err(unusable("an empty body".into()));
        }
        None => {
            let kind = if answer.content_type.is_empty() {
                "no content type".to_string()
            } else {
                crate::text::clean(&answer.content_type, 100)
            };
            return Err(unusable(format!(
                "a body that is not a JSON object ({kind})"
            )));
        }
    };
    let error = object.get("error").and_then(Value::as_str);
    let slack_not_ok = object.get("ok") == Some(&Value::Bool(false));
    if error.is_some() || slack_not_ok {
        // The provider's words reach a terminal: no control characters, and
        // a few hundred characters at most.
        let error = crate::text::clean(error.unwrap_or("unknown_error"), 100);
        let description = object
            .get("error_description")
            .and_then(Value::as_str)
            .map(crate::text::excerpt);
        return Err(Error::ProviderRefused(Refusal {
            hint: hint(&error),
            error,
            description,
        })
        .into());
    }
    if !(200..300).contains(&answer.status) {
        return Err(unusable("a JSON body that is not an OAuth2 error".into()));
    }
    Ok(object)
}

/// The answer's object, in a map that wipes its text when it goes: token
/// answers hold secrets.
fn parse_object(answer: &Answer) -> Option<Extra> {
    let body = answer.body.expose();
    if let Ok(Value::Object(map)) = serde_json::from_str(body) {
        return Some(Extra::from(map));
    }
    // GitHub answers form-encoded unless asked for JSON; accept it anyway.
    if answer.content_type == "application/x-www-form-urlencoded" {
        let map: Map<String, Value> = form_urlencoded::parse(body.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        return (!map.is_empty()).then(|| Extra::from(map));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_answer_is_an_object_or_a_typed_error(
            status in 100u16..600,
            content_type in prop_oneof![
                Just("application/json".to_string()),
                Just("application/x-www-form-urlencoded".to_string()),
                Just("text/html".to_string()),
                ".{0,20}",
            ],
            body in prop_oneof![
                ".{0,100}",
                Just(r#"{"error":"invalid_grant","error_description":"x"}"#.to_string()),
                Just(r#"{"access_token":"a","token_type":"Bearer"}"#.to_string()),
                Just(r#"{"ok":false}"#.to_string()),
            ],
        ) {
            let answer = Answer { status, content_type, body: Secret::new(body) };
            match parse_answer(&answer, "https://x/token", |_| None) {
                Ok(object) => prop_assert!((200..300).contains(&status) && !object.contains_key("error")),
                Err(e) => {
                    let code = crate::error::exit_code(&e);
                    prop_assert!(code == crate::error::code::PROVIDER_REFUSED || code == crate::error::code::NETWORK);
                    prop_assert!(!e.to_string().contains('\n'));
                }
            }
        }
    }
}
