//! `run_command` (with `--allow-run`): a command with secrets in its
//! environment only, as `run` starts one; its output capped and masked,
//! killed at its timeout.

use super::{Inner, RunAnswer, RunCommandArgs};
use crate::redact::Masks;
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OPERATION: &str = "mcp:run_command";
const DEFAULT_TIMEOUT: u64 = 60;
const MAX_TIMEOUT: u64 = 3600;
/// The most of each of stdout and stderr an agent is given.
const MAX_OUTPUT: usize = 1 << 20;
const MAX_STDIN: usize = 16 << 20;
/// The server's variables a command is given.
const PASSED_ON: [&str; 8] = [
    "PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TMPDIR", "USER",
];
/// How long the output is waited for once the command has ended: a
/// process it left behind (in a session of its own) may hold it open.
const OUTPUT_GRACE: Duration = Duration::from_secs(1);

pub fn call(inner: &Inner, args: RunCommandArgs) -> Result<RunAnswer, String> {
    let first = args.env.values().next().map(String::as_str);
    let refuse = |why: String| inner.refused(OPERATION, first, &why);
    let Some(program) = args.argv.first().filter(|p| !p.is_empty()) else {
        return Err(refuse("argv needs a program".into()));
    };
    if args.argv.iter().any(|a| a.contains('\0')) {
        return Err(refuse("an argument holds a NUL byte".into()));
    }
    let timeout = args.timeout.unwrap_or(DEFAULT_TIMEOUT);
    if timeout == 0 || timeout > MAX_TIMEOUT {
        return Err(refuse(format!("timeout is 1 to {MAX_TIMEOUT} seconds")));
    }
    let stdin = args.stdin.unwrap_or_default();
    if stdin.len() > MAX_STDIN {
        return Err(refuse("stdin is larger than 16 MiB".into()));
    }
    for var in args.env.keys() {
        if var.is_empty()
            || var.starts_with(|c: char| c.is_ascii_digit())
            || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(refuse(format!(
                "'{}' is not a variable name",
                crate::text::excerpt(var)
            )));
        }
    }
    let mut said: Vec<&str> = args.argv.iter().map(String::as_str).collect();
    said.push(&stdin);
    if said
        .iter()
        .any(|t| super::policy::secret_shaped(t).is_some())
    {
        return Err(refuse(super::http_tool::SECRET_ARGUMENT.into()));
    }

    let ctx = inner.context(OPERATION);
    let fail = |e: anyhow::Error| crate::text::clean(&format!("{e:#}"), 1000);
    let mut env: Vec<(String, Secret)> = Vec::new();
    let mut secrets: Vec<Secret> = Vec::new();
    if !args.env.is_empty() {
        let mut resolver = Resolver::open(&ctx, "credential for the command", Freshness::default())
            .map_err(fail)?;
        resolver.set_detail(format!("run {}", crate::text::clean(program, 100)));
        for (var, name) in &args.env {
            let fresh = resolver.credential(name, true).map_err(fail)?;
            env.push((var.clone(), resolver.value(&fresh, None).map_err(fail)?));
            secrets.extend(fresh.data.secrets());
        }
    }
    let masks = Masks::new(&secrets);
    if said
        .iter()
        .any(|t| super::http_tool::mask(&masks, t.as_bytes(), false) != *t)
    {
        return Err(refuse(super::http_tool::SECRET_ARGUMENT.into()));
    }

    let mut command = Command::new(program);
    // Only what a program needs to run: not the server's own environment,
    // which may say where the vault and its key are (TOKVAULT_*, PGPASSWORD).
    command.env_clear();
    for var in PASSED_ON {
        if let Some(value) = std::env::var_os(var) {
            command.env(var, value);
        }
    }
    command
        .args(&args.argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group: a timeout kills what it started too.
        .process_group(0);
    for (var, value) in &env {
        command.env(var, value.expose());
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", crate::text::clean(program, 200)))?;
    let group_id = child.id() as i32;
    inner
        .running
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(group_id);
    let mut input = child.stdin.take().expect("piped");
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let capture = |mut pipe: Box<dyn Read + Send>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut chunk = [0u8; 8192];
            let mut more = false;
            // Read to the end (a full pipe would stall the command), keep the start.
            while let Ok(n) = pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                let room = MAX_OUTPUT.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..n.min(room)]);
                more |= n > room;
            }
            let _ = tx.send((kept, more));
        });
        rx
    };
    let out = capture(Box::new(child.stdout.take().expect("piped")));
    let err = capture(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let group = nix::unistd::Pid::from_raw(-(child.id() as i32));
                let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL);
                break child
                    .wait()
                    .map_err(|e| format!("waiting for the command: {e}"))?;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for the command: {e}")),
        }
    };
    // What it left running in its group goes with it: nothing an agent
    // started outlives the call, or holds its output open.
    let group = nix::unistd::Pid::from_raw(-(child.id() as i32));
    let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL);
    inner
        .running
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&group_id);
    // Not waited for: a process left behind may hold stdin open.
    drop(feeder);
    let (stdout, more_out) = out.recv_timeout(OUTPUT_GRACE).unwrap_or_default();
    let (stderr, more_err) = err.recv_timeout(OUTPUT_GRACE).unwrap_or_default();
    Ok(RunAnswer {
        exit_code: status.code(),
        stdout: super::http_tool::mask(&masks, &stdout, more_out),
        stderr: super::http_tool::mask(&masks, &stderr, more_err),
        truncated: more_out || more_err,
        timed_out,
    })
}
