//! `tokvault run`: a command with fresh secrets in its environment, or in
//! files kept fresh for as long as it runs.

use crate::Context;
use crate::cli::RunArgs;
use crate::error::{self, Error};
use crate::redact::{Idle, Masks};
use crate::refs::{self, Binding};
use crate::resolve::{self, Freshness, Resolved, Resolver};
use crate::runfiles::RunDir;
use anyhow::Result;
use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
use signal_hook::iterator::SignalsInfo;
use signal_hook::iterator::exfiltrator::WithOrigin;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Stdio};
use std::sync::{Arc, mpsc};
use std::time::Duration;

pub fn run(args: &RunArgs, ctx: &Context) -> Result<()> {
    let (env, files) = bindings(args)?;
    let values = super::resolve_bindings(ctx, &env, args.allow_expired)?;
    let file_values = super::resolve_bindings(ctx, &files, args.allow_expired)?;
    let all = || values.iter().chain(&file_values).map(|r| &r.value);
    for value in all() {
        ctx.mask().register(value);
    }
    let masks = args.mask.then(|| Masks::new(all()));
    let served = match args.serve.as_slice() {
        [] => None,
        grants => Some(super::serve::start_for_command(
            ctx,
            grants,
            args.gcp.gcp_project.clone(),
        )?),
    };
    // Registered before any file or child exists, so no signal can kill
    // tokvault and leave either behind. A handler is not inherited across
    // exec.
    // Every signal whose default would end tokvault and that a command may
    // be sent (USR1 to reopen logs, USR2 to upgrade, ...) is passed on.
    let mut signals = SignalsInfo::<WithOrigin>::new([
        SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
    ])?;
    let mut secret_files = SecretFiles::create(file_values, args.allow_expired)?;
    // Asked to stop before the command started: it never starts.
    if let Some(origin) = signals.pending().next() {
        drop(secret_files);
        return Err(Error::Exit((128 + origin.signal).clamp(0, 255) as u8).into());
    }
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    crate::harden::restore_core_limit_for_child();
    let mut command = std::process::Command::new(program);
    // The master key is tokvault's, never the command's; so is the
    // password of a PostgreSQL vault. What -e injects is set after.
    command
        .env_remove("TOKVAULT_KEY")
        .env_remove("TOKVAULT_NEW_KEY");
    if ctx.db().file().is_none() {
        command.env_remove("PGPASSWORD");
    }
    if let Some((env, shadowing)) = &served {
        // The SDK would use these before asking the broker.
        let present: Vec<&str> = shadowing
            .iter()
            .copied()
            .filter(|var| std::env::var_os(var).is_some())
            .collect();
        if !present.is_empty() {
            crate::notice::note(format!(
                "{} removed from the command's environment: the broker serves its SDK instead",
                present.join(", ")
            ));
        }
        for var in shadowing {
            command.env_remove(var);
        }
        command.envs(env.iter().map(|(var, value)| (var, value.expose())));
    }
    command
        .args(rest)
        .envs(values.iter().map(|r| (&r.var, r.value.expose())))
        .envs(secret_files.iter().flat_map(SecretFiles::paths));
    if masks.is_some() {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            eprintln!(
                "tokvault: error: cannot run {}: {e}",
                crate::text::clean(program, 200)
            );
            return Err(Error::Exit(code).into());
        }
    };
    drop(values);
    let filters = masks.as_ref().map(|m| filter_output(&mut child, m));

    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let handle = signals.handle();
    let forwarder = std::thread::spawn(move || {
        for origin in signals.forever() {
            // A terminal's Ctrl-C already reached the whole process group;
            // only what a process sent to tokvault alone is passed on.
            if origin.process.is_some()
                && let Ok(signal) = nix::sys::signal::Signal::try_from(origin.signal)
            {
                let _ = nix::sys::signal::kill(pid, signal);
            }
        }
    });
    // The child is reaped only once signals are no longer passed on: until
    // then its pid cannot be reused by another process.
    match secret_files.as_mut() {
        None => exited(pid)?,
        Some(files) => files.keep_fresh_until_exit(ctx, pid, masks.as_ref())?,
    }
    handle.close();
    let _ = forwarder.join();
    let status = child.wait()?;
    if let Some(done) = filters {
        done.wait(FILTER_GRACE);
    }
    drop(secret_files);
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    };
    // The command's own failure, already reported by the command.
    match code.clamp(0, 255) as u8 {
        0 => Ok(()),
        code => Err(Error::Exit(code).into()),
    }
}

/// `-e`/`--env-file` bindings, and `--file` ones; no variable twice.
fn bindings(args: &RunArgs) -> Result<(Vec<Binding>, Vec<Binding>)> {
    let mut env = Vec::new();
    for file in &args.env_file {
        env.extend(refs::parse_file(file)?);
    }
    // A bare NAME is named as `export` names it (OPENAI for openai).
    for spec in &args.env {
        env.push(refs::parse(spec, true)?);
    }
    let files = args
        .file
        .iter()
        .map(|spec| refs::parse(spec, false))
        .collect::<Result<Vec<_>>>()?;
    // As `op run` does: a variable tokvault was started with whose value is
    // a reference gets the secret instead (unless bound here).
    for (var, value) in std::env::vars_os() {
        let (Some(var), Some(value)) = (var.to_str(), value.to_str()) else {
            continue;
        };
        if value.starts_with(crate::template::SCHEME)
            && !env.iter().chain(&files).any(|b| b.var == var)
        {
            env.push(Binding {
                var: var.to_string(),
                reference: value.to_string(),
            });
        }
    }
    if env.is_empty() && files.is_empty() && args.serve.is_empty() {
        return Err(error::usage(
            "nothing to inject: pass -e VAR=NAME[.FIELD], --env-file FILE, --file VAR=NAME[.FIELD] \
             or --serve PROTO=NAME",
        ));
    }
    refs::check_unique(&[env.as_slice(), files.as_slice()].concat())?;
    Ok((env, files))
}

/// How long a stream is still waited for after the command exits once it
/// has no more output: a process the command left running may hold it open
/// for ever.
const FILTER_GRACE: Duration = Duration::from_secs(1);

/// Waits for `pid` to exit without reaping it.
fn exited(pid: nix::unistd::Pid) -> Result<()> {
    use nix::sys::wait::{Id, WaitPidFlag, waitid};
    loop {
        match waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
            Err(nix::errno::Errno::EINTR) => continue,
            other => return other.map(|_| ()).map_err(Into::into),
        }
    }
}

/// The filter threads, each saying when its stream has ended.
struct Filters {
    idle: Vec<Arc<Idle>>,
    done: mpsc::Receiver<usize>,
}

impl Filters {
    /// Waits until every stream has ended, or each one left has waited
    /// `grace` for input (a process the command left running may hold its
    /// output open for ever). A filter still passing output on, to however
    /// slow a reader, is waited for.
    fn wait(self, grace: Duration) {
        let mut open: Vec<usize> = (0..self.idle.len()).collect();
        while !open.is_empty() {
            match self.done.recv_timeout(Duration::from_millis(50)) {
                Ok(i) => open.retain(|&o| o != i),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let stuck = |&i: &usize| self.idle[i].idle_for().is_some_and(|t| t >= grace);
                    if open.iter().all(stuck) {
                        return;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// The child's stdout and stderr, each copied to tokvault's own through the
/// filter; the threads end when the child's side closes.
fn filter_output(child: &mut Child, masks: &Masks) -> Filters {
    let out = child.stdout.take().map(OwnedFd::from);
    let err = child.stderr.take().map(OwnedFd::from);
    let streams = [
        (out, std::io::stdout().as_fd().try_clone_to_owned()),
        (err, std::io::stderr().as_fd().try_clone_to_owned()),
    ];
    let (tx, done) = mpsc::channel();
    let mut idle = Vec::new();
    for (from, to) in streams {
        // `to` is a duplicate of tokvault's own descriptor, unbuffered, so
        // the command's output appears when it writes it.
        let (Some(from), Ok(to)) = (from, to) else {
            continue;
        };
        // Larger pipes on both sides (where they are pipes) mean fewer,
        // larger reads and splices: the filter keeps up with a command that
        // writes as fast as it can. Best effort.
        let _ = nix::fcntl::fcntl(&from, nix::fcntl::FcntlArg::F_SETPIPE_SZ(1 << 20));
        let _ = nix::fcntl::fcntl(&to, nix::fcntl::FcntlArg::F_SETPIPE_SZ(1 << 20));
        let masks = masks.clone();
        let tx = tx.clone();
        let index = idle.len();
        let marker = Arc::new(Idle::default());
        idle.push(marker.clone());
        std::thread::spawn(move || {
            if let Err(e) = masks.filter_pipe(from, to, &marker)
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("tokvault: warning: --mask stopped passing on output: {e}");
            }
            let _ = tx.send(index);
        });
    }
    Filters { idle, done }
}

/// `--file` secrets: written to a private directory, rewritten before they
/// expire, removed when the run ends.
struct SecretFiles {
    dir: RunDir,
    files: Vec<Resolved>,
    allow_expired: bool,
    /// When each file is next due, in seconds; None: never.
    due: Vec<Option<i64>>,
}

/// Renewal starts when this share of a token's life has passed (as the
/// kubelet does for projected service-account tokens): time to retry
/// before it expires if the provider is down.
const RENEW_AT_PERCENT: i64 = 80;
/// A failed renewal is tried again this often.
const RETRY_SECS: i64 = 10;

impl SecretFiles {
    fn create(files: Vec<Resolved>, allow_expired: bool) -> Result<Option<SecretFiles>> {
        if files.is_empty() {
            return Ok(None);
        }
        let dir = RunDir::create()?;
        for file in &files {
            dir.write(&file.var, &file.value)?;
        }
        let due = files.iter().map(renewal_time).collect();
        Ok(Some(SecretFiles {
            dir,
            files,
            allow_expired,
            due,
        }))
    }

    fn paths(&self) -> Vec<(String, std::path::PathBuf)> {
        self.files
            .iter()
            .map(|f| (f.var.clone(), self.dir.file(&f.var)))
            .collect()
    }

    /// Waits for the child, renewing each file when it is due.
    fn keep_fresh_until_exit(
        &mut self,
        ctx: &Context,
        pid: nix::unistd::Pid,
        masks: Option<&Masks>,
    ) -> Result<()> {
        let (tx, rx) = mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let _ = tx.send(exited(pid));
        });
        loop {
            let now = jiff::Timestamp::now().as_second();
            let next = self.due.iter().flatten().min().copied();
            let wait = next.map_or(Duration::MAX, |t| {
                Duration::from_secs(t.saturating_sub(now).max(0) as u64)
            });
            match rx.recv_timeout(wait) {
                Ok(exit) => {
                    let _ = waiter.join();
                    return exit;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => self.renew_due(ctx, masks),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(anyhow::anyhow!("lost track of the command"));
                }
            }
        }
    }

    fn renew_due(&mut self, ctx: &Context, masks: Option<&Masks>) {
        let ctx = ctx.at_now();
        let now = ctx.now;
        let due: Vec<usize> = (0..self.files.len())
            .filter(|&i| self.due[i].is_some_and(|t| t <= now))
            .collect();
        let freshness = Freshness {
            // Past the renewal point; a sibling's renewal is used as is.
            min_valid: i64::MAX / 4,
            no_refresh: false,
            allow_expired: self.allow_expired,
        };
        let mut resolver = match Resolver::open(&ctx, "credentials to renew", freshness) {
            Ok(resolver) => resolver,
            Err(e) => {
                self.retry_later(&due, now, &e);
                return;
            }
        };
        // Each file on its own: one that fails (an id_token the refresh did
        // not renew) holds up none of the others.
        for i in due {
            let fresh =
                match resolve::binding(&mut resolver, &self.files[i].var, &self.files[i].reference)
                {
                    Ok(fresh) => fresh,
                    Err(e) => {
                        self.retry_later(&[i], now, &e);
                        continue;
                    }
                };
            let file = &self.files[i];
            if fresh.expires_at == file.expires_at && fresh.value == file.value {
                // Not renewed (the provider failed, said why, and the token
                // is still valid; or nothing can renew it): try again while
                // it is valid.
                self.due[i] = file.expires_at.and_then(|e| retry_time(now, e));
                if self.due[i].is_none() {
                    eprintln!(
                        "tokvault: warning: {} was not renewed; the file in {} keeps it until it expires",
                        crate::text::clean(&file.reference, 200),
                        file.var
                    );
                }
                continue;
            }
            // The command may be mid-line on the same stderr.
            ctx.mask().register_running(&fresh.value);
            if let Some(masks) = masks {
                masks.add(&fresh.value);
            }
            if let Err(e) = self.dir.write(&fresh.var, &fresh.value) {
                self.retry_later(&[i], now, &e);
                continue;
            }
            self.due[i] = renewal_time(&fresh);
            self.files[i] = fresh;
        }
    }

    /// After a failure: again soon, unless the secret has expired for good.
    fn retry_later(&mut self, due: &[usize], now: i64, e: &anyhow::Error) {
        let line = crate::text::clean(&format!("{e:#}"), 2000);
        let gone = error::exit_code(e) == error::code::EXPIRED;
        let then = if gone {
            "; its file keeps the expired value"
        } else {
            "; trying again"
        };
        eprintln!("tokvault: warning: renewing a --file secret failed: {line}{then}");
        for &i in due {
            self.due[i] = match (gone, self.files[i].expires_at) {
                (true, _) => None,
                (false, Some(expires)) => retry_time(now, expires).or(Some(now + RETRY_SECS)),
                (false, None) => Some(now + RETRY_SECS),
            };
        }
    }
}

/// When to try a renewal again: every RETRY_SECS, more often as the expiry
/// nears (halfway to it, at least a second apart); never once it is past.
fn retry_time(now: i64, expires: i64) -> Option<i64> {
    (expires > now).then(|| now + RETRY_SECS.min((expires - now) / 2).max(1))
}

/// When a secret is next renewed: once most of its life has passed, at
/// least a second from when it was written; never if it does not expire.
fn renewal_time(r: &Resolved) -> Option<i64> {
    let expires = r.expires_at?;
    let lifetime = (expires - r.written_at).max(0);
    Some((r.written_at + lifetime * RENEW_AT_PERCENT / 100).max(r.written_at + 1))
}
