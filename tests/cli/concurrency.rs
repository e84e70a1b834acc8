//! Never lose, never race: many processes on one expired token cause one
//! refresh, and a process killed mid-refresh leaves a usable vault.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// An expired credential "x" at a provider answering refreshes after
/// `delay` milliseconds.
fn setup(delay: Arc<AtomicU64>) -> (Home, Provider) {
    let n = AtomicUsize::new(0);
    let provider = Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-0"), 0)),
        _ => {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(
                200,
                tokens(&format!("at-{i}"), Some(&format!("rt-{i}")), 3600),
            )
            .after(Duration::from_millis(delay.load(Ordering::SeqCst)))
        }
    });
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange("x", "idp");
    (home, provider)
}

#[test]
fn many_processes_one_refresh_one_token() {
    let (home, provider) = setup(Arc::new(AtomicU64::new(700)));
    let children: Vec<_> = (0..20)
        .map(|_| {
            home.std_cmd()
                .args(["get", "x"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for out in &outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "at-1\n");
    }
    let refreshes = provider.grants("refresh_token");
    assert_eq!(
        refreshes.len(),
        1,
        "the provider must see exactly one refresh"
    );
    assert_eq!(home.get("x"), "at-1\n");
}

#[test]
fn a_get_killed_mid_refresh_leaves_a_usable_vault() {
    let delay = Arc::new(AtomicU64::new(60_000));
    let (home, provider) = setup(delay.clone());
    let mut child = home
        .std_cmd()
        .args(["get", "x"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while provider.grants("refresh_token").is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no refresh arrived"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL, while it holds the write lock
    child.wait().unwrap();

    // The vault opens, the lock is gone, and the credential is as it was.
    home.cmd()
        .args(["get", "x", "--no-refresh", "--allow-expired"])
        .assert()
        .success()
        .stdout("at-0\n");
    home.cmd()
        .args([
            "get",
            "x",
            "--no-refresh",
            "--allow-expired",
            "--field",
            "refresh_token",
        ])
        .assert()
        .stdout("rt-0\n");
    home.cmd().args(["list", "--json"]).assert().success();
    // And it is still usable: the next get refreshes it (this provider, like
    // most, still honours a refresh token whose answer never arrived).
    delay.store(0, Ordering::SeqCst);
    home.cmd()
        .args(["get", "x"])
        .assert()
        .success()
        .stdout("at-2\n");
}
