//! What git's other helpers hand `git-credential --accept-store`: kept as
//! credential-store keeps it (git-credential-store(1)), one entry per protocol,
//! host (with port), path and username, each a sealed credential row of
//! provider `git`, so `list`, export, import, migrate and rekey cover them.
//!
//! The attributes live in the sealed token data (`extra.git`), where they
//! are exact; the row's name only labels them for people.

use crate::secret::Secret;
use crate::token::TokenData;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The provider of every entry git stored.
pub const PROVIDER: &str = "git";

/// Where an entry applies, as git describes a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub protocol: String,
    /// `host` or `host:port`, as git sends it.
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// As git sent it: an empty username is one (single sign-on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// What a request asks for: each attribute it gives must match.
pub struct Want<'a> {
    pub protocol: &'a str,
    pub host: &'a str,
    pub path: Option<&'a str>,
    pub username: Option<&'a str>,
    pub password: Option<&'a Secret>,
}

impl Entry {
    /// The row's name: the entry as a URL (`git:https://user@host/path`),
    /// user and path percent-encoded; a long one is cut and ends with a
    /// digest of the whole, so names stay unique and at most 128
    /// characters.
    pub fn name(&self) -> String {
        let mut url = format!("git:{}://", encode(&self.protocol, false));
        if let Some(user) = &self.username {
            url.push_str(&encode(user, true));
            url.push('@');
        }
        url.push_str(&encode(&self.host, false));
        if let Some(path) = &self.path {
            url.push('/');
            url.push_str(&encode(path, false));
        }
        if url.len() <= crate::text::MAX_NAME {
            return url;
        }
        let digest = Sha256::digest(url.as_bytes());
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let mut cut = crate::text::MAX_NAME - hex.len() - 1;
        while !url.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}~{hex}", &url[..cut])
    }

    /// What git sends for a real remote: a protocol, a host without
    /// spaces or controls, and a path and username without controls or
    /// bidi characters, each of a sensible length. Anything else changes
    /// nothing stored.
    pub fn check(&self) -> Result<(), String> {
        let shown = |s: &str| crate::text::excerpt(s);
        let plain = |s: &str| !s.chars().any(crate::text::is_unsafe);
        if self.protocol.is_empty()
            || self.protocol.len() > 32
            || !self
                .protocol
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return Err(format!("'{}' is not a protocol", shown(&self.protocol)));
        }
        if self.host.is_empty()
            || self.host.len() > 256
            || self.host.contains(['/', ' '])
            || self.host.chars().any(char::is_whitespace)
            || !plain(&self.host)
        {
            return Err(format!("'{}' is not host[:port]", shown(&self.host)));
        }
        if let Some(path) = &self.path
            && (path.len() > 4096 || !plain(path))
        {
            return Err("the path holds control characters or is too long".into());
        }
        if let Some(user) = &self.username
            && (user.len() > 256 || !plain(user))
        {
            return Err("the username holds control characters or is too long".into());
        }
        Ok(())
    }

    /// git's own rule (credential_match): every attribute the request
    /// gives equals the entry's; one it leaves out matches anything. A
    /// password given (an erase) must be the entry's too.
    pub fn matches(&self, want: &Want<'_>, password: Option<&Secret>) -> bool {
        let same =
            |wanted: Option<&str>, have: Option<&str>| wanted.is_none_or(|w| have == Some(w));
        want.protocol == self.protocol
            && want.host == self.host
            && same(want.path, self.path.as_deref())
            && same(want.username, self.username.as_deref())
            && want.password.is_none_or(|p| password == Some(p))
    }

    /// The entry kept in token data, beside the password.
    pub fn put_into(&self, data: &mut TokenData) {
        if let Ok(value) = serde_json::to_value(self) {
            data.extra.insert("git".into(), value);
        }
    }

    /// The entry an entry's token data holds, if it is one.
    pub fn of(data: &TokenData) -> Option<Entry> {
        serde_json::from_value(data.extra.get("git")?.clone()).ok()
    }
}

/// The password of an entry: git may store an empty one, which no other
/// credential may hold, so it is kept as "no api_key" and said here.
pub fn password(data: &TokenData) -> Secret {
    data.api_key.clone().unwrap_or_else(|| Secret::new(""))
}

/// `oauth_refresh_token`, kept for git as it was given (tokvault does not
/// refresh through it: it knows no client for it).
pub fn refresh_token(data: &TokenData) -> Option<Secret> {
    data.extra
        .get("oauth_refresh_token")
        .and_then(serde_json::Value::as_str)
        .map(Secret::new)
}

/// Percent-encoding for a name: `%`, whitespace, controls and what is not
/// ASCII always; `@`, `:` and `/` too inside a username.
fn encode(text: &str, user: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let keep = c.is_ascii_graphic() && c != '%' && !(user && matches!(c, '@' | ':' | '/'));
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(path: Option<&str>, username: Option<&str>) -> Entry {
        Entry {
            protocol: "https".into(),
            host: "example.com".into(),
            path: path.map(String::from),
            username: username.map(String::from),
        }
    }

    #[test]
    fn names_read_as_urls() {
        assert_eq!(entry(None, Some("u1")).name(), "git:https://u1@example.com");
        assert_eq!(entry(None, Some("")).name(), "git:https://@example.com");
        assert_eq!(entry(None, None).name(), "git:https://example.com");
        assert_eq!(
            entry(Some("a b/c.git"), Some("me@corp:x")).name(),
            "git:https://me%40corp%3Ax@example.com/a%20b/c.git"
        );
        let long = entry(Some(&"p".repeat(300)), Some("u")).name();
        assert!(long.len() <= crate::text::MAX_NAME, "{long}");
        assert_ne!(long, entry(Some(&"p".repeat(301)), Some("u")).name());
    }

    #[test]
    fn only_what_git_would_send_is_kept() {
        assert!(entry(Some("a b.git"), Some("John Doe")).check().is_ok());
        assert!(entry(None, Some("")).check().is_ok());
        let bad = [
            Entry {
                host: "exa mple.org".into(),
                ..entry(None, None)
            },
            Entry {
                host: "h".repeat(300),
                ..entry(None, None)
            },
            Entry {
                host: String::new(),
                ..entry(None, None)
            },
            Entry {
                protocol: "ht tp".into(),
                ..entry(None, None)
            },
            entry(None, Some("\u{1b}[2J")),
            entry(Some("a\nb"), None),
        ];
        for e in bad {
            let why = e.check().unwrap_err();
            assert!(!why.contains('\u{1b}') && !why.contains('\n'), "{why}");
        }
    }

    #[test]
    fn matching_is_gits() {
        let stored = entry(Some("foo.git"), Some("user"));
        let want = |path, username| Want {
            protocol: "https",
            host: "example.com",
            path,
            username,
            password: None,
        };
        assert!(stored.matches(&want(None, None), None));
        assert!(stored.matches(&want(Some("foo.git"), Some("user")), None));
        assert!(!stored.matches(&want(Some("bar.git"), None), None));
        assert!(!stored.matches(&want(None, Some("other")), None));
        assert!(!entry(None, Some("user")).matches(&want(Some("foo.git"), None), None));
        let pass = Secret::new("p1");
        let erase = Want {
            password: Some(&pass),
            ..want(None, Some("user"))
        };
        assert!(stored.matches(&erase, Some(&Secret::new("p1"))));
        assert!(!stored.matches(&erase, Some(&Secret::new("p2"))));
    }

    proptest! {
        #[test]
        fn every_name_is_a_name_tokvault_accepts(
            protocol in "[a-z]{1,8}",
            host in ".{1,80}",
            path in proptest::option::of(".{0,200}"),
            username in proptest::option::of(".{0,60}"),
        ) {
            let name = Entry { protocol, host, path, username }.name();
            prop_assert!(crate::text::check_name(&name).is_ok(), "{}", name);
        }
    }
}
