//! A `.env` file, read by dotenvy as docker compose reads one: `export`,
//! quotes, escapes and `${VAR}` in the value. Each variable is an API key
//! named by its lower-cased name; a name that starts with a preset's
//! (`OPENAI_API_KEY`) is that provider's.

use super::{Entry, Found};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};

pub fn parse(text: &str) -> Result<Found, String> {
    let mut vars: Vec<(String, Secret)> = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) => vars.push((key, Secret::new(value))),
            // The line dotenvy quotes may hold a secret: only where it is.
            Err(dotenvy::Error::LineParse(line, _)) => {
                let at = text.find(line.trim_end()).unwrap_or(text.len());
                return Err(format!(
                    "{}: not KEY=VALUE (or a quote is not closed)",
                    super::line_of(text, at)
                ));
            }
            Err(_) => return Err("not a .env file".into()),
        }
    }
    let mut found = Found::default();
    for (i, (key, value)) in vars.iter().enumerate() {
        // The last assignment is the one every reader keeps.
        if vars[i + 1..].iter().any(|(k, _)| k == key) {
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
            .find(|p| name.strip_prefix(p).is_some_and(|rest| rest.starts_with('_')))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, String, String)> {
        parse(text)
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
        let skipped: Vec<_> = parse(text)
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
    fn a_broken_line_is_named_without_its_text() {
        let e = parse("A=1\nB=2\nC='sk-secret\n").err().unwrap();
        assert_eq!(e, "line 3: not KEY=VALUE (or a quote is not closed)");
    }
}
