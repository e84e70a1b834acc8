//! OAuth2 scopes: what one may hold, and how a list of them is read.
//!
//! A vault row keeps its scopes joined by spaces and seals them so; a scope
//! holding a space (or a tab, or a non-breaking space) would read back as
//! two, and the seal would no longer match. So every scope is checked to be
//! an RFC 6749 §3.3 scope-token before it is stored.

/// Whether `s` is one RFC 6749 scope-token: `1*( %x21 / %x23-5B / %x5D-7E )`.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5b | 0x5d..=0x7e))
}

/// Checks one scope, naming it (cleaned) when it is not a scope-token.
pub fn check(s: &str) -> Result<(), String> {
    if is_token(s) {
        return Ok(());
    }
    Err(format!(
        "'{}' is not an OAuth2 scope (RFC 6749: printable ASCII without spaces, '\"' or '\\')",
        crate::text::excerpt(s)
    ))
}

/// clap value parser for one comma-separated piece of `--scopes`:
/// surrounding whitespace goes (`read, write` is two scopes), whitespace
/// inside is refused (it would split the scope in two when read back).
pub fn flag(text: &str) -> Result<String, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("an empty scope (separate scopes with single commas)".into());
    }
    if s.contains(char::is_whitespace) {
        return Err(format!(
            "'{}' holds whitespace: separate scopes with commas (--scopes a,b)",
            crate::text::excerpt(s)
        ));
    }
    check(s).map(|()| s.to_string())
}

/// The scopes of an OAuth2 `scope` string (space-separated, RFC 6749
/// §3.3), each checked.
pub fn split(scope: &str) -> Result<Vec<String>, String> {
    scope
        .split_whitespace()
        .map(|s| check(s).map(|()| s.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn flags_and_answers() {
        assert_eq!(flag(" write").unwrap(), "write");
        assert_eq!(flag("\u{a0}write\t").unwrap(), "write");
        assert_eq!(
            flag("https://www.googleapis.com/auth/drive").unwrap(),
            "https://www.googleapis.com/auth/drive"
        );
        for bad in [
            "",
            " ",
            "read write",
            "a\u{a0}b",
            "a\"b",
            "a\\b",
            "ключ",
            "a\x1bb",
            "a\x7f",
        ] {
            assert!(flag(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            split("openid  email\tprofile").unwrap(),
            ["openid", "email", "profile"]
        );
        assert!(split("").unwrap().is_empty());
        assert_eq!(split("a b\u{a0}c").unwrap(), ["a", "b", "c"]);
        assert!(split("a ключ").is_err());
        let e = check("a\x1b[2Jb").unwrap_err();
        assert!(!e.contains('\x1b'), "{e}");
    }

    proptest! {
        #[test]
        fn accepted_scopes_read_back_from_a_sealed_row(pieces in prop::collection::vec(any::<String>(), 0..5)) {
            let flags: Result<Vec<String>, String> = pieces.iter().map(|p| flag(p)).collect();
            if let Ok(list) = flags {
                let back: Vec<String> = list.join(" ").split_whitespace().map(String::from).collect();
                prop_assert_eq!(&back, &list);
                prop_assert_eq!(split(&list.join(" ")).unwrap(), list);
            }
            if let Ok(list) = split(&pieces.join(" ")) {
                prop_assert!(list.iter().all(|s| is_token(s)));
            }
        }

        #[test]
        fn every_token_is_accepted(s in "[!#-\\[\\]-~]{1,40}") {
            prop_assert!(is_token(&s));
            prop_assert_eq!(flag(&s).unwrap(), s.clone());
        }
    }
}
