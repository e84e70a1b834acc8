//! Writing variables for other programs to read back exactly: a shell's
//! `eval`, docker's `--env-file`, GitHub's `$GITHUB_ENV`, or JSON.

use crate::error;
use crate::secret::Secret;
use anyhow::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The secret alone and a newline
    Raw,
    /// JSON
    Json,
    /// `export VAR='value'` lines for `eval` in sh, bash or zsh
    Env,
    /// `VAR=value` lines, read verbatim by `docker --env-file` (single-line values only)
    Dotenv,
    /// Lines for `>> "$GITHUB_ENV"`: `VAR=value`, or a heredoc for multi-line values
    Github,
}

/// A valid variable name: letters, digits and `_`, not starting with a digit.
pub fn check_var(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(error::usage(format!(
            "'{}' is not a valid environment variable name",
            crate::text::excerpt(name)
        )))
    }
}

/// The variable a credential (and field) is exported as by default:
/// `google.id_token` -> `GOOGLE_ID_TOKEN`.
pub fn default_var(name: &str, field: Option<&str>) -> String {
    let mut var: String = std::iter::once(name)
        .chain(field)
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if var.starts_with(|c: char| c.is_ascii_digit()) {
        var.insert(0, '_');
    }
    var
}

/// One variable in `format`, newline included.
pub fn line(format: Format, var: &str, value: &Secret) -> Result<Secret> {
    let v = value.expose();
    Ok(Secret::new(match format {
        // Single quotes keep everything literal; a quote itself is closed,
        // escaped and reopened.
        Format::Env => format!("export {var}='{}'\n", v.replace('\'', r"'\''")),
        Format::Dotenv => {
            if v.contains(['\n', '\r']) {
                return Err(error::usage(format!(
                    "{var}: a value with a line break cannot be written as dotenv \
                     (docker --env-file reads one line); use --format env, github or json"
                )));
            }
            format!("{var}={v}\n")
        }
        Format::Github if v.contains(['\n', '\r']) => {
            // A random delimiter that the value cannot contain.
            let delimiter = loop {
                let d = format!("TOKVAULT_EOF_{}", crate::oauth::pkce::random(12).expose());
                if !v.contains(&d) {
                    break d;
                }
            };
            format!("{var}<<{delimiter}\n{v}\n{delimiter}\n")
        }
        Format::Github => format!("{var}={v}\n"),
        Format::Raw | Format::Json => unreachable!("not a line format"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names() {
        assert_eq!(default_var("google", Some("id_token")), "GOOGLE_ID_TOKEN");
        assert_eq!(default_var("my-api.v2", None), "MY_API_V2");
        assert_eq!(default_var("1password", None), "_1PASSWORD");
    }

    #[test]
    fn env_quoting_survives_a_shell() {
        let value = Secret::new("it's \"$HOME\" `x`\nline two \\");
        let line = line(Format::Env, "V", &value).unwrap();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{}printf %s \"$V\"", line.expose()))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), value.expose());
    }

    #[test]
    fn dotenv_refuses_line_breaks_and_github_uses_a_heredoc() {
        let multi = Secret::new("a\nb");
        assert!(line(Format::Dotenv, "V", &multi).is_err());
        let gh = line(Format::Github, "V", &multi).unwrap();
        let text = gh.expose();
        assert!(
            text.starts_with("V<<TOKVAULT_EOF_") && text.contains("\na\nb\n"),
            "{text}"
        );
        assert_eq!(
            line(Format::Dotenv, "V", &Secret::new("a b'\"$"))
                .unwrap()
                .expose(),
            "V=a b'\"$\n"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// How GitHub's runner reads `$GITHUB_ENV`: `NAME=value` lines, or
        /// `NAME<<DELIM` ... `DELIM` blocks.
        fn read_github(text: &str) -> Vec<(String, String)> {
            let mut out = Vec::new();
            let mut lines = text.split('\n');
            while let Some(line) = lines.next() {
                if line.is_empty() {
                    continue;
                }
                match (line.find('='), line.find("<<")) {
                    (Some(eq), heredoc) if heredoc.is_none_or(|h| eq < h) => {
                        out.push((line[..eq].to_string(), line[eq + 1..].to_string()));
                    }
                    (_, Some(h)) => {
                        let delimiter = &line[h + 2..];
                        let mut value = Vec::new();
                        for l in lines.by_ref() {
                            if l == delimiter {
                                break;
                            }
                            value.push(l);
                        }
                        out.push((line[..h].to_string(), value.join("\n")));
                    }
                    _ => panic!("unreadable line {line:?}"),
                }
            }
            out
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]

            #[test]
            fn env_lines_read_back_through_sh(value in "[^\\x00]{0,40}") {
                let line = line(Format::Env, "V", &Secret::new(value.clone())).unwrap();
                let out = std::process::Command::new("sh")
                    .arg("-c")
                    .arg(format!("{}printf %s \"$V\"", line.expose()))
                    .output()
                    .unwrap();
                prop_assert_eq!(String::from_utf8(out.stdout).unwrap(), value);
            }
        }

        proptest! {
            #[test]
            fn github_lines_read_back(value in "[^\\x00\r]{0,60}") {
                let text = line(Format::Github, "V", &Secret::new(value.clone())).unwrap();
                prop_assert_eq!(read_github(text.expose()), vec![("V".to_string(), value)]);
            }

            #[test]
            fn dotenv_lines_read_back_or_are_refused(value in any::<String>()) {
                match line(Format::Dotenv, "V", &Secret::new(value.clone())) {
                    Ok(text) => {
                        prop_assert!(!value.contains(['\n', '\r']));
                        prop_assert_eq!(text.expose(), format!("V={value}\n"));
                    }
                    Err(_) => prop_assert!(value.contains(['\n', '\r'])),
                }
            }

            #[test]
            fn default_vars_are_valid_names(name in any::<String>(), field in proptest::option::of("[a-z_.]{1,10}")) {
                let var = default_var(&name, field.as_deref());
                if !var.is_empty() {
                    prop_assert!(check_var(&var).is_ok(), "{var}");
                }
            }
        }
    }
}
