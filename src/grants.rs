//! What a server is allowed to hand out, as its command line says it:
//! which credential each broker protocol serves (`PROTO=NAME`), and which
//! credentials an agent may use and where they may be sent
//! (`NAME[=HOST,...]`). Plain values, parsed and checked at the command
//! line; the broker and the MCP server act on them.

/// The protocols a broker speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    Aws,
    Gcp,
    Azure,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Aws => "aws",
            Proto::Gcp => "gcp",
            Proto::Azure => "azure",
        }
    }

    /// What the audit log calls a token served over this protocol.
    pub fn operation(self) -> &'static str {
        match self {
            Proto::Aws => "serve:aws",
            Proto::Gcp => "serve:gcp",
            Proto::Azure => "serve:azure",
        }
    }
}

/// `PROTO=NAME`: which credential a protocol hands out.
#[derive(Debug, Clone)]
pub struct Grant {
    pub proto: Proto,
    pub name: String,
}

/// clap value parser for `--serve` / `--grant`.
pub fn parse_grant(text: &str) -> Result<Grant, String> {
    let (proto, name) = text.split_once('=').ok_or_else(|| {
        format!(
            "expected PROTO=NAME (aws, gcp or azure), got '{}'",
            crate::text::excerpt(text)
        )
    })?;
    let proto = match proto {
        "aws" => Proto::Aws,
        "gcp" => Proto::Gcp,
        "azure" => Proto::Azure,
        other => {
            return Err(format!(
                "unknown protocol '{}': aws, gcp or azure",
                crate::text::excerpt(other)
            ));
        }
    };
    crate::text::check_name(name)?;
    Ok(Grant {
        proto,
        name: name.to_string(),
    })
}

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

    /// This pattern names `host` itself (no `*.`).
    pub fn names(&self, host: &str) -> bool {
        self.host.eq_ignore_ascii_case(host)
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

/// `--auth-header NAME=HEADER`.
pub fn parse_auth_header(text: &str) -> Result<(String, String), String> {
    let (name, header) = text
        .split_once('=')
        .ok_or_else(|| "expected NAME=HEADER (x-api-key)".to_string())?;
    crate::text::check_name(name)?;
    if header.is_empty()
        || !header
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "'{}' is not a header name",
            crate::text::excerpt(header)
        ));
    }
    Ok((name.to_string(), header.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn grants_name_a_protocol_and_a_credential() {
        let g = parse_grant("aws=aws-prod").unwrap();
        assert_eq!((g.proto, g.name.as_str()), (Proto::Aws, "aws-prod"));
        for bad in ["aws", "ftp=x", "aws=", "=x", "gcp=a\u{7}b"] {
            assert!(parse_grant(bad).is_err(), "{bad:?}");
        }
    }

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

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused_without_panic(text in "\\PC{0,80}") {
            let _ = parse_credential(&text);
            let _ = parse_grant(&text);
            let _ = parse_auth_header(&text);
        }
    }
}
