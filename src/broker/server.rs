//! The broker's HTTP/1.1 server: a thread per connection up to a cap,
//! keep-alive, every read bounded in size and time, and only the uids
//! allowed ever answered.

use super::request::{self, Refused, Request};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Connections served at once; one more is answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 128;
/// A client has this long to send a whole request (slowloris) ...
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// ... and keeps an idle connection open this long.
const IDLE: Duration = Duration::from_secs(60);

/// An answer; its body wiped when dropped (it carries tokens).
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Zeroizing<Vec<u8>>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: Zeroizing::new(body),
        }
    }

    pub fn json(status: u16, value: &impl serde::Serialize) -> Response {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Response::new(status, "application/json", body)
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    pub fn with(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Who is connected.
#[derive(Debug, Clone)]
pub enum Peer {
    Tcp(SocketAddr),
    Unix,
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Tcp(addr) => write!(f, "{addr}"),
            Peer::Unix => f.write_str("unix"),
        }
    }
}

/// What answers requests: the broker.
pub trait Handler: Send + Sync + 'static {
    fn answer(&self, request: &Request, peer: &Peer) -> Response;
    /// The largest body a request may carry.
    fn max_body(&self) -> usize;
    /// One line of the access log, if there is one.
    fn refused(&self, peer: &Peer, status: u16, why: &str);
}

pub enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// What clients connect to: `127.0.0.1:PORT` or the socket's path.
    pub fn address(&self) -> String {
        match self {
            Listener::Tcp(l) => l.local_addr().map(|a| a.to_string()).unwrap_or_default(),
            Listener::Unix(_, path) => path.display().to_string(),
        }
    }
}

/// Serves for ever, each connection on its own thread; `allowed` are the
/// uids answered (the broker's own among them).
pub fn serve(listener: Listener, handler: Arc<dyn Handler>, allowed: Arc<Vec<u32>>) {
    let active = Arc::new(AtomicUsize::new(0));
    let local = match &listener {
        Listener::Tcp(l) => l.local_addr().ok(),
        Listener::Unix(..) => None,
    };
    loop {
        let accepted: io::Result<(Conn, Peer)> = match &listener {
            Listener::Tcp(l) => l.accept().map(|(s, addr)| (Conn::Tcp(s), Peer::Tcp(addr))),
            Listener::Unix(l, _) => l.accept().map(|(s, _)| (Conn::Unix(s), Peer::Unix)),
        };
        let Ok((mut conn, peer)) = accepted else {
            // Out of descriptors, or a connection reset before it was
            // taken: the next one may do.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            handler.refused(&peer, 503, "too many connections");
            let _ = conn.write_all(&head_bytes(&too_many(), true));
            continue;
        }
        let (handler, allowed, active) = (handler.clone(), allowed.clone(), active.clone());
        std::thread::spawn(move || {
            // A client that does not read its answer is let go.
            let _ = conn.set_write_timeout(REQUEST_DEADLINE);
            match peer_uid(&conn, &peer, local) {
                Some(uid) if allowed.contains(&uid) => connection(&mut conn, &peer, &*handler),
                uid => {
                    let why = match uid {
                        Some(_) => "a connection from a user this broker does not serve",
                        None => "a connection whose user cannot be told",
                    };
                    handler.refused(&peer, 403, why);
                    refuse(&mut conn, &Response::text(403, why));
                }
            }
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn too_many() -> Response {
    Response::text(503, "").with("Retry-After", "1")
}

enum Conn {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Conn {
    fn set_read_timeout(&self, t: Duration) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.set_read_timeout(Some(t)),
            Conn::Unix(s) => s.set_read_timeout(Some(t)),
        }
    }

    fn set_write_timeout(&self, t: Duration) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.set_write_timeout(Some(t)),
            Conn::Unix(s) => s.set_write_timeout(Some(t)),
        }
    }
}

impl Conn {
    fn shutdown_write(&self) {
        let _ = match self {
            Conn::Tcp(s) => s.shutdown(std::net::Shutdown::Write),
            Conn::Unix(s) => s.shutdown(std::net::Shutdown::Write),
        };
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.read(buf),
            Conn::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.write(buf),
            Conn::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Requests on one connection until it closes, idles out, or sends
/// something the broker will not read.
fn connection(conn: &mut Conn, peer: &Peer, handler: &dyn Handler) {
    if let Conn::Tcp(s) = conn {
        let _ = s.set_nodelay(true);
    }
    let mut buf = Zeroizing::new(Vec::with_capacity(1024));
    loop {
        let request = match read_request(conn, &mut buf, handler.max_body()) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(refused) => {
                handler.refused(peer, refused.status, refused.why);
                refuse(conn, &Response::text(refused.status, refused.why));
                return;
            }
        };
        let answer = handler.answer(&request, peer);
        let mut out = head_bytes(&answer, request.close);
        out.extend_from_slice(&answer.body);
        if conn.write_all(&out).is_err() || request.close {
            return;
        }
    }
}

/// Answers and closes without reading the request. What the client is
/// still sending is drained for a moment first: closing with unread bytes
/// makes the kernel reset the connection, and the client would never see
/// the answer.
fn refuse(conn: &mut Conn, answer: &Response) {
    let _ = conn.write_all(&head_bytes(answer, true));
    let _ = conn.write_all(&answer.body);
    conn.shutdown_write();
    // A second in all: a refused client holds no slot for longer.
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 4096];
    let mut left = 64 * 1024usize;
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            break;
        }
        let _ = conn.set_read_timeout(wait);
        match conn.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// The next request, None when the client closed (or idled out) between
/// requests. Bytes after it stay in `buf` for the next.
fn read_request(
    conn: &mut Conn,
    buf: &mut Zeroizing<Vec<u8>>,
    max_body: usize,
) -> Result<Option<Request>, Refused> {
    let timed_out = Refused {
        status: 408,
        why: "the request took too long to arrive",
    };
    let mut deadline: Option<Instant> = None;
    let mut chunk = Zeroizing::new([0u8; 8192]);
    let head = loop {
        if !buf.is_empty() {
            deadline.get_or_insert_with(|| Instant::now() + REQUEST_DEADLINE);
            if let Some(head) = request::parse_head(buf, max_body)? {
                break head;
            }
        }
        let wait = match deadline {
            Some(d) => d.saturating_duration_since(Instant::now()),
            None => IDLE,
        };
        if wait.is_zero() {
            return Err(timed_out);
        }
        let _ = conn.set_read_timeout(wait);
        match conn.read(&mut chunk[..]) {
            Ok(0) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) if deadline.is_none() => return Ok(None),
            Err(_) => return Err(timed_out),
        }
    };
    let mut request = head.request;
    buf.drain(..head.len);
    let deadline = deadline.unwrap_or_else(|| Instant::now() + REQUEST_DEADLINE);
    while buf.len() < head.body_len {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            return Err(timed_out);
        }
        let _ = conn.set_read_timeout(wait);
        match conn.read(&mut chunk[..]) {
            Ok(0) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(timed_out),
        }
    }
    request.body.extend(buf.drain(..head.body_len));
    Ok(Some(request))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The status line and headers; every answer says it must not be cached.
fn head_bytes(r: &Response, close: bool) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (name, value) in &r.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\n{}\r\n",
        r.body.len(),
        if close { "Connection: close\r\n" } else { "" }
    ));
    out.into_bytes()
}

/// The uid of the process at the other end.
fn peer_uid(conn: &Conn, peer: &Peer, local: Option<SocketAddr>) -> Option<u32> {
    match (conn, peer) {
        (Conn::Unix(s), _) => super::peer::unix_uid(s),
        (Conn::Tcp(_), Peer::Tcp(remote)) => super::peer::tcp_owner(*remote, local?),
        _ => None,
    }
}
