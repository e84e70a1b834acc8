//! `tokvault get` of an api_key against a floor measured in the same run: a
//! minimal program that opens the same SQLite file, reads one row and
//! decrypts it. Also times `list --json` over the largest vault.
//!
//! Run: `cargo bench --bench get` (RUNS=N to change the sample count).
//!
//! The floor is this very binary re-executed with TOKVAULT_BENCH_FLOOR set,
//! so both sides pay for starting a process.

use common::fill;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

const SIZES: [usize; 3] = [1, 10_000, 100_000];

fn main() {
    if let Ok(db) = std::env::var("TOKVAULT_BENCH_FLOOR") {
        return floor(Path::new(&db));
    }
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let me = std::env::current_exe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = fernet::Fernet::generate_key();

    println!(
        "{:>8}  {:>12}  {:>12}  {:>6}",
        "size", "floor (ms)", "get (ms)", "ratio"
    );
    for size in SIZES {
        let db = dir.path().join(format!("v{size}.db"));
        fill(&db, &key, size);
        // The credential asked for sits in the middle of the table.
        let name = format!("cred{}", size / 2);
        let get = || {
            let mut c = Command::new(exe);
            c.args(["get", &name]);
            c
        };
        let floor = || {
            let mut c = Command::new(&me);
            c.env("TOKVAULT_BENCH_FLOOR", &db).arg(&name);
            c
        };
        check_same_output(&mut get(), &mut floor(), &db, &key);
        let (f, g) = interleaved(runs, floor, get, &db, &key);
        println!(
            "{size:>8}  {:>12.3}  {:>12.3}  {:>5.2}x",
            ms(f),
            ms(g),
            g.as_secs_f64() / f.as_secs_f64()
        );
    }

    let db = dir.path().join(format!("v{}.db", SIZES[2]));
    let mut list = Command::new(exe);
    list.args(["list", "--json"]);
    let times: Vec<Duration> = (0..5).map(|_| time(&mut list, &db, &key)).collect();
    println!(
        "list --json of {} credentials: {:.1} ms (median of 5)",
        SIZES[2],
        ms(median(times))
    );
}

/// The floor: open, one SELECT, one decrypt, print.
fn floor(db: &Path) {
    use std::io::Write;
    let name = std::env::args().nth(1).unwrap();
    let key = fernet::Fernet::new(&std::env::var("TOKVAULT_KEY").unwrap()).unwrap();
    let conn = rusqlite::Connection::open(db).unwrap();
    let sealed: String = conn
        .query_row(
            "SELECT sealed FROM credentials WHERE user = 'default' AND integration = ?1",
            [&name],
            |r| r.get(0),
        )
        .unwrap();
    let plain = key.decrypt(&sealed).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", v["data"]["api_key"].as_str().unwrap()).unwrap();
}

fn run(cmd: &mut Command, db: &Path, key: &str) -> std::process::Output {
    cmd.env("TOKVAULT_DB", db)
        .env("TOKVAULT_KEY", key)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn time(cmd: &mut Command, db: &Path, key: &str) -> Duration {
    let start = Instant::now();
    let out = run(cmd, db, key);
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn check_same_output(a: &mut Command, b: &mut Command, db: &Path, key: &str) {
    let (a, b) = (run(a, db, key), run(b, db, key));
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "get and the floor disagree");
}

/// Medians of `runs` alternating runs, so drift hits both sides alike.
fn interleaved(
    runs: usize,
    a: impl Fn() -> Command,
    b: impl Fn() -> Command,
    db: &Path,
    key: &str,
) -> (Duration, Duration) {
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ta.push(time(&mut a(), db, key));
        tb.push(time(&mut b(), db, key));
    }
    (median(ta), median(tb))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
