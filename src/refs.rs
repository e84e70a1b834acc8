//! `VAR=NAME[.FIELD]` bindings, from the command line or an env file.

use crate::envfmt;
use crate::error;
use crate::text;
use anyhow::Result;
use std::path::Path;

/// An environment variable and the secret it receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub var: String,
    /// `NAME` or `NAME.FIELD`
    pub reference: String,
}

/// `VAR=NAME[.FIELD]`; with `default_var`, a bare `NAME[.FIELD]` is named
/// after the credential.
pub fn parse(spec: &str, default_var: bool) -> Result<Binding> {
    let (var, reference) = match spec.split_once('=') {
        Some((var, reference)) => (var.trim().to_string(), reference.trim().to_string()),
        None if default_var => {
            let (name, field) = match spec.rsplit_once('.') {
                Some((n, f)) => (n, Some(f)),
                None => (spec, None),
            };
            (envfmt::default_var(name, field), spec.to_string())
        }
        None => {
            return Err(error::usage(format!(
                "'{}' is not VAR=NAME[.FIELD]",
                text::excerpt(spec)
            )));
        }
    };
    envfmt::check_var(&var)?;
    if reference.is_empty() || reference.starts_with('.') || reference.ends_with('.') {
        return Err(error::usage(format!(
            "'{}' is not VAR=NAME[.FIELD]",
            text::excerpt(spec)
        )));
    }
    Ok(Binding { var, reference })
}

/// Far above any real env file; bounds what a mistaken path can cost.
const MAX_ENV_FILE: u64 = 1 << 20;

/// An env file: one `VAR=NAME[.FIELD]` or `VAR=tokvault://...` per line
/// (a value may be quoted, as in a dotenv file); `#` comments, blank lines
/// and a leading `export ` are allowed. Errors name the file and line.
pub fn parse_file(path: &Path) -> Result<Vec<Binding>> {
    let text = crate::input::text_file(path, MAX_ENV_FILE, "env file")?;
    let mut bindings = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        // A dotenv file's quotes around a value: `KEY="tokvault://x"`.
        let unquoted;
        let line = match line.split_once('=') {
            Some((var, value))
                if value.len() >= 2
                    && (value.starts_with('"') && value.ends_with('"')
                        || value.starts_with('\'') && value.ends_with('\'')) =>
            {
                unquoted = format!("{var}={}", &value[1..value.len() - 1]);
                unquoted.as_str()
            }
            _ => line,
        };
        let binding = parse(line, false)
            .map_err(|e| error::usage(format!("{}:{}: {e}", path.display(), i + 1)))?;
        bindings.push(binding);
    }
    Ok(bindings)
}

/// Refuses a variable bound twice: which one was meant?
pub fn check_unique(bindings: &[Binding]) -> Result<()> {
    for (i, b) in bindings.iter().enumerate() {
        if bindings[..i].iter().any(|a| a.var == b.var) {
            return Err(error::usage(format!("{} is bound twice", b.var)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings() {
        assert_eq!(
            parse("GH=github", false).unwrap(),
            Binding {
                var: "GH".into(),
                reference: "github".into()
            }
        );
        assert_eq!(
            parse("google.id_token", true).unwrap().var,
            "GOOGLE_ID_TOKEN"
        );
        assert!(parse("github", false).is_err());
        assert!(parse("1X=github", false).is_err());
        assert!(parse("X=", false).is_err());
        assert!(parse("X=a.", false).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parsing_never_panics(spec in any::<String>(), default_var in any::<bool>()) {
                let _ = parse(&spec, default_var);
            }

            #[test]
            fn written_bindings_read_back(
                var in "[A-Z_][A-Z0-9_]{0,15}",
                name in "[a-z][a-z0-9-]{0,15}",
                field in proptest::option::of("[a-z_]{1,12}"),
            ) {
                let reference = match &field {
                    Some(f) => format!("{name}.{f}"),
                    None => name.clone(),
                };
                let b = parse(&format!("{var}={reference}"), false).unwrap();
                prop_assert_eq!(b, Binding { var, reference });
            }

            #[test]
            fn errors_quote_little(spec in ".{300,2000}") {
                if let Err(e) = parse(&spec, false) {
                    prop_assert!(e.to_string().chars().count() < 400);
                }
            }
        }
    }
}
