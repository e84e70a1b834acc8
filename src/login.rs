//! The loopback redirect of a browser sign-in (RFC 8252 §7.3): a one-shot
//! HTTP listener on 127.0.0.1 that waits for the authorization server to
//! send the browser back with a code.

use crate::oauth::redirect;
use crate::secret::Secret;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

pub struct Listener {
    listener: TcpListener,
    pub redirect_uri: String,
    path: String,
}

/// What came back on the redirect.
pub enum Redirect {
    Code(Secret),
    Failed(anyhow::Error),
}

impl Listener {
    /// Listens on 127.0.0.1:`port` (0: any free port) for `path`.
    pub fn bind(port: u16, path: &str) -> Result<Listener> {
        let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| {
            format!("cannot listen on 127.0.0.1:{port} for the sign-in redirect")
        })?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        Ok(Listener {
            listener,
            redirect_uri: format!("http://127.0.0.1:{port}{path}"),
            path: path.to_string(),
        })
    }

    /// Waits for the redirect to `path`. Requests for other paths are
    /// answered 404 and ignored; the first redirect decides. The caller
    /// finishes it with `Pending::answer`, after which the listener closes.
    pub fn wait(self, expected: &redirect::Expected<'_>, timeout: Duration) -> Result<Pending> {
        let deadline = Instant::now() + timeout;
        loop {
            let (stream, _) = match self.listener.accept() {
                Ok(conn) => conn,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Err(anyhow::anyhow!(
                            "no sign-in arrived within {}s; run `tokvault login` again (or --timeout longer)",
                            timeout.as_secs()
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                Err(e) => return Err(e).context("waiting for the sign-in redirect"),
            };
            let mut stream = stream;
            stream.set_nonblocking(false)?;
            // One connection may take 10 s, and none outlasts the timeout:
            // a client that sends a byte now and then holds nothing up.
            let until = deadline.min(Instant::now() + Duration::from_secs(10));
            let Some(target) = read_target(&stream, until) else {
                continue;
            };
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            if path != self.path {
                crate::notice::note(format!(
                    "ignored a request for {} while waiting for {}",
                    crate::text::clean(path, 200),
                    self.path
                ));
                respond(
                    &mut stream,
                    404,
                    "Not the sign-in redirect",
                    &format!(
                        "tokvault is waiting for the sign-in redirect at {}, not {}.",
                        self.path,
                        html_escape(path)
                    ),
                );
                continue;
            }
            let params: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            let redirect = match redirect::check(&params, expected) {
                Ok(response) => Redirect::Code(response.code),
                Err(e) => Redirect::Failed(e),
            };
            return Ok(Pending {
                stream,
                redirect: Some(redirect),
            });
        }
    }
}

/// A redirect received, and the browser still waiting for its page.
pub struct Pending {
    stream: TcpStream,
    redirect: Option<Redirect>,
}

impl Pending {
    pub fn take(&mut self) -> Redirect {
        self.redirect.take().expect("taken once")
    }

    /// Tells the person in the browser how it ended. The code is never shown.
    pub fn answer(mut self, outcome: &Result<String>) {
        match outcome {
            Ok(what) => respond(
                &mut self.stream,
                200,
                "Signed in",
                &format!(
                    "tokvault stored {}. You can close this tab.",
                    html_escape(what)
                ),
            ),
            Err(e) => respond(&mut self.stream, 400, "Sign-in failed", &{
                // Errors that stored nothing may say so themselves.
                let said = format!("{e:#}");
                let said = said
                    .trim_end_matches("; nothing was stored")
                    .trim_end_matches(", nothing was stored");
                format!(
                    "{}. Nothing was stored; see the terminal for details.",
                    html_escape(said)
                )
            }),
        }
    }
}

/// The request line's target, from a GET; None for anything unreadable,
/// larger than 16 KiB, or not read in full by `until`.
fn read_target(stream: &TcpStream, until: Instant) -> Option<String> {
    let mut stream = stream;
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let left = until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())?;
        stream.set_read_timeout(Some(left)).ok()?;
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        head.extend_from_slice(&chunk[..n]);
        if head.len() > 16 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut parts = text.lines().next()?.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    (method == "GET").then(|| target.to_string())
}

fn respond(stream: &mut TcpStream, status: u16, title: &str, message: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>tokvault: {title}</title></head>\
         <body style=\"font-family: sans-serif; margin: 3em\"><h1>{title}</h1><p id=\"message\">{message}</p></body></html>"
    );
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
