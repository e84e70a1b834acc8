//! `tokvault git-credential`: git's credential helper protocol
//! (git-credential(1)). git asks whenever it needs a credential, so a token
//! that expires between two fetches is refreshed for the second one, with
//! the same single-flight refresh as `get`.

use super::Vault;
use crate::Context;
use crate::audit::{Access, Outcome};
use crate::cli::{GitCredentialAction, GitCredentialArgs, GitMapArgs, GitUnmapArgs};
use crate::error;
use crate::gitstore::{self, Entry, Want};
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::{CredentialMeta, NewCredential, Route, RouteKind};
use anyhow::Result;
use std::collections::HashMap;
use std::io::{Read, Write};

pub fn run(args: &GitCredentialArgs, ctx: &Context) -> Result<()> {
    match &args.action {
        GitCredentialAction::Get => get(ctx),
        GitCredentialAction::Store => store(ctx, args.accept_store),
        GitCredentialAction::Erase => erase(ctx),
        GitCredentialAction::Map(a) => map(a, ctx),
        GitCredentialAction::Unmap(a) => unmap(a, ctx),
        GitCredentialAction::List => list(ctx),
    }
}

/// What git sends: `key=value` lines up to a blank line.
struct Request {
    protocol: String,
    host: String,
    path: Option<String>,
    username: Option<String>,
    password: Option<Secret>,
    /// A pre-encoded credential (`authtype` capability), as `erase` gets it.
    credential: Option<Secret>,
    capabilities: Vec<String>,
    password_expiry_utc: Option<i64>,
    oauth_refresh_token: Option<Secret>,
}

/// git limits a line to 64 KiB; a request is a few lines.
const MAX_REQUEST: u64 = 1 << 20;

fn read_request() -> Result<Request> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_REQUEST + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_REQUEST {
        return Err(error::usage(
            "git sent more than 1 MiB of credential attributes",
        ));
    }
    let text = Secret::new(
        String::from_utf8(bytes)
            .map_err(|_| error::usage("git's credential request is not UTF-8"))?,
    );
    Ok(parse_request(text.expose()))
}

/// git-credential(1)'s format: `key=value` lines up to a blank line; lines
/// without `=` and keys tokvault has no use for are ignored.
fn parse_request(text: &str) -> Request {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut capabilities = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key == "capability[]" {
            capabilities.push(value.to_string());
        } else {
            fields.insert(key.to_string(), value.to_string());
        }
    }
    let host = fields.remove("host").unwrap_or_default();
    Request {
        protocol: fields.remove("protocol").unwrap_or_default(),
        path: fields.remove("path").filter(|p| !p.is_empty()),
        username: fields.remove("username"),
        password: fields.remove("password").map(Secret::new),
        credential: fields.remove("credential").map(Secret::new),
        password_expiry_utc: fields
            .remove("password_expiry_utc")
            .and_then(|t| t.parse().ok())
            .filter(|t| (0..=crate::time::MAX_EXPIRY).contains(t)),
        oauth_refresh_token: fields
            .remove("oauth_refresh_token")
            .filter(|t| !t.is_empty())
            .map(Secret::new),
        capabilities,
        host,
    }
}

impl Request {
    /// Patterns a route may have for this request, most specific first:
    /// the path as git sends it, without the `.git` GitLab and others show
    /// in clone URLs, each parent directory (a route for a group covers
    /// its repositories), then the host.
    fn patterns(&self) -> Vec<String> {
        let mut patterns: Vec<String> = Vec::new();
        if let Some(path) = &self.path {
            let path = path.trim_end_matches('/');
            let mut add = |p: &str| {
                let pattern = format!("{}/{p}", self.host);
                if !p.is_empty() && !patterns.contains(&pattern) {
                    patterns.push(pattern);
                }
            };
            add(path);
            let mut rest = path.strip_suffix(".git").unwrap_or(path);
            add(rest);
            while let Some((parent, _)) = rest.rsplit_once('/') {
                add(parent);
                rest = parent;
            }
        }
        patterns.push(self.host.clone());
        patterns
    }

    /// The request as git-credential-store matches entries with it.
    fn want<'a>(&'a self, password: Option<&'a Secret>) -> Want<'a> {
        Want {
            protocol: &self.protocol,
            host: &self.host,
            path: self.path.as_deref(),
            username: self.username.as_deref(),
            password,
        }
    }

    /// The entry git asks to store.
    fn entry(&self) -> Entry {
        Entry {
            protocol: self.protocol.clone(),
            host: self.host.clone(),
            path: self.path.clone(),
            username: self.username.clone(),
        }
    }

    /// Tokens go over https, or http to this machine only.
    fn may_receive_a_token(&self) -> bool {
        let host = self
            .host
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(self.host.as_str(), |(h, _)| h);
        match self.protocol.as_str() {
            "https" => true,
            "http" => crate::http::is_loopback(host),
            _ => false,
        }
    }
}

fn route_for(ctx: &Context, req: &Request) -> Result<Option<Route>> {
    match Vault::open_if_exists(ctx)? {
        Some(vault) => route_in(&vault, req),
        None => Ok(None),
    }
}

/// The most specific route in `vault` for the request's host and path.
fn route_in(vault: &Vault, req: &Request) -> Result<Option<Route>> {
    if req.host.is_empty() {
        return Ok(None);
    }
    let sealer = vault.read_sealer()?;
    let tx = vault.read();
    for pattern in req.patterns() {
        if let Some(route) = tx.route(&sealer, RouteKind::Git, &pattern)? {
            return Ok(Some(route));
        }
    }
    Ok(None)
}

/// A valid token for the host, or nothing (git then asks the next helper).
fn get(ctx: &Context) -> Result<()> {
    let req = read_request()?;
    if req.host.is_empty() {
        return Ok(());
    }
    // Valid for at least a minute: a clone may take that long to start
    // using it.
    let freshness = Freshness {
        min_valid: 60,
        ..Freshness::default()
    };
    // Tokens go only over https (or http on loopback); git asks the next
    // helper, or the user, without a word from tokvault.
    if !req.may_receive_a_token() {
        return Ok(());
    }
    let Some(mut resolver) = Resolver::open_if_exists(ctx, freshness)? else {
        return Ok(());
    };
    let mut found = None;
    for pattern in req.patterns() {
        found = resolver.route(RouteKind::Git, &pattern)?;
        if found.is_some() {
            break;
        }
    }
    // What tokvault maps answers first; then what git stored.
    let Some(route) = found else {
        let stored = resolver.reading(|vault, sealer| {
            stored_entries(&vault.read(), sealer, ctx.user(), &req.want(None))
        })?;
        return match stored.into_iter().find(|s| !s.meta.is_expired_at(ctx.now)) {
            Some(s) => {
                resolver.record(&Access::to(
                    "git",
                    &s.meta.user,
                    &s.meta.integration,
                    Outcome::Served,
                ))?;
                crate::output::raw(&s.answer())
            }
            None => Ok(()),
        };
    };
    resolver.set_namespace(&route.user);
    let fresh = resolver.credential(&route.credential, true)?;
    let token = resolver.value(&fresh, None)?;
    ctx.mask().register(&token);
    if token.expose().contains(['\n', '\r', '\0']) {
        return Err(error::usage(format!(
            "credential '{}' holds a line break, which git's protocol cannot carry",
            route.credential
        )));
    }
    let bearer = req.capabilities.iter().any(|c| c == "authtype")
        && fresh.meta.token_type == TokenType::Oauth2;
    let answer = if bearer {
        // git 2.46+: sent as `Authorization: Bearer`, never stored by
        // other helpers (ephemeral).
        Secret::new(format!(
            "capability[]=authtype\nauthtype=Bearer\ncredential={}\nephemeral=1\n",
            token.expose()
        ))
    } else {
        let expiry = fresh
            .meta
            .expires_at
            .map_or(String::new(), |t| format!("password_expiry_utc={t}\n"));
        Secret::new(format!(
            "username={}\npassword={}\n{expiry}",
            route.username,
            token.expose()
        ))
    };
    crate::output::raw(&answer)
}

/// After a 401: the token git was refused with is marked stale (its expiry
/// set to now), so the next `get` refreshes it. The credential itself is
/// never deleted, and a token that was already replaced is left alone.
fn erase(ctx: &Context) -> Result<()> {
    let req = read_request()?;
    let Some(mut vault) = Vault::open_if_exists(ctx)? else {
        return Ok(());
    };
    if req.host.is_empty() {
        return Ok(());
    }
    // The entries git stored that match, and only those: with a password,
    // only where it is still the one refused (git-credential-store's rule).
    let want = req.want(req.password.as_ref());
    if let Ok(sealer) = vault.read_sealer() {
        for seen in stored_entries(&vault.read(), &sealer, ctx.user(), &want)? {
            // Read again under its lock: gone, or stored anew meanwhile
            // with another password, it stays.
            vault.update(&seen.meta.user, &seen.meta.integration, |tx, current| {
                let Some((meta, sealed)) = current else {
                    return Ok(());
                };
                let data = tx.unseal(&sealer, &meta, &sealed)?;
                if Entry::of(&data)
                    .is_some_and(|e| e.matches(&want, Some(&gitstore::password(&data))))
                {
                    tx.delete(&meta.user, &meta.integration)?;
                }
                Ok(())
            })?;
        }
    }
    let Some(route) = route_in(&vault, &req)? else {
        return Ok(());
    };
    let Some(refused) = req.password.or(req.credential) else {
        return Ok(());
    };
    vault.credential(&route.user, &route.credential)?;
    vault.update(&route.user, &route.credential, |tx, current| {
        let Some((meta, sealed)) = current else {
            return Ok(());
        };
        let sealer = tx.sealer()?;
        let data = tx.unseal(sealer, &meta, &sealed)?;
        if crate::refresh::renewable(&meta, &data)
            && data.primary(meta.token_type) == Some(&refused)
        {
            let mut stale = meta.to_new();
            stale.expires_at = Some(ctx.now);
            tx.reput(sealer, &stale, &data, ctx.now)?;
        }
        Ok(())
    })
}

/// Another helper's credential, kept only when asked to (--accept-store):
/// into the mapped credential (unless tokvault renews that one itself), or
/// as an entry of its own, as git-credential-store keeps one (see
/// `gitstore`).
fn store(ctx: &Context, accept: bool) -> Result<()> {
    let req = read_request()?;
    if !accept {
        return Ok(());
    }
    let Some(password) = req.password.clone() else {
        return Ok(());
    };
    if req.host.is_empty() || !req.may_receive_a_token() {
        return Ok(());
    }
    match route_for(ctx, &req)? {
        Some(route) => store_mapped(ctx, &req, &route, &password),
        None => store_entry(ctx, &req, &password),
    }
}

/// Into the credential a route names: never one tokvault renews itself.
fn store_mapped(ctx: &Context, req: &Request, route: &Route, password: &Secret) -> Result<()> {
    route.check().map_err(error::usage)?;
    let mut vault = Vault::open_or_create(ctx)?;
    vault.update(&route.user, &route.credential, |tx, current| {
        let Some((meta, sealed)) = current else {
            return Ok(());
        };
        let sealer = tx.sealer()?;
        let mut data = tx.unseal(sealer, &meta, &sealed)?;
        // git echoes every answer back to each helper, tokvault's own
        // included, and older gits without its expiry: a token tokvault
        // renews is never overwritten by that (nor rolled back past a
        // sibling's refresh), and the same token again changes nothing.
        if crate::refresh::renewable(&meta, &data)
            || data.primary(meta.token_type) == Some(password)
        {
            return Ok(());
        }
        let mut new = meta.to_new();
        match new.token_type {
            TokenType::ApiKey => data.api_key = Some(password.clone()),
            TokenType::Oauth2 | TokenType::Jwt => data.access_token = Some(password.clone()),
        }
        // A JWT says when it expires; git may not.
        new.expires_at = req.password_expiry_utc.or_else(|| match new.token_type {
            TokenType::Jwt => crate::token::jwt_exp(password.expose()).ok().flatten(),
            _ => None,
        });
        tx.put(sealer, &new, &data, ctx.now).map(|_| ())
    })
}

/// An entry of git's own: one per protocol, host, path and username.
fn store_entry(ctx: &Context, req: &Request, password: &Secret) -> Result<()> {
    let entry = req.entry();
    entry.check().map_err(error::usage)?;
    let name = entry.name();
    let mut data = TokenData::default();
    if !password.is_empty() {
        data.api_key = Some(password.clone());
    }
    entry.put_into(&mut data);
    if let Some(rt) = &req.oauth_refresh_token {
        data.extra
            .insert("oauth_refresh_token".into(), rt.expose().into());
    }
    let new = NewCredential {
        user: ctx.user().to_string(),
        integration: name.clone(),
        provider: gitstore::PROVIDER.into(),
        token_type: TokenType::ApiKey,
        scopes: Vec::new(),
        expires_at: req.password_expiry_utc,
        oauth2_client: None,
        client_credentials: false,
    };
    new.check(&data).map_err(error::usage)?;
    let mut vault = Vault::open_or_create(ctx)?;
    vault.update(ctx.user(), &name, |tx, current| {
        let sealer = tx.sealer()?;
        // A credential of that name that git did not store stays as it is.
        if let Some((meta, sealed)) = current
            && Entry::of(&tx.unseal(sealer, &meta, &sealed)?).is_none()
        {
            return Ok(());
        }
        tx.put(sealer, &new, &data, ctx.now).map(|_| ())
    })
}

/// An entry git stored, opened.
struct Stored {
    meta: CredentialMeta,
    data: TokenData,
    entry: Entry,
}

impl Stored {
    /// The answer git reads back: what it stored.
    fn answer(&self) -> Secret {
        let mut text = String::new();
        if let Some(user) = &self.entry.username {
            text.push_str(&format!("username={user}\n"));
        }
        text.push_str(&format!(
            "password={}\n",
            gitstore::password(&self.data).expose()
        ));
        if let Some(t) = self.meta.expires_at {
            text.push_str(&format!("password_expiry_utc={t}\n"));
        }
        if let Some(rt) = gitstore::refresh_token(&self.data) {
            text.push_str(&format!("oauth_refresh_token={}\n", rt.expose()));
        }
        Secret::new(text)
    }
}

/// The entries of `user` that git stored and `want` matches, the most
/// recently stored first (as git-credential-store answers).
fn stored_entries(
    tx: &crate::vault::Tx<'_>,
    sealer: &crate::vault::Sealer,
    user: &str,
    want: &Want<'_>,
) -> Result<Vec<Stored>> {
    let mut found = Vec::new();
    for meta in tx.list(Some(user), Some(gitstore::PROVIDER))? {
        let Some((meta, sealed)) = tx.credential(user, &meta.integration)? else {
            continue;
        };
        let data = tx.unseal(sealer, &meta, &sealed)?;
        let Some(entry) = Entry::of(&data) else {
            continue;
        };
        if entry.matches(want, Some(&gitstore::password(&data))) {
            found.push(Stored { meta, data, entry });
        }
    }
    found.sort_by_key(|s| std::cmp::Reverse((s.meta.updated_at, s.meta.version)));
    Ok(found)
}

fn map(args: &GitMapArgs, ctx: &Context) -> Result<()> {
    let pattern = crate::vault::git_pattern(&args.host);
    let route = Route {
        kind: RouteKind::Git,
        username: args
            .username
            .clone()
            .unwrap_or_else(|| crate::vault::git_username(&pattern).to_string()),
        pattern,
        user: ctx.user().to_string(),
        credential: args.name.clone(),
    };
    route.check().map_err(error::usage)?;
    let mut vault = Vault::open(ctx, &format!("credential '{}'", args.name))?;
    vault.credential(ctx.user(), &args.name)?;
    vault.write(|tx| tx.put_route(tx.sealer()?, &route))?;
    eprintln!(
        "tokvault: git-credential answers for {} with credential '{}'",
        route.pattern, route.credential
    );
    Ok(())
}

fn unmap(args: &GitUnmapArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, "git route")?;
    // As `list` shows it first (a route an older tokvault kept with its
    // `.git`), then as `map` keeps it now.
    let exact = args.host.trim_end_matches('/');
    let normal = crate::vault::git_pattern(&args.host);
    let pattern = if vault.write(|tx| tx.remove_route(RouteKind::Git, exact))? {
        Some(exact)
    } else if normal != exact && vault.write(|tx| tx.remove_route(RouteKind::Git, &normal))? {
        Some(normal.as_str())
    } else {
        None
    };
    let Some(pattern) = pattern else {
        return Err(error::not_found(format!(
            "no git route for '{}' (see `tokvault git-credential list`)",
            crate::text::excerpt(exact)
        )));
    };
    eprintln!("tokvault: git-credential no longer answers for {pattern}");
    Ok(())
}

fn list(ctx: &Context) -> Result<()> {
    let routes = match super::open_for_listing(ctx)? {
        Some(vault) => vault.read().routes(RouteKind::Git)?,
        None => Vec::new(),
    };
    let rows = routes
        .into_iter()
        .map(|r| vec![r.pattern, r.credential, r.username, r.user])
        .collect();
    crate::output::table(&["HOST", "CREDENTIAL", "USERNAME", "USER"], rows)?;
    let _ = std::io::stdout().flush();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_repository_is_found_with_and_without_git_and_by_its_group() {
        let req = parse_request("protocol=https\nhost=gitlab.com\npath=group/sub/repo.git\n");
        assert_eq!(
            req.patterns(),
            [
                "gitlab.com/group/sub/repo.git",
                "gitlab.com/group/sub/repo",
                "gitlab.com/group/sub",
                "gitlab.com/group",
                "gitlab.com"
            ]
        );
        let req = parse_request("protocol=https\nhost=h\npath=repo\n");
        assert_eq!(req.patterns(), ["h/repo", "h"]);
        assert_eq!(
            crate::vault::git_pattern("gitlab.com/group/repo.git/"),
            "gitlab.com/group/repo"
        );
        assert_eq!(crate::vault::git_pattern("example.git"), "example.git");
        assert_eq!(crate::vault::git_username("gitlab.com/group"), "oauth2");
        assert_eq!(
            crate::vault::git_username("GitLab.example.org:8443"),
            "oauth2"
        );
        assert_eq!(crate::vault::git_username("bitbucket.org"), "x-token-auth");
        assert_eq!(crate::vault::git_username("github.com"), "x-access-token");
    }

    proptest! {
        #[test]
        fn any_request_parses(text in "(?s).{0,400}") {
            let req = parse_request(&text);
            prop_assert!(req.patterns().last() == Some(&req.host));
        }

        #[test]
        fn fields_read_back(
            host in "[a-z0-9.:-]{1,40}",
            path in proptest::option::of("[a-z0-9/]{1,40}"),
            password in "[^\r\n]{0,60}",
            expiry in any::<i64>(),
            noise in "[a-z_]{1,10}=[^\r\n]{0,20}",
        ) {
            // Later lines win: the noise comes first, and what follows a
            // blank line is not read.
            let text = format!(
                "{noise}\nprotocol=https\nhost={host}\npassword={password}\npath={}\n\
                 password_expiry_utc={expiry}\n\nhost=after.blank\n",
                path.as_deref().unwrap_or_default()
            );
            let req = parse_request(&text);
            prop_assert_eq!(&req.protocol, "https");
            prop_assert_eq!(&req.host, &host);
            prop_assert_eq!(req.password.as_ref().map(|p| p.expose().to_string()), Some(password));
            prop_assert_eq!(req.path, path);
            let in_range = (0..=crate::time::MAX_EXPIRY).contains(&expiry);
            prop_assert_eq!(req.password_expiry_utc, in_range.then_some(expiry));
        }
    }
}
