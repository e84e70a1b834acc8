//! `tokvault refresh` against curl sending the same refresh grant to the
//! same local token endpoint, in one run.
//!
//! Run: `cargo bench --bench refresh` (RUNS=N to change the sample count).
//! tokvault's side includes everything a refresh is: opening the vault,
//! decrypting, the HTTP round trip, and committing the new tokens.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn main() {
    if Command::new("curl").arg("--version").output().is_err() {
        println!("curl is not installed; nothing to compare with");
        return;
    }
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    let url = serve();
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vault.db");
    let key = fernet::Fernet::generate_key();
    let tokvault = |args: &[&str], stdin: &str| {
        let mut child = Command::new(exe)
            .args(args)
            .env("TOKVAULT_DB", &db)
            .env("TOKVAULT_KEY", &key)
            .env("NO_PROXY", "127.0.0.1")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    tokvault(
        &[
            "oauth2",
            "add",
            "bench",
            "--token-url",
            &url,
            "--client-id",
            "cid",
            "--client-secret",
            "-",
        ],
        "csecret",
    );
    tokvault(
        &["store", "x", "--oauth2", "bench", "--refresh-token", "-"],
        "rt-bench",
    );

    let curl = || {
        let start = Instant::now();
        let out = Command::new("curl")
            .args([
                "-s",
                "-f",
                "-X",
                "POST",
                "-u",
                "cid:csecret",
                "-H",
                "Accept: application/json",
            ])
            .args([
                "-d",
                "grant_type=refresh_token",
                "-d",
                "refresh_token=rt-bench",
                &url,
            ])
            .env("NO_PROXY", "127.0.0.1")
            .output()
            .unwrap();
        assert!(out.status.success());
        start.elapsed()
    };
    let refresh = || {
        let start = Instant::now();
        tokvault(&["refresh", "x"], "");
        start.elapsed()
    };
    let (mut tc, mut tr) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        tc.push(curl());
        tr.push(refresh());
    }
    let (c, r) = (median(tc), median(tr));
    println!("curl (ms)  refresh (ms)  ratio");
    println!(
        "{:>9.3}  {:>12.3}  {:>4.2}x   (medians of {runs} alternating runs)",
        ms(c),
        ms(r),
        r.as_secs_f64() / c.as_secs_f64()
    );
}

/// A token endpoint on 127.0.0.1 that answers every refresh at once.
fn serve() -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/token", server.server_addr().to_ip().unwrap());
    let n = AtomicUsize::new(0);
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let i = n.fetch_add(1, Ordering::Relaxed);
            let body = format!(
                r#"{{"access_token":"at-{i}","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-bench"}}"#
            );
            let header =
                tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..])
                    .unwrap();
            let _ = req.respond(tiny_http::Response::from_string(body).with_header(header));
        }
    });
    url
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
