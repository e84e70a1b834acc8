//! `tokvault docker-credential` (run as `docker-credential-tokvault`): the
//! docker-credential-helpers protocol. Each action reads stdin and speaks
//! only the protocol on stdout; "not found" is the exact line docker
//! recognises, with exit code 1.

use super::Vault;
use crate::Context;
use crate::cli::{DockerCredentialAction, DockerCredentialArgs, DockerMapArgs};
use crate::error::{self, Error};
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::{CredentialMeta, NewCredential, Route, RouteKind};
use anyhow::Result;
use serde::Deserialize;
use std::io::Read;

/// What docker-credential-helpers' clients match on.
const NOT_FOUND: &str = "credentials not found in native keychain";

/// A server URL or a credential is a line or a small JSON object.
const MAX_INPUT: u64 = 64 << 10;

pub fn run(args: &DockerCredentialArgs, ctx: &Context) -> Result<()> {
    match &args.action {
        DockerCredentialAction::Get => get(ctx),
        DockerCredentialAction::Store => store(ctx),
        DockerCredentialAction::Erase => erase(ctx),
        DockerCredentialAction::List => list(ctx),
        DockerCredentialAction::Version => {
            println!("docker-credential-tokvault {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        DockerCredentialAction::Map(a) => map(a, ctx),
    }
}

fn read_input() -> Result<Secret> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(error::usage("docker sent more than 64 KiB"));
    }
    let text = String::from_utf8(bytes).map_err(|_| error::usage("docker's input is not UTF-8"))?;
    Ok(Secret::new(text.trim()))
}

/// The registry named on stdin: one line, printable.
fn read_server() -> Result<String> {
    let server = read_input()?.expose().to_string();
    if server.is_empty() || server.len() > 1024 || server.chars().any(crate::text::is_unsafe) {
        return Err(error::usage("docker sent no usable server URL"));
    }
    Ok(server)
}

/// The name `docker login` stores a registry's credential under, never
/// shortened: two registries must not share one credential (a
/// registry too long for a name is refused by the route's check).
fn stored_name(server: &str) -> String {
    format!("docker:{server}")
}

fn not_found() -> Result<()> {
    println!("{NOT_FOUND}");
    Err(Error::Exit(1).into())
}

fn get(ctx: &Context) -> Result<()> {
    let server = read_server()?;
    let freshness = Freshness {
        min_valid: 60,
        ..Freshness::default()
    };
    let Some(mut resolver) = Resolver::open_if_exists(ctx, freshness)? else {
        return not_found();
    };
    let Some(route) = resolver.route(RouteKind::Docker, &server)? else {
        return not_found();
    };
    resolver.set_namespace(&route.user);
    let fresh = match resolver.credential(&route.credential, true) {
        // Deleted behind the route's back (a vault from before deletes took
        // routes with them): docker moves on to its next source.
        Err(e) if crate::error::exit_code(&e) == crate::error::code::NOT_FOUND => {
            return not_found();
        }
        other => other?,
    };
    let secret = resolver.value(&fresh, None)?;
    ctx.mask().register(&secret);
    // docker's convention: "<token>" marks an identity token.
    let username = if fresh.meta.token_type == TokenType::Oauth2 {
        "<token>".to_string()
    } else {
        fresh
            .data
            .extra
            .get("username")
            .and_then(|u| u.as_str())
            .unwrap_or(&route.username)
            .to_string()
    };
    let body = serde_json::json!({
        "ServerURL": server,
        "Username": username,
        "Secret": secret.expose(),
    });
    crate::output::raw(&Secret::new(format!("{body}\n")))
}

#[derive(Deserialize)]
struct Login {
    #[serde(rename = "ServerURL")]
    server: String,
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: Secret,
}

/// `docker login`: kept as `docker:REGISTRY`, with a route to it. A
/// registry mapped to a credential of tokvault's own keeps that mapping.
fn store(ctx: &Context) -> Result<()> {
    let input = read_input()?;
    let login: Login = serde_json::from_str(input.expose()).map_err(|e| {
        error::usage(format!(
            "docker sent no credential ({})",
            crate::token::json_error(&e)
        ))
    })?;
    if login.secret.is_empty() {
        return Err(error::usage("docker sent an empty secret"));
    }
    let kept = Route {
        kind: RouteKind::Docker,
        pattern: login.server.clone(),
        user: ctx.user().to_string(),
        credential: stored_name(&login.server),
        username: login.username.clone(),
    };
    kept.check().map_err(error::usage)?;
    let mut vault = Vault::open_or_create(ctx)?;
    let name = &kept.credential;
    // Checked in the writing transaction: what another process maps or
    // stores meanwhile is seen.
    let not_kept = vault.update(ctx.user(), name, |tx, current| {
        let sealer = tx.sealer()?;
        if let Some(route) = tx.route(sealer, RouteKind::Docker, &login.server)?
            && route.credential != *name
        {
            return Ok(Some(format!(
                "{} is answered by credential '{}'",
                login.server, route.credential
            )));
        }
        if let Some((meta, _)) = current
            && !made_by_login(&meta)
        {
            return Ok(Some(format!(
                "{} was not stored by docker login",
                meta.describe()
            )));
        }
        let mut data = TokenData {
            api_key: Some(login.secret.clone()),
            ..TokenData::default()
        };
        data.extra
            .insert("username".into(), login.username.clone().into());
        let new = NewCredential {
            user: ctx.user().to_string(),
            integration: name.clone(),
            provider: PROVIDER.into(),
            token_type: TokenType::ApiKey,
            scopes: Vec::new(),
            expires_at: None,
            oauth2_client: None,
            client_credentials: false,
        };
        tx.put(sealer, &new, &data, ctx.now)?;
        tx.put_route(sealer, &kept)?;
        Ok(None)
    })?;
    if let Some(why) = not_kept {
        eprintln!("tokvault: {why}; the login was not kept");
    }
    Ok(())
}

/// The provider of what `docker login` stores.
const PROVIDER: &str = "docker";

/// Whether `docker login` made this credential: only that may `docker
/// login` overwrite and `docker logout` delete. A token of tokvault's own
/// (one it refreshes) is never lost to them.
fn made_by_login(meta: &CredentialMeta) -> bool {
    meta.provider == PROVIDER && meta.token_type == TokenType::ApiKey
}

/// `docker logout`: the route goes; a credential `docker login` made goes
/// with it, one of tokvault's own stays.
fn erase(ctx: &Context) -> Result<()> {
    let server = read_server()?;
    let Some(mut vault) = Vault::open_if_exists(ctx)? else {
        return not_found();
    };
    // A vault that never held a secret has no routes, and gets no key here.
    if !vault.read().has_key()? {
        return not_found();
    }
    // The route names the credential whose lock the change takes; read
    // again under it, in case another process changed the route meanwhile.
    let sealer = vault.read_sealer()?;
    let Some(seen) = vault.read().route(&sealer, RouteKind::Docker, &server)? else {
        return not_found();
    };
    let found = vault.update(&seen.user, &seen.credential, |tx, _| {
        let Some(route) = tx.route(&sealer, RouteKind::Docker, &server)? else {
            return Ok(false);
        };
        tx.remove_route(RouteKind::Docker, &server)?;
        let login_made = tx
            .credential(&route.user, &route.credential)?
            .is_some_and(|(meta, _)| made_by_login(&meta));
        if route.credential == stored_name(&server) && login_made {
            tx.delete(&route.user, &route.credential)?;
        }
        Ok(true)
    })?;
    if !found {
        return not_found();
    }
    Ok(())
}

fn list(ctx: &Context) -> Result<()> {
    let routes = match Vault::open_if_exists(ctx)? {
        Some(vault) => vault.read().routes(RouteKind::Docker)?,
        None => Vec::new(),
    };
    let map: serde_json::Map<String, serde_json::Value> = routes
        .into_iter()
        .map(|r| (r.pattern, r.username.into()))
        .collect();
    crate::output::raw(&Secret::new(format!(
        "{}\n",
        serde_json::Value::Object(map)
    )))
}

fn map(args: &DockerMapArgs, ctx: &Context) -> Result<()> {
    let server = args.registry.trim();
    let route = Route {
        kind: RouteKind::Docker,
        pattern: server.to_string(),
        user: ctx.user().to_string(),
        credential: args.name.clone(),
        username: args.username.clone(),
    };
    route.check().map_err(error::usage)?;
    let mut vault = Vault::open(ctx, &format!("credential '{}'", args.name))?;
    vault.credential(ctx.user(), &args.name)?;
    vault.write(|tx| tx.put_route(tx.sealer()?, &route))?;
    eprintln!(
        "tokvault: docker-credential answers for {server} with credential '{}'",
        args.name
    );
    Ok(())
}
