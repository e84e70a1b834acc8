//! The PostgreSQL store against floors measured in the same run, on a
//! throwaway cluster on loopback (as the tests start one):
//! - `get` of a valid token over PostgreSQL vs `psql -c "select 1"` (one
//!   connection, the same password authentication) and vs the SQLite `get`;
//! - 64 processes (two "hosts") on 8 credentials that all need a refresh,
//!   against a token endpoint answering in 500 ms: wall time and refreshes.
//!
//! Run: `cargo bench --features postgres --bench postgres` (RUNS=N).

#[path = "../tests/cli/common/pg.rs"]
#[allow(dead_code)]
mod pg;
#[path = "../tests/cli/common/provider.rs"]
#[allow(dead_code)]
mod provider;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    let Some(cluster) = pg::Cluster::start() else {
        return;
    };
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let home = tempfile::tempdir().unwrap();
    let key = fernet::Fernet::generate_key();
    let tokvault = |db: &str| {
        let mut c = Command::new(exe);
        c.env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("TOKVAULT_KEY", &key)
            .env("TOKVAULT_DB", db)
            .env("PGPASSWORD", pg::PASSWORD)
            .env("NO_PROXY", "127.0.0.1")
            .env_remove("GITHUB_ACTIONS")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    let url = cluster.url();
    let sqlite = home.path().join("v.db").to_string_lossy().into_owned();
    for db in [&url, &sqlite] {
        let mut store = tokvault(db);
        store
            .args(["store", "api", "--secret", "-"])
            .stdin(Stdio::piped());
        let mut child = store.spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"sk-bench").unwrap();
        assert!(child.wait().unwrap().success());
    }
    let psql = || {
        let mut c = Command::new("psql");
        c.args([
            "-X",
            "-q",
            "-h",
            "127.0.0.1",
            "-p",
            &cluster.port.to_string(),
            "-U",
            "tv",
            "-d",
            "tv",
            "-c",
            "select 1",
        ])
        .env("PGPASSWORD", pg::PASSWORD)
        .stdout(Stdio::null());
        c
    };
    let (mut floor, mut over_pg, mut over_sqlite) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        floor.push(time(&mut psql()));
        over_pg.push(time(tokvault(&url).args(["get", "api"])));
        over_sqlite.push(time(tokvault(&sqlite).args(["get", "api"])));
    }
    let (f, p, s) = (median(floor), median(over_pg), median(over_sqlite));
    println!("get of a valid token, median of {runs}:");
    println!("  psql -c 'select 1'        {:>8.2} ms", ms(f));
    println!(
        "  tokvault get (PostgreSQL) {:>8.2} ms  {:.2}x psql",
        ms(p),
        p.as_secs_f64() / f.as_secs_f64()
    );
    println!(
        "  tokvault get (SQLite)     {:>8.2} ms  PostgreSQL is {:.2}x",
        ms(s),
        p.as_secs_f64() / s.as_secs_f64()
    );

    // 8 credentials, each refreshed by whoever gets its lock first.
    let refreshes = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = refreshes.clone();
    let n = AtomicUsize::new(0);
    let idp = provider::Provider::start(move |req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let refresh = req.param("grant_type").as_deref() == Some("refresh_token");
        if refresh {
            counted.fetch_add(1, Ordering::SeqCst);
        }
        let lifetime = if refresh { 3600 } else { 1 };
        provider::Reply::json(
            200,
            provider::tokens(&format!("t{i}"), Some("rt"), lifetime),
        )
        .after(if refresh {
            Duration::from_millis(500)
        } else {
            Duration::ZERO
        })
    });
    assert!(
        tokvault(&url)
            .args([
                "oauth2",
                "add",
                "idp",
                "--token-url",
                &idp.token_url(),
                "--client-id",
                "c",
                "--auth-method",
                "none"
            ])
            .status()
            .unwrap()
            .success()
    );
    for i in 0..8 {
        assert!(
            tokvault(&url)
                .args([
                    "exchange-code",
                    &format!("c{i}"),
                    "--oauth2",
                    "idp",
                    "--code",
                    "x"
                ])
                .status()
                .unwrap()
                .success()
        );
    }
    std::thread::sleep(Duration::from_millis(1100));
    let start = Instant::now();
    let children: Vec<_> = (0..64)
        .map(|i| {
            tokvault(&url)
                .args(["get", &format!("c{}", i % 8)])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let failed = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .filter(|o| !o.status.success())
        .inspect(|o| eprintln!("{}", String::from_utf8_lossy(&o.stderr).trim()))
        .count();
    let wall = start.elapsed();
    println!(
        "64 processes on 8 expired credentials, endpoint answering in 500 ms: {:.0} ms wall, {} refreshes, {failed} failures",
        ms(wall),
        refreshes.load(Ordering::SeqCst)
    );
}

fn time(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd.status().unwrap();
    assert!(status.success());
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
