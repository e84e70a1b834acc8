//! A `.env` file, read as python-dotenv reads one (the grammar docker
//! compose's files keep to as well): `export`, `#` comments on their own
//! line or after a space, `'single'` quotes with `\'` and `\\`, `"double"`
//! quotes with backslash escapes, either across lines, and `${VAR}` or
//! `${VAR:-default}` outside single quotes, from earlier in the file, then
//! the environment. Each variable is an API key named by its lower-cased
//! name; a name that starts with a preset's (`OPENAI_API_KEY`) is that
//! provider's.
//!
//! Hand-written: dotenvy refuses the `'it\'s'` python-dotenv's `set_key`
//! writes, and quotes the line it refuses in its error.

use super::{Entry, Found};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};

pub fn parse(text: &str) -> Result<Found, String> {
    parse_with(text, &|name| std::env::var(name).ok())
}

fn parse_with(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Found, String> {
    let vars = bindings(text, env)?;
    let last: std::collections::HashMap<&str, usize> = (vars.iter().enumerate())
        .map(|(i, b)| (b.key.as_str(), i))
        .collect();
    let mut found = Found::default();
    for (i, Binding { key, value, line }) in vars.iter().enumerate() {
        let Some(value) = value else {
            // A word alone on its line may be a secret pasted there: only
            // where it is.
            found.skip(format!("line {line}"), "no = and no value");
            continue;
        };
        // The last assignment is the one every reader keeps.
        if last[key.as_str()] != i {
            found.skip(key.as_str(), "set again later in the file");
            continue;
        }
        if value.expose().trim().is_empty() {
            found.skip(key.as_str(), "the value is empty");
            continue;
        }
        if value.expose().starts_with(crate::template::SCHEME) {
            found.skip(key.as_str(), "already a tokvault reference");
            continue;
        }
        let name = key.to_lowercase();
        let provider = crate::providers::PROVIDERS
            .iter()
            .map(|p| p.name)
            .find(|p| {
                name.strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('_'))
            })
            .map_or_else(|| name.clone(), str::to_string);
        found.entries.push(Entry {
            source: key.clone(),
            name,
            provider,
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            data: TokenData {
                api_key: Some(value.clone()),
                ..TokenData::default()
            },
            route: None,
        });
    }
    Ok(found)
}

/// Blanks that do not end a line.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// One `KEY=VALUE` (no value for a key without `=`), and its line.
struct Binding {
    key: String,
    value: Option<Secret>,
    line: usize,
}

/// Every binding, in order.
fn bindings(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Binding>, String> {
    let mut out: Vec<Binding> = Vec::new();
    let mut rest = text;
    // Lines counted as the text is consumed: once over the whole file.
    let (mut line_no, mut counted) = (1, 0);
    let mut line = |rest: &str| {
        let at = text.len() - rest.len();
        line_no += text[counted..at].matches('\n').count();
        counted = at;
        line_no
    };
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(out);
        }
        if rest.starts_with('#') {
            rest = rest.find(['\r', '\n']).map_or("", |i| &rest[i..]);
            continue;
        }
        let at = line(rest);
        let bad = || format!("line {at}: not KEY=VALUE (or a quote is not closed)");
        if let Some(after) = rest.strip_prefix("export")
            && after.starts_with(is_blank)
        {
            rest = after.trim_start_matches(is_blank);
        }
        let key;
        if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'').filter(|&e| e > 0).ok_or_else(bad)?;
            key = &quoted[..end];
            rest = &quoted[end + 1..];
        } else {
            let end = rest
                .find(|c: char| c == '=' || c == '#' || c.is_whitespace())
                .unwrap_or(rest.len());
            if end == 0 {
                return Err(bad());
            }
            key = &rest[..end];
            rest = &rest[end..];
        }
        rest = rest.trim_start_matches(is_blank);
        let value = match rest.strip_prefix('=') {
            None => None,
            Some(after) => {
                let after = after.trim_start_matches(is_blank);
                let lookup = |name: &str| {
                    (out.iter().rev())
                        .find(|b| b.key == name)
                        .and_then(|b| b.value.as_ref().map(|v| v.expose().to_string()))
                        .or_else(|| env(name))
                };
                let (value, after) = value(after, &lookup).ok_or_else(bad)?;
                rest = after;
                Some(value)
            }
        };
        // Then only a comment, before the line ends.
        rest = rest.trim_start_matches(is_blank);
        if rest.starts_with('#') {
            rest = rest.find(['\r', '\n']).map_or("", |i| &rest[i..]);
        }
        if !(rest.is_empty() || rest.starts_with(['\r', '\n'])) {
            return Err(bad());
        }
        out.push(Binding {
            key: key.to_string(),
            value,
            line: at,
        });
    }
}

/// A value and what follows it, or None when a quote is not closed.
fn value<'t>(text: &'t str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<(Secret, &'t str)> {
    let mut value = zeroize::Zeroizing::new(String::new());
    if let Some(quoted) = text.strip_prefix('\'') {
        let end = closing(quoted, '\'')?;
        let mut chars = quoted[..end].chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some(&next @ ('\\' | '\''))) => {
                    value.push(next);
                    chars.next();
                }
                (c, _) => value.push(c),
            }
        }
        return Some((Secret::new(value.as_str()), &quoted[end + 1..]));
    }
    if let Some(quoted) = text.strip_prefix('"') {
        let end = closing(quoted, '"')?;
        let mut chars = quoted[..end].chars().peekable();
        while let Some(c) = chars.next() {
            let escaped = match (c, chars.peek()) {
                ('\\', Some('n')) => '\n',
                ('\\', Some('r')) => '\r',
                ('\\', Some('t')) => '\t',
                ('\\', Some('a')) => '\u{7}',
                ('\\', Some('b')) => '\u{8}',
                ('\\', Some('f')) => '\u{c}',
                ('\\', Some('v')) => '\u{b}',
                ('\\', Some(&next @ ('\\' | '\'' | '"'))) => next,
                (c, _) => {
                    value.push(c);
                    continue;
                }
            };
            value.push(escaped);
            chars.next();
        }
        return Some((interpolate(&value, lookup), &quoted[end + 1..]));
    }
    // Unquoted: to the end of the line, less a comment after a blank.
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    let line = &text[..end];
    let cut = (line.char_indices())
        .find(|&(i, c)| c == '#' && line[..i].ends_with(char::is_whitespace))
        .map_or(line.len(), |(i, _)| i);
    value.push_str(line[..cut].trim_end());
    Some((interpolate(&value, lookup), &text[end..]))
}

/// Where the quote `q` that `text` follows closes, as python-dotenv's
/// pattern `'((?:\\'|[^'])*)'` finds it: the first quote no backslash
/// escapes, or else the last escaped one (a value ending in `\`).
fn closing(text: &str, q: char) -> Option<usize> {
    let mut last_escaped = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|&(_, n)| n == q) {
            last_escaped = chars.next().map(|(j, _)| j);
        } else if c == q {
            return Some(i);
        }
    }
    last_escaped
}

/// `${NAME}` and `${NAME:-default}` expanded; anything else as it is.
fn interpolate(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Secret {
    let mut out = zeroize::Zeroizing::new(String::new());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        if name.contains(':') {
            break;
        }
        out.push_str(&rest[..start]);
        let found = lookup(name).filter(|v| !v.is_empty());
        out.push_str(found.as_deref().or(default).unwrap_or(""));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Secret::new(out.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, String, String)> {
        parse_with(text, &|_| None)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| {
                let value = e.data.api_key.unwrap().expose().to_string();
                (e.name, e.provider, value)
            })
            .collect()
    }

    #[test]
    fn compose_forms_read_as_compose_reads_them() {
        let text = "# a comment\r\nexport OPENAI_API_KEY=sk-1\r\nQUOTED='a b' # note\n\
                    DOUBLE=\"x\\ny\"\nEMPTY=\nSTRIPE_KEY=first\nSTRIPE_KEY=second\n\
                    REF=tokvault://other\nUNICODE=pässwörd\n";
        assert_eq!(
            keys(text),
            [
                ("openai_api_key".into(), "openai".into(), "sk-1".into()),
                ("quoted".into(), "quoted".into(), "a b".into()),
                ("double".into(), "double".into(), "x\ny".into()),
                ("stripe_key".into(), "stripe_key".into(), "second".into()),
                ("unicode".into(), "unicode".into(), "pässwörd".into()),
            ]
        );
        let skipped: Vec<_> = parse_with(text, &|_| None)
            .unwrap()
            .skipped
            .into_iter()
            .map(|s| (s.source, s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("EMPTY".into(), "the value is empty".into()),
                ("STRIPE_KEY".into(), "set again later in the file".into()),
                ("REF".into(), "already a tokvault reference".into()),
            ]
        );
    }

    #[test]
    fn python_dotenv_quoting_and_interpolation() {
        let env = |name: &str| (name == "FROM_ENV").then(|| "env-value".to_string());
        let text = "A='it\\'s \"q\"'\nB=\"multi\nline ${A}\"\nC=${FROM_ENV}/${NONE:-dflt}\n\
                    D='${A}'\nE=a#b c # comment\n'F'=x\nNOVALUE\n";
        let got: Vec<_> = bindings(text, &env)
            .unwrap()
            .into_iter()
            .map(|b| (b.key, b.value.map(|v| v.expose().to_string())))
            .collect();
        let s = |k: &str, v: Option<&str>| (k.to_string(), v.map(str::to_string));
        assert_eq!(
            got,
            [
                s("A", Some("it's \"q\"")),
                s("B", Some("multi\nline it's \"q\"")),
                s("C", Some("env-value/dflt")),
                s("D", Some("${A}")),
                s("E", Some("a#b c")),
                s("F", Some("x")),
                s("NOVALUE", None),
            ]
        );
        // What python-dotenv reads where a backslash ends the value.
        for text in ["K='a\\\\'\n", "K='a\\'\n"] {
            let got = bindings(text, &env).unwrap();
            assert_eq!(got[0].value.as_ref().unwrap().expose(), "a\\", "{text}");
        }
    }

    #[test]
    fn a_word_alone_is_reported_by_its_line() {
        let found = parse_with("A=1\nghp_pasted_token\n", &|_| None).unwrap();
        assert_eq!(found.skipped[0].source, "line 2");
    }

    #[test]
    fn a_broken_line_is_named_without_its_text() {
        for text in [
            "A=1\nB=2\nC='sk-secret\n",
            "A=1\n\nC=\"sk-secret\n",
            "A=1\nB=2\nC='x' sk-secret\n",
        ] {
            let e = parse_with(text, &|_| None).err().unwrap();
            assert_eq!(
                e, "line 3: not KEY=VALUE (or a quote is not closed)",
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_names_a_line(text in "(?s).{0,300}") {
            if let Err(e) = parse_with(&text, &|_| None) {
                proptest::prop_assert!(e.starts_with("line "), "{}", e);
            }
        }

        #[test]
        fn values_python_dotenv_writes_read_back(value in "[^\u{0}\\\\]{1,40}") {
            // set_key's quote_mode "always": single quotes, ' escaped (a
            // backslash it leaves as it is does not read back there either).
            let text = format!("K='{}'\n", value.replace('\'', "\\'"));
            let got = bindings(&text, &|_| None).unwrap();
            proptest::prop_assert_eq!(got[0].value.as_ref().unwrap().expose(), value.as_str());
        }
    }
}
