//! `tokvault run`: a command with fresh secrets in its environment.

use crate::Context;
use crate::cli::RunArgs;
use crate::error::{self, Error};
use crate::refs::{self, Binding};
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use anyhow::Result;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::SignalsInfo;
use signal_hook::iterator::exfiltrator::WithOrigin;
use std::os::unix::process::ExitStatusExt;

pub fn run(args: &RunArgs, ctx: &Context) -> Result<()> {
    let bindings = bindings(args)?;
    let values = resolve_all(ctx, &bindings, args.allow_expired)?;
    for (_, value) in &values {
        ctx.mask.register(value);
    }

    // Registered before the child exists, so no signal can kill tokvault
    // and orphan it. A handler is not inherited across exec.
    let mut signals = SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])?;
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    crate::harden::restore_core_limit_for_child();
    let mut child = match std::process::Command::new(program)
        .args(rest)
        .envs(values.iter().map(|(var, value)| (var, value.expose())))
        // The master key is tokvault's, never the command's.
        .env_remove("TOKVAULT_KEY")
        .env_remove("TOKVAULT_NEW_KEY")
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            eprintln!("tokvault: error: cannot run {program}: {e}");
            return Err(Error::Exit(code).into());
        }
    };
    drop(values);

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
    let status = child.wait()?;
    handle.close();
    let _ = forwarder.join();
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => 1,
    };
    Err(Error::Exit(code.clamp(0, 255) as u8).into())
}

fn bindings(args: &RunArgs) -> Result<Vec<Binding>> {
    let mut bindings = Vec::new();
    for file in &args.env_file {
        bindings.extend(refs::parse_file(file)?);
    }
    for spec in &args.env {
        bindings.push(refs::parse(spec, false)?);
    }
    if bindings.is_empty() {
        return Err(error::usage(
            "nothing to inject: pass -e VAR=NAME[.FIELD] or --env-file FILE",
        ));
    }
    refs::check_unique(&bindings)?;
    Ok(bindings)
}

/// Every binding's value, or a report of each one that failed: nothing is
/// started (or printed) unless all of them resolve.
pub fn resolve_all(
    ctx: &Context,
    bindings: &[Binding],
    allow_expired: bool,
) -> Result<Vec<(String, Secret)>> {
    let freshness = Freshness {
        allow_expired,
        ..Freshness::default()
    };
    let mut resolver = Resolver::open(ctx, "credentials to use", freshness)?;
    let mut values = Vec::new();
    let mut failed: Vec<(String, anyhow::Error)> = Vec::new();
    for b in bindings {
        match resolver.reference(&b.reference) {
            Ok((_, _, value)) => values.push((b.var.clone(), value)),
            Err(e) => failed.push((format!("{}={}", b.var, b.reference), e)),
        }
    }
    match failed.len() {
        0 => Ok(values),
        1 => {
            let (what, e) = failed.pop().unwrap();
            Err(e.context(what))
        }
        _ => {
            for (what, e) in &failed {
                let line = crate::text::clean(&format!("{what}: {e:#}"), 2000);
                eprintln!("tokvault: error: {line} (exit {})", error::exit_code(e));
            }
            Err(Error::Exit(error::exit_code(&failed[0].1)).into())
        }
    }
}
