//! Secrets kept out of a command's output (`run --mask`).
//!
//! The command's stdout and stderr pass through a filter that replaces each
//! secret with `***`, and also the forms a program is likely to print it in:
//! base64 and base64url at each of the three alignments (so a token inside
//! HTTP Basic credentials is caught too), percent-encoding, and JSON string
//! escaping. A secret split across two reads is still found: the tail of a
//! read that could begin a secret is held back until the next read shows
//! whether it does, and written when the stream ends.

use crate::secret::Secret;
use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use nix::errno::Errno;
use nix::fcntl::{FcntlArg, SpliceFFlags, fcntl, splice, tee};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const REPLACEMENT: &[u8] = b"***";

/// Derived forms shorter than this would hide innocent text.
const MIN_DERIVED: usize = 8;
/// One line of a multi-line secret (a PEM key's are 64 characters) is
/// hidden from this length: shorter ones are too likely to be ordinary
/// text (`apiVersion: v1` in a kubeconfig).
const MIN_LINE: usize = 16;
/// One read from the command.
const CHUNK: usize = 1024 * 1024;
/// The most a stretch of overlapping secrets is held back, waiting for the
/// next read: a bound on memory for output that is one endless chain.
const MAX_HELD: usize = CHUNK / 2;

/// The secrets to hide; shared by the filters of one command, and grown when
/// a secret is renewed while the command runs.
#[derive(Clone, Default)]
pub struct Masks {
    current: Arc<RwLock<Arc<Matcher>>>,
    secrets: Arc<RwLock<Vec<Secret>>>,
}

#[derive(Default)]
struct Matcher {
    automaton: Option<AhoCorasick>,
    /// The same patterns, reporting every match, so that secrets that
    /// overlap in the output are hidden as one stretch.
    overlapping: Option<AhoCorasick>,
    patterns: Vec<Vec<u8>>,
    longest: usize,
    /// Bytes some pattern begins with: most positions are skipped by one
    /// look-up when looking for a partial secret at the end of a read.
    first: Vec<bool>,
}

impl Masks {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Masks {
        let masks = Masks::default();
        for secret in secrets {
            masks.add(secret);
        }
        masks
    }

    /// Hides `secret` too, from the next read on.
    pub fn add(&self, secret: &Secret) {
        let mut secrets = self.secrets.write().unwrap_or_else(|e| e.into_inner());
        if secrets.contains(secret) {
            return;
        }
        secrets.push(secret.clone());
        let matcher = Matcher::new(&secrets);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(matcher);
    }

    fn matcher(&self) -> Arc<Matcher> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// `text` with secrets hidden, where `text` is whole, or (`cut`) the
    /// start of a longer text: then a tail that may begin a secret is
    /// dropped, since shown it would give all of the secret but its end.
    pub fn masked(&self, text: &[u8], cut: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        // Writing to a Vec cannot fail.
        let _ = self.matcher().write_masked(text, !cut, &mut out);
        out
    }

    /// Copies `input` to `output` until `input` ends, secrets hidden. Each
    /// read is written at once, but for a tail that may begin a secret.
    pub fn filter(&self, mut input: impl Read, mut output: impl Write) -> io::Result<()> {
        let mut buf: Vec<u8> = Vec::new();
        // Bytes held back from the previous read, at the start of `buf`.
        let mut held = 0;
        loop {
            let matcher = self.matcher();
            // Allocated (and zeroed) once, not per read; grown only when a
            // longer secret is added or more is held back.
            if buf.len() < held + CHUNK + matcher.longest {
                buf.resize(held + CHUNK + matcher.longest, 0);
            }
            let n = loop {
                match input.read(&mut buf[held..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            let end = n == 0;
            let filled = held + n;
            // Taken again once there is data: a secret renewed while this
            // thread waited is already among the masks.
            let consumed = self
                .matcher()
                .write_masked(&buf[..filled], end, &mut output)?;
            output.flush()?;
            if end {
                return Ok(());
            }
            buf.copy_within(consumed..filled, 0);
            held = filled - consumed;
        }
    }
    /// `filter` for a command's pipe. The bytes are looked at through a
    /// copy made with tee(2), and those passed on unchanged are moved with
    /// splice(2): one copy per byte instead of a read and a write. Where the
    /// kernel refuses (output to a terminal), it reads and writes. `idle`
    /// says when it is waiting for input.
    pub fn filter_pipe(&self, input: OwnedFd, output: OwnedFd, idle: &Idle) -> io::Result<()> {
        let (look_r, look_w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
        let _ = fcntl(&look_w, FcntlArg::F_SETPIPE_SZ(CHUNK as i32));
        let mut look = File::from(look_r);
        let mut out = File::from(output);
        let mut input = File::from(input);
        let mut buf: Vec<u8> = Vec::new();
        let mut discard = vec![0u8; CHUNK];
        // Bytes at the start of `buf`, taken from the pipe but held back.
        let mut held = 0;
        let mut can_splice = true;
        let mut started = false;
        loop {
            idle.waiting();
            let teed = tee(&input, &look_w, CHUNK, SpliceFFlags::empty());
            idle.working();
            let n = match teed {
                Ok(n) => n,
                Err(Errno::EINTR) => continue,
                // Not a pipe after all.
                Err(Errno::EINVAL) if !started => {
                    return self.filter(Watched { input, idle }, out);
                }
                Err(e) => return Err(e.into()),
            };
            started = true;
            // Taken once there is data: a secret renewed while this thread
            // waited is already among the masks.
            let matcher = self.matcher();
            // Room for what is held back (a stretch of overlapping secrets
            // may be up to MAX_HELD) and a whole read.
            if buf.len() < held + CHUNK + matcher.longest {
                buf.resize(held + CHUNK + matcher.longest, 0);
            }
            look.read_exact(&mut buf[held..held + n])?;
            let filled = held + n;
            let end = n == 0;
            let hold = if end {
                filled
            } else {
                matcher.partial_start(&buf[..filled])
            };
            let consumed =
                if can_splice && hold > held && !matcher.matches_before(&buf[..filled], hold) {
                    out.write_all(&buf[..held])?;
                    match splice_all(&input, &out, hold - held) {
                        Ok(()) => {
                            discard_exact(&mut input, &mut discard, filled - hold)?;
                            hold
                        }
                        // The output takes no splice (a terminal): what
                        // was not moved is written from the copy.
                        Err((moved, Errno::EINVAL)) => {
                            can_splice = false;
                            discard_exact(&mut input, &mut discard, n - moved)?;
                            out.write_all(&buf[held + moved..hold])?;
                            hold
                        }
                        Err((_, e)) => return Err(e.into()),
                    }
                } else {
                    discard_exact(&mut input, &mut discard, n)?;
                    matcher.write_masked(&buf[..filled], end, &mut out)?
                };
            if end {
                return Ok(());
            }
            buf.copy_within(consumed..filled, 0);
            held = filled - consumed;
        }
    }
}

/// When a filter began waiting for input, or that it is busy: after the
/// command exits, a filter long idle on a pipe some leftover process holds
/// open may be let go; one still passing output on (to a slow reader, a
/// pager) may not.
#[derive(Default)]
pub struct Idle(AtomicU64);

impl Idle {
    fn waiting(&self) {
        self.0.store(now_millis().max(1), Ordering::Relaxed);
    }

    fn working(&self) {
        self.0.store(0, Ordering::Relaxed);
    }

    /// How long the filter has waited for input; None while it is busy.
    pub fn idle_for(&self) -> Option<Duration> {
        let since = self.0.load(Ordering::Relaxed);
        (since != 0).then(|| Duration::from_millis(now_millis().saturating_sub(since)))
    }
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A reader that marks `idle` while it waits.
struct Watched<'a, R> {
    input: R,
    idle: &'a Idle,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.idle.waiting();
        let n = self.input.read(buf);
        self.idle.working();
        n
    }
}

/// Moves `len` bytes from the pipe `from` to `to`; on failure, says how
/// many were moved before it.
fn splice_all(from: &File, to: &File, len: usize) -> Result<(), (usize, Errno)> {
    let mut moved = 0;
    while moved < len {
        match splice(
            from,
            None,
            to,
            None,
            len - moved,
            SpliceFFlags::SPLICE_F_MOVE,
        ) {
            Ok(0) => return Err((moved, Errno::EPIPE)),
            Ok(n) => moved += n,
            Err(Errno::EINTR) => {}
            Err(e) => return Err((moved, e)),
        }
    }
    Ok(())
}

/// Takes `len` bytes already seen through tee(2) out of the pipe.
fn discard_exact(input: &mut File, scratch: &mut [u8], mut len: usize) -> io::Result<()> {
    while len > 0 {
        let n = len.min(scratch.len());
        input.read_exact(&mut scratch[..n])?;
        len -= n;
    }
    Ok(())
}

impl Matcher {
    fn new(secrets: &[Secret]) -> Matcher {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        for secret in secrets {
            for form in forms(secret.expose()) {
                if !patterns.contains(&form) {
                    patterns.push(form);
                }
            }
        }
        if patterns.is_empty() {
            return Matcher::default();
        }
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(kind)
                .build(&patterns)
                .expect("a few secrets make a small automaton")
        };
        let automaton = build(MatchKind::LeftmostLongest);
        let overlapping = build(MatchKind::Standard);
        let mut first = vec![false; 256];
        for p in &patterns {
            first[p[0] as usize] = true;
        }
        Matcher {
            automaton: Some(automaton),
            overlapping: Some(overlapping),
            longest: patterns.iter().map(Vec::len).max().unwrap_or(0),
            patterns,
            first,
        }
    }

    /// Whether a secret starts in `buf` before `hold`.
    fn matches_before(&self, buf: &[u8], hold: usize) -> bool {
        self.automaton
            .as_ref()
            .and_then(|a| a.find(buf))
            .is_some_and(|m| m.start() < hold)
    }

    /// Writes `buf` with every secret replaced, but for a tail that may be
    /// the start of one (unless `end`): returns how many bytes were dealt
    /// with. Overlapping secrets are one stretch: a stretch that runs into
    /// the held tail is held whole (up to `MAX_HELD`), since a secret
    /// completed by the next read may extend it.
    fn write_masked(&self, buf: &[u8], end: bool, out: &mut impl Write) -> io::Result<usize> {
        let Some(automaton) = &self.overlapping else {
            out.write_all(buf)?;
            return Ok(buf.len());
        };
        let hold = if end {
            buf.len()
        } else {
            self.partial_start(buf)
        };
        let mut cursor = 0;
        for (start, stop) in stretches(automaton, buf) {
            if start >= hold {
                break;
            }
            out.write_all(&buf[cursor..start])?;
            if stop > hold && !end && buf.len() - start <= MAX_HELD {
                return Ok(start);
            }
            out.write_all(REPLACEMENT)?;
            cursor = stop;
        }
        let upto = cursor.max(hold);
        out.write_all(&buf[cursor..upto])?;
        Ok(upto)
    }

    /// Where the longest tail of `buf` that is a proper prefix of a pattern
    /// starts (`buf.len()` if none).
    fn partial_start(&self, buf: &[u8]) -> usize {
        let from = buf.len().saturating_sub(self.longest.saturating_sub(1));
        (from..buf.len())
            .find(|&i| {
                self.first[buf[i] as usize]
                    && self
                        .patterns
                        .iter()
                        .any(|p| p.len() > buf.len() - i && p.starts_with(&buf[i..]))
            })
            .unwrap_or(buf.len())
    }
}

/// Every match in `buf`, overlapping ones joined: (start, end) by start.
fn stretches(automaton: &AhoCorasick, buf: &[u8]) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = automaton
        .find_overlapping_iter(buf)
        .map(|m| (m.start(), m.end()))
        .collect();
    found.sort_unstable();
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(found.len());
    for (start, stop) in found {
        match joined.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(stop),
            _ => joined.push((start, stop)),
        }
    }
    joined
}

/// What to hide for one secret: the secret, each line of a multi-line one,
/// and its encoded forms.
fn forms(secret: &str) -> Vec<Vec<u8>> {
    let mut forms = Vec::new();
    if secret.is_empty() {
        return forms;
    }
    forms.push(secret.as_bytes().to_vec());
    forms.extend(
        secret
            .lines()
            .map(str::trim)
            .filter(|line| line.len() >= MIN_LINE && *line != secret)
            .map(|line| line.as_bytes().to_vec()),
    );
    let percent = percent_encoded(secret);
    let derived = base64_forms(secret.as_bytes())
        .into_iter()
        .chain([
            // Forms (`+` for a space), RFC 3986 (`%20`), and its lower-case hex.
            form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>(),
            percent.to_ascii_lowercase(),
            percent,
            // JSON as serde writes it, and as ASCII-only writers do (`\uXXXX`,
            // PHP's `\/`).
            serde_json::to_string(secret)
                .unwrap_or_default()
                .trim_matches('"')
                .to_string(),
            json_ascii(secret, true),
            // Python's json.dumps: ASCII only, `/` as it is.
            json_ascii(secret, false),
        ])
        .chain(wrapped_base64(secret.as_bytes()));
    for form in derived {
        if form.len() >= MIN_DERIVED && form != secret {
            forms.push(form.into_bytes());
        }
    }
    forms
}

/// RFC 3986 percent-encoding: all but the unreserved characters as `%XX`.
fn percent_encoded(secret: &str) -> String {
    secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A JSON string's inside as ASCII-only writers escape it: `\uXXXX` for
/// controls and all that is not ASCII, `\/` for `/`.
fn json_ascii(secret: &str, escape_slash: bool) -> String {
    let mut out = String::new();
    for c in secret.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if escape_slash => out.push_str("\\/"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// The lines of the secret's base64 as `base64` (76 columns) and
/// `openssl base64` (64) wrap it: each full line, and the last one.
fn wrapped_base64(secret: &[u8]) -> Vec<String> {
    let encoded = STANDARD.encode(secret);
    let mut lines = Vec::new();
    for width in [76, 64] {
        if encoded.len() > width {
            lines.extend(
                encoded
                    .as_bytes()
                    .chunks(width)
                    .map(|l| String::from_utf8_lossy(l).into_owned()),
            );
        }
    }
    lines
}

/// The secret's base64 and base64url, whole, and as it appears inside a
/// longer encoded text at each alignment: only the characters that depend
/// on the secret's bytes alone.
fn base64_forms(secret: &[u8]) -> Vec<String> {
    let mut forms = vec![STANDARD.encode(secret), URL_SAFE.encode(secret)];
    for offset in 0..3usize {
        let mut bytes = vec![0u8; offset];
        bytes.extend_from_slice(secret);
        let first = (8 * offset).div_ceil(6);
        let last = 8 * bytes.len() / 6;
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&bytes);
            if first < last {
                forms.push(encoded[first..last].to_string());
            }
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(secrets: &[&str], input: &[u8], chunk: usize) -> Vec<u8> {
        let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(s.to_string())).collect();
        let masks = Masks::new(&secrets);
        let mut out = Vec::new();
        masks
            .filter(Trickle { data: input, chunk }, &mut out)
            .unwrap();
        out
    }

    /// A reader that hands out at most `chunk` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn hides_the_other_percent_and_json_escapes() {
        let secret = "pass word/é~x\"y";
        for form in [
            "pass%20word%2F%C3%A9~x%22y",
            "pass%20word%2f%c3%a9~x%22y",
            "pass word\\/\\u00e9~x\\\"y",
        ] {
            let text = format!("seen: {form} end\n");
            let out = String::from_utf8(mask(&[secret], text.as_bytes(), 5)).unwrap();
            assert_eq!(out, "seen: *** end\n", "{form}");
        }
    }

    #[test]
    fn hides_secrets_and_their_encodings() {
        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let basic = STANDARD.encode(format!("x-access-token:{token}"));
        let text = format!(
            "token={token}\nb64={}\nurl={}\nbasic={basic}\n",
            STANDARD.encode(token),
            form_urlencoded::byte_serialize("a b&c=d/é+long".as_bytes()).collect::<String>(),
        );
        let out = String::from_utf8(mask(&[token, "a b&c=d/é+long"], text.as_bytes(), 7)).unwrap();
        assert!(!out.contains(token), "{out}");
        assert!(!out.contains(&STANDARD.encode(token)), "{out}");
        assert!(
            out.starts_with("token=***\nb64=***\nurl=***\nbasic="),
            "{out}"
        );
        // Only the few characters shared with the user name's encoding stay.
        let tail = out.lines().last().unwrap();
        assert!(tail.contains("***") && tail.len() < 40, "{tail}");
    }

    /// Through real pipes, as `run` uses it: `writes` are written one by
    /// one into the command's end.
    fn mask_pipe(secrets: &[&str], writes: Vec<Vec<u8>>) -> Vec<u8> {
        let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(s.to_string())).collect();
        let masks = Masks::new(&secrets);
        let (in_r, in_w) = nix::unistd::pipe().unwrap();
        let (out_r, out_w) = nix::unistd::pipe().unwrap();
        let writer = std::thread::spawn(move || {
            let mut w = File::from(in_w);
            for chunk in writes {
                w.write_all(&chunk).unwrap();
            }
        });
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            File::from(out_r).read_to_end(&mut out).unwrap();
            out
        });
        masks.filter_pipe(in_r, out_w, &Idle::default()).unwrap();
        writer.join().unwrap();
        reader.join().unwrap()
    }

    #[test]
    fn pipes_give_what_reads_give() {
        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let big: Vec<u8> = (0..5_000_000u32).map(|i| (i % 253) as u8).collect();
        let mut text = big.clone();
        text.extend_from_slice(format!("x{token}y").as_bytes());
        text.extend_from_slice(&big);
        let writes: Vec<Vec<u8>> = text.chunks(70_001).map(<[u8]>::to_vec).collect();
        assert_eq!(mask_pipe(&[token], writes), mask(&[token], &text, 4096));
    }

    #[test]
    fn overlapping_secrets_hide_each_other_whole() {
        for chunk in [1, 3, 7, 100] {
            let out = mask(&["abcdefgh", "efghijkl"], b"x abcdefghijkl y", chunk);
            assert_eq!(String::from_utf8(out).unwrap(), "x *** y", "{chunk}");
        }
    }

    #[test]
    fn wrapped_base64_and_python_json_are_hidden() {
        let secret = "s3cr3t-".repeat(12);
        let encoded = STANDARD.encode(&secret);
        for width in [76, 64] {
            let wrapped: Vec<&str> = encoded
                .as_bytes()
                .chunks(width)
                .map(|l| std::str::from_utf8(l).unwrap())
                .collect();
            let text = format!("{}\n", wrapped.join("\n"));
            let out = String::from_utf8(mask(&[&secret], text.as_bytes(), 13)).unwrap();
            assert!(out.lines().all(|l| l == "***"), "{width}: {out}");
        }
        let secret = "pässwörd/with/slashes";
        let python = "p\\u00e4ssw\\u00f6rd/with/slashes";
        let out = mask(&[secret], format!("{{\"k\": \"{python}\"}}").as_bytes(), 5);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"k\": \"***\"}");
    }

    #[test]
    fn a_held_stretch_and_a_whole_pipe_read_fit() {
        // A stretch of overlapping secrets held back (longer than either
        // secret), then a read as large as `run` makes its pipes.
        let secrets = [Secret::new("abcdefgh"), Secret::new("efghijkl")];
        let masks = Masks::new(&secrets);
        let (in_r, in_w) = nix::unistd::pipe().unwrap();
        let (out_r, out_w) = nix::unistd::pipe().unwrap();
        let _ = fcntl(&in_w, FcntlArg::F_SETPIPE_SZ(CHUNK as i32));
        let mut text = b"x abcdefghij".to_vec();
        text.extend(std::iter::repeat_n(b'z', CHUNK));
        let expected = {
            let mut out = Vec::new();
            masks.filter(&text[..], &mut out).unwrap();
            out
        };
        let (head, tail) = text.split_at(12);
        let (head, tail) = (head.to_vec(), tail.to_vec());
        let writer = std::thread::spawn(move || {
            let mut w = File::from(in_w);
            w.write_all(&head).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(50));
            w.write_all(&tail).unwrap();
        });
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            File::from(out_r).read_to_end(&mut out).unwrap();
            out
        });
        masks.filter_pipe(in_r, out_w, &Idle::default()).unwrap();
        writer.join().unwrap();
        let out = reader.join().unwrap();
        assert_eq!(out.len(), expected.len());
        assert!(out == expected && out.starts_with(b"x ***"));
    }

    #[test]
    fn output_without_secrets_is_unchanged() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(mask(&["not-in-there-at-all"], &data, 4096), data);
    }

    #[test]
    fn multi_line_secrets_are_hidden_line_by_line() {
        let pem = "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\nEEEEFFFFGGGGHHHH\n-----END KEY-----\n";
        let printed = pem.replace('\n', "\r\n");
        let out = String::from_utf8(mask(&[pem], printed.as_bytes(), 5)).unwrap();
        assert!(
            !out.contains("AAAABBBBCCCCDDDD") && !out.contains("EEEEFFFFGGGGHHHH"),
            "{out}"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn no_secret_survives_any_chunking(
                secret in "[a-zA-Z0-9_.-]{1,40}",
                parts in proptest::collection::vec("[ ,;:!]{0,30}", 0..6),
                chunk in 1usize..50,
            ) {
                let text = parts.join(&secret);
                let out = mask(&[&secret], text.as_bytes(), chunk);
                prop_assert_eq!(String::from_utf8(out).unwrap(), parts.join("***"));
            }

            #[test]
            fn pipes_mask_as_reads_do(
                parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..8),
                secret in "[a-c]{1,6}",
            ) {
                let whole: Vec<u8> = parts.concat();
                prop_assert_eq!(mask_pipe(&[&secret], parts), mask(&[&secret], &whole, usize::MAX));
            }

            #[test]
            fn same_result_whatever_the_reads(
                data in proptest::collection::vec(any::<u8>(), 0..2000),
                secret in proptest::collection::vec(1u8..4, 1..6),
                chunk in 1usize..64,
            ) {
                let secret = String::from_utf8(secret).unwrap();
                let whole = mask(&[&secret], &data, usize::MAX);
                let trickled = mask(&[&secret], &data, chunk);
                prop_assert_eq!(whole, trickled);
            }
        }
    }
}
