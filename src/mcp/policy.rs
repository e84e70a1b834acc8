//! What an agent may do with which credential: the credentials exposed,
//! the hosts each may be sent to, the header it travels in, and what an
//! argument must never carry.

use crate::secret::Secret;

/// `--credential NAME[=HOST[,HOST...]]`, as given.
#[derive(Debug, Clone)]
pub struct Exposed {
    pub name: String,
    /// Hosts given; none means the preset's.
    pub hosts: Vec<HostPattern>,
}

/// clap value parser for `--credential`.
pub fn parse_credential(text: &str) -> Result<Exposed, String> {
    let (name, hosts) = match text.split_once('=') {
        Some((name, hosts)) => (name, Some(hosts)),
        None => (text, None),
    };
    crate::text::check_name(name)?;
    let hosts = match hosts {
        None => Vec::new(),
        Some(hosts) => hosts
            .split(',')
            .map(HostPattern::parse)
            .collect::<Result<Vec<_>, _>>()?,
    };
    if text.contains('=') && hosts.is_empty() {
        return Err("NAME= needs at least one HOST".into());
    }
    Ok(Exposed {
        name: name.to_string(),
        hosts,
    })
}

/// A host an agent's request may go to: `api.github.com`, `*.googleapis.com`
/// (any subdomain, not the domain itself), `127.0.0.1:8080`. Without a
/// port, only the scheme's default port matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPattern {
    /// Lowercase; a leading `*.` kept.
    host: String,
    port: Option<u16>,
}

impl HostPattern {
    pub fn parse(text: &str) -> Result<HostPattern, String> {
        let shown = crate::text::excerpt(text);
        let bad = || {
            format!(
                "'{shown}' is not a host pattern (api.example.com, *.example.com, 127.0.0.1:8080)"
            )
        };
        let text = text.trim();
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') || host.ends_with(']') => (
                host,
                Some(
                    port.parse::<u16>()
                        .ok()
                        .filter(|p| *p != 0)
                        .ok_or_else(bad)?,
                ),
            ),
            _ => (text, None),
        };
        let bare = host.strip_prefix("*.").unwrap_or(host);
        let bare_ok = !bare.is_empty()
            && bare.len() <= 253
            && (bare
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok()
                || bare.split('.').all(|label| {
                    !label.is_empty()
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                }));
        if !bare_ok {
            return Err(bad());
        }
        Ok(HostPattern {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// Whether a request to `host:port` (`default_port` being the scheme's)
    /// is allowed by this pattern.
    pub fn matches(&self, host: &str, port: u16, default_port: u16) -> bool {
        let host = host.to_ascii_lowercase();
        let host_ok = match self.host.strip_prefix("*.") {
            Some(domain) => {
                host.len() > domain.len() + 1
                    && host.ends_with(domain)
                    && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            }
            None => host == self.host,
        };
        host_ok && port == self.port.unwrap_or(default_port)
    }
}

impl std::fmt::Display for HostPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

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

impl HostPattern {
    /// This pattern names `host` itself (no `*.`).
    pub fn names(&self, host: &str) -> bool {
        self.host.eq_ignore_ascii_case(host)
    }
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
    fn credentials_and_their_hosts_parse() {
        let e = parse_credential("gh").unwrap();
        assert_eq!((e.name.as_str(), e.hosts.len()), ("gh", 0));
        let e = parse_credential("api=api.example.com,*.Example.org,127.0.0.1:8080").unwrap();
        assert_eq!(
            e.hosts.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["api.example.com", "*.example.org", "127.0.0.1:8080"]
        );
        for bad in [
            "",
            "=x",
            "a=",
            "a=,",
            "a=http://x",
            "a=x:0",
            "a=x:99999",
            "a=x y",
            "a=*.",
            "a=x/y",
            "a\u{7}=x",
        ] {
            assert!(parse_credential(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hosts_match_exactly_or_as_subdomains_and_on_their_port() {
        let p = |t| HostPattern::parse(t).unwrap();
        let cases = [
            ("api.github.com", "api.github.com", 443, true),
            ("api.github.com", "API.GitHub.com", 443, true),
            ("api.github.com", "api.github.com", 8443, false),
            ("api.github.com", "api.github.com.evil.test", 443, false),
            ("api.github.com", "evilapi.github.com", 443, false),
            ("*.googleapis.com", "storage.googleapis.com", 443, true),
            ("*.googleapis.com", "googleapis.com", 443, false),
            ("*.googleapis.com", "xgoogleapis.com", 443, false),
            ("*.googleapis.com", "a.b.googleapis.com", 443, true),
            ("127.0.0.1:8080", "127.0.0.1", 8080, true),
            ("127.0.0.1:8080", "127.0.0.1", 8081, false),
        ];
        for (pattern, host, port, allowed) in cases {
            assert_eq!(
                p(pattern).matches(host, port, 443),
                allowed,
                "{pattern} {host}:{port}"
            );
        }
    }

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
            let _ = parse_credential(&text);
            let _ = secret_shaped(&text);
        }
    }
}
