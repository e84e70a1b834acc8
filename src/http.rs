//! The one HTTP agent: timeouts always set, bodies bounded, errors mapped to
//! the network exit code, and plain HTTP only to loopback.

use crate::error::Error;
use anyhow::Result;
use std::io::ErrorKind;
use std::net::IpAddr;
use std::time::Duration;
use ureq::tls::{RootCerts, TlsConfig};

/// No token response or discovery document comes near this.
pub const MAX_BODY: u64 = 1 << 20;

pub struct Http {
    agent: ureq::Agent,
    timeout: Duration,
}

/// A response as read: status, media type, and the bounded body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: crate::secret::Secret,
}

impl Http {
    pub fn new(connect: Duration, overall: Duration) -> Http {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(overall))
            // OAuth2 errors come as 4xx with a JSON body we must read.
            .http_status_as_error(false)
            // A token endpoint that redirects would have us re-send secrets
            // to wherever it points.
            .max_redirects(0)
            .max_redirects_will_error(false)
            // The system store and SSL_CERT_FILE, like every other tool.
            .tls_config(
                TlsConfig::builder()
                    .root_certs(RootCerts::PlatformVerifier)
                    .build(),
            )
            .user_agent(concat!("tokvault/", env!("CARGO_PKG_VERSION")))
            .build();
        Http {
            agent: config.new_agent(),
            timeout: overall,
        }
    }

    pub fn get(&self, url: &str) -> Result<Answer> {
        self.get_with(url, &[])
    }

    /// GET with extra headers (an API's Accept and Authorization).
    pub fn get_with(&self, url: &str, headers: &[(&str, &str)]) -> Result<Answer> {
        check_url(url)?;
        self.send(url, || {
            let mut req = self.agent.get(url);
            for (name, value) in with_accept(headers) {
                req = req.header(name, value);
            }
            req.call()
        })
    }

    /// POSTs a form (or, for providers that want it, JSON), with extra
    /// headers (Authorization, an API's Accept); a header given replaces
    /// the default of the same name.
    pub fn post(&self, url: &str, body: &PostBody, headers: &[(&str, &str)]) -> Result<Answer> {
        check_url(url)?;
        self.send(url, || {
            let mut req = self.agent.post(url);
            for (name, value) in with_accept(headers) {
                req = req.header(name, value);
            }
            match body {
                PostBody::Form(pairs) => {
                    req.send_form(pairs.iter().map(|(k, v)| (k.as_str(), v.expose())))
                }
                PostBody::Json(value) => req.send_json(value),
                PostBody::Empty => req.send_empty(),
            }
        })
    }

    /// DELETE with headers (GitHub's installation token revocation).
    pub fn delete(&self, url: &str, headers: &[(&str, &str)]) -> Result<Answer> {
        check_url(url)?;
        self.send(url, || {
            let mut req = self.agent.delete(url);
            for (name, value) in with_accept(headers) {
                req = req.header(name, value);
            }
            req.call()
        })
    }

    /// Any request, sent once as given (no retry: it may not be
    /// idempotent) and not redirected; at most `limit` bytes of the body
    /// are read, and whether there was more is said. For an agent's
    /// request (`mcp`), whose answer is the agent's to read.
    pub fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, crate::secret::Secret)],
        body: Option<&[u8]>,
        limit: u64,
    ) -> Result<Raw> {
        use std::io::Read;
        check_url(url)?;
        let mut builder = ureq::http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.expose());
        }
        let request = builder
            .body(body.unwrap_or_default().to_vec())
            .map_err(|_| {
                crate::error::usage("the request's method or headers are not valid HTTP")
            })?;
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| network(url, &e, self.timeout))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| network(url, &ureq::Error::Io(e), self.timeout))?;
        let truncated = bytes.len() as u64 > limit;
        bytes.truncate(limit as usize);
        Ok(Raw {
            status,
            headers,
            body: zeroize::Zeroizing::new(bytes),
            truncated,
        })
    }

    /// Sends, retrying only when the connection was refused: then the request
    /// surely never reached the server, so nothing single-use was spent.
    fn send(
        &self,
        url: &str,
        attempt: impl Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Answer> {
        let mut delays = [Duration::from_millis(200), Duration::from_millis(800)].into_iter();
        let mut response = loop {
            match attempt() {
                Err(ureq::Error::Io(e)) if e.kind() == ErrorKind::ConnectionRefused => {
                    match delays.next() {
                        Some(d) => std::thread::sleep(d),
                        None => return Err(network(url, &ureq::Error::Io(e), self.timeout)),
                    }
                }
                Err(e) => return Err(network(url, &e, self.timeout)),
                Ok(r) => break r,
            }
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| network(url, &e, self.timeout))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Answer {
            status,
            content_type,
            body: text.into(),
        })
    }
}

/// An answer as an agent's request got it.
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: zeroize::Zeroizing<Vec<u8>>,
    /// The body was longer than the limit read.
    pub truncated: bool,
}

/// `headers`, and JSON as the answer wanted unless they say otherwise.
fn with_accept<'a>(headers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = headers.to_vec();
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
    {
        all.push(("Accept", "application/json"));
    }
    all
}

pub enum PostBody {
    Form(Vec<(String, crate::secret::Secret)>),
    Json(serde_json::Value),
    /// No body: what is sent is in the headers.
    Empty,
}

/// Secrets go only over HTTPS, or plain HTTP to this machine.
pub fn check_url(url: &str) -> Result<()> {
    secret_url_problem(url).map_err(crate::error::usage)
}

/// Why `url` may not be sent a secret: not a URL, not http(s), or plain
/// http to another machine.
pub fn secret_url_problem(url: &str) -> std::result::Result<(), String> {
    let shown = crate::text::excerpt(url);
    let uri = parse_web_url(url)?;
    match uri.scheme_str() {
        Some("http") if !uri.host().is_some_and(is_loopback) => Err(format!(
            "refusing to send credentials to {shown} over plain HTTP; use https (plain http is allowed only to loopback)"
        )),
        _ => Ok(()),
    }
}

/// `url` as an http(s) URL with a host, or why it is not one: what a
/// browser is sent to must not be `javascript:` or `file:`.
pub fn parse_web_url(url: &str) -> std::result::Result<ureq::http::Uri, String> {
    let shown = crate::text::excerpt(url);
    if url
        .chars()
        .any(|c| c.is_whitespace() || crate::text::is_unsafe(c))
    {
        return Err(format!("'{shown}' is not a valid URL"));
    }
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| format!("'{shown}' is not a valid URL"))?;
    match uri.scheme_str() {
        Some(s)
            if (s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http"))
                && uri.host().is_some() =>
        {
            Ok(uri)
        }
        _ => Err(format!("'{shown}' is not an http(s) URL")),
    }
}

pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// One line for everything that is not an answer from the server.
fn network(url: &str, e: &ureq::Error, timeout: Duration) -> anyhow::Error {
    let host = url
        .parse::<ureq::http::Uri>()
        .ok()
        .and_then(|u| u.host().map(String::from))
        .unwrap_or_else(|| url.to_string());
    let why = match e {
        ureq::Error::Timeout(ureq::Timeout::Connect) => format!("connecting to {host} timed out"),
        ureq::Error::Timeout(_) => format!("{host} did not answer within {}s", timeout.as_secs()),
        ureq::Error::HostNotFound => format!("cannot resolve host {host} (DNS)"),
        ureq::Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            format!("connection to {host} refused")
        }
        ureq::Error::BodyExceedsLimit(_) => {
            format!("{host} sent an answer larger than {} KiB", MAX_BODY / 1024)
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
            format!("TLS with {host} failed: {e}")
        }
        // rustls reports handshake failures as InvalidData I/O errors.
        ureq::Error::Io(io) if io.kind() == ErrorKind::InvalidData && url.starts_with("https:") => {
            format!("TLS with {host} failed: {io}")
        }
        other => format!("request to {host} failed: {other}"),
    };
    Error::Network(format!("network: {why}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check_url("https://example.com/token").is_ok());
        assert!(check_url("http://127.0.0.1:8080/token").is_ok());
        assert!(check_url("http://localhost/token").is_ok());
        assert!(check_url("http://[::1]:9/token").is_ok());
        assert!(check_url("http://example.com/token").is_err());
        assert!(check_url("http://10.0.0.1/token").is_err());
        assert!(check_url("ftp://127.0.0.1/x").is_err());
    }
}
