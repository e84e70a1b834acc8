//! What a slow provider costs everyone else, measured in one run:
//!
//! 1. While a refresh of credential A waits on a token endpoint that does
//!    not answer, `store B` and `refresh B` (a responsive endpoint) are timed
//!    and compared with the same commands when nothing else runs.
//! 2. 8 expired credentials, 4 processes each (32 `get`s at once), against a
//!    token endpoint that answers after 500 ms: wall time against one lone
//!    refresh of the same endpoint, and the number of refreshes it saw.
//!
//! Run: `cargo bench --bench locking` (RUNS=N to change the sample count).

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let (base, slow_count) = serve();
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vault.db");
    let key = fernet::Fernet::generate_key();
    let command = |args: &[&str]| {
        let mut cmd = Command::new(exe);
        cmd.args(args)
            .env("TOKVAULT_DB", &db)
            .env("TOKVAULT_KEY", &key)
            .env("NO_PROXY", "127.0.0.1")
            .env_remove("HTTP_PROXY")
            .env_remove("HTTPS_PROXY")
            .env_remove("ALL_PROXY")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    };
    let spawn = |args: &[&str], stdin: &str| -> Child {
        let mut child = command(args).spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child
    };
    let run = |args: &[&str], stdin: &str| {
        let out = spawn(args, stdin).wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let timed = |args: &[&str], stdin: &str| {
        let start = Instant::now();
        run(args, stdin);
        start.elapsed()
    };
    for client in ["hang", "fast", "slow"] {
        let url = format!("{base}/{client}");
        run(
            &[
                "oauth2",
                "add",
                client,
                "--token-url",
                &url,
                "--client-id",
                "cid",
                "--auth-method",
                "none",
            ],
            "",
        );
    }
    run(
        &["store", "a", "--oauth2", "hang", "--refresh-token", "-"],
        "rt",
    );
    run(
        &["store", "b", "--oauth2", "fast", "--refresh-token", "-"],
        "rt",
    );

    // 1. Alone, then beside a refresh that hangs.
    let measure = |runs: usize| {
        let (mut store, mut refresh) = (Vec::new(), Vec::new());
        for i in 0..runs {
            store.push(timed(
                &[
                    "store",
                    &format!("k{i}"),
                    "--provider",
                    "p",
                    "--secret",
                    "-",
                ],
                "v",
            ));
            refresh.push(timed(&["refresh", "b"], ""));
        }
        (median(store), median(refresh))
    };
    let (store_alone, refresh_alone) = measure(runs);
    let mut hanging = spawn(&["refresh", "a", "--http-timeout", "1h"], "");
    std::thread::sleep(Duration::from_millis(300));
    let (store_beside, refresh_beside) = measure(runs);
    assert!(
        hanging.try_wait().unwrap().is_none(),
        "the hanging refresh ended early"
    );
    let _ = hanging.kill();
    let _ = hanging.wait();
    println!("while a refresh of A hangs (medians of {runs}):");
    println!("  command     alone (ms)  beside (ms)  ratio");
    for (name, alone, beside) in [
        ("store B", store_alone, store_beside),
        ("refresh B", refresh_alone, refresh_beside),
    ] {
        println!(
            "  {name:<10} {:>10.2}  {:>11.2}  {:>4.2}x",
            ms(alone),
            ms(beside),
            beside.as_secs_f64() / alone.as_secs_f64()
        );
    }

    // 2. 8 credentials x 4 processes against a 500 ms endpoint.
    run(
        &["store", "lone", "--oauth2", "slow", "--refresh-token", "-"],
        "rt",
    );
    let lone = timed(&["refresh", "lone"], "");
    for i in 0..8 {
        run(
            &[
                "store",
                &format!("c{i}"),
                "--oauth2",
                "slow",
                "--refresh-token",
                "-",
            ],
            "rt",
        );
    }
    let before = slow_count.load(Ordering::SeqCst);
    let start = Instant::now();
    let children: Vec<_> = (0..32)
        .map(|i| spawn(&["get", &format!("c{}", i % 8)], ""))
        .collect();
    let mut failed = 0;
    for child in children {
        if !child.wait_with_output().unwrap().status.success() {
            failed += 1;
        }
    }
    let wall = start.elapsed();
    let refreshes = slow_count.load(Ordering::SeqCst) - before;
    println!("8 credentials x 4 processes, endpoint answering in 500 ms:");
    println!(
        "  one refresh {:.0} ms; all 32 gets {:.0} ms ({:.2}x); refreshes {refreshes} (expected 8); failed {failed}",
        ms(lone),
        ms(wall),
        wall.as_secs_f64() / lone.as_secs_f64()
    );
}

/// /hang never answers in time, /fast at once, /slow after 500 ms (counted).
fn serve() -> (String, Arc<AtomicUsize>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let slow = Arc::new(AtomicUsize::new(0));
    let counter = slow.clone();
    let n = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let (counter, n) = (counter.clone(), n.clone());
            std::thread::spawn(move || {
                let delay = match req.url() {
                    "/hang" => Duration::from_secs(600),
                    "/slow" => {
                        counter.fetch_add(1, Ordering::SeqCst);
                        Duration::from_millis(500)
                    }
                    _ => Duration::ZERO,
                };
                std::thread::sleep(delay);
                let i = n.fetch_add(1, Ordering::Relaxed);
                let body = format!(
                    r#"{{"access_token":"at-{i}","token_type":"Bearer","expires_in":3600,"refresh_token":"rt"}}"#
                );
                let header =
                    tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..])
                        .unwrap();
                let _ = req.respond(tiny_http::Response::from_string(body).with_header(header));
            });
        }
    });
    (base, slow)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
