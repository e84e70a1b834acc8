//! Throughput of `tokvault run --mask -- cat FILE` against `cat FILE`, both
//! writing into a pipe that is drained (as a CI runner reads a step's
//! output), in the same run. The file holds no secret: the figure is the
//! cost of looking.
//!
//! Run: `cargo bench --bench mask` (MIB=N for the file size, RUNS=N).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mib: usize = env_or("MIB", 512);
    let runs: usize = env_or("RUNS", 5);
    let exe = env!("CARGO_BIN_EXE_tokvault");
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let file = home.join("big.log");
    // Log-like text: what --mask is for.
    let line =
        "2026-11-23T10:00:00Z INFO request id=4f2a9c status=200 bytes=5123 path=/v1/items?page=7\n";
    let mut text = String::with_capacity(mib << 20);
    while text.len() < mib << 20 {
        text.push_str(line);
    }
    std::fs::write(&file, &text).unwrap();
    drop(text);

    let tokvault = |args: &[&str]| {
        let mut c = Command::new(exe);
        c.env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env_remove("TOKVAULT_KEY")
            .env_remove("TOKVAULT_DB")
            .env_remove("TOKVAULT_KEY_FILE")
            .env_remove("GITHUB_ACTIONS")
            .args(args);
        c
    };
    let mut store = tokvault(&["store", "api", "--secret", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut store.stdin.take().unwrap(),
        b"sk_live_0123456789abcdefghijklmnop",
    )
    .unwrap();
    assert!(store.wait().unwrap().success());

    let path = file.to_str().unwrap();
    let cat = || {
        let mut c = Command::new("cat");
        c.arg(path);
        c
    };
    let masked = || {
        let mut c = tokvault(&["run", "--mask", "-e", "T=api", "--", "cat", path]);
        c.env_remove("TOKVAULT_MASK");
        c
    };
    // Any filter is one more process between the command and the reader:
    // `cat | cat` is that hop with nothing looked at.
    let relay = || {
        let mut c = Command::new("sh");
        c.args(["-c", "cat \"$0\" | cat", path]);
        c
    };
    let (mut plain, mut hop, mut filtered) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        plain.push(drained(&mut cat(), mib));
        hop.push(drained(&mut relay(), mib));
        filtered.push(drained(&mut masked(), mib));
    }
    let (p, h, f) = (median(plain), median(hop), median(filtered));
    let rate = |d: Duration| mib as f64 / d.as_secs_f64();
    println!("{mib} MiB of log lines, median of {runs}:");
    println!(
        "  cat                          {:>8.0} MiB/s  1.00x",
        rate(p)
    );
    println!(
        "  cat | cat                    {:>8.0} MiB/s  {:.2}x",
        rate(h),
        rate(h) / rate(p)
    );
    println!(
        "  tokvault run --mask -- cat   {:>8.0} MiB/s  {:.2}x",
        rate(f),
        rate(f) / rate(p)
    );
}

/// Runs `cmd` with stdout into a pipe read to the end; checks it all came.
fn drained(cmd: &mut Command, mib: usize) -> Duration {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0usize;
    loop {
        let n = out.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert!(child.wait().unwrap().success());
    assert!(total >= mib << 20);
    start.elapsed()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
