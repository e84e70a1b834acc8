//! `tokvault login`: a browser sign-in with PKCE and a loopback redirect, or
//! the device authorization grant.

use super::Vault;
use super::grant::{self, Request};
use super::oauth2::Authorization;
use crate::Context;
use crate::cli::LoginArgs;
use crate::error::{self, Error};
use crate::login::{Listener, Redirect};
use crate::oauth::device::{self, Poll};
use crate::refresh::ClientConfig;
use crate::text;
use crate::vault::{Client, client_not_found};
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub fn run(args: &LoginArgs, ctx: &Context) -> Result<()> {
    let vault = Vault::open(ctx, &format!("OAuth2 client '{}'", args.oauth2))?;
    let (client, sealed) = vault
        .read()
        .client(&args.oauth2)?
        .ok_or_else(|| client_not_found(&args.oauth2))?;
    if args.device {
        let sealer = vault.read_sealer()?;
        let config = ClientConfig::from_client(
            &client,
            vault.read().unseal_client(&sealer, &client, &sealed)?,
        );
        drop(vault);
        return device_login(args, ctx, &client, &config);
    }
    drop(vault);
    browser_login(args, ctx, &client)
}

fn browser_login(args: &LoginArgs, ctx: &Context, client: &Client) -> Result<()> {
    let (port, path) = loopback(client.redirect_uri.as_deref());
    let listener = match (args.port, port) {
        (Some(port), _) => Listener::bind(port, &path)?,
        // RFC 8252 §7.3: a server must accept any port on a native app's
        // (a public client's) loopback redirect, so a busy registered port
        // is no reason to give up. Servers match a confidential client's
        // registered redirect exactly: another port would only be refused.
        (None, Some(port)) if client.auth_method == crate::oauth::AuthMethod::None => {
            Listener::bind(port, &path).or_else(|e| {
                eprintln!(
                    "tokvault: note: {e:#}; listening on another port instead (loopback redirects \
                     may use any port; pass --port to insist)"
                );
                Listener::bind(0, &path)
            })?
        }
        (None, Some(port)) => Listener::bind(port, &path).map_err(|e| {
            anyhow::anyhow!(
                "{e:#}: the client's registered redirect URI uses that port, and a confidential \
                 client's redirect must match it exactly; free the port, or pass --port with \
                 another port registered for the client"
            )
        })?,
        (None, None) => Listener::bind(0, &path)?,
    };
    let auth = Authorization::new(client, Some(&listener.redirect_uri), args.scopes.as_deref())?;
    eprintln!("tokvault: sign in at {}", text::clean(&auth.url, 4000));
    if !args.no_browser
        && let Err(e) = open_browser(&auth.url)
    {
        eprintln!("tokvault: could not open a browser ({e}); open the URL above");
    }
    let redirect_uri = listener.redirect_uri.clone();
    let expected = crate::oauth::redirect::Expected {
        state: Some(auth.state.expose()),
        issuer: client.issuer.as_deref(),
        iss_required: client.iss_required,
    };
    let timeout = Duration::from_secs(args.timeout.unsigned_abs());
    eprintln!(
        "tokvault: waiting up to {} for the browser to come back to {redirect_uri} (--timeout)",
        crate::time::human_duration(timeout.as_secs())
    );
    let mut pending = listener.wait(&expected, timeout)?;
    let outcome = match pending.take() {
        Redirect::Code(code) => {
            let request = Request::Code {
                code,
                response: None,
                no_pkce: false,
                redirect_uri: Some(redirect_uri),
                verifier: Some(auth.verifier.clone()),
                state: None,
                own_request: auth.nonce_sent,
            };
            grant::run(ctx, &args.integration, &args.oauth2, request, false)
                .map(|()| format!("credential '{}'", args.integration))
        }
        Redirect::Failed(e) => Err(e),
    };
    pending.answer(&outcome);
    outcome.map(|_| ())
}

/// Port and path of a loopback redirect URI registered for the client
/// (RFC 8252 §7.3); any other redirect URI is not ours to listen on.
fn loopback(redirect_uri: Option<&str>) -> (Option<u16>, String) {
    let default = (None, "/callback".to_string());
    let Some(uri) = redirect_uri.and_then(|u| u.parse::<ureq::http::Uri>().ok()) else {
        return default;
    };
    let host = uri.host().unwrap_or_default().trim_matches(['[', ']']);
    let is_loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if uri.scheme_str() != Some("http") || !is_loopback {
        return default;
    }
    let path = match uri.path() {
        "" | "/" => "/".to_string(),
        p => p.to_string(),
    };
    (uri.port_u16(), path)
}

/// `$BROWSER` (a command, split on spaces), else the platform's opener.
fn open_browser(url: &str) -> std::io::Result<()> {
    let command = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| {
            if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            }
            .to_string()
        });
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("xdg-open");
    std::process::Command::new(program)
        .args(words)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

fn device_login(
    args: &LoginArgs,
    ctx: &Context,
    client: &Client,
    config: &ClientConfig,
) -> Result<()> {
    let device_url = client.device_url.as_deref().ok_or_else(|| {
        error::usage(format!(
            "OAuth2 client '{}' has no device authorization endpoint; add it again with --device-url",
            client.name
        ))
    })?;
    let scopes = crate::providers::authorization_scopes(
        client.provider.as_deref(),
        args.scopes.as_ref().unwrap_or(&client.scopes),
    );
    let auth = device::start(&ctx.http(), &config.endpoint(), device_url, &scopes)?;
    // All three come from the provider: shown cleaned, like any outside text.
    eprintln!(
        "tokvault: to sign in, open {} and enter the code {}",
        text::clean(&auth.verification_uri, 500),
        text::clean(&auth.user_code, 100)
    );
    if let Some(complete) = &auth.verification_uri_complete {
        eprintln!("tokvault: or open {}", text::clean(complete, 1000));
    }
    let deadline =
        Instant::now() + Duration::from_secs(auth.expires_in.min(args.timeout.unsigned_abs()));
    // The provider's interval, within reason: a zero would hammer it, a
    // huge one would outlive --timeout.
    let mut interval = Duration::from_secs(auth.interval.clamp(1, MAX_POLL_INTERVAL));
    if !(1..=MAX_POLL_INTERVAL).contains(&auth.interval) {
        eprintln!(
            "tokvault: warning: the provider asked to poll every {}s; polling every {}s",
            auth.interval,
            interval.as_secs()
        );
    }
    let mut progress = Progress::new();
    loop {
        progress.wait(interval.min(deadline.saturating_duration_since(Instant::now())));
        // The spinner's line is cleared before anything else is printed.
        progress.done();
        if Instant::now() >= deadline {
            progress.done();
            return Err(anyhow::anyhow!(
                "the sign-in was not approved in time; run `tokvault login --device` again"
            ));
        }
        let request = Request::DeviceCode {
            device_code: auth.device_code.clone(),
        };
        let result = grant::run(ctx, &args.integration, &args.oauth2, request, false);
        let refusal = match &result {
            Err(e) => e.chain().find_map(|c| match c.downcast_ref::<Error>() {
                Some(Error::ProviderRefused(r)) => Some(device::classify(&r.error)),
                _ => None,
            }),
            Ok(()) => None,
        };
        match refusal {
            Some(Poll::Pending) => {}
            // RFC 8628 §3.5: five seconds more for every later poll.
            Some(Poll::SlowDown) => {
                interval =
                    (interval + Duration::from_secs(5)).min(Duration::from_secs(MAX_POLL_INTERVAL));
            }
            Some(Poll::Stop) | None => {
                progress.done();
                return result;
            }
        }
    }
}

/// The longest wait between two polls of a device grant.
const MAX_POLL_INTERVAL: u64 = 300;

/// A spinner on a terminal; a plain line per poll otherwise.
struct Progress {
    spinner: bool,
    frame: usize,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            spinner: std::io::stderr().is_terminal(),
            frame: 0,
        }
    }

    fn wait(&mut self, interval: Duration) {
        if !self.spinner {
            eprintln!(
                "tokvault: waiting for approval (next check in {}s)",
                interval.as_secs()
            );
            std::thread::sleep(interval);
            return;
        }
        const FRAMES: [&str; 4] = ["|", "/", "-", "\\"];
        let end = Instant::now() + interval;
        while Instant::now() < end {
            eprint!(
                "\r{} waiting for approval",
                FRAMES[self.frame % FRAMES.len()]
            );
            let _ = std::io::stderr().flush();
            self.frame += 1;
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn done(&self) {
        if self.spinner {
            eprint!("\r\x1b[2K");
        }
    }
}
