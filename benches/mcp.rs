//! `tokvault mcp`: an `http_request` tool call to a local endpoint against
//! the same request made directly with curl, measured in the same run (and
//! against the same request from a kept HTTP connection in this process,
//! the stricter floor); and the server's start-up (spawn to the answer to
//! `initialize`) against a whole `tokvault get`.
//!
//! Run: `cargo bench --bench mcp` (RUNS=N calls per figure, default 200).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let dir = tempfile::tempdir().unwrap();
    let key = fernet::Fernet::generate_key();
    let tokvault = || {
        let mut c = Command::new(exe);
        c.env("TOKVAULT_DB", dir.path().join("vault.db"))
            .env("TOKVAULT_KEY", &key)
            .env("HOME", dir.path());
        c
    };
    let mut store = tokvault()
        .args(["store", "api", "--provider", "inhouse", "--secret", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    store
        .stdin
        .take()
        .unwrap()
        .write_all(b"bench-secret-0123456789")
        .unwrap();
    assert!(store.wait().unwrap().success());
    let address = endpoint();
    let url = format!("http://{address}/v1/me");

    // Start-up: spawn to initialize's answer, against a whole get.
    let mut starts = Vec::new();
    let mut gets = Vec::new();
    for _ in 0..runs.min(50) {
        let t = Instant::now();
        let (mut child, mut session) = start(&tokvault, &address);
        starts.push(t.elapsed());
        drop(session.stdin.take());
        let _ = child.wait();
        let t = Instant::now();
        let out = tokvault().args(["get", "api"]).output().unwrap();
        gets.push(t.elapsed());
        assert!(out.status.success());
    }

    let (mut child, mut session) = start(&tokvault, &address);
    let call = |session: &mut Session, id: usize| {
        let request = serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
            "name": "http_request", "arguments": {"credential": "api", "method": "GET", "url": url}}});
        session.ask(&request)
    };
    let answer = call(&mut session, 10);
    assert!(
        answer.contains("\\\"status\\\":200") || answer.contains("\"status\":200"),
        "{answer}"
    );
    assert!(!answer.contains("bench-secret"), "{answer}");
    let (mut through, mut curls, mut direct) = (Vec::new(), Vec::new(), Vec::new());
    let mut kept = TcpStream::connect(&address).unwrap();
    let raw = format!(
        "GET /v1/me HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer bench-secret-0123456789\r\n\r\n"
    );
    for i in 0..runs {
        let t = Instant::now();
        call(&mut session, 100 + i);
        through.push(t.elapsed());
        let t = Instant::now();
        let out = Command::new("curl")
            .args([
                "-s",
                "-H",
                "Authorization: Bearer bench-secret-0123456789",
                &url,
            ])
            .output()
            .unwrap();
        curls.push(t.elapsed());
        assert!(out.status.success());
        let t = Instant::now();
        exchange(&mut kept, raw.as_bytes());
        direct.push(t.elapsed());
    }
    drop(session.stdin.take());
    let _ = child.wait();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (through, curl, direct) = (median(through), median(curls), median(direct));
    println!(
        "http_request through tokvault mcp: {:.3} ms (median of {runs})",
        ms(through)
    );
    println!(
        "the same request with curl:        {:.3} ms: ratio {:.2}x",
        ms(curl),
        through.as_secs_f64() / curl.as_secs_f64()
    );
    println!(
        "the same request, kept connection: {:.3} ms: ratio {:.2}x",
        ms(direct),
        through.as_secs_f64() / direct.as_secs_f64()
    );
    let (start, get) = (median(starts), median(gets));
    println!(
        "start-up to initialize: {:.2} ms; tokvault get: {:.2} ms: ratio {:.2}x",
        ms(start),
        ms(get),
        start.as_secs_f64() / get.as_secs_f64()
    );
}

struct Session {
    stdin: Option<std::process::ChildStdin>,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Session {
    /// One request, its answer line.
    fn ask(&mut self, request: &serde_json::Value) -> String {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{request}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line
    }
}

/// `tokvault mcp` started and initialized.
fn start(tokvault: &dyn Fn() -> Command, address: &str) -> (std::process::Child, Session) {
    let mut child = tokvault()
        .args(["mcp", "--credential", &format!("api={address}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut session = Session {
        stdin: child.stdin.take(),
        stdout: BufReader::new(child.stdout.take().unwrap()),
    };
    let answer = session.ask(&serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}));
    assert!(answer.contains("\"id\":1"), "{answer}");
    writeln!(
        session.stdin.as_mut().unwrap(),
        "{}",
        serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    .unwrap();
    (child, session)
}

/// A local endpoint: keep-alive, a small JSON answer to every request.
fn endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                let body = r#"{"login":"bench"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    match conn.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        if conn.write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    address
}

fn exchange(s: &mut TcpStream, request: &[u8]) {
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if buf.len() >= end + 4 + len {
                return;
            }
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
