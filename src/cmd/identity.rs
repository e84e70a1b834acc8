//! `store --type github-app` and `store --type google-service-account`:
//! a credential that keeps a private key and mints its tokens with it. The
//! key is checked here and sealed in the vault (never left as a path to a
//! file that may move); the first `get` mints the first token.

use super::Vault;
use crate::Context;
use crate::cli::{IdentityArgs, StoreArgs, StoreType};
use crate::error;
use crate::input;
use crate::jws::{MAX_KEY_FILE, SigningKey};
use crate::mint::{GITHUB_API, Identity};
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::NewCredential;
use anyhow::Result;
use serde::Deserialize;
use serde_json::{Map, Value};

const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

pub fn store(args: &StoreArgs, kind: StoreType, ctx: &Context) -> Result<()> {
    if let Some(flag) = token_flag(args) {
        return Err(error::usage(format!(
            "{flag} does not go with --type {}: its tokens are minted, not given",
            type_name(kind)
        )));
    }
    let a = &args.identity;
    if let Some(flag) = a.first_not_for(Some(kind)) {
        let other = match kind {
            StoreType::GithubApp => StoreType::GoogleServiceAccount,
            _ => StoreType::GithubApp,
        };
        return Err(error::usage(format!(
            "{flag} is for --type {}",
            type_name(other)
        )));
    }
    let (identity, pem, scopes) = match kind {
        StoreType::GithubApp => github_app(a, ctx)?,
        StoreType::GoogleServiceAccount => service_account(a, args.scopes.as_deref())?,
        _ => unreachable!("only machine identities come here"),
    };
    let new = NewCredential {
        user: ctx.user().to_string(),
        integration: args.integration.clone(),
        provider: args
            .provider
            .clone()
            .unwrap_or_else(|| type_name(kind).into()),
        token_type: TokenType::Oauth2,
        scopes,
        expires_at: None,
        oauth2_client: None,
        client_credentials: false,
    };
    let data = TokenData {
        private_key: Some(pem),
        identity: Some(identity),
        ..TokenData::default()
    };
    super::save(args, ctx, Vault::open_if_exists(ctx)?, new, data)
}

fn type_name(kind: StoreType) -> &'static str {
    match kind {
        StoreType::GithubApp => "github-app",
        _ => "google-service-account",
    }
}

/// A flag that gives a token, which a machine identity mints instead.
fn token_flag(args: &StoreArgs) -> Option<&'static str> {
    [
        ("--secret", args.secret.is_some()),
        ("--secret-file", args.secret_file.is_some()),
        ("--from-json", args.from_json.is_some()),
        ("--refresh-token", args.refresh_token.is_some()),
        ("--expires-at", args.expires_at.is_some()),
        ("--expires-in", args.expires_in.is_some()),
        ("--oauth2", args.oauth2.is_some()),
    ]
    .into_iter()
    .find(|(_, given)| *given)
    .map(|(flag, _)| flag)
}

fn required<'a, T>(value: &'a Option<T>, flag: &str, kind: &str) -> Result<&'a T> {
    value
        .as_ref()
        .ok_or_else(|| error::usage(format!("--type {kind} needs {flag}")))
}

/// An identifier GitHub or Google issued: printable, short, no spaces.
fn check_id(value: &str, flag: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 256
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@+".contains(c));
    if ok {
        Ok(())
    } else {
        Err(error::usage(format!(
            "{flag}: '{}' is not an identifier",
            crate::text::excerpt(value)
        )))
    }
}

fn github_app(a: &IdentityArgs, ctx: &Context) -> Result<(Identity, Secret, Vec<String>)> {
    const KIND: &str = "github-app";
    let app_id = required(&a.app_id, "--app-id", KIND)?;
    check_id(app_id, "--app-id")?;
    let pem = match (&a.private_key_file, &a.private_key) {
        (Some(path), _) => Secret::new(crate::input::text_file(
            path,
            MAX_KEY_FILE,
            "--private-key-file",
        )?),
        (None, Some(dash)) if dash == "-" => input::stdin("--private-key")?,
        (None, Some(_)) => {
            return Err(error::usage(
                "--private-key takes `-` (stdin); a key on the command line would be visible to \
                 other processes",
            ));
        }
        (None, None) => {
            return Err(error::usage(
                "--type github-app needs --private-key-file FILE (or --private-key - for stdin)",
            ));
        }
    };
    let key = SigningKey::from_pem(&pem, None)
        .map_err(|why| error::usage(format!("the private key is {why}")))?;
    if key.alg() != crate::jws::Alg::RS256 {
        return Err(error::usage(
            "the private key is not an RSA key; GitHub Apps sign with RSA",
        ));
    }
    let api_url = a
        .api_url
        .as_deref()
        .unwrap_or(GITHUB_API)
        .trim_end_matches('/')
        .to_string();
    crate::http::check_url(&api_url)?;
    let repositories = a.repositories.clone().unwrap_or_default();
    for repo in &repositories {
        check_id(repo, "--repositories")?;
    }
    let permissions = permissions(a.permissions.as_deref().unwrap_or_default())?;
    let installation_id = match (a.installation_id, &a.owner) {
        (Some(id), _) => id,
        (None, Some(owner)) => {
            check_id(owner, "--owner")?;
            crate::mint::github_installation(&ctx.http(), &api_url, app_id, &key, owner, ctx.now)?
        }
        (None, None) => {
            return Err(error::usage(
                "--type github-app needs --installation-id ID or --owner LOGIN",
            ));
        }
    };
    let identity = Identity::GithubApp {
        app_id: app_id.clone(),
        installation_id,
        api_url,
        repositories,
        permissions,
    };
    Ok((identity, pem, Vec::new()))
}

/// `contents=read,issues=write` as GitHub's permissions object.
fn permissions(specs: &[String]) -> Result<Map<String, Value>> {
    let mut map = Map::new();
    for spec in specs {
        let parsed = spec.split_once('=').filter(|(name, level)| {
            !name.is_empty()
                && name.len() <= 64
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && ["read", "write", "admin"].contains(level)
        });
        let Some((name, level)) = parsed else {
            return Err(error::usage(format!(
                "--permissions: '{}' is not NAME=read|write|admin",
                crate::text::excerpt(spec)
            )));
        };
        map.insert(name.into(), level.into());
    }
    Ok(map)
}

/// Google's JSON key file, the fields tokvault uses.
#[derive(Deserialize)]
struct KeyFile {
    #[serde(rename = "type")]
    kind: Option<String>,
    client_email: Option<String>,
    private_key: Option<Secret>,
    private_key_id: Option<String>,
    token_uri: Option<String>,
}

fn service_account(
    a: &IdentityArgs,
    scopes: Option<&[String]>,
) -> Result<(Identity, Secret, Vec<String>)> {
    const KIND: &str = "google-service-account";
    let path = required(&a.service_account_file, "--service-account-file", KIND)?;
    let text = Secret::new(crate::input::text_file(
        path,
        MAX_KEY_FILE,
        "--service-account-file",
    )?);
    let what = |why: &str| error::usage(format!("{}: {why}", path.display()));
    let file: KeyFile = serde_json::from_str(text.expose()).map_err(|e| {
        what(&format!(
            "not a service account key file ({})",
            crate::token::json_error(&e)
        ))
    })?;
    if file.kind.as_deref() != Some("service_account") {
        return Err(what(
            "not a service account key file (its \"type\" is not \"service_account\")",
        ));
    }
    let client_email = file.client_email.ok_or_else(|| what("no client_email"))?;
    check_id(&client_email, "client_email")?;
    let pem = file.private_key.ok_or_else(|| what("no private_key"))?;
    let key = SigningKey::from_pem(&pem, None)
        .map_err(|why| what(&format!("the private key is {why}")))?;
    if key.alg() != crate::jws::Alg::RS256 {
        return Err(what("the private key is not an RSA key"));
    }
    if let Some(kid) = &file.private_key_id {
        check_id(kid, "private_key_id")?;
    }
    let token_uri = file.token_uri.unwrap_or_else(|| GOOGLE_TOKEN_URI.into());
    crate::http::check_url(&token_uri)?;
    let scopes: Vec<String> = scopes
        .unwrap_or_default()
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    if scopes.is_empty() && a.audience.is_none() {
        return Err(error::usage(
            "--type google-service-account needs --scopes (access tokens) or --audience (ID tokens)",
        ));
    }
    if let Some(subject) = &a.subject {
        check_id(subject, "--subject")?;
    }
    if let Some(aud) = &a.audience
        && (aud.is_empty()
            || aud.len() > 1024
            || aud.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return Err(error::usage(
            "--audience: not an audience (a URL or client id)",
        ));
    }
    let identity = Identity::GoogleServiceAccount {
        client_email,
        private_key_id: file.private_key_id,
        token_uri,
        scopes: scopes.clone(),
        subject: a.subject.clone(),
        audience: a.audience.clone(),
    };
    Ok((identity, pem, scopes))
}
