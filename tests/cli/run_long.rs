//! `run` for programs that outlive a token: `--file` keeps a secret file
//! fresh while the command runs and removes it after, however the run ends;
//! `--mask` keeps secrets out of the command's output.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, mode};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// A provider issuing `ft-0`, `ft-1`, ... each valid for `lifetime`
/// seconds, recording when it issued each one. The code's answer also
/// carries an id_token living as long; refreshes renew no id_token.
fn issuing_provider(lifetime: i64) -> (Provider, Arc<Mutex<Vec<f64>>>) {
    let issued = Arc::new(Mutex::new(Vec::new()));
    let log = issued.clone();
    let provider = Provider::start(move |req| {
        let mut log = log.lock().unwrap();
        let i = log.len();
        log.push(unix_now());
        let mut answer = tokens(&format!("ft-{i}"), Some("rt"), lifetime);
        if req.param("grant_type").as_deref() != Some("refresh_token") {
            let claims = serde_json::json!({"exp": crate::common::now() + lifetime});
            answer["id_token"] = crate::common::jwt(&claims).into();
        }
        Reply::json(200, answer)
    });
    (provider, issued)
}

/// The `run-*` directories under this home's runtime directory.
fn run_dirs(home: &Home) -> Vec<PathBuf> {
    let base = home.runtime_dir().join("tokvault");
    let Ok(entries) = std::fs::read_dir(&base) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("run-"))
        .collect()
}

#[test]
fn a_file_stays_valid_across_refreshes_and_goes_when_the_command_ends() {
    let home = Home::new();
    let (provider, issued) = issuing_provider(4);
    home.add_public_client("idp", &provider.token_url());
    home.exchange("api", "idp");
    let report = home.path().join("report");
    // The child waits for the file to change twice, noting each token with
    // the time it read it, and prints the tokens (to be masked).
    let script = r#"
        f="$TOKEN_FILE"
        printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(stat -c %a "$(dirname "$f")")" > "$REPORT"
        last=""
        for i in $(seq 1 300); do
            now="$(cat "$f")"
            if [ "$now" != "$last" ]; then
                printf '%s %s\n' "$now" "$(date +%s.%N)" >> "$REPORT"
                echo "read $now"
                last="$now"
                [ "$(wc -l < "$REPORT")" -ge 4 ] && exit 0
            fi
            sleep 0.05
        done
        exit 9
    "#;
    let out = home
        .cmd()
        .args([
            "run",
            "--mask",
            "--file",
            "TOKEN_FILE=api",
            "--",
            "sh",
            "-c",
            script,
        ])
        .env("REPORT", &report)
        .timeout(Duration::from_secs(30))
        .assert()
        .success();
    let report = std::fs::read_to_string(&report).unwrap();
    let mut lines = report.lines();
    let header: Vec<&str> = lines.next().unwrap().split(' ').collect();
    let path = Path::new(header[0]);
    assert_eq!((header[1], header[2]), ("600", "700"), "{report}");
    assert!(path.starts_with(home.runtime_dir()), "{report}");
    let issued = issued.lock().unwrap().clone();
    let reads: Vec<(String, f64)> = lines
        .map(|l| {
            let (token, at) = l.split_once(' ').unwrap();
            (token.to_string(), at.parse().unwrap())
        })
        .collect();
    assert_eq!(
        reads.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["ft-0", "ft-1", "ft-2"],
        "{report}"
    );
    for (token, at) in &reads {
        let i: usize = token["ft-".len()..].parse().unwrap();
        assert!(
            *at < issued[i] + 4.0,
            "{token} read after it expired: {report}"
        );
    }
    assert_eq!(provider.grants("refresh_token").len(), 2);
    // The renewed tokens were masked too; the file and its directory are gone.
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "read ***\nread ***\nread ***\n"
    );
    assert!(!path.exists() && !path.parent().unwrap().exists());
    assert!(run_dirs(&home).is_empty());
}

#[test]
fn a_file_that_cannot_be_renewed_holds_up_no_other() {
    let home = Home::new();
    // Refreshes renew the access token only, so the id_token file (4 s)
    // cannot be renewed.
    let (provider, _) = issuing_provider(4);
    home.add_public_client("idp", &provider.token_url());
    home.exchange("api", "idp");
    let script = r#"
        last=""; seen=0
        for i in $(seq 1 300); do
            now="$(cat "$TOKEN_FILE")"
            if [ "$now" != "$last" ]; then
                echo "$now"; last="$now"; seen=$((seen + 1))
                [ "$seen" -ge 3 ] && exit 0
            fi
            sleep 0.05
        done
        exit 9
    "#;
    let out = home
        .cmd()
        .args([
            "run",
            "--file",
            "TOKEN_FILE=api",
            "--file",
            "ID_FILE=api.id_token",
            "--",
            "sh",
            "-c",
            script,
        ])
        .timeout(Duration::from_secs(30))
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "ft-0\nft-1\nft-2\n"
    );
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr).contains("id_token"),
        "the id_token's failure is reported"
    );
}

#[test]
fn a_killed_run_leaves_its_file_until_the_next_run_removes_it() {
    let home = Home::new();
    home.store(&["api", "--provider", "p", "--secret", "-"], "sk-kill-me");
    let pid_file = home.path().join("child.pid");
    let mut run = home
        .std_cmd()
        .args(["run", "--file", "K=api", "--", "sh", "-c"])
        .arg(format!("echo $$ > {}; exec sleep 30", pid_file.display()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !pid_file.exists() || std::fs::read_to_string(&pid_file).unwrap().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    let left = run_dirs(&home);
    assert_eq!(left.len(), 1);
    assert_eq!(
        std::fs::read_to_string(left[0].join("K")).unwrap(),
        "sk-kill-me"
    );
    assert_eq!(mode(&left[0]), 0o700);
    run.kill().unwrap();
    run.wait().unwrap();
    let child: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(child), nix::sys::signal::SIGKILL);
    // SIGKILL gave tokvault no chance: the file is still there...
    assert!(left[0].join("K").exists());
    // ...until the next run --file of this user, which removes it first.
    let next = home
        .cmd()
        .args(["run", "--file", "K=api", "--", "sh", "-c", "cat \"$K\""])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&next.get_output().stdout),
        "sk-kill-me"
    );
    assert!(!left[0].exists());
    assert!(run_dirs(&home).is_empty());
}

#[test]
fn a_file_goes_however_the_command_ends() {
    let home = Home::new();
    home.store(&["api", "--provider", "p", "--secret", "-"], "sk-signal");
    // Killed by a signal: tokvault exits 128+N and still cleans up.
    home.cmd()
        .args(["run", "--file", "K=api", "--", "sh", "-c", "kill -TERM $$"])
        .assert()
        .code(143);
    assert!(run_dirs(&home).is_empty());
    // A signal sent to tokvault reaches the command; the file goes after it.
    let mut run = home
        .std_cmd()
        .args(["run", "--file", "K=api", "--", "sleep", "30"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while run_dirs(&home).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(run.id() as i32),
        nix::sys::signal::SIGTERM,
    )
    .unwrap();
    let status = run.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    assert!(run_dirs(&home).is_empty());
    // USR1 (reopen your logs) reaches the command and ends nothing.
    let ready = home.path().join("ready");
    let mut run = home
        .std_cmd()
        .args(["run", "--file", "K=api", "--", "sh", "-c"])
        .arg(
            "trap 'echo usr1 > \"$READY.got\"; exit 0' USR1; touch \"$READY\"; \
             while :; do sleep 0.05; done",
        )
        .env("READY", &ready)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !ready.exists() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(run.id() as i32),
        nix::sys::signal::SIGUSR1,
    )
    .unwrap();
    assert_eq!(run.wait().unwrap().code(), Some(0));
    assert!(home.path().join("ready.got").exists());
    assert!(run_dirs(&home).is_empty());
}

#[test]
fn bad_file_bindings_start_nothing_and_write_nothing() {
    let home = Home::new();
    home.store(&["api", "--provider", "p", "--secret", "-"], "sk-1");
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["--file", "1X=api"],
            2,
            "not a valid environment variable name",
        ),
        (&["--file", "K"], 2, "is not VAR=NAME"),
        (&["--file", "K=missing"], 3, "missing"),
        (&["--file", "K=api", "-e", "K=api"], 2, "K is bound twice"),
        (&["--file", "K=api.nofield"], 3, "no field 'nofield'"),
    ];
    for (args, code, message) in cases {
        home.cmd()
            .arg("run")
            .args(*args)
            .args(["--", "touch", "started"])
            .current_dir(home.path())
            .assert()
            .code(*code)
            .stderr(predicate::str::contains(*message));
        assert!(!home.path().join("started").exists());
        assert!(run_dirs(&home).is_empty());
    }
}

#[test]
fn a_planted_runtime_directory_is_refused() {
    let home = Home::new();
    home.store(&["api", "--provider", "p", "--secret", "-"], "sk-planted");
    // Someone made tokvault's directory a link to a place they can read.
    let trap = home.path().join("trap");
    std::fs::create_dir(&trap).unwrap();
    std::os::unix::fs::symlink(&trap, home.runtime_dir().join("tokvault")).unwrap();
    home.cmd()
        .args(["run", "--file", "K=api", "--", "true"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a directory of yours"));
    assert_eq!(std::fs::read_dir(&trap).unwrap().count(), 0);
}

#[test]
fn mask_hides_secrets_and_their_encodings_in_both_streams() {
    let home = Home::new();
    let token = "tok_0123456789abcdefghij";
    home.store(&["api", "--provider", "p", "--secret", "-"], token);
    // Printed whole, base64 (as in Basic auth), URL-encoded, and in two
    // writes with a pause between them.
    let script = r#"
        echo "plain $T"
        printf 'user:%s' "$T" | base64
        echo "split ${T%??????????}"; 
        printf 'half %s' "$(printf %s "$T" | cut -c1-10)"; sleep 0.3; printf '%s end\n' "$(printf %s "$T" | cut -c11-)"
        echo "err $T" >&2
        exit 7
    "#;
    let out = home
        .cmd()
        .args(["run", "--mask", "-e", "T=api", "--", "sh", "-c", script])
        .assert()
        .code(7);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        !stdout.contains(token) && !stdout.contains("0123456789abcdefghij"),
        "{stdout}"
    );
    assert!(stdout.starts_with("plain ***\n"), "{stdout}");
    assert!(
        stdout.contains("half ***end\n") || stdout.contains("half *** end\n"),
        "{stdout}"
    );
    let basic = stdout.lines().nth(1).unwrap();
    assert!(basic.contains("***") && basic.len() < 16, "{basic}");
    assert_eq!(stderr, "err ***\n");

    // TOKVAULT_MASK=1 is the same as --mask; without either, output is the
    // command's own.
    let out = home
        .cmd()
        .args(["run", "-e", "T=api", "--", "sh", "-c", "echo $T"])
        .env("TOKVAULT_MASK", "1")
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), "***\n");
    let out = home
        .cmd()
        .args(["run", "-e", "T=api", "--", "sh", "-c", "echo $T"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        format!("{token}\n")
    );
}

#[test]
fn mask_passes_other_output_byte_for_byte() {
    let home = Home::new();
    home.store(
        &["api", "--provider", "p", "--secret", "-"],
        "never-printed-secret",
    );
    let data: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = home.path().join("data.bin");
    std::fs::write(&file, &data).unwrap();
    let out = home
        .cmd()
        .args(["run", "--mask", "-e", "T=api", "--", "cat"])
        .arg(&file)
        .assert()
        .success();
    assert!(out.get_output().stdout == data, "output changed");
}

#[test]
fn a_failed_renewal_is_tried_again_while_the_token_is_valid() {
    let home = Home::new();
    // Tokens live 20 s; the first renewal fails, the next one works.
    let n = Arc::new(Mutex::new(0));
    let calls = n.clone();
    let provider = Provider::start(move |_| {
        let mut n = calls.lock().unwrap();
        *n += 1;
        match *n {
            1 => Reply::json(200, tokens("ft-0", Some("rt"), 14)),
            2 => Reply::json(503, serde_json::json!({"error": "temporarily_unavailable"})),
            i => Reply::json(200, tokens(&format!("ft-{}", i - 2), Some("rt"), 14)),
        }
    });
    home.add_public_client("idp", &provider.token_url());
    home.exchange("api", "idp");
    // Renewal at 80% of 14 s fails; with 3 s left it is tried again
    // sooner than every 10 s, and the second try renews it.
    let script = r#"
        first="$(cat "$F")"
        for i in $(seq 1 400); do
            now="$(cat "$F")"
            [ "$now" != "$first" ] && { echo "$now"; exit 0; }
            sleep 0.1
        done
        exit 9
    "#;
    let out = home
        .cmd()
        .args(["run", "--file", "F=api", "--", "sh", "-c", script])
        .timeout(Duration::from_secs(60))
        .assert();
    let output = out.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ft-1\n");
    assert!(stderr.contains("temporarily_unavailable"), "{stderr}");
}

#[test]
fn mask_passes_everything_on_to_a_slow_reader() {
    let home = Home::new();
    home.store(
        &["api", "--provider", "p", "--secret", "-"],
        "sk-slow-reader",
    );
    // 1.5 MB: more than the pipes hold, so the command has exited while
    // part of its output waits for a reader who comes back 2.5 s later.
    let mut run = home
        .std_cmd()
        .args(["run", "--mask", "-e", "T=api", "--", "sh", "-c"])
        .arg("head -c 1500000 /dev/zero | tr '\\0' a; echo \" $T end\"")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut run.stdout.take().unwrap(), &mut out).unwrap();
    assert!(run.wait().unwrap().success());
    assert_eq!(out.len(), 1_500_000 + " *** end\n".len());
    assert!(out.ends_with(b"a *** end\n"));
}

#[test]
fn mask_does_not_wait_for_what_the_command_left_running() {
    let home = Home::new();
    home.store(
        &["api", "--provider", "p", "--secret", "-"],
        "sk-background",
    );
    let started = Instant::now();
    let out = home
        .cmd()
        .args([
            "run",
            "--mask",
            "-e",
            "T=api",
            "--",
            "sh",
            "-c",
            "sleep 30 & echo \"done $T\"",
        ])
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "done ***\n"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
