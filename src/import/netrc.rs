//! `~/.netrc`, read as curl (and so git) reads it: words apart by white
//! space, `"quoted words"` with `\"` `\\` `\n` `\r` `\t`, `#` comments,
//! `macdef` bodies up to an empty line, and the first entry for a machine
//! the one that counts. Each machine with a password becomes an API key
//! with a git route; `default` (every other host) becomes a key without
//! one, since a route to every host would send it anywhere.
//!
//! Hand-written: the netrc crates keep passwords in `Debug` and quote the
//! word they stumble on in their errors.

use super::{Entry, Found};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::RouteKind;
use zeroize::Zeroizing;

struct Word {
    text: Zeroizing<String>,
    line: usize,
}

/// The words of `text`, each with its line.
fn words(text: &str) -> Result<Vec<Word>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(&c) = chars.peek() {
        if c == '\n' {
            line += 1;
            chars.next();
        } else if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            while chars.peek().is_some_and(|&c| c != '\n') {
                chars.next();
            }
        } else if c == '"' {
            chars.next();
            let start = line;
            let mut word = Zeroizing::new(String::new());
            loop {
                match chars.next() {
                    None => return Err(format!("line {start}: a quote is not closed")),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some('n') => word.push('\n'),
                        Some('r') => word.push('\r'),
                        Some('t') => word.push('\t'),
                        Some(other) => word.push(other),
                        None => return Err(format!("line {start}: a quote is not closed")),
                    },
                    Some(other) => {
                        line += usize::from(other == '\n');
                        word.push(other);
                    }
                }
            }
            out.push(Word {
                text: word,
                line: start,
            });
        } else {
            let mut word = Zeroizing::new(String::new());
            while let Some(&c) = chars.peek().filter(|c| !c.is_whitespace()) {
                word.push(c);
                chars.next();
            }
            out.push(Word { text: word, line });
        }
    }
    Ok(out)
}

struct Machine {
    host: Option<String>,
    line: usize,
    login: Option<String>,
    password: Option<Secret>,
}

pub fn parse(text: &str) -> Result<Found, String> {
    let mut machines: Vec<Machine> = Vec::new();
    let words = words(text)?;
    let mut i = 0;
    let value = |i: usize, what: &str| -> Result<&Word, String> {
        words
            .get(i + 1)
            .ok_or_else(|| format!("line {}: {what} has no value", words[i].line))
    };
    while i < words.len() {
        let word = &words[i];
        // curl compares keywords without regard to case.
        match word.text.to_ascii_lowercase().as_str() {
            "machine" => {
                let host = value(i, "machine")?.text.to_string();
                machines.push(Machine {
                    host: Some(host),
                    line: word.line,
                    login: None,
                    password: None,
                });
                i += 2;
            }
            "default" => {
                machines.push(Machine {
                    host: None,
                    line: word.line,
                    login: None,
                    password: None,
                });
                i += 1;
            }
            "macdef" => {
                // Its body runs to the next empty line, and is no entry.
                value(i, "macdef")?;
                let end = (text.lines().enumerate())
                    .skip(word.line)
                    .find(|(_, l)| l.trim().is_empty())
                    .map_or(usize::MAX, |(n, _)| n + 1);
                while i < words.len() && words[i].line < end {
                    i += 1;
                }
            }
            keyword @ ("login" | "password" | "account") => {
                let v = value(i, keyword)?;
                let Some(m) = machines.last_mut() else {
                    return Err(format!("line {}: {keyword} before any machine", word.line));
                };
                match keyword {
                    "login" => m.login = Some(v.text.to_string()),
                    "password" => m.password = Some(Secret::new(v.text.as_str())),
                    _ => {}
                }
                i += 2;
            }
            _ => {
                return Err(format!(
                    "line {}: a word that is not machine, default, login, password, account \
                     or macdef (a value with spaces needs \"quotes\")",
                    word.line
                ));
            }
        }
    }
    let mut found = Found::default();
    let mut seen: std::collections::HashSet<Option<String>> = Default::default();
    let mut after_default = false;
    for m in machines {
        let source = format!("line {}", m.line);
        let host = m.host.as_ref().map(|h| h.to_ascii_lowercase());
        if after_default {
            found.skip(source, "after `default`: curl never reads it");
            continue;
        }
        after_default = host.is_none();
        if seen.contains(&host) {
            found.skip(
                source,
                "the same machine appears earlier (curl and git use the first)",
            );
            continue;
        }
        seen.insert(host.clone());
        let Some(password) = m.password.filter(|p| !p.is_empty()) else {
            found.skip(source, "no password");
            continue;
        };
        let (name, route) = match &host {
            Some(host) => (
                host.clone(),
                Some((
                    RouteKind::Git,
                    host.clone(),
                    m.login
                        .clone()
                        .unwrap_or_else(|| crate::vault::git_username(host).into()),
                )),
            ),
            None => ("netrc-default".to_string(), None),
        };
        let mut data = TokenData {
            api_key: Some(password),
            ..TokenData::default()
        };
        if let Some(login) = m.login {
            data.extra.insert("username".into(), login.into());
        }
        found.entries.push(Entry {
            source,
            provider: host
                .as_deref()
                .map_or_else(|| "netrc".into(), super::provider_of),
            name,
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            data,
            route,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entries(text: &str) -> Vec<(String, Option<String>, String)> {
        parse(text)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| {
                (
                    e.name,
                    e.route.map(|r| r.2),
                    e.data.api_key.unwrap().expose().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn curls_forms() {
        let text = "# comment\r\nmachine github.com login me password \"p a\\\"ss\"\r\n\
                    macdef init\ncd /pub\nmachine fake password nope\n\n\
                    machine api.example.com\n  login bot\n  password tok # trailing\n\
                    machine github.com login other password second\n\
                    default login anon password anything\n";
        assert_eq!(
            entries(text),
            [
                ("github.com".into(), Some("me".into()), "p a\"ss".into()),
                ("api.example.com".into(), Some("bot".into()), "tok".into()),
                ("netrc-default".into(), None, "anything".into()),
            ]
        );
        let found = parse(text).unwrap();
        assert_eq!(found.skipped.len(), 1);
        assert_eq!(found.entries[0].provider, "github");
    }

    #[test]
    fn keywords_in_any_case_and_nothing_after_default() {
        let text =
            "MACHINE gitlab.example.com PASSWORD p\ndefault password d\nmachine late password l\n";
        let found = parse(text).unwrap();
        let names: Vec<_> = found.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["gitlab.example.com", "netrc-default"]);
        // Without a login, the username the host expects.
        assert_eq!(found.entries[0].route.as_ref().unwrap().2, "oauth2");
        assert_eq!(
            found.skipped[0].reason,
            "after `default`: curl never reads it"
        );
    }

    #[test]
    fn broken_files_say_where_not_what() {
        for (text, line) in [
            ("machine a login b password \"sec\nret", "line 1"),
            ("machine a\nlogin b\npassword s3cret extra", "line 3"),
            ("login b", "line 1"),
            ("machine a password", "line 1"),
        ] {
            let e = parse(text).err().unwrap();
            assert!(e.starts_with(line), "{text}: {e}");
            assert!(!e.contains("s3cret") && !e.contains("sec"), "{e}");
        }
    }

    proptest! {
        #[test]
        fn any_text_parses_or_names_a_line(text in "(?s).{0,300}") {
            if let Err(e) = parse(&text) {
                prop_assert!(e.starts_with("line "), "{}", e);
            }
        }

        #[test]
        fn quoted_passwords_read_back(password in "[ -~\t]{1,40}") {
            let quoted = password.replace('\\', "\\\\").replace('"', "\\\"").replace('\t', "\\t");
            let text = format!("machine h login u password \"{quoted}\"\n");
            prop_assert_eq!(entries(&text)[0].2.clone(), password);
        }
    }
}
