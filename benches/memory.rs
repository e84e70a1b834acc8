//! Peak memory (RSS) of the commands that touch every credential, at 2,000
//! and 100,000 credentials, measured in the same run: what a vault of any
//! size costs should not grow with it.
//!
//! Run: `cargo bench --bench memory`.
//!
//! Each command is started by this binary re-executed as a measurer
//! (TOKVAULT_BENCH_MEASURE set) whose one child is the command: the
//! measurer's `getrusage(RUSAGE_CHILDREN)` is then that command's peak.

use common::fill;
use nix::sys::resource::{UsageWho, getrusage};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

mod common;

const SIZES: [usize; 2] = [2_000, 100_000];

fn main() {
    if std::env::var_os("TOKVAULT_BENCH_MEASURE").is_some() {
        return measure();
    }
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let dir = tempfile::tempdir().unwrap();
    let key = fernet::Fernet::generate_key();
    let commands: [(&str, &[&str]); 5] = [
        ("list", &["list"]),
        ("list --json", &["list", "--json"]),
        ("export-vault", &["export-vault", "{export}"]),
        (
            "import-vault",
            &["--db", "{fresh}", "import-vault", "{export}"],
        ),
        ("migrate", &["migrate", "--to", "{target}"]),
    ];
    let mut results = Vec::new();
    for size in SIZES {
        let db = dir.path().join(format!("v{size}.db"));
        fill(&db, &key, size);
        let mut row = Vec::new();
        for (label, args) in commands {
            let path = |what: &str| {
                dir.path()
                    .join(format!("{what}{size}"))
                    .display()
                    .to_string()
            };
            let args: Vec<String> = args
                .iter()
                .map(|a| match *a {
                    "{export}" => path("export"),
                    "{fresh}" => path("fresh") + ".db",
                    "{target}" => path("target") + ".db",
                    a => a.to_string(),
                })
                .collect();
            let start = Instant::now();
            let kib = peak_kib(exe, &args, &db, &key);
            row.push((label, kib, start.elapsed()));
        }
        results.push(row);
    }
    println!(
        "{:<14} {:>14} {:>14} {:>10} {:>16}",
        "command", "2k (MB)", "100k (MB)", "growth", "100k us/cred"
    );
    for (small, large) in results[0].iter().zip(&results[1]) {
        println!(
            "{:<14} {:>14.1} {:>14.1} {:>9.1}M {:>16.2}",
            small.0,
            small.1 as f64 / 1024.0,
            large.1 as f64 / 1024.0,
            (large.1 as f64 - small.1 as f64) / 1024.0,
            large.2.as_secs_f64() * 1e6 / SIZES[1] as f64
        );
    }
}

/// The peak RSS of `exe args`, in KiB, reported by a measurer process.
fn peak_kib(exe: &str, args: &[String], db: &Path, key: &str) -> u64 {
    let out = Command::new(std::env::current_exe().unwrap())
        .env("TOKVAULT_BENCH_MEASURE", "1")
        .env("TOKVAULT_DB", db)
        .env("TOKVAULT_KEY", key)
        .env("TOKVAULT_AUDIT", "on")
        .arg(exe)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.trim().parse().unwrap()
}

/// Runs the command (its output discarded), then prints its peak RSS.
fn measure() {
    let mut args = std::env::args_os().skip(1);
    let exe = args.next().unwrap();
    let status = Command::new(exe)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .unwrap();
    assert!(status.success());
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap();
    println!("{}", usage.max_rss());
}
