//! Text from outside (a provider's answer, a file, a name in an old vault)
//! made safe to show, and the rules for names tokvault accepts.
//!
//! A terminal obeys escape sequences, so a token endpoint that puts ESC, CR
//! or a bidi override in `error_description` could clear the screen, forge
//! a line or retitle the window. Everything shown on stderr passes `clean`.

/// How much of an outside string an error quotes.
pub const EXCERPT: usize = 300;

/// The longest credential, user, client or provider name.
pub const MAX_NAME: usize = 128;

/// Characters that change how a terminal shows the text around them:
/// C0 and C1 controls, DEL, line and paragraph separators, bidi controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` with every unsafe character replaced (line breaks and tabs by a
/// space, others by U+FFFD) and cut to `max` characters, marked with "…".
pub fn clean(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.push(match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe(c) => '\u{fffd}',
            c => c,
        });
    }
    out
}

/// A short excerpt of outside text, for an error message.
pub fn excerpt(text: &str) -> String {
    clean(text, EXCERPT)
}

/// Checks a name a user gives (credential, `--user`, client, provider): not
/// empty, at most `MAX_NAME` characters, nothing unsafe, no surrounding
/// spaces. Names reach tables, prompts, file names and other programs'
/// configuration, where any of those would mislead.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name must not be empty".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("a name is at most {MAX_NAME} characters"));
    }
    if name.chars().any(is_unsafe) {
        return Err(
            "a name must not contain control characters, line breaks or bidi controls".into(),
        );
    }
    if name.trim() != name {
        return Err("a name must not start or end with a space".into());
    }
    Ok(())
}

/// Orders names as people count: key2 before key10. Runs of digits
/// compare as numbers (leading zeros aside), everything else byte by byte,
/// which for UTF-8 is the order of the characters. It works on bytes
/// because SQLite calls it for every comparison a listing's sort makes.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let run =
        |s: &[u8], from: usize| from + s[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (ei, ej) = (run(a, i), run(b, j));
                let zeros = |s: &[u8], from: usize, to: usize| {
                    from + s[from..to].iter().take_while(|&&c| c == b'0').count()
                };
                let (na, nb) = (&a[zeros(a, i, ei)..ei], &b[zeros(b, j, ej)..ej]);
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != Ordering::Equal {
                    return order;
                }
                (i, j) = (ei, ej);
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            (Some(_), Some(_)) => (i, j) = (i + 1, j + 1),
            _ => return (a.len() - i).cmp(&(b.len() - j)),
        }
    }
}

/// clap value parser for names.
pub fn name(text: &str) -> Result<String, String> {
    check_name(text).map(|()| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The order natural_cmp must give, character by character.
    fn natural_reference(a: &str, b: &str) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let (mut a, mut b) = (a, b);
        loop {
            let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
            let (da, db) = (digits(a), digits(b));
            if da > 0 && db > 0 {
                let (na, nb) = (
                    a[..da].trim_start_matches('0'),
                    b[..db].trim_start_matches('0'),
                );
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != Ordering::Equal {
                    return order;
                }
                (a, b) = (&a[da..], &b[db..]);
                continue;
            }
            let (Some(ca), Some(cb)) = (a.chars().next(), b.chars().next()) else {
                return a.len().cmp(&b.len());
            };
            if ca != cb {
                return ca.cmp(&cb);
            }
            (a, b) = (&a[ca.len_utf8()..], &b[cb.len_utf8()..]);
        }
    }

    #[test]
    fn clean_removes_what_a_terminal_obeys() {
        assert_eq!(
            clean("bad\x1b[2J\x1b]0;title\x07\r\nnext", 100),
            "bad\u{fffd}[2J\u{fffd}]0;title\u{fffd}  next"
        );
        assert_eq!(
            clean("a\u{202e}b\u{2028}c\u{9b}", 100),
            "a\u{fffd}b\u{fffd}c\u{fffd}"
        );
        assert_eq!(clean("abcdef", 3), "abc…");
        assert_eq!(clean("abc", 3), "abc");
    }

    #[test]
    fn names() {
        for good in ["google", "gh-work", "my api.key", "ключ", "a"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        let long = "x".repeat(MAX_NAME + 1);
        for bad in [
            "",
            "a\nb",
            "a\rb",
            "a\tb",
            "a\x1bb",
            "a\x7fb",
            "a\u{85}b",
            "a\u{2028}b",
            " a",
            "a ",
            &long,
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_name(&"x".repeat(MAX_NAME)).is_ok());
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["key10", "key2", "key1", "key100", "a", "key02x", "b1"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["a", "b1", "key1", "key2", "key02x", "key10", "key100"]
        );
    }

    proptest! {
        #[test]
        fn natural_order_is_by_characters(a in "[a0-9é_.-]{0,12}", b in "[a0-9é_.-]{0,12}") {
            prop_assert_eq!(natural_cmp(&a, &b), natural_reference(&a, &b));
        }

        fn natural_order_is_total(a in any::<String>(), b in any::<String>()) {
            prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
            prop_assert_eq!(natural_cmp(&a, &a), std::cmp::Ordering::Equal);
        }

        #[test]
        fn clean_output_is_always_safe_and_bounded(s in any::<String>(), max in 0usize..50) {
            let out = clean(&s, max);
            prop_assert!(!out.chars().any(is_unsafe));
            prop_assert!(out.chars().count() <= max + 1);
        }

        #[test]
        fn accepted_names_are_shown_unchanged(s in any::<String>()) {
            if check_name(&s).is_ok() {
                prop_assert_eq!(clean(&s, MAX_NAME), s);
            }
        }
    }
}
