//! Durations and points in time as users write them, with their bounds.
//!
//! One parser for every duration flag (90, 90s, 5m, 1h, 2d, 1h30m) and one
//! for times (RFC 3339, or a date meaning midnight UTC). Every expiry lies
//! within what RFC 3339 can write: year 9999 at most.

/// 9999-12-30T22:00:00Z, the latest expiry tokvault keeps: the latest
/// instant jiff (and so RFC 3339 in any offset) can write.
pub const MAX_EXPIRY: i64 = 253_402_207_200;

/// MAX_EXPIRY as shown in messages.
pub const MAX_EXPIRY_TEXT: &str = "9999-12-30T22:00:00Z";

/// The longest duration any flag takes (100 years): large enough for any
/// real expiry, small enough that adding it to now never overflows.
pub const MAX_DURATION: i64 = 100 * 366 * 86_400;

/// Seconds in a duration: a whole number of seconds, or numbers with units
/// s, m, h, d, in decreasing order (`1h30m`). Negative or over
/// `MAX_DURATION` is refused.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "'{}' is not a duration (e.g. 90, 90s, 5m, 1h, 2d)",
            crate::text::excerpt(text)
        )
    };
    let t = text.trim();
    if t.starts_with('-') {
        return Err("a duration must not be negative".into());
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<i64>()
            .ok()
            .filter(|s| *s <= MAX_DURATION)
            .ok_or_else(too_long);
    }
    let mut total: i64 = 0;
    let mut last_unit = i64::MAX;
    let mut rest = t;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let number: i64 = rest[..digits].parse().map_err(|_| too_long())?;
        let unit = match rest.as_bytes().get(digits) {
            Some(b's') => 1,
            Some(b'm') => 60,
            Some(b'h') => 3600,
            Some(b'd') => 86_400,
            _ => return Err(bad()),
        };
        if unit >= last_unit {
            return Err(bad());
        }
        last_unit = unit;
        total = number
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .filter(|s| *s <= MAX_DURATION)
            .ok_or_else(too_long)?;
        rest = &rest[digits + 1..];
    }
    Ok(total)
}

fn too_long() -> String {
    format!("a duration is at most {} days", MAX_DURATION / 86_400)
}

/// A duration flag limited to `min..=max` seconds.
pub fn parse_duration_in(text: &str, min: i64, max: i64) -> Result<i64, String> {
    let secs = parse_duration(text)?;
    if (min..=max).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("must be between {min} and {max} seconds"))
    }
}

/// A point in time: RFC 3339 (2027-01-31T12:00:00Z), or a date alone
/// (2027-01-31), meaning midnight UTC. At most `MAX_EXPIRY`.
pub fn parse_time(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let secs = match t.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.as_second(),
        Err(_) => match t.parse::<jiff::civil::Date>() {
            Ok(date) => date
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map_err(|e| e.to_string())?
                .timestamp()
                .as_second(),
            // jiff cannot represent the last hours of year 9999 nor later
            // years; say what the limit is rather than how it overflowed.
            Err(_)
                if t.starts_with("9999-12-3")
                    || t.bytes().take_while(u8::is_ascii_digit).count() > 4 =>
            {
                return Err(format!("a time is at most {MAX_EXPIRY_TEXT}"));
            }
            Err(_) => {
                return Err(format!(
                    "'{}' is not an RFC 3339 time (2027-01-31T12:00:00Z) or a date (2027-01-31)",
                    crate::text::excerpt(t)
                ));
            }
        },
    };
    if secs > MAX_EXPIRY {
        return Err(format!("a time is at most {MAX_EXPIRY_TEXT}"));
    }
    Ok(secs)
}

/// A number of seconds as people say it: `90s`, `5m`, `1h30m`, `2d`.
pub fn human_duration(secs: u64) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    let mut left = secs;
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if left >= size {
            out.push_str(&format!("{}{unit}", left / size));
            left %= size;
        }
    }
    out
}

/// Unix seconds as RFC 3339 in UTC, e.g. 2026-11-23T03:15:28Z.
pub fn timestamp(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("1h"), Ok(3600));
        assert_eq!(parse_duration("2d"), Ok(172_800));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration(" 0 "), Ok(0));
        for bad in [
            "",
            "-5",
            "-5m",
            "5x",
            "m",
            "1m1h",
            "1.5h",
            "5 m",
            "99999999999999999999",
            "36601d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(parse_duration_in("0", 1, 3600).is_err());
        assert!(parse_duration_in("2h", 1, 3600).is_err());
        assert_eq!(parse_duration_in("1h", 1, 3600), Ok(3600));
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("2027-01-01"), Ok(1_798_761_600));
        assert_eq!(parse_time("2027-01-01T00:00:00Z"), Ok(1_798_761_600));
        assert_eq!(parse_time(MAX_EXPIRY_TEXT), Ok(MAX_EXPIRY));
        assert_eq!(MAX_EXPIRY, jiff::Timestamp::MAX.as_second());
        for bad in [
            "",
            "tomorrow",
            "2027-13-01",
            "10000-01-01",
            "9999-12-31T23:59:59Z",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert_eq!(timestamp(MAX_EXPIRY), MAX_EXPIRY_TEXT);
        for (secs, text) in [(0, "0s"), (90, "1m30s"), (300, "5m"), (90_061, "1d1h1m1s")] {
            assert_eq!(human_duration(secs), text);
            assert_eq!(parse_duration(text), Ok(secs as i64));
        }
    }

    proptest! {
        #[test]
        fn duration_parser_never_panics_and_stays_in_range(s in any::<String>()) {
            if let Ok(secs) = parse_duration(&s) {
                prop_assert!((0..=MAX_DURATION).contains(&secs));
            }
        }

        #[test]
        fn written_durations_read_back(d in 0i64..1000, h in 0i64..24, m in 0i64..60, s in 0i64..60) {
            let text = format!("{d}d{h}h{m}m{s}s");
            prop_assert_eq!(parse_duration(&text), Ok(d * 86_400 + h * 3600 + m * 60 + s));
            let secs = d * 86_400 + h * 3600 + m * 60 + s;
            prop_assert_eq!(parse_duration(&secs.to_string()), Ok(secs));
        }

        #[test]
        fn printed_times_read_back(secs in 0i64..=MAX_EXPIRY) {
            prop_assert_eq!(parse_time(&timestamp(secs)), Ok(secs));
        }

        #[test]
        fn time_parser_never_panics(s in any::<String>()) {
            if let Ok(secs) = parse_time(&s) {
                prop_assert!(secs <= MAX_EXPIRY);
            }
        }
    }
}
