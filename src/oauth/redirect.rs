//! An authorization response, as it comes back on the redirect URI (RFC 6749
//! §4.1.2): checked for the request's `state` and, per RFC 9207, for the
//! issuer's `iss`, before its code is worth anything.

use crate::error::{self, Error, Refusal};
use crate::secret::Secret;
use crate::text;
use anyhow::Result;
use std::collections::HashMap;

/// What the response must match.
pub struct Expected<'a> {
    /// The `state` sent in the request; `None` when it is not known (a code
    /// pasted into `exchange-code` without its authorization URL).
    pub state: Option<&'a str>,
    /// The issuer the client's endpoints came from, if discovered.
    pub issuer: Option<&'a str>,
    /// The issuer promised to send `iss` in every response.
    pub iss_required: bool,
}

/// The code, and the state it came with.
pub struct Response {
    pub code: Secret,
    pub state: Option<String>,
}

/// Checks a response's query parameters: state first (a forged request is
/// refused before anything else is read), then the issuer (a mix-up attack
/// sends another server's code), then an error, then the code.
pub fn check(params: &HashMap<String, String>, expected: &Expected<'_>) -> Result<Response> {
    let state = params.get("state");
    if let Some(want) = expected.state
        && state.map(String::as_str) != Some(want)
    {
        return Err(anyhow::anyhow!(
            "the redirect's state does not match this sign-in (a stale tab, or a forged request); \
             nothing was stored"
        ));
    }
    match (params.get("iss"), expected.issuer) {
        (Some(iss), Some(issuer)) if iss.trim_end_matches('/') != issuer.trim_end_matches('/') => {
            return Err(anyhow::anyhow!(
                "the authorization response comes from issuer {}, not {issuer} (RFC 9207: a \
                 mix-up, or a forged redirect); nothing was stored",
                text::excerpt(iss)
            ));
        }
        (None, Some(issuer)) if expected.iss_required => {
            return Err(anyhow::anyhow!(
                "the authorization response has no iss although {issuer} promises one (RFC 9207); \
                 nothing was stored"
            ));
        }
        _ => {}
    }
    if let Some(e) = params.get("error") {
        return Err(Error::ProviderRefused(Refusal {
            error: text::clean(e, 100),
            description: params.get("error_description").map(|d| text::excerpt(d)),
            hint: None,
        })
        .into());
    }
    match params.get("code").filter(|c| !c.is_empty()) {
        Some(code) => Ok(Response {
            code: Secret::new(code.clone()),
            state: state.cloned(),
        }),
        None => Err(error::usage(
            "the redirect carried neither a code nor an error",
        )),
    }
}

/// The query parameters of a redirect URL that was pasted whole.
pub fn params_of_url(url: &str) -> Option<HashMap<String, String>> {
    let (_, query) = url.split_once('?')?;
    let query = query.split('#').next().unwrap_or_default();
    Some(
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn iss_must_name_the_issuer() {
        let expected = Expected {
            state: Some("s"),
            issuer: Some("https://id.example"),
            iss_required: true,
        };
        let ok = params(&[
            ("state", "s"),
            ("code", "c"),
            ("iss", "https://id.example/"),
        ]);
        assert_eq!(check(&ok, &expected).unwrap().code.expose(), "c");
        let other = params(&[
            ("state", "s"),
            ("code", "c"),
            ("iss", "https://evil.example"),
        ]);
        assert!(check(&other, &expected).is_err());
        let missing = params(&[("state", "s"), ("code", "c")]);
        assert!(check(&missing, &expected).is_err());
        let optional = Expected {
            iss_required: false,
            ..expected
        };
        assert!(check(&missing, &optional).is_ok());
        let forged = params(&[("state", "x"), ("code", "c"), ("iss", "https://id.example")]);
        assert!(check(&forged, &optional).is_err());
    }

    #[test]
    fn a_pasted_url() {
        let p =
            params_of_url("http://127.0.0.1:8080/cb?code=a%2Fb&state=s&iss=https%3A%2F%2Fx#frag")
                .unwrap();
        assert_eq!(p["code"], "a/b");
        assert_eq!(p["iss"], "https://x");
        assert!(params_of_url("just-a-code").is_none());
    }
}
