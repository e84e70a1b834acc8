//! git's credential-store file (`~/.git-credentials`): a URL a line,
//! `https://user:token@host[:port][/path]`, user, token, host and path
//! percent-encoded, as git-credential-store(1) writes it. Each becomes an
//! API key and a git route for its host (and path, where git kept one);
//! git answers with the first line that matches, so a later line for the
//! same host is reported, not imported. A line git could not read either
//! is reported without its text.

use super::{Entry, Found};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::RouteKind;

pub fn parse(text: &str) -> Result<Found, String> {
    let mut found = Found::default();
    for (n, line) in text.lines().enumerate() {
        let source = format!("line {}", n + 1);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let Some(url) = Url::parse(line) else {
            found.skip(
                source,
                "not a URL git reads (scheme://user:token@host/path)",
            );
            continue;
        };
        let bare = match url.host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => url.host.split(':').next().unwrap_or_default(),
        };
        let loopback = matches!(bare, "127.0.0.1" | "localhost" | "::1");
        if !(url.protocol == "https" || url.protocol == "http" && loopback) {
            found.skip(
                source,
                format!(
                    "{}: tokens are sent over https only (or http to loopback)",
                    // A scheme git would read; anything else may be a secret.
                    if is_scheme(&url.protocol) {
                        url.protocol.as_str()
                    } else {
                        "not https"
                    }
                ),
            );
            continue;
        }
        let Some(password) = url.password.filter(|p| !p.is_empty()) else {
            found.skip(source, "no token in the line");
            continue;
        };
        let pattern = crate::vault::git_pattern(&match &url.path {
            Some(path) => format!("{}/{path}", url.host),
            None => url.host.clone(),
        });
        let username = url
            .username
            .clone()
            .unwrap_or_else(|| crate::vault::git_username(&pattern).into());
        let mut data = TokenData {
            api_key: Some(password),
            ..TokenData::default()
        };
        data.extra
            .insert("username".into(), username.clone().into());
        found.entries.push(Entry {
            source,
            name: pattern.clone(),
            provider: super::provider_of(bare),
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            data,
            route: Some((RouteKind::Git, pattern, username)),
        });
    }
    Ok(found)
}

/// A URL scheme as RFC 3986 writes one.
fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A line as git's `credential_from_url` reads it.
struct Url {
    protocol: String,
    username: Option<String>,
    password: Option<Secret>,
    /// `host` or `host:port`.
    host: String,
    path: Option<String>,
}

impl Url {
    fn parse(line: &str) -> Option<Url> {
        let (protocol, rest) = line.split_once("://")?;
        if protocol.is_empty() {
            return None;
        }
        // As git's credential_from_url: the host ends at `/`, `?` or `#`,
        // and what comes before the first `@` is user and password.
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = (&rest[..end], rest[end..].trim_start_matches('/'));
        let (userinfo, host) = match authority.split_once('@') {
            Some((userinfo, host)) => (Some(userinfo), host),
            None => (None, authority),
        };
        let (username, password) = match userinfo.map(|u| u.split_once(':').unwrap_or((u, ""))) {
            Some((user, pass)) => (
                Some(decode(user)?),
                Some(Secret::new(decode(pass)?)).filter(|_| !pass.is_empty()),
            ),
            None => (None, None),
        };
        let host = decode(host)?;
        let path = decode(path.trim_end_matches('/'))?;
        if host.is_empty() {
            return None;
        }
        Some(Url {
            protocol: protocol.to_string(),
            username,
            password,
            host,
            path: Some(path).filter(|p| !p.is_empty()),
        })
    }
}

/// `%XX` as a byte, as git decodes (a `%` without two hex digits stays).
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn routes(text: &str) -> Vec<(String, String, String)> {
        parse(text)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| {
                let (_, pattern, user) = e.route.unwrap();
                (pattern, user, e.data.api_key.unwrap().expose().to_string())
            })
            .collect()
    }

    #[test]
    fn lines_as_git_reads_them() {
        let text = "https://me:ghp_1@github.com\r\n\nhttps://bot%40corp:p%3As%2Fs@git.corp.example:8443/team/repo.git\n\
                    http://u:t@127.0.0.1:3000\nhttp://u:t@example.com\nnot a url\nhttps://nopass@host.example\n";
        assert_eq!(
            routes(text),
            [
                ("github.com".into(), "me".into(), "ghp_1".into()),
                (
                    "git.corp.example:8443/team/repo".into(),
                    "bot@corp".into(),
                    "p:s/s".into()
                ),
                ("127.0.0.1:3000".into(), "u".into(), "t".into()),
            ]
        );
        let skipped: Vec<_> = parse(text)
            .unwrap()
            .skipped
            .into_iter()
            .map(|s| s.source)
            .collect();
        assert_eq!(skipped, ["line 5", "line 6", "line 7"]);
    }

    #[test]
    fn what_is_not_a_url_is_not_quoted() {
        let found =
            parse("token: ghp_secret for https://github.com\nhttp://u:t@[::1]:8080\n").unwrap();
        assert!(
            !found.skipped[0].reason.contains("ghp_secret"),
            "{}",
            found.skipped[0].reason
        );
        assert_eq!(found.entries[0].name, "[::1]:8080");
        // The first `@` ends the user and password, as git reads it.
        let found = parse("https://u:p@ss@host.example\n").unwrap();
        assert_eq!(found.entries[0].name, "ss@host.example");
    }

    proptest! {
        #[test]
        fn encoded_tokens_read_back(user in "[ -~]{1,20}", token in "[ -~]{1,40}") {
            let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
            let text = format!("https://{}:{}@host.example\n", enc(&user), enc(&token));
            prop_assert_eq!(routes(&text), vec![("host.example".into(), user, token)]);
        }

        #[test]
        fn any_text_parses(text in "(?s).{0,300}") {
            prop_assert!(parse(&text).is_ok());
        }
    }
}
