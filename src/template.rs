//! Secret references and the templates that hold them.
//!
//! A reference is `tokvault://NAME`, `tokvault://NAME/FIELD`, or
//! `tokvault://USER/NAME/FIELD` (FIELD empty for the secret itself:
//! `tokvault://USER/NAME/`). Each part is percent-encoded where it holds
//! `/`, `%`, a space or `}`: `tokvault://team%2Fci/token`. A template
//! holds references as `{{ tokvault://... }}`; any other `{{` is text, and
//! `\{{` is a literal `{{`.

/// A credential, in a namespace or --user's, and one of its fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub user: Option<String>,
    pub name: String,
    pub field: Option<String>,
}

pub const SCHEME: &str = "tokvault://";

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = |s: &str| encode(s);
        match (&self.user, &self.field) {
            (Some(u), field) => write!(
                f,
                "{SCHEME}{}/{}/{}",
                e(u),
                e(&self.name),
                e(field.as_deref().unwrap_or(""))
            ),
            (None, Some(field)) => write!(f, "{SCHEME}{}/{}", e(&self.name), e(field)),
            (None, None) => write!(f, "{SCHEME}{}", e(&self.name)),
        }
    }
}

/// A reference as written, `tokvault://` included.
pub fn parse_reference(text: &str) -> Result<Reference, String> {
    let shown = || crate::text::excerpt(text);
    let rest = text
        .strip_prefix(SCHEME)
        .ok_or_else(|| format!("'{}' does not start with {SCHEME}", shown()))?;
    let parts = rest
        .split('/')
        .map(decode)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|why| format!("'{}': {why}", shown()))?;
    let bad = |why: &str| format!("'{}' is not {SCHEME}[USER/]NAME[/FIELD]: {why}", shown());
    let (user, name, field) = match parts.as_slice() {
        [name] => (None, name.clone(), None),
        [name, field] => (None, name.clone(), Some(field.clone())),
        [user, name, field] => (
            Some(user.clone()),
            name.clone(),
            Some(field.clone()).filter(|f| !f.is_empty()),
        ),
        _ => return Err(bad("too many parts (percent-encode a / in a name as %2F)")),
    };
    if name.is_empty() || user.as_ref().is_some_and(String::is_empty) {
        return Err(bad("an empty name"));
    }
    if parts.len() == 2 && field.as_ref().is_some_and(String::is_empty) {
        return Err(bad("an empty field"));
    }
    let all = [Some(&name), user.as_ref(), field.as_ref()];
    if all
        .into_iter()
        .flatten()
        .any(|p| p.chars().any(crate::text::is_unsafe))
    {
        return Err(bad("a control character"));
    }
    Ok(Reference { user, name, field })
}

/// Percent-decoding of one part: `%XX` to its byte, the result UTF-8.
fn decode(part: &str) -> Result<String, String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("a % not followed by two hex digits")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoding that is not UTF-8".to_string())
}

/// What must be encoded in a part to read back as written.
fn encode(part: &str) -> String {
    let mut out = String::new();
    for c in part.chars() {
        if c == '/' || c == '%' || c == '}' || c == '{' || c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A template cut into text and references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// A reference, with the line (from 1) it is on.
    Ref(usize, Reference),
}

/// The template's pieces, or the first malformed reference with its line.
pub fn pieces(template: &str) -> Result<Vec<Piece<'_>>, (usize, String)> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut line = 1;
    while let Some(at) = rest.find("{{") {
        let (before, from) = rest.split_at(at);
        // `\{{` is the two braces themselves.
        if let Some(text) = before.strip_suffix('\\') {
            out.push(Piece::Text(text));
            out.push(Piece::Text("{{"));
            line += before.matches('\n').count();
            rest = &from[2..];
            continue;
        }
        let inner = from[2..].trim_start_matches([' ', '\t']);
        if !inner.starts_with(SCHEME) {
            out.push(Piece::Text(&rest[..at + 2]));
            line += before.matches('\n').count();
            rest = &from[2..];
            continue;
        }
        out.push(Piece::Text(before));
        line += before.matches('\n').count();
        let close = inner
            .find("}}")
            .filter(|end| !inner[..*end].contains('\n'))
            .ok_or((
                line,
                "a {{ tokvault:// reference with no }} on its line".to_string(),
            ))?;
        let reference = parse_reference(inner[..close].trim_end_matches([' ', '\t']))
            .map_err(|why| (line, why))?;
        out.push(Piece::Ref(line, reference));
        rest = &inner[close + 2..];
    }
    out.push(Piece::Text(rest));
    out.retain(|p| !matches!(p, Piece::Text("")));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(user: Option<&str>, name: &str, field: Option<&str>) -> Reference {
        Reference {
            user: user.map(String::from),
            name: name.into(),
            field: field.map(String::from),
        }
    }

    #[test]
    fn references() {
        for (text, want) in [
            ("tokvault://github", r(None, "github", None)),
            (
                "tokvault://google/id_token",
                r(None, "google", Some("id_token")),
            ),
            ("tokvault://ci/deploy/", r(Some("ci"), "deploy", None)),
            (
                "tokvault://ci/aws/secret_access_key",
                r(Some("ci"), "aws", Some("secret_access_key")),
            ),
            ("tokvault://team%2Fapi%20key", r(None, "team/api key", None)),
        ] {
            assert_eq!(parse_reference(text), Ok(want), "{text}");
        }
        for bad in [
            "tokvault://",
            "tokvault:///x",
            "tokvault://a/",
            "tokvault://a/b/c/d",
            "tokvault://a%2",
            "tokvault://a%ff",
            "tokvault://a%1b",
            "op://vault/item",
        ] {
            assert!(parse_reference(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn templates() {
        let t = "user: me\ntoken: {{ tokvault://gh }}\nkey: {{tokvault://ci/aws/secret_access_key}} {{ other }}\n\\{{ tokvault://x }}";
        let p = pieces(t).unwrap();
        assert_eq!(p[1], Piece::Ref(2, r(None, "gh", None)));
        assert_eq!(
            p[3],
            Piece::Ref(3, r(Some("ci"), "aws", Some("secret_access_key")))
        );
        let text: String = p
            .iter()
            .map(|p| match p {
                Piece::Text(t) => *t,
                Piece::Ref(..) => "@",
            })
            .collect();
        assert_eq!(
            text,
            "user: me\ntoken: @\nkey: @ {{ other }}\n{{ tokvault://x }}"
        );
        assert_eq!(pieces("a\n\nb {{ tokvault://x\n}}").unwrap_err().0, 3);
        assert_eq!(pieces("{{ tokvault://a/b/c/d }}").unwrap_err().0, 1);
    }

    proptest! {
        #[test]
        fn a_reference_reads_back_as_written(
            user in proptest::option::of("[a-zA-Z0-9 ./%{}_é-]{1,12}"),
            name in "[a-zA-Z0-9 ./%{}_é-]{1,12}",
            field in proptest::option::of("[a-z_]{1,8}"),
        ) {
            let want = Reference { user, name, field };
            prop_assert_eq!(parse_reference(&want.to_string()), Ok(want.clone()));
            let template = format!("x {{{{ {want} }}}} y");
            let p = pieces(&template).unwrap();
            prop_assert_eq!(&p[1], &Piece::Ref(1, want));
        }

        #[test]
        fn any_template_parses_or_names_a_line(t in ".{0,200}") {
            match pieces(&t) {
                Ok(p) => {
                    let refs = p.iter().filter(|p| matches!(p, Piece::Ref(..))).count();
                    prop_assert!(refs <= t.matches("{{").count());
                }
                Err((line, _)) => prop_assert!(line >= 1 && line <= t.lines().count().max(1)),
            }
        }
    }
}
