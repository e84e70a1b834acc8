//! `tokvault serve`: the broker standing on its own, in the foreground,
//! for containers and services; and the broker `run --serve` starts for
//! one command.

use crate::Context;
use crate::broker::server::{self, Listener};
use crate::broker::{Broker, ClientEnv, Settings};
use crate::cli::ServeArgs;
use crate::error;
use crate::grants::{Grant, Proto};
use crate::secret::Secret;
use anyhow::{Context as _, Result};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(args: &ServeArgs, ctx: &Context) -> Result<()> {
    let needs_token = args.grant.iter().any(|g| g.proto != Proto::Gcp);
    if needs_token && args.env_file.is_none() {
        return Err(error::usage(
            "aws and azure are answered only with the token the broker makes at start: \
             pass --env-file FILE, where it writes it for clients",
        ));
    }
    let log = match &args.log {
        Some(path) => Some(Box::new(open_log(path)?) as Box<dyn std::io::Write + Send>),
        None => None,
    };
    let api_keys = match &args.api_key_file {
        Some(path) if args.tokens_api => Some(api_keys(path)?),
        _ => None,
    };
    let broker = Broker::new(
        ctx,
        Settings {
            grants: args.grant.clone(),
            gcp_project: args.gcp.gcp_project.clone(),
            log,
            api_keys,
        },
    )?;
    // Registered before anything exists that a stop must remove.
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
    ])?;
    let listener = listen(args.listen.as_deref())?;
    let address = listener.address();
    let socket = match &listener {
        Listener::Unix(_, path) => Some(path.clone()),
        Listener::Tcp(_) => None,
    };
    let client_env = broker.client_env(&address);
    let written = match &args.env_file {
        Some(path) => match write_env_file(path, &client_env) {
            Ok(()) => Some(path.clone()),
            Err(e) => {
                remove(socket.as_deref());
                return Err(e);
            }
        },
        None => None,
    };
    let mut grants: Vec<String> = args
        .grant
        .iter()
        .map(|g| format!("{}={}", g.proto.as_str(), g.name))
        .collect();
    if args.tokens_api {
        grants.push("the Tokens API".into());
    }
    eprintln!(
        "tokvault: serving {} on {address}{}",
        grants.join(", "),
        match &written {
            Some(path) => format!("; clients read {}", path.display()),
            None => String::new(),
        }
    );
    let mut allowed = vec![nix::unistd::getuid().as_raw()];
    allowed.extend(&args.allow_uid);
    let broker = Arc::new(broker);
    std::thread::spawn(move || server::serve(listener, broker, Arc::new(allowed)));
    let _ = signals.forever().next();
    remove(socket.as_deref());
    remove(written.as_deref());
    eprintln!("tokvault: broker stopped");
    Ok(())
}

/// The broker `run --serve` starts on 127.0.0.1 for one command: the
/// variables to set in its environment.
pub fn start_for_command(
    ctx: &Context,
    grants: &[Grant],
    gcp_project: Option<String>,
) -> Result<(ClientEnv, Vec<&'static str>)> {
    let broker = Broker::new(
        ctx,
        Settings {
            grants: grants.to_vec(),
            gcp_project,
            log: None,
            api_keys: None,
        },
    )?;
    let listener = listen(None)?;
    let env = broker.client_env(&listener.address());
    let shadowing = broker.shadowing_env();
    let allowed = Arc::new(vec![nix::unistd::getuid().as_raw()]);
    let broker = Arc::new(broker);
    std::thread::spawn(move || server::serve(listener, broker, allowed));
    Ok((env, shadowing))
}

fn remove(path: Option<&Path>) {
    if let Some(path) = path {
        let _ = std::fs::remove_file(path);
    }
}

/// `--listen`: 127.0.0.1 with a free port by default, `unix:PATH`, or an
/// address given (one that others can reach is served with a warning).
fn listen(given: Option<&str>) -> Result<Listener> {
    let given = given.unwrap_or("127.0.0.1:0");
    if let Some(path) = given.strip_prefix("unix:") {
        return listen_unix(Path::new(path));
    }
    let addr: SocketAddr = given.parse().map_err(|_| {
        error::usage(format!(
            "--listen {}: expected HOST:PORT (an IP address) or unix:PATH",
            crate::text::excerpt(given)
        ))
    })?;
    if !addr.ip().is_loopback() {
        crate::notice::warn(format!(
            "listening on {addr}, which other machines may reach: only this user's \
             connections (and --allow-uid's) are answered, but the gcp protocol carries \
             no token of its own"
        ));
    }
    let listener = TcpListener::bind(addr)
        .map_err(|e| error::usage(format!("cannot listen on {addr}: {e}")))?;
    Ok(Listener::Tcp(listener))
}

/// A socket only this user can reach: in a 0700 directory, itself 0600.
fn listen_unix(path: &Path) -> Result<Listener> {
    if path.as_os_str().is_empty() {
        return Err(error::usage("--listen unix:PATH needs a path"));
    }
    // A socket left by a broker that was killed (nothing answers on it)
    // is taken over; anything else there is not touched.
    let stale = std::fs::symlink_metadata(path).is_ok_and(|m| {
        std::os::unix::fs::FileTypeExt::is_socket(&m.file_type())
            && std::os::unix::net::UnixStream::connect(path)
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused)
    });
    if stale {
        let _ = std::fs::remove_file(path);
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(error::usage(format!(
            "{} exists: remove it, or listen on another path",
            path.display()
        )));
    }
    let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_owned(),
        None => PathBuf::from("."),
    };
    crate::fsutil::create_private_dir(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let mode = std::fs::metadata(&dir)?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(error::usage(format!(
            "{} is open to other users (mode {mode:03o}): a broker's socket goes in a 0700 directory",
            dir.display()
        )));
    }
    let listener = std::os::unix::net::UnixListener::bind(path)
        .map_err(|e| error::usage(format!("cannot listen on {}: {e}", path.display())))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(Listener::Unix(listener, path.to_owned()))
}

/// VAR=VALUE lines, written whole and private (0600) or not at all.
fn write_env_file(path: &Path, env: &[(&str, Secret)]) -> Result<()> {
    use std::io::Write;
    let mut text = zeroize::Zeroizing::new(String::new());
    for (var, value) in env {
        text.push_str(var);
        text.push('=');
        text.push_str(value.expose());
        text.push('\n');
    }
    let tmp = crate::fsutil::temporary(path, ".tmp-");
    let _ = std::fs::remove_file(&tmp);
    let written = crate::fsutil::create_private_file(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(anyhow::Error::new(e).context(format!("writing {}", path.display())));
    }
    crate::fsutil::sync_dir(path);
    Ok(())
}

/// The shortest key the Tokens API accepts: a guessable key would be a
/// password to every credential.
const MIN_API_KEY: usize = 16;

/// `--api-key-file`: one key a line (`#` comments and blank lines
/// ignored), private to this user; created with one random key when
/// missing.
fn api_keys(path: &Path) -> Result<Vec<Secret>> {
    if std::fs::symlink_metadata(path).is_err() {
        let key = crate::oauth::pkce::random(32);
        let text = zeroize::Zeroizing::new(format!("{}\n", key.expose()));
        crate::fsutil::write_new_file_whole(path, text.as_bytes())
            .with_context(|| format!("creating the API key file {}", path.display()))?;
        crate::notice::note(format!(
            "created {} with a new API key: clients send it as X-API-Key",
            path.display()
        ));
        return Ok(vec![key]);
    }
    let mode = std::fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(error::usage(format!(
            "the API key file {} is open to other users (mode {:03o}): chmod 600 it",
            path.display(),
            mode & 0o777
        )));
    }
    let text = crate::input::file(path, "--api-key-file")?;
    let mut keys = Vec::new();
    for (i, line) in text.expose().lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.chars().count() < MIN_API_KEY
            || line.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(error::usage(format!(
                "--api-key-file {} line {}: a key is at least {MIN_API_KEY} characters, \
                 without spaces or control characters",
                path.display(),
                i + 1
            )));
        }
        keys.push(Secret::new(line));
    }
    if keys.is_empty() {
        return Err(error::usage(format!(
            "--api-key-file {} holds no key",
            path.display()
        )));
    }
    Ok(keys)
}

fn open_log(path: &Path) -> Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("opening the log {}", path.display()))
}
