//! The broker (`tokvault serve`) handing out a cached AWS key, against a
//! floor measured in the same run: a minimal HTTP/1.1 server of the same
//! kind (a thread per connection, keep-alive, httparse) answering the very
//! bytes the broker answered, from memory. Reported: requests per second,
//! p50 and p99 latency at 1 and 16 keep-alive clients, and 16 clients
//! opening a connection per request (as some SDKs do); and per token, a
//! broker request vs spawning `tokvault get`.
//!
//! Run: `cargo bench --bench broker` (SECS=N seconds per figure, default 2).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let secs: u64 = std::env::var("SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vault.db");
    let env_file = dir.path().join("broker.env");
    let key = fernet::Fernet::generate_key();
    let tokvault = || {
        let mut c = Command::new(exe);
        c.env("TOKVAULT_DB", &db)
            .env("TOKVAULT_KEY", &key)
            .env("HOME", dir.path())
            .stdin(Stdio::piped());
        c
    };
    let mut store = tokvault()
        .args(["store", "aws", "--from-json", "-"])
        .spawn()
        .unwrap();
    store
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"AccessKeyId":"AKIABENCH","SecretAccessKey":"secret-bench","SessionToken":"session-bench"}"#)
        .unwrap();
    assert!(store.wait().unwrap().success());

    let mut broker = tokvault()
        .args(["serve", "--grant", "aws=aws", "--env-file"])
        .arg(&env_file)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !env_file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the broker did not start"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let env = std::fs::read_to_string(&env_file).unwrap();
    let var = |name: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap()
            .to_string()
    };
    let uri = var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    let (address, path) = uri
        .trim_start_matches("http://")
        .split_once('/')
        .map(|(a, p)| (a.to_string(), format!("/{p}")))
        .unwrap();
    let request = Arc::new(
        format!(
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: {}\r\n\r\n",
            var("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        )
        .into_bytes(),
    );

    // The floor answers what the broker answers, byte for byte.
    let answer = one(&address, &request);
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    let floor = floor_server(answer);

    println!(
        "{:<28} {:>10} {:>10} {:>9} {:>9} {:>7}",
        "clients", "floor rps", "broker rps", "p50 (us)", "p99 (us)", "ratio"
    );
    for (label, clients, keep_alive) in [
        ("1 keep-alive", 1, true),
        ("16 keep-alive", 16, true),
        ("16, a connection each", 16, false),
    ] {
        let secs = Duration::from_secs(secs);
        let f = load(&floor, &request, clients, keep_alive, secs);
        let b = load(&address, &request, clients, keep_alive, secs);
        println!(
            "{label:<28} {:>10.0} {:>10.0} {:>9.0} {:>9.0} {:>6.2}x",
            f.rps,
            b.rps,
            b.p50.as_secs_f64() * 1e6,
            b.p99.as_secs_f64() * 1e6,
            b.rps / f.rps
        );
    }

    // Per token: a request on a new connection vs a whole `get`-like
    // process (`aws-credential`, what credential_process runs).
    let runs = 50;
    let mut gets = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let out = tokvault()
            .args(["aws-credential", "aws"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        gets.push(t.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut asks = Vec::new();
    for _ in 0..runs * 20 {
        let t = Instant::now();
        one(&address, &request);
        asks.push(t.elapsed());
    }
    let mut kept = Vec::new();
    let mut conn = connect(&address);
    let mut buf = Vec::new();
    for _ in 0..runs * 20 {
        let t = Instant::now();
        exchange(&mut conn, &request, &mut buf);
        kept.push(t.elapsed());
    }
    let get = median(gets);
    for (how, ask) in [
        ("a new connection", median(asks)),
        ("keep-alive", median(kept)),
    ] {
        println!(
            "per token: aws-credential {:.0} us, broker {:.0} us ({how}): {:.0}x cheaper",
            get.as_secs_f64() * 1e6,
            ask.as_secs_f64() * 1e6,
            get.as_secs_f64() / ask.as_secs_f64()
        );
    }
    let _ = broker.kill();
    let _ = broker.wait();
}

struct Load {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// `clients` threads asking `address` for `secs`, each on one connection
/// (or a new one per request).
fn load(
    address: &str,
    request: &Arc<Vec<u8>>,
    clients: usize,
    keep_alive: bool,
    secs: Duration,
) -> Load {
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (address, request) = (address.to_string(), request.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut conn = keep_alive.then(|| connect(&address));
                let mut buf = Vec::with_capacity(4096);
                while start.elapsed() < secs {
                    let t = Instant::now();
                    match conn.as_mut() {
                        Some(s) => exchange(s, &request, &mut buf),
                        None => exchange(&mut connect(&address), &request, &mut buf),
                    }
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let elapsed = start.elapsed();
    all.sort();
    Load {
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        p50: all[all.len() / 2],
        p99: all[all.len() * 99 / 100],
    }
}

fn connect(address: &str) -> TcpStream {
    let s = TcpStream::connect(address).unwrap();
    s.set_nodelay(true).unwrap();
    s
}

/// One request on its own connection; the whole answer.
fn one(address: &str, request: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    exchange(&mut connect(address), request, &mut buf);
    buf
}

/// Sends `request` and reads one answer (head and Content-Length body)
/// into `buf`.
fn exchange(s: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) {
    s.write_all(request).unwrap();
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
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

/// The floor: a thread per connection, keep-alive, each request parsed
/// with httparse and answered with `answer`.
fn floor_server(answer: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let _ = conn.set_nodelay(true);
                let mut buf = Vec::with_capacity(1024);
                let mut chunk = [0u8; 8192];
                loop {
                    let mut headers = [httparse::EMPTY_HEADER; 64];
                    let mut req = httparse::Request::new(&mut headers);
                    match req.parse(&buf) {
                        Ok(httparse::Status::Complete(len)) => {
                            buf.drain(..len);
                            if conn.write_all(&answer).is_err() {
                                return;
                            }
                        }
                        Ok(httparse::Status::Partial) => match conn.read(&mut chunk) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        },
                        Err(_) => return,
                    }
                }
            });
        }
    });
    address
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
