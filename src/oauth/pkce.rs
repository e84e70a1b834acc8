//! PKCE (RFC 7636, S256), random state, and the authorization URL.

use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// `bytes` random bytes as base64url: 32 bytes give a 43-character value,
/// the shortest verifier RFC 7636 §4.1 allows, with 256 bits of entropy.
pub fn random(bytes: usize) -> Secret {
    let mut buf = zeroize::Zeroizing::new(vec![0u8; bytes]);
    getrandom::getrandom(&mut buf).expect("the operating system's random source failed");
    Secret::new(URL_SAFE_NO_PAD.encode(&*buf))
}

pub fn verifier() -> Secret {
    random(32)
}

/// BASE64URL(SHA256(verifier)), RFC 7636 §4.2.
pub fn challenge(verifier: &Secret) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// The OIDC `nonce` of an authorization request (OIDC Core §3.1.2.1),
/// derived from its PKCE verifier so that nothing more need be kept: the
/// id_token must carry it back, which binds it to this request.
pub fn nonce(verifier: &Secret) -> String {
    let digest = Sha256::new()
        .chain_update(b"tokvault-oidc-nonce\0")
        .chain_update(verifier.expose().as_bytes())
        .finalize();
    URL_SAFE_NO_PAD.encode(digest)
}

/// Checks the nonce of an id_token against the request's: an id_token made
/// for another request (replayed, or injected with a stolen code) is
/// refused. `required`: one without a nonce is refused too (the server
/// must echo it, OIDC Core §3.1.3.7).
pub fn check_nonce(id_token: &Secret, verifier: &Secret, required: bool) -> Result<(), String> {
    // An encrypted id_token (JWE, five parts) cannot be read here.
    if id_token.expose().split('.').count() == 5 {
        return Ok(());
    }
    let claims = crate::token::jwt_claims(id_token.expose()).ok_or("the id_token is not a JWT")?;
    match claims.get("nonce") {
        Some(serde_json::Value::String(n)) if *n == nonce(verifier) => Ok(()),
        None if !required => Ok(()),
        None => Err(
            "the id_token carries no nonce although the authorization request sent one \
             (OIDC Core §3.1.3.7)"
                .into(),
        ),
        Some(_) => {
            Err("the id_token's nonce is not this sign-in's (a replayed or injected answer)".into())
        }
    }
}

pub struct AuthorizeRequest<'a> {
    pub auth_url: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: Option<&'a str>,
    pub scopes: &'a [String],
    pub state: &'a str,
    pub challenge: &'a str,
    /// A provider's extra parameters (Google's access_type=offline...).
    pub extra: &'a [(&'a str, &'a str)],
    /// Sent with `openid`: some servers require it, and it binds the
    /// id_token to this request.
    pub nonce: Option<&'a str>,
}

impl AuthorizeRequest<'_> {
    pub fn url(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", self.client_id);
        if let Some(uri) = self.redirect_uri {
            q.append_pair("redirect_uri", uri);
        }
        if !self.scopes.is_empty() {
            q.append_pair("scope", &self.scopes.join(" "));
        }
        q.append_pair("state", self.state)
            .append_pair("code_challenge", self.challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(nonce) = self.nonce {
            q.append_pair("nonce", nonce);
        }
        let mut names: Vec<&str> = Vec::new();
        for (k, v) in self.extra {
            q.append_pair(k, v);
            names.push(k);
        }
        // OIDC Core §11: offline_access is ignored without prompt=consent,
        // and then no refresh token comes back.
        if self.scopes.iter().any(|s| s == "offline_access") && !names.contains(&"prompt") {
            q.append_pair("prompt", "consent");
        }
        let sep = if self.auth_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}{}", self.auth_url, q.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        let v = Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(challenge(&v), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn an_id_token_must_carry_its_requests_nonce() {
        let e = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let token = |claims: serde_json::Value| {
            Secret::new(format!(
                "{}.{}.sig",
                e(&serde_json::json!({"alg": "none"})),
                e(&claims)
            ))
        };
        let v = verifier();
        for required in [true, false] {
            let with = token(serde_json::json!({"nonce": nonce(&v)}));
            assert!(check_nonce(&with, &v, required).is_ok());
            let other = token(serde_json::json!({"nonce": nonce(&verifier())}));
            assert!(check_nonce(&other, &v, required).is_err());
            let number = token(serde_json::json!({"nonce": 1}));
            assert!(check_nonce(&number, &v, required).is_err());
            assert!(check_nonce(&Secret::new("not-a-jwt"), &v, required).is_err());
        }
        let without = token(serde_json::json!({"sub": "x"}));
        assert!(check_nonce(&without, &v, true).is_err());
        assert!(check_nonce(&without, &v, false).is_ok());
    }

    #[test]
    fn verifiers_are_long_and_distinct() {
        let (a, b) = (verifier(), verifier());
        assert_eq!(a.expose().len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn offline_access_brings_prompt_consent() {
        let scopes = vec!["openid".to_string(), "offline_access".to_string()];
        let req = AuthorizeRequest {
            auth_url: "https://id.example/auth",
            client_id: "c 1",
            redirect_uri: Some("http://127.0.0.1:8080/cb"),
            scopes: &scopes,
            state: "s",
            challenge: "ch",
            extra: &[],
            nonce: Some("n-1"),
        };
        let url = req.url();
        assert!(
            url.starts_with("https://id.example/auth?response_type=code&client_id=c+1&"),
            "{url}"
        );
        assert!(url.contains("scope=openid+offline_access"), "{url}");
        assert!(url.contains("prompt=consent"), "{url}");
        assert!(url.contains("code_challenge_method=S256"), "{url}");
        assert!(url.contains("&nonce=n-1"), "{url}");
        assert!(
            url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcb"),
            "{url}"
        );
    }
}
