//! What an agent may do with a credential it was given: the hosts a
//! preset's tokens go to, the header it travels in, and what an argument
//! must never carry.

use crate::secret::Secret;

/// The API hosts of a preset provider, where its tokens are meant to go.
pub fn preset_hosts(provider: &str) -> &'static [&'static str] {
    match provider {
        "github" => &["api.github.com", "uploads.github.com"],
        "google" => &["*.googleapis.com"],
        "slack" => &["slack.com", "*.slack.com"],
        "openai" => &["api.openai.com"],
        "anthropic" => &["api.anthropic.com"],
        "microsoft" => &["graph.microsoft.com"],
        "zoom" => &["api.zoom.us"],
        "dropbox" => &["api.dropboxapi.com", "content.dropboxapi.com"],
        "notion" => &["api.notion.com"],
        _ => &[],
    }
}

/// Hosts whose APIs hand out new tokens to the bearer of one (Google's
/// IAM credentials and STS, its OAuth endpoint): a token minted there is
/// not the credential's, so no mask would hide it. A pattern with `*.`
/// does not reach them; naming the host does.
pub fn mints_tokens(host: &str) -> bool {
    [
        "iamcredentials.googleapis.com",
        "sts.googleapis.com",
        "oauth2.googleapis.com",
    ]
    .iter()
    .any(|h| host.eq_ignore_ascii_case(h))
}

/// How a credential travels: `Authorization: Bearer TOKEN`, or the secret
/// alone in a header of the provider's (Anthropic's `x-api-key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    Bearer,
    Raw(String),
}

impl Header {
    /// The preset's way for an API key, Bearer for everything else.
    pub fn for_provider(provider: &str, api_key: bool) -> Header {
        match provider {
            "anthropic" if api_key => Header::Raw("x-api-key".into()),
            _ => Header::Bearer,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Header::Bearer => "authorization",
            Header::Raw(name) => name,
        }
    }

    pub fn value(&self, secret: &Secret) -> Secret {
        match self {
            Header::Bearer => Secret::new(format!("Bearer {}", secret.expose())),
            Header::Raw(_) => secret.clone(),
        }
    }
}

/// Headers an agent may never set: the credential's own, and what would
/// carry another credential or change where the request goes.
pub fn forbidden_header(name: &str, credential: &Header) -> bool {
    let name = name.to_ascii_lowercase();
    name == credential.name().to_ascii_lowercase()
        || matches!(
            name.as_str(),
            "authorization"
                | "proxy-authorization"
                | "cookie"
                | "host"
                | "x-api-key"
                | "content-length"
                | "transfer-encoding"
        )
}

/// Why `text` looks like a secret an agent pasted (a token it found), if
/// it does: the shapes providers issue tokens in.
pub fn secret_shaped(text: &str) -> Option<&'static str> {
    const PREFIXES: &[(&str, &str)] = &[
        ("ghp_", "a GitHub token"),
        ("gho_", "a GitHub token"),
        ("ghu_", "a GitHub token"),
        ("ghs_", "a GitHub token"),
        ("ghr_", "a GitHub token"),
        ("github_pat_", "a GitHub token"),
        ("xoxb-", "a Slack token"),
        ("xoxp-", "a Slack token"),
        ("xoxa-", "a Slack token"),
        ("sk-ant-", "an Anthropic key"),
        ("sk-proj-", "an OpenAI key"),
        ("ya29.", "a Google access token"),
        ("1//", "a Google refresh token"),
        ("AKIA", "an AWS access key id"),
        ("ASIA", "an AWS access key id"),
        ("glpat-", "a GitLab token"),
        ("npm_", "an npm token"),
    ];
    let token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '+');
    for (prefix, what) in PREFIXES {
        for (at, _) in text.match_indices(prefix) {
            // Where a token starts: not inside a longer word.
            if text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let run = text[at..].chars().take_while(|c| token_char(*c)).count();
            if run >= prefix.len() + 16 {
                return Some(what);
            }
        }
    }
    // A JWT: three base64url parts, the first a JSON header.
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))) {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() == 3 && word.starts_with("eyJ") && parts.iter().all(|p| p.len() >= 8) {
            return Some("a JWT");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pasted_tokens_are_recognised_and_prose_is_not() {
        for secret in [
            "ghp_0123456789abcdefghijABCDEFGHIJ012345",
            "Authorization: Bearer ya29.a0AfH6SMBx-0123456789abcdef",
            "key=sk-ant-api03-0123456789abcdefghij",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "AKIAIOSFODNN7EXAMPLE0000",
            "https://x.test/?t=ghp_0123456789abcdefghij0123",
            "/path/xoxb-0123456789-0123456789-abc",
        ] {
            assert!(secret_shaped(secret).is_some(), "{secret}");
        }
        for prose in [
            "list the repositories",
            "ghp_",
            "https://api.github.com/user",
            "{\"a\": 1}",
            "AKIA",
            "KAKIAIOSFODNN7EXAMPLE0000",
        ] {
            assert_eq!(secret_shaped(prose), None, "{prose}");
        }
    }

    #[test]
    fn the_credentials_header_and_its_kin_cannot_be_set() {
        let raw = Header::Raw("x-api-key".into());
        for name in [
            "Authorization",
            "X-API-Key",
            "cookie",
            "Host",
            "Proxy-Authorization",
        ] {
            assert!(forbidden_header(name, &raw), "{name}");
        }
        assert!(!forbidden_header("Accept", &Header::Bearer));
        assert!(forbidden_header(
            "x-custom",
            &Header::Raw("X-Custom".into())
        ));
    }

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused_without_panic(text in "\\PC{0,80}") {
            let _ = secret_shaped(&text);
        }
    }
}
