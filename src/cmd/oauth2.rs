use super::{Vault, find_client};
use crate::Context;
use crate::cli::{AuthorizeUrlArgs, Oauth2AddArgs, Oauth2Command, Oauth2RemoveArgs};
use crate::error;
use crate::http;
use crate::input;
use crate::oauth::{AuthMethod, discovery, pkce};
use crate::output;
use crate::providers::{self, TENANT};
use crate::secret::Secret;
use crate::vault::{Client, ClientSecrets, client_not_found};
use anyhow::Result;
use serde::Serialize;

/// How long `authorize-url` keeps a PKCE verifier.
const PENDING_SECONDS: i64 = 600;

pub fn run(command: &Oauth2Command, ctx: &Context) -> Result<()> {
    match command {
        Oauth2Command::Add(args) => add(args, ctx),
        Oauth2Command::List(args) => {
            let clients = match super::open_for_listing(ctx)? {
                Some(vault) => vault.read().clients()?,
                None => Vec::new(),
            };
            if args.json {
                return output::json(&clients.iter().map(ClientJson::from).collect::<Vec<_>>());
            }
            let rows = clients
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        c.id.to_string(),
                        c.provider.clone().unwrap_or_default(),
                        c.token_url.clone(),
                        c.auth_method.as_str().to_string(),
                        c.client_id.clone(),
                        c.scopes.join(" "),
                    ]
                })
                .collect();
            output::table(
                &[
                    "NAME",
                    "ID",
                    "PROVIDER",
                    "TOKEN URL",
                    "AUTH METHOD",
                    "CLIENT ID",
                    "SCOPES",
                ],
                rows,
            )
        }
        Oauth2Command::Show(args) => {
            let vault = Vault::open_if_exists(ctx)?.ok_or_else(|| client_not_found(&args.name))?;
            let (client, _) = vault
                .read()
                .client(&args.name)?
                .ok_or_else(|| client_not_found(&args.name))?;
            output::json(&ClientJson::from(&client))
        }
        Oauth2Command::Remove(args) => remove(args, ctx),
        Oauth2Command::AuthorizeUrl(args) => authorize_url(args, ctx),
    }
}

/// A client as scripts see it; the secret never appears.
#[derive(Serialize)]
struct ClientJson<'a> {
    id: i64,
    name: &'a str,
    provider: Option<&'a str>,
    token_url: &'a str,
    auth_url: Option<&'a str>,
    device_url: Option<&'a str>,
    client_id: &'a str,
    auth_method: &'static str,
    redirect_uri: Option<&'a str>,
    scopes: &'a [String],
    issuer: Option<&'a str>,
    created_at: String,
    updated_at: String,
}

impl<'a> From<&'a Client> for ClientJson<'a> {
    fn from(c: &'a Client) -> Self {
        ClientJson {
            id: c.id,
            name: &c.name,
            provider: c.provider.as_deref(),
            token_url: &c.token_url,
            auth_url: c.auth_url.as_deref(),
            device_url: c.device_url.as_deref(),
            client_id: &c.client_id,
            auth_method: c.auth_method.as_str(),
            redirect_uri: c.redirect_uri.as_deref(),
            scopes: &c.scopes,
            issuer: c.issuer.as_deref(),
            created_at: crate::time::timestamp(c.created_at),
            updated_at: crate::time::timestamp(c.updated_at),
        }
    }
}

fn add(args: &Oauth2AddArgs, ctx: &Context) -> Result<()> {
    let preset = match &args.provider {
        Some(name) => {
            let p = providers::find(name).ok_or_else(|| {
                error::usage(format!(
                    "unknown provider '{name}'; known providers: {}",
                    providers::names()
                ))
            })?;
            if p.api_key_only {
                return Err(error::usage(format!(
                    "{name} issues API keys only; it has no OAuth2 endpoints (store the key with `tokvault store {name} --secret -`)"
                )));
            }
            Some(p)
        }
        None => None,
    };
    let discovered = match &args.issuer {
        Some(issuer) => Some(discovery::discover(&ctx.http(), issuer)?),
        None => None,
    };
    let Settings {
        token_url,
        auth_url,
        device_url,
        scopes,
    } = settings(args, preset, discovered.as_ref());
    let token_url = token_url.ok_or_else(|| {
        error::usage("no token endpoint: pass --provider, --issuer or --token-url")
    })?;
    // Secrets go to these two; refuse before anything is stored.
    for url in std::iter::once(&token_url).chain(device_url.as_ref()) {
        http::check_url(url)?;
    }
    // No secret and no --auth-method: ask on a terminal rather than quietly
    // make a public client; without one, say which flag decides.
    let private_key = match &args.private_key_file {
        Some(path) => Some(Secret::new(input::text_file(
            path,
            crate::jws::MAX_KEY_FILE,
            "--private-key-file",
        )?)),
        None => None,
    };
    let client_secret = match (args.client_secret.as_deref(), args.auth_method) {
        (Some(v), _) => Some(input::value_or_stdin(v, "--client-secret")?),
        (None, Some(_)) => None,
        (None, None) if private_key.is_some() => None,
        (None, None) => Some(ctx.prompt().secret(
            &format!("Client secret for '{}'", args.name),
            "no client secret was given",
            "pass --client-secret - to read it from stdin, or --auth-method none for a public client",
        )?),
    };
    let auth_method = match (args.auth_method, &client_secret) {
        (Some(m), _) => m,
        (None, None) if private_key.is_some() => AuthMethod::PrivateKeyJwt,
        (None, None) => AuthMethod::None,
        (None, Some(_)) => secret_auth_method(preset, discovered.as_ref()),
    };
    match (auth_method, &client_secret) {
        (AuthMethod::None, Some(_)) => {
            return Err(error::usage(
                "--auth-method none sends no secret; leave out --client-secret",
            ));
        }
        (AuthMethod::PrivateKeyJwt, Some(_)) => {
            return Err(error::usage(
                "--auth-method private_key_jwt signs with --private-key-file; leave out --client-secret",
            ));
        }
        (
            AuthMethod::ClientSecretBasic
            | AuthMethod::ClientSecretPost
            | AuthMethod::ClientSecretJwt,
            None,
        ) => {
            return Err(error::usage(format!(
                "--auth-method {} needs --client-secret (pass - to read it from stdin)",
                auth_method.as_str()
            )));
        }
        _ => {}
    }
    match (auth_method, &private_key) {
        (AuthMethod::PrivateKeyJwt, None) => {
            return Err(error::usage(
                "--auth-method private_key_jwt needs --private-key-file FILE",
            ));
        }
        (AuthMethod::PrivateKeyJwt, Some(pem)) => {
            crate::jws::SigningKey::from_pem(pem, args.alg)
                .map_err(|why| error::usage(format!("--private-key-file: the key is {why}")))?;
        }
        (_, Some(_)) => {
            return Err(error::usage(format!(
                "--private-key-file is for --auth-method private_key_jwt, not {}",
                auth_method.as_str()
            )));
        }
        (_, None) => {}
    }
    if let Some(kid) = &args.key_id
        && (kid.is_empty()
            || kid.len() > 256
            || kid.chars().any(|c| c.is_control() || c.is_whitespace()))
    {
        return Err(error::usage("--key-id: not a key id"));
    }
    let assertion_audience = match args.assertion_audience {
        crate::cli::AssertionAudience::TokenEndpoint => None,
        crate::cli::AssertionAudience::Issuer if discovered.is_none() => {
            return Err(error::usage(
                "--assertion-audience issuer needs --issuer: the issuer is what it names",
            ));
        }
        crate::cli::AssertionAudience::Issuer => Some("issuer".to_string()),
    };
    let secrets = ClientSecrets {
        client_secret,
        private_key,
        key_id: args.key_id.clone(),
        alg: args.alg.map(|a| a.as_str().to_string()),
        assertion_audience,
    };
    let client = Client {
        id: 0,
        name: args.name.clone(),
        provider: preset.map(|p| p.name.to_string()),
        token_url,
        auth_url,
        device_url,
        client_id: args.client_id.clone(),
        auth_method,
        redirect_uri: args.redirect_uri.clone(),
        scopes,
        created_at: 0,
        updated_at: 0,
        version: 0,
        issuer: discovered.as_ref().map(|d| d.issuer.clone()),
        iss_required: discovered
            .as_ref()
            .is_some_and(|d| d.authorization_response_iss_parameter_supported),
        revocation_url: args.revocation_url.clone().or_else(|| {
            discovered
                .as_ref()
                .and_then(|d| d.revocation_endpoint.clone())
        }),
        secret_expires_at: args.secret_expires_at,
    };
    let mut vault = Vault::open_or_create(ctx)?;
    let stored = vault.write(|tx| tx.put_client(tx.sealer()?, &client, &secrets, ctx.now))?;
    if args.json {
        return output::json(&ClientJson::from(&stored));
    }
    eprintln!(
        "tokvault: saved OAuth2 client '{}' (id {}, {}, token endpoint {})",
        stored.name,
        stored.id,
        stored.auth_method.as_str(),
        stored.token_url
    );
    Ok(())
}

/// Where a client's endpoints are and what it asks for: a flag wins, then
/// what discovery found, then the preset's.
#[derive(Debug, PartialEq)]
struct Settings {
    token_url: Option<String>,
    auth_url: Option<String>,
    device_url: Option<String>,
    scopes: Vec<String>,
}

fn settings(
    args: &Oauth2AddArgs,
    preset: Option<&providers::Provider>,
    found: Option<&discovery::Metadata>,
) -> Settings {
    let pick = |flag: &Option<String>, found: Option<&String>, preset: Option<&'static str>| {
        flag.clone()
            .or_else(|| found.cloned())
            .or_else(|| preset.map(|u| u.replace(TENANT, &args.tenant)))
    };
    Settings {
        token_url: pick(
            &args.token_url,
            found.map(|d| &d.token_endpoint),
            preset.and_then(|p| p.token_url),
        ),
        auth_url: pick(
            &args.auth_url,
            found.and_then(|d| d.authorization_endpoint.as_ref()),
            preset.and_then(|p| p.auth_url),
        ),
        device_url: pick(
            &args.device_url,
            found.and_then(|d| d.device_authorization_endpoint.as_ref()),
            preset.and_then(|p| p.device_url),
        ),
        // An OpenID provider refuses a request without `openid`; a preset
        // asks for what its provider needs.
        scopes: match (&args.scopes, preset, found) {
            (Some(s), _, _) => s.clone(),
            (None, Some(p), _) => p.default_scopes.iter().map(|s| s.to_string()).collect(),
            // A credential manager wants a refresh token: ask for it where
            // the provider says it can give one.
            (None, None, Some(d)) => std::iter::once("openid")
                .chain(
                    d.scopes_supported
                        .iter()
                        .any(|s| s == "offline_access")
                        .then_some("offline_access"),
                )
                .map(String::from)
                .collect(),
            (None, None, None) => Vec::new(),
        },
    }
}

/// How a client with a secret and no --auth-method authenticates: as its
/// preset's documentation says, else Basic unless the server says it takes
/// only post (RFC 8414).
fn secret_auth_method(
    preset: Option<&providers::Provider>,
    found: Option<&discovery::Metadata>,
) -> AuthMethod {
    match (preset, found) {
        (Some(p), _) => p.auth_method,
        (None, Some(d)) => {
            let supported = |m: &str| {
                d.token_endpoint_auth_methods_supported
                    .iter()
                    .any(|s| s == m)
            };
            if supported("client_secret_post") && !supported("client_secret_basic") {
                AuthMethod::ClientSecretPost
            } else {
                AuthMethod::ClientSecretBasic
            }
        }
        (None, None) => AuthMethod::ClientSecretBasic,
    }
}

fn remove(args: &Oauth2RemoveArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open_if_exists(ctx)?.ok_or_else(|| client_not_found(&args.name))?;
    // Asked as `delete` asks: the client's secret goes with it.
    let (client, _) = vault
        .read()
        .client(&args.name)?
        .ok_or_else(|| client_not_found(&args.name))?;
    let what = format!("OAuth2 client '{}'", client.name);
    if !args.yes
        && !ctx.prompt().confirm(
            &format!("Remove {what}?"),
            &format!("removing {what} needs confirmation"),
            "pass --yes to remove without asking",
        )?
    {
        eprintln!("tokvault: {what} was not removed");
        return Err(error::Error::Exit(error::code::FAILURE).into());
    }
    // Its credentials may be refreshing through it right now.
    let _lock =
        vault.lock_all(|| eprintln!("tokvault: waiting for refreshes in progress to finish"))?;
    let (name, unlinked) = vault.write(|tx| {
        let (client, _) = tx
            .client(&args.name)?
            .ok_or_else(|| client_not_found(&args.name))?;
        let users = tx.sealed_credentials(Some(client.id))?;
        if !users.is_empty() && !args.force {
            let names: Vec<String> = users.iter().map(|(m, _)| m.describe()).collect();
            return Err(error::usage(format!(
                "OAuth2 client '{}' is used by {}; pass --force to remove it anyway",
                client.name,
                names.join(", ")
            )));
        }
        if !users.is_empty() {
            // Unlinking changes what each blob is bound to: seal them again.
            let sealer = tx.sealer()?;
            for (meta, sealed) in &users {
                let data = tx.unseal(sealer, meta, sealed)?;
                let mut next = meta.to_new();
                next.oauth2_client = None;
                next.client_credentials = false;
                tx.reput(sealer, &next, &data, ctx.now)?;
            }
        }
        tx.remove_client(client.id)?;
        Ok((client.name, users.len()))
    })?;
    let note = if unlinked > 0 {
        format!("; {unlinked} credential(s) can no longer be refreshed through it")
    } else {
        String::new()
    };
    eprintln!("tokvault: removed OAuth2 client '{name}'{note}");
    Ok(())
}

fn authorize_url(args: &AuthorizeUrlArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open_if_exists(ctx)?.ok_or_else(|| client_not_found(&args.client))?;
    let url = vault.write(|tx| {
        let sealer = tx.sealer()?;
        let (client, _) = find_client(tx, sealer, &args.client)?;
        let redirect_uri = args
            .redirect_uri
            .clone()
            .or_else(|| client.redirect_uri.clone());
        let auth = Authorization::new(&client, redirect_uri.as_deref(), args.scopes.as_deref())?;
        tx.put_pending(
            sealer,
            auth.state.expose(),
            client.id,
            redirect_uri.as_deref(),
            &auth.verifier,
            ctx.now + PENDING_SECONDS,
        )?;
        Ok(auth.url)
    })?;
    println!("{url}");
    Ok(())
}

/// An authorization request about to be sent: its URL, and the state and
/// PKCE verifier that must come back with (or go out after) the code.
pub struct Authorization {
    pub url: String,
    pub state: Secret,
    pub verifier: Secret,
    /// The request asked for `openid`, and so sent a nonce.
    pub nonce_sent: bool,
}

impl Authorization {
    pub fn new(
        client: &Client,
        redirect_uri: Option<&str>,
        scopes: Option<&[String]>,
    ) -> Result<Self> {
        let auth_url = client.auth_url.as_deref().ok_or_else(|| {
            error::usage(format!(
                "OAuth2 client '{}' has no authorization endpoint; add it again with --auth-url",
                client.name
            ))
        })?;
        // Google refuses an authorization request without redirect_uri.
        if redirect_uri.is_none() && client.provider.as_deref() == Some("google") {
            return Err(error::usage(format!(
                "Google needs the redirect URI registered for client '{}': pass --redirect-uri \
                 (or add the client again with --redirect-uri; `tokvault login` sets its own)",
                client.name
            )));
        }
        let scopes = providers::authorization_scopes(
            client.provider.as_deref(),
            scopes.unwrap_or(&client.scopes),
        );
        let state = pkce::random(16);
        let verifier = pkce::verifier();
        let nonce = scopes
            .iter()
            .any(|s| s == "openid")
            .then(|| pkce::nonce(&verifier));
        let url = pkce::AuthorizeRequest {
            auth_url,
            client_id: &client.client_id,
            redirect_uri,
            scopes: &scopes,
            state: state.expose(),
            challenge: &pkce::challenge(&verifier),
            extra: providers::auth_params(client.provider.as_deref()),
            nonce: nonce.as_deref(),
        }
        .url();
        Ok(Authorization {
            url,
            state,
            verifier,
            nonce_sent: nonce.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn add_args(flags: &[&str]) -> Oauth2AddArgs {
        let argv = ["tokvault", "oauth2", "add", "c", "--client-id", "id"];
        let cli = crate::cli::Cli::try_parse_from(argv.iter().chain(flags)).unwrap();
        match cli.command {
            crate::cli::Command::Oauth2(Oauth2Command::Add(args)) => *args,
            _ => unreachable!(),
        }
    }

    fn metadata(extra: serde_json::Value) -> discovery::Metadata {
        let mut doc = serde_json::json!({
            "issuer": "https://idp.example",
            "token_endpoint": "https://idp.example/token",
            "authorization_endpoint": "https://idp.example/auth",
        });
        doc.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(doc).unwrap()
    }

    /// What a client's endpoints and scopes become from its flags, its
    /// preset and what discovery found: each row one case.
    #[test]
    #[allow(clippy::type_complexity)] // a table reads best as its own tuple
    fn which_settings_flags_presets_and_discovery_give() {
        let none = serde_json::json!({});
        let offline = serde_json::json!({"scopes_supported": ["openid", "offline_access"]});
        let device =
            serde_json::json!({"device_authorization_endpoint": "https://idp.example/device"});
        #[rustfmt::skip]
        let cases: &[(&str, &[&str], Option<&str>, Option<&serde_json::Value>, Option<&str>, Option<&str>, Option<&str>, &[&str])] = &[
            // what,                     flags,                                    preset,       discovered,     token_url,                                                      auth_url,                                              device_url,                          scopes
            ("nothing known",            &[],                                      None,         None,           None,                                                           None,                                                  None,                                &[]),
            ("flags alone",              &["--token-url", "https://t/token"],      None,         None,           Some("https://t/token"),                                        None,                                                  None,                                &[]),
            ("google's preset",          &[],                                      Some("google"), None,         Some("https://oauth2.googleapis.com/token"),                    Some("https://accounts.google.com/o/oauth2/v2/auth"), Some("https://oauth2.googleapis.com/device/code"), &["openid", "email"]),
            ("a flag wins over a preset", &["--token-url", "https://t/token", "--scopes", "a,b"], Some("google"), None, Some("https://t/token"),                         Some("https://accounts.google.com/o/oauth2/v2/auth"), Some("https://oauth2.googleapis.com/device/code"), &["a", "b"]),
            ("microsoft's tenant",       &["--tenant", "contoso"],                 Some("microsoft"), None,      Some("https://login.microsoftonline.com/contoso/oauth2/v2.0/token"), Some("https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize"), Some("https://login.microsoftonline.com/contoso/oauth2/v2.0/devicecode"), &["openid", "offline_access"]),
            ("discovery: openid only",   &[],                                      None,         Some(&none),    Some("https://idp.example/token"),                              Some("https://idp.example/auth"),                      None,                                &["openid"]),
            ("discovery: offline too",   &[],                                      None,         Some(&offline), Some("https://idp.example/token"),                              Some("https://idp.example/auth"),                      None,                                &["openid", "offline_access"]),
            ("discovery: a device URL",  &[],                                      None,         Some(&device),  Some("https://idp.example/token"),                              Some("https://idp.example/auth"),                      Some("https://idp.example/device"),  &["openid"]),
            ("discovery wins over a preset", &[],                                  Some("github"), Some(&none),  Some("https://idp.example/token"),                              Some("https://idp.example/auth"),                      Some("https://github.com/login/device/code"), &[]),
            ("a flag wins over discovery", &["--auth-url", "https://a/auth"],      None,         Some(&none),    Some("https://idp.example/token"),                              Some("https://a/auth"),                                None,                                &["openid"]),
        ];
        for (what, flags, preset, found, token_url, auth_url, device_url, scopes) in cases {
            let args = add_args(flags);
            let preset = preset.map(|p| providers::find(p).unwrap());
            let found = found.map(|f| metadata(f.clone()));
            let want = Settings {
                token_url: token_url.map(String::from),
                auth_url: auth_url.map(String::from),
                device_url: device_url.map(String::from),
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
            };
            assert_eq!(settings(&args, preset, found.as_ref()), want, "{what}");
        }
    }

    /// How a client with a secret authenticates when no --auth-method says.
    #[test]
    fn how_a_client_with_a_secret_authenticates() {
        let methods =
            |m: &[&str]| metadata(serde_json::json!({"token_endpoint_auth_methods_supported": m}));
        #[rustfmt::skip]
        let cases: &[(&str, Option<&str>, Option<discovery::Metadata>, AuthMethod)] = &[
            ("nothing known: Basic",           None,            None,                                                   AuthMethod::ClientSecretBasic),
            ("google documents post",          Some("google"),  None,                                                   AuthMethod::ClientSecretPost),
            ("zoom documents Basic",           Some("zoom"),    None,                                                   AuthMethod::ClientSecretBasic),
            ("a preset wins over discovery",   Some("github"),  Some(methods(&["client_secret_basic"])),               AuthMethod::ClientSecretPost),
            ("a server that says nothing",     None,            Some(methods(&[])),                                     AuthMethod::ClientSecretBasic),
            ("a server that takes only post",  None,            Some(methods(&["client_secret_post", "private_key_jwt"])), AuthMethod::ClientSecretPost),
            ("a server that takes both",       None,            Some(methods(&["client_secret_post", "client_secret_basic"])), AuthMethod::ClientSecretBasic),
            ("a server that takes neither",    None,            Some(methods(&["private_key_jwt"])),                    AuthMethod::ClientSecretBasic),
        ];
        for (what, preset, found, want) in cases {
            let preset = preset.map(|p| providers::find(p).unwrap());
            assert_eq!(secret_auth_method(preset, found.as_ref()), *want, "{what}");
        }
    }
}
