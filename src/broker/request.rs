//! One HTTP/1.1 request as the broker reads it: a bounded head, parsed
//! whole or refused, and a body only where its length is given.

use zeroize::Zeroizing;

/// The request line and headers together: no SDK's request comes near it.
pub const MAX_HEAD: usize = 16 * 1024;
/// More headers than any client sends; a request with more is refused.
const MAX_HEADERS: usize = 64;

/// A request, its head and body wiped when dropped (they carry tokens).
pub struct Request {
    pub method: String,
    /// The path, percent-decoding left to the routes.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, Zeroizing<String>)>,
    pub body: Zeroizing<Vec<u8>>,
    /// HTTP/1.0, or `Connection: close`: the connection ends after the answer.
    pub close: bool,
}

impl Request {
    /// The first header of `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request cannot be served, as the status that says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub status: u16,
    pub why: &'static str,
}

const fn refused(status: u16, why: &'static str) -> Refused {
    Refused { status, why }
}

/// A parsed head: the request (body still empty), how many bytes of the
/// buffer it took, and how long its body is.
pub struct Head {
    pub request: Request,
    pub len: usize,
    pub body_len: usize,
}

/// Parses the head at the start of `buf`: None while it is incomplete (and
/// still within MAX_HEAD), a refusal for anything malformed, over-long, or
/// with a body the broker would have to guess the end of.
pub fn parse_head(buf: &[u8], max_body: usize) -> Result<Option<Head>, Refused> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD => {
            return Err(refused(431, "the request's head is too large"));
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(refused(431, "the request has too many headers"));
        }
        Err(_) => return Err(refused(400, "the request is not valid HTTP/1.1")),
    };
    if len > MAX_HEAD {
        return Err(refused(431, "the request's head is too large"));
    }
    let method = parsed.method.unwrap_or_default().to_string();
    let target = parsed.path.unwrap_or_default();
    let version = parsed.version.unwrap_or(1);
    let mut body_len = 0usize;
    let mut close = version == 0;
    let mut kept = Vec::with_capacity(parsed.headers.len());
    for h in parsed.headers.iter() {
        let value = std::str::from_utf8(h.value)
            .map_err(|_| refused(400, "a header's value is not UTF-8"))?;
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(refused(411, "a body must come with Content-Length"));
        }
        if h.name.eq_ignore_ascii_case("content-length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| refused(400, "Content-Length is not a number"))?;
            if kept
                .iter()
                .any(|(name, _): &(String, _)| name.eq_ignore_ascii_case("content-length"))
            {
                return Err(refused(400, "Content-Length is given twice"));
            }
            if n > max_body {
                return Err(refused(413, "the request's body is too large"));
            }
            body_len = n;
        }
        if h.name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            close = true;
        }
        kept.push((h.name.to_string(), Zeroizing::new(value.to_string())));
    }
    if !target.starts_with('/') {
        return Err(refused(400, "the request's target is not a path"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Some(Head {
        request: Request {
            method,
            path: path.to_string(),
            query: form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: kept,
            body: Zeroizing::new(Vec::new()),
            close,
        },
        len,
        body_len,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<Option<Head>, Refused> {
        parse_head(text.as_bytes(), 1024)
    }

    #[test]
    fn what_a_head_becomes() {
        let head = parse("GET /a/b?x=1&y=%2F HTTP/1.1\r\nHost: h\r\nAuthorization: t\r\n\r\nrest")
            .unwrap()
            .unwrap();
        assert_eq!(head.request.method, "GET");
        assert_eq!(head.request.path, "/a/b");
        assert_eq!(head.request.param("y"), Some("/"));
        assert_eq!(head.request.header("authorization"), Some("t"));
        assert!(!head.request.close);
        assert_eq!(
            &"GET /a/b?x=1&y=%2F HTTP/1.1\r\nHost: h\r\nAuthorization: t\r\n\r\nrest"[head.len..],
            "rest"
        );
        let cases: &[(&str, Option<u16>)] = &[
            ("GET / HTTP/1.1\r\nHost: h", None),
            (
                "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                Some(411),
            ),
            ("POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n", Some(413)),
            ("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", Some(400)),
            (
                "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
                Some(400),
            ),
            ("GET http://elsewhere/ HTTP/1.1\r\n\r\n", Some(400)),
            ("\x01\x02 / HTTP/1.1\r\n\r\n", Some(400)),
        ];
        for (text, status) in cases {
            match (parse(text), status) {
                (Ok(None), None) => {}
                (Err(r), Some(s)) => assert_eq!(r.status, *s, "{text:?}"),
                (Ok(Some(_)), _) | (Ok(None), Some(_)) | (Err(_), None) => {
                    panic!("{text:?} was read otherwise")
                }
            }
        }
        let close = parse("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(close.request.close);
    }

    #[test]
    fn a_head_that_never_ends_is_refused_at_its_bound() {
        let mut text = b"GET / HTTP/1.1\r\nX: ".to_vec();
        text.resize(MAX_HEAD, b'a');
        assert_eq!(parse_head(&text, 0).err().map(|r| r.status), Some(431));
    }

    proptest! {
        /// Whatever arrives, the parser answers (never panics), and a head
        /// it accepts lies within the buffer and the bounds.
        #[test]
        fn any_bytes_are_parsed_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(Some(head)) = parse_head(&bytes, 100) {
                prop_assert!(head.len <= bytes.len());
                prop_assert!(head.body_len <= 100);
                prop_assert!(head.request.path.starts_with('/'));
            }
        }

        #[test]
        fn any_request_line_and_headers_round_trip(
            path in "/[a-z0-9/._-]{0,40}",
            name in "[A-Za-z][A-Za-z0-9-]{0,20}",
            value in "[ -~]{0,60}",
        ) {
            let text = format!("GET {path} HTTP/1.1\r\n{name}: {value}\r\n\r\n");
            let head = parse_head(text.as_bytes(), 0).unwrap().unwrap();
            prop_assert_eq!(&head.request.path, &path);
            if !name.eq_ignore_ascii_case("connection") && !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("transfer-encoding") {
                prop_assert_eq!(head.request.header(&name), Some(value.trim()));
            }
        }
    }
}
