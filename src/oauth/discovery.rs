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
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
}

pub fn discover(http: &Http, issuer: &str) -> Result<Metadata> {
    let issuer = issuer.trim_end_matches('/');
    let url = format!("{issuer}/.well-known/openid-configuration");
    let answer = http.get(&url)?;
    let bad = |why: &str| -> anyhow::Error {
        Error::Network(format!("network: OIDC discovery at {url} failed: {why}")).into()
    };
    if answer.status != 200 {
        return Err(bad(&format!("HTTP {}", answer.status)));
    }
    let meta: Metadata = serde_json::from_str(answer.body.expose())
        .map_err(|e| bad(&format!("not a provider metadata document ({e})")))?;
    // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
    if meta.issuer.trim_end_matches('/') != issuer {
        return Err(bad(&format!(
            "it names a different issuer ({})",
            meta.issuer
        )));
    }
    Ok(meta)
}
