//! OIDC discovery: an issuer's `/.well-known/openid-configuration`.

use crate::error::Error;
use crate::http::Http;
use anyhow::Result;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: String,
    pub device_authorization_endpoint: Option<String>,
    /// RFC 7009 / RFC 8414: where tokens are revoked.
    pub revocation_endpoint: Option<String>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    /// RFC 9207: the server puts `iss` in every authorization response.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

/// The issuer in `given`: an issuer URL, or the discovery document's own
/// URL (`.../.well-known/openid-configuration`), which people often paste.
pub fn issuer_of(given: &str) -> &str {
    given
        .trim_end_matches('/')
        .trim_end_matches("/.well-known/openid-configuration")
        .trim_end_matches('/')
}

pub fn discover(http: &Http, issuer: &str) -> Result<Metadata> {
    let issuer = issuer_of(issuer);
    let url = format!("{issuer}/.well-known/openid-configuration");
    let answer = http.get(&url)?;
    let bad = |why: &str| -> anyhow::Error {
        Error::Network(format!("network: OIDC discovery at {url} failed: {why}")).into()
    };
    if answer.status == 404 {
        return Err(crate::error::usage(format!(
            "{issuer} has no OpenID discovery document ({url} answered 404); \
             check --issuer, or give the endpoints with --token-url and --auth-url"
        )));
    }
    if answer.status != 200 {
        return Err(bad(&format!("HTTP {}", answer.status)));
    }
    let meta: Metadata = serde_json::from_str(answer.body.expose()).map_err(|e| {
        bad(&format!(
            "not a provider metadata document ({})",
            crate::token::json_error(&e)
        ))
    })?;
    // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
    if meta.issuer.trim_end_matches('/') != issuer {
        return Err(bad(&format!(
            "it names a different issuer ({})",
            crate::text::excerpt(&meta.issuer)
        )));
    }
    Ok(meta)
}
