use super::Vault;
use crate::Context;
use crate::cli::{StoreArgs, StoreType};
use crate::error;
use crate::input;
use crate::providers;
use crate::secret::Secret;
use crate::token::{self, TokenData, TokenType};
use crate::vault::{Client, CredentialMeta, NewCredential, client_not_found};
use anyhow::Result;

pub fn run(args: &StoreArgs, ctx: &Context) -> Result<()> {
    super::check_new_user(ctx)?;
    if let Some(kind) = args
        .token_type
        .filter(|t| t.token_type() == TokenType::Oauth2 && *t != StoreType::Oauth2)
    {
        return super::identity::store(args, kind, ctx);
    }
    if let Some(flag) = args.identity.first_not_for(None) {
        return Err(error::usage(format!(
            "{flag} is for --type github-app or --type google-service-account"
        )));
    }
    input::one_stdin([
        ("--secret", args.secret.as_deref()),
        ("--from-json", args.from_json.as_deref()),
        ("--refresh-token", args.refresh_token.as_deref()),
    ])?;
    // Read what already exists first: defaults come from it, and a bad
    // provider or client is caught before any input is read or file created.
    let vault = Vault::open_if_exists(ctx)?;
    let read = vault.as_ref().map(Vault::read);
    let existing = match &read {
        Some(tx) => tx
            .credential(ctx.user(), &args.integration)?
            .map(|(meta, _)| meta),
        None => None,
    };
    let client_named = |name: &str| -> Result<Option<Client>> {
        Ok(match &read {
            Some(tx) => tx.client(name)?.map(|(c, _)| c),
            None => None,
        })
    };
    let linked = match &args.oauth2 {
        Some(name) => Some(client_named(name)?.ok_or_else(|| client_not_found(name))?),
        None => None,
    };
    let provider = resolve_provider(args, existing.as_ref(), linked.as_ref());
    // A provider that is an OAuth2 client's name: refresh through it.
    let linked = match linked {
        Some(c) => Some(c),
        None if providers::find(&provider).is_none() => client_named(&provider)?,
        None => None,
    };
    let Kind {
        token_type,
        refreshable,
    } = kind(
        &provider,
        args.token_type.map(StoreType::token_type),
        existing.as_ref().map(|m| m.token_type),
        linked.is_some(),
    )?;
    let unusable_refresh = |source: &str| {
        error::usage(format!(
            "{source}: '{provider}' is not a preset or an OAuth2 client, so a refresh token \
             could never be used: link a client with --oauth2 CLIENT (see `tokvault oauth2 add`)"
        ))
    };
    if !refreshable && args.refresh_token.is_some() {
        return Err(unusable_refresh("--refresh-token"));
    }

    let data = read_token_data(args, ctx, token_type)?;
    // A refresh token with nothing to use now and nowhere to refresh: what
    // `get` could never turn into a secret is not stored.
    if !refreshable && data.primary(token_type).is_none() && data.aws().is_none() {
        return Err(unusable_refresh("--from-json"));
    }
    let scopes = match &args.scopes {
        Some(s) => s.clone(),
        None => crate::scope::split(data.scope.as_deref().unwrap_or(""))
            .map_err(|e| error::usage(format!("--from-json: scope {e}")))?,
    };
    let expires_at = expires_at(args, &data, token_type, ctx.now)?;
    let new = NewCredential {
        user: ctx.user().to_string(),
        integration: args.integration.clone(),
        provider,
        token_type,
        scopes,
        expires_at,
        oauth2_client: linked
            .map(|c| c.id)
            .or(existing.as_ref().and_then(|m| m.oauth2_client)),
        client_credentials: false,
    };

    super::save(args, ctx, vault, new, data)
}

/// What a stored credential is, and whether a refresh token could ever be
/// used with it.
#[derive(Debug, PartialEq)]
struct Kind {
    token_type: TokenType,
    refreshable: bool,
}

/// A credential's kind from `--type` (`given`), the row it replaces, its
/// provider (a preset?) and whether an OAuth2 client is linked. A
/// free-form provider holds a key unless told otherwise: there is no token
/// endpoint to refresh an OAuth2 token through.
fn kind(
    provider: &str,
    given: Option<TokenType>,
    existing: Option<TokenType>,
    linked: bool,
) -> Result<Kind> {
    let preset = providers::find(provider);
    let token_type =
        given
            .or(existing)
            .unwrap_or(if preset.is_some_and(|p| !p.api_key_only) || linked {
                TokenType::Oauth2
            } else {
                TokenType::ApiKey
            });
    if preset.is_some_and(|p| p.api_key_only) && token_type != TokenType::ApiKey {
        return Err(error::usage(format!(
            "{provider} issues API keys only; use --type api_key"
        )));
    }
    Ok(Kind {
        token_type,
        refreshable: linked || preset.is_some_and(|p| p.token_url.is_some()),
    })
}

/// The provider: given, or the linked client's, or the one it had, or the
/// credential's own name. Any name will do: a preset or a client's name adds
/// knowledge (endpoints, a default type), a name one letter away from a
/// preset earns a note, never a refusal.
fn resolve_provider(
    args: &StoreArgs,
    existing: Option<&CredentialMeta>,
    linked: Option<&Client>,
) -> String {
    let name = match (&args.provider, linked, existing) {
        (Some(p), _, _) => p.clone(),
        (None, Some(c), _) => c.provider.clone().unwrap_or_else(|| c.name.clone()),
        (None, None, Some(m)) => m.provider.clone(),
        (None, None, None) => args.integration.clone(),
    };
    if let Some(preset) = providers::near_miss(&name) {
        eprintln!("tokvault: note: provider '{name}' is not a preset; did you mean '{preset}'?");
    }
    name
}

fn read_token_data(args: &StoreArgs, ctx: &Context, kind: TokenType) -> Result<TokenData> {
    let mut data = match (&args.from_json, &args.secret, &args.secret_file) {
        (Some(arg), _, _) => parse_json(&input::file_or_stdin(arg, "--from-json")?)?,
        (_, Some(value), _) => with_secret(kind, input::value_or_stdin(value, "--secret")?),
        (_, _, Some(path)) => with_secret(kind, input::file(path, "--secret-file")?),
        (None, None, None) if args.refresh_token.is_some() => TokenData::default(),
        (None, None, None) => with_secret(
            kind,
            ctx.prompt().secret(
                &format!("Secret for {}", args.integration),
                "no secret was given",
                "pass --secret - to read it from stdin, --secret-file FILE or --from-json FILE",
            )?,
        ),
    };
    if let Some(value) = &args.refresh_token {
        data.refresh_token = Some(input::value_or_stdin(value, "--refresh-token")?);
    }
    if data.primary(kind).is_none() && data.refresh_token.is_none() && data.aws().is_none() {
        return Err(error::usage(
            "the input holds no access_token, api_key, refresh_token or AWS keys",
        ));
    }
    let source = match (&args.from_json, &args.secret_file) {
        (Some(_), _) => "--from-json",
        (_, Some(_)) => "--secret-file",
        _ => "--secret",
    };
    token::check_secrets(&data, kind).map_err(|e| error::usage(format!("{source}: {e}")))?;
    token::stamp_refresh_expiry(&mut data, ctx.now);
    Ok(data)
}

fn with_secret(kind: TokenType, secret: Secret) -> TokenData {
    let mut data = TokenData::default();
    match kind {
        TokenType::ApiKey => data.api_key = Some(secret),
        TokenType::Oauth2 | TokenType::Jwt => data.access_token = Some(secret),
    }
    data
}

/// A token response or token_data object. An error response (RFC 6749
/// §5.2) piped in by mistake is refused with the provider's words.
pub fn parse_json(text: &Secret) -> Result<TokenData> {
    let value: serde_json::Value = serde_json::from_str(text.expose()).map_err(|e| {
        error::usage(format!(
            "--from-json: not valid JSON ({})",
            token::json_error(&e)
        ))
    })?;
    let Some(object) = value.as_object() else {
        return Err(error::usage("--from-json: expected a JSON object"));
    };
    if let Some(err) = object.get("error").and_then(|e| e.as_str()) {
        return Err(error::usage(format!(
            "--from-json: this is an error response, not a token: {err}"
        )));
    }
    // `aws sts get-session-token` (and assume-role) print the keys inside
    // `Credentials`: they are read as if given at the top.
    let value = match object.get("Credentials") {
        Some(serde_json::Value::Object(keys)) if keys.contains_key("AccessKeyId") => {
            serde_json::Value::Object(keys.clone())
        }
        _ => value,
    };
    serde_json::from_value(value)
        .map_err(|e| error::usage(format!("--from-json: {}", token::json_error(&e))))
}

fn expires_at(
    args: &StoreArgs,
    data: &TokenData,
    kind: TokenType,
    now: i64,
) -> Result<Option<i64>> {
    if let Some(at) = args.expires_at {
        if at <= now {
            eprintln!(
                "tokvault: warning: --expires-at {} is in the past: the credential is stored \
                 as expired, and `get` refuses it (exit 4) unless it can be refreshed",
                crate::time::timestamp(at)
            );
        }
        return Ok(Some(at));
    }
    if let Some(secs) = args.expires_in {
        let at = Some(now + secs).filter(|t| *t <= crate::time::MAX_EXPIRY);
        return at.map(Some).ok_or_else(|| {
            error::usage(format!(
                "--expires-in: that is later than {}",
                crate::time::MAX_EXPIRY_TEXT
            ))
        });
    }
    let source = if args.from_json.is_some() {
        "--from-json"
    } else {
        "--secret"
    };
    token::expires_at(data, kind, now).map_err(|e| error::usage(format!("{source}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a store of given flags over a given row becomes: each row one
    /// case (provider, --type, the existing row's type, a linked client).
    #[test]
    #[allow(clippy::type_complexity)] // a table reads best as its own tuple
    fn what_a_store_becomes() {
        use TokenType::{ApiKey, Jwt, Oauth2};
        #[rustfmt::skip]
        let cases: &[(&str, &str, Option<TokenType>, Option<TokenType>, bool, Option<(TokenType, bool)>)] = &[
            ("a preset holds OAuth2 tokens",          "google",    None,         None,         false, Some((Oauth2, true))),
            ("a free-form name holds a key",          "stripe",    None,         None,         false, Some((ApiKey, false))),
            ("a linked client makes it OAuth2",       "myidp",     None,         None,         true,  Some((Oauth2, true))),
            ("--type wins over the preset",           "github",    Some(ApiKey), None,         false, Some((ApiKey, true))),
            ("the row keeps its type",                "stripe",    None,         Some(Jwt),    false, Some((Jwt, false))),
            ("--type wins over the row",              "stripe",    Some(Oauth2), Some(ApiKey), false, Some((Oauth2, false))),
            ("a key-only preset holds a key",         "openai",    None,         None,         false, Some((ApiKey, false))),
            ("a key-only preset refuses OAuth2",      "anthropic", Some(Oauth2), None,         false, None),
            ("a key-only preset refuses its old row", "openai",    None,         Some(Jwt),    false, None),
        ];
        for (what, provider, given, existing, linked, want) in cases {
            let got = kind(provider, *given, *existing, *linked);
            match want {
                Some((token_type, refreshable)) => assert_eq!(
                    got.unwrap(),
                    Kind {
                        token_type: *token_type,
                        refreshable: *refreshable
                    },
                    "{what}"
                ),
                None => assert_eq!(
                    error::exit_code(&got.unwrap_err()),
                    error::code::USAGE,
                    "{what}"
                ),
            }
        }
    }

    proptest! {
        #[test]
        fn from_json_never_panics_and_refuses_with_usage(text in ".{0,200}") {
            if let Err(e) = parse_json(&Secret::new(text)) {
                prop_assert_eq!(error::exit_code(&e), error::code::USAGE);
            }
        }

        #[test]
        fn token_responses_read_back(
            access in "[A-Za-z0-9._-]{1,40}",
            refresh in proptest::option::of("[A-Za-z0-9._-]{1,40}"),
            expires_in in proptest::option::of(0i64..100_000_000),
            scope in proptest::option::of("[a-z:]{1,10}( [a-z:]{1,10}){0,3}"),
        ) {
            let mut response = serde_json::json!({"access_token": access, "token_type": "Bearer"});
            if let Some(r) = &refresh { response["refresh_token"] = r.clone().into(); }
            if let Some(e) = expires_in { response["expires_in"] = e.into(); }
            if let Some(s) = &scope { response["scope"] = s.clone().into(); }
            let data = parse_json(&Secret::new(response.to_string())).unwrap();
            prop_assert_eq!(data.access_token.map(|a| a.expose().to_string()), Some(access));
            prop_assert_eq!(data.refresh_token.map(|r| r.expose().to_string()), refresh);
            prop_assert_eq!(data.expires_in, expires_in);
            prop_assert_eq!(data.scope, scope);
        }
    }
}
