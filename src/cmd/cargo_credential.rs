//! `tokvault cargo-credential`: cargo's credential-provider protocol
//! (version 1). cargo starts its provider as `PROGRAM --cargo-plugin`, reads
//! a hello line, sends one JSON request per line and closes stdin; the rest
//! of `credential-provider` (`cargo-credential NAME`) arrives in each
//! request's `args`. Every answer, errors included, is a protocol line on
//! stdout and exit code 0: cargo shows the message of an `Err` itself.

use super::Vault;
use crate::Context;
use crate::cli::CargoCredentialArgs;
use crate::error::{self, code};
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::NewCredential;
use anyhow::Result;
use serde::Deserialize;
use serde_json::{Value, json};
use std::io::{BufRead, Read, Write};

/// A request is a short JSON line; a token inside it is far below this.
const MAX_LINE: u64 = 1 << 20;

/// What cargo-login-made credentials are stored as.
const PROVIDER: &str = "cargo";

#[derive(Deserialize)]
struct Request {
    v: u32,
    registry: Registry,
    kind: String,
    #[serde(default)]
    token: Option<Secret>,
    #[serde(default)]
    args: Vec<String>,
}

#[derive(Deserialize)]
struct Registry {
    #[serde(default)]
    name: Option<String>,
}

pub fn run(args: &CargoCredentialArgs, ctx: &Context) -> Result<()> {
    if !args.cargo_plugin {
        return Err(error::usage(
            "cargo-credential speaks cargo's protocol and is run by cargo: set \
             credential-provider = [\"tokvault\", \"cargo-credential\", \"NAME\"] for the registry",
        ));
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", json!({"v": [1]}))?;
    out.flush()?;
    let mut input = std::io::stdin().lock();
    loop {
        let mut line = Vec::new();
        (&mut input)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(());
        }
        let too_long = line.strip_suffix(b"\n").unwrap_or(&line).len() as u64 > MAX_LINE;
        let answer = if too_long {
            other("cargo sent a request longer than 1 MiB")
        } else {
            answer(args, ctx, &line)
        };
        crate::output::raw(&Secret::new(format!("{answer}\n")))?;
        if too_long {
            return Ok(());
        }
    }
}

fn other(message: &str) -> Value {
    json!({"Err": {"kind": "other", "message": crate::text::clean(message, 2000)}})
}

fn answer(args: &CargoCredentialArgs, ctx: &Context, line: &[u8]) -> Value {
    let request: Request = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => {
            return other(&format!(
                "cargo sent an unreadable request ({})",
                crate::token::json_error(&e)
            ));
        }
    };
    if request.v != 1 {
        return other(&format!(
            "cargo asked for protocol version {}; tokvault speaks 1",
            request.v
        ));
    }
    let name = match credential_name(args, &request) {
        Ok(name) => name,
        Err(e) => return other(&format!("{e:#}")),
    };
    let result = match request.kind.as_str() {
        "get" => get(ctx, &name),
        "login" => login(ctx, &name, request.token.as_ref()),
        "logout" => logout(ctx, &name),
        _ => return json!({"Err": {"kind": "operation-not-supported"}}),
    };
    match result {
        Ok(answer) => json!({ "Ok": answer }),
        Err(e) if error::exit_code(&e) == code::NOT_FOUND => json!({"Err": {"kind": "not-found"}}),
        Err(e) => other(&format!("tokvault: {e:#}")),
    }
}

/// The credential named in `credential-provider` (given as an argument or,
/// as cargo passes it, in the request), else `cargo:REGISTRY`.
fn credential_name(args: &CargoCredentialArgs, request: &Request) -> Result<String> {
    let from_request = match request.args.as_slice() {
        [] => None,
        [sub, rest @ ..] if sub == "cargo-credential" => match rest {
            [] => None,
            [name] => Some(name.clone()),
            _ => {
                return Err(error::usage(
                    "credential-provider takes one credential name",
                ));
            }
        },
        _ => {
            return Err(error::usage(
                "set credential-provider = [\"tokvault\", \"cargo-credential\", \"NAME\"]",
            ));
        }
    };
    let name = match (args.name.clone().or(from_request), &request.registry.name) {
        (Some(name), _) => name,
        (None, Some(registry)) => format!("cargo:{registry}"),
        (None, None) => {
            return Err(error::usage(
                "cargo did not name the registry: set credential-provider = \
                 [\"tokvault\", \"cargo-credential\", \"NAME\"]",
            ));
        }
    };
    crate::text::check_name(&name).map_err(error::usage)?;
    Ok(name)
}

/// The token, valid for at least a minute, and how long cargo may keep it.
fn get(ctx: &Context, name: &str) -> Result<Value> {
    let mut resolver = Resolver::open_if_exists(ctx, Freshness::default())?
        .ok_or_else(|| error::not_found("no vault"))?;
    let fresh = resolver.credential(name, true)?;
    let token = resolver.value(&fresh, None)?;
    ctx.mask().register(&token);
    let mut answer = json!({
        "kind": "get",
        "token": token.expose(),
        "operation_independent": true,
    });
    match fresh.meta.expires_at {
        Some(expiration) => {
            answer["cache"] = "expires".into();
            answer["expiration"] = expiration.into();
        }
        // Until cargo exits: a rotated key is seen by the next cargo.
        None => answer["cache"] = "session".into(),
    }
    Ok(answer)
}

/// `cargo login`: the token is kept as an api_key credential. What
/// `cargo logout` would refuse to remove (a credential `cargo login` did
/// not store) it refuses to replace: one rule for both.
fn login(ctx: &Context, name: &str, token: Option<&Secret>) -> Result<Value> {
    let token = token
        .filter(|t| !t.expose().trim().is_empty())
        .ok_or_else(|| error::usage("cargo sent no token"))?;
    if token.expose().chars().any(char::is_control) {
        return Err(error::usage("the token holds control characters"));
    }
    let mut vault = Vault::open_or_create(ctx)?;
    vault.update(ctx.user(), name, |w, current| {
        if let Some((meta, _)) = current
            && meta.provider != PROVIDER
        {
            return Err(error::usage(format!(
                "{} was not stored by cargo login, so cargo login does not replace it; \
                 store the new token with `tokvault store {name} --secret -`",
                meta.describe()
            )));
        }
        let new = NewCredential {
            user: ctx.user().to_string(),
            integration: name.to_string(),
            provider: PROVIDER.into(),
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            oauth2_client: None,
            client_credentials: false,
        };
        let data = TokenData {
            api_key: Some(Secret::new(token.expose().trim())),
            ..TokenData::default()
        };
        w.put(w.sealer()?, &new, &data, ctx.now)
    })?;
    Ok(json!({"kind": "login"}))
}

/// `cargo logout`: removes a token `cargo login` stored; a credential of
/// tokvault's own is never deleted by cargo.
fn logout(ctx: &Context, name: &str) -> Result<Value> {
    let mut vault = Vault::open_if_exists(ctx)?.ok_or_else(|| error::not_found("no vault"))?;
    vault.update(ctx.user(), name, |tx, current| {
        let Some((meta, _)) = current else {
            return Err(error::not_found(format!("no credential '{name}'")));
        };
        if meta.provider != PROVIDER {
            return Err(error::usage(format!(
                "{} was not stored by cargo login; remove it with `tokvault delete {name}`",
                meta.describe()
            )));
        }
        tx.delete(ctx.user(), name).map(|_| ())
    })?;
    Ok(json!({"kind": "logout"}))
}
