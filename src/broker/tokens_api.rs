//! The Tokens API over HTTP, with the seed's routes, field names and
//! statuses: `{user_id}` is tokvault's `--user` namespace and
//! `{integration_key}` a credential's name. Every request carries an
//! `X-API-Key` from the key file; without one nothing is said, not even
//! whether a name exists. Also the email archiver's
//! `POST /store-external-oauth2-token/{account_id}`.
//!
//! Each request opens the vault as a command would and goes through the
//! same operations (`import::apply` for a store, the `Resolver` for a get,
//! `refresh::ensure` for a refresh, revocation before a delete), so what
//! the API stores is what `tokvault get` reads.

use super::{Broker, Request, Response, status_of};
use crate::app::Vault;
use crate::audit::{Access, Outcome};
use crate::error::{self, code};
use crate::import::{self, Action};
use crate::output::{MetaJson, RecordJson};
use crate::refresh::{self, Policy};
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use crate::session::Context;
use crate::time::timestamp;
use crate::token::{TokenData, TokenType};
use crate::vault::NewCredential;
use anyhow::Result;
use serde::Deserialize;
use serde_json::json;

/// What the audit log calls an access through the API.
const OPERATION: &str = "serve:tokens-api";

/// The largest store request.
pub const MAX_BODY: usize = 1024 * 1024;

pub fn serves(path: &str) -> bool {
    path.starts_with("/v2/") || path.starts_with("/store-external-oauth2-token/")
}

/// An answer that fails: the seed's `{"detail": ...}`.
fn failed(status: u16, detail: &str) -> Response {
    Response::json(
        status,
        &json!({ "detail": crate::text::clean(detail, 500) }),
    )
}

fn failed_with(e: &anyhow::Error) -> Response {
    failed(status_of(e), &format!("{e:#}"))
}

/// A key matches one of `keys`; every key is compared, each in constant
/// time, so neither the answer's time nor its content says which.
fn key_matches(given: Option<&str>, keys: &[Secret]) -> bool {
    keys.iter()
        .fold(false, |found, key| super::same_secret(given, key) | found)
}

/// The routes, and what each does.
enum Route {
    Store(String),
    List(String),
    Get(String, String),
    Refresh(String, String),
    Delete(String, String),
    External(String),
}

/// The route `request` asks for: Ok(None) for a path that is not one,
/// Err(405) for a method a path does not take.
fn route(request: &Request) -> Result<Option<Route>, Response> {
    let parts: Vec<String> = match request
        .path
        .trim_start_matches('/')
        .split('/')
        .map(|p| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8()
                .map(|p| p.into_owned())
        })
        .collect()
    {
        Ok(parts) => parts,
        Err(_) => return Ok(None),
    };
    if parts.iter().any(|p| crate::text::check_name(p).is_err()) {
        return Ok(None);
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let method = request.method.as_str();
    let wrong = || failed(405, "method not allowed");
    Ok(Some(match parts.as_slice() {
        ["v2", "users", user, "tokens"] => match method {
            "POST" => Route::Store(user.to_string()),
            "GET" => Route::List(user.to_string()),
            _ => return Err(wrong()),
        },
        ["v2", "users", user, "tokens", name] => match method {
            "GET" => Route::Get(user.to_string(), name.to_string()),
            "DELETE" => Route::Delete(user.to_string(), name.to_string()),
            _ => return Err(wrong()),
        },
        ["v2", "users", user, "tokens", name, "refresh"] => match method {
            "POST" => Route::Refresh(user.to_string(), name.to_string()),
            _ => return Err(wrong()),
        },
        ["store-external-oauth2-token", account] => match method {
            "POST" => Route::External(account.to_string()),
            _ => return Err(wrong()),
        },
        _ => return Ok(None),
    }))
}

/// The answer to `request`, and the credential it named (for the log).
pub fn answer(broker: &Broker, keys: &[Secret], request: &Request) -> (Response, String) {
    if !key_matches(request.header("x-api-key"), keys) {
        return (failed(401, "Invalid or missing API key"), String::new());
    }
    let route = match route(request) {
        Ok(Some(route)) => route,
        Ok(None) => return (failed(404, "Not Found"), String::new()),
        Err(answer) => return (answer, String::new()),
    };
    let mut ctx = broker.ctx.at_now();
    ctx.audit.operation = OPERATION;
    match route {
        Route::Store(user) => {
            let ctx = ctx.with_user(&user);
            let name = peek_name(&request.body);
            (store(&ctx, &user, &request.body), name)
        }
        Route::List(user) => (list(&ctx.with_user(&user), &user), String::new()),
        Route::Get(user, name) => (get(&ctx.with_user(&user), &name), name),
        Route::Refresh(user, name) => (force_refresh(&ctx.with_user(&user), &user, &name), name),
        Route::Delete(user, name) => (delete(&ctx.with_user(&user), &user, &name), name),
        Route::External(account) => {
            let user = ctx.user().to_string();
            (external(&ctx, &user, &account, &request.body), account)
        }
    }
}

/// The store request's name, for the access log: a name, never a secret.
fn peek_name(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Named {
        integration_key: String,
    }
    serde_json::from_slice::<Named>(body)
        .ok()
        .filter(|n| crate::text::check_name(&n.integration_key).is_ok())
        .map(|n| n.integration_key)
        .unwrap_or_default()
}

/// `POST /v2/users/{user_id}/tokens`: stored as `import tokens-api` stores
/// one entry (the type from the provider, the expiry from the token data),
/// replacing one of that name.
fn store(ctx: &Context, user: &str, body: &[u8]) -> Response {
    let Ok(text) = std::str::from_utf8(body) else {
        return failed(422, "the body is not UTF-8 JSON");
    };
    let found = match import::tokens_api::parse_one(text) {
        Ok(found) => found,
        Err(why) => return failed(422, &why),
    };
    if let Some(skipped) = found.skipped.first() {
        return failed(422, &skipped.reason);
    }
    let Some(name) = found.entries.first().map(|e| e.name.clone()) else {
        return failed(422, "the body holds no store request");
    };
    let stored = || -> Result<Result<crate::vault::CredentialMeta, String>> {
        let mut vault = Vault::open_or_create(ctx)?;
        let options = import::Options {
            user,
            prefix: "",
            replace: true,
            now: ctx.now,
            operation: OPERATION,
        };
        let reported = vault.write(|tx| import::apply(tx, found, &options))?;
        if let Some(r) = reported
            .iter()
            .find(|r| !matches!(r.result, Action::Added | Action::Replaced))
        {
            return Ok(Err(r.reason.clone().unwrap_or_default()));
        }
        Ok(Ok(vault.credential(user, &name)?.0))
    };
    match stored() {
        Ok(Ok(meta)) => Response::json(
            201,
            &json!({
                "integration_key": meta.integration,
                "provider": meta.provider,
                "token_type": meta.token_type.as_str(),
                "message": "Token stored successfully",
                "created_at": timestamp(meta.created_at),
            }),
        ),
        Ok(Err(why)) => failed(422, &why),
        Err(e) => failed_with(&e),
    }
}

/// `GET /v2/users/{user_id}/tokens`: metadata only, as `list --json`.
fn list(ctx: &Context, user: &str) -> Response {
    let listed = || -> Result<Vec<serde_json::Value>> {
        let mut all = Vec::new();
        if let Some(vault) = Vault::open_if_exists(ctx)? {
            vault.read().each_listed(Some(user), None, |meta| {
                all.push(serde_json::to_value(MetaJson::new(&meta, ctx.now))?);
                Ok(())
            })?;
        }
        Ok(all)
    };
    match listed() {
        Ok(all) => Response::json(200, &all),
        Err(e) => failed_with(&e),
    }
}

/// `GET /v2/users/{user_id}/tokens/{integration_key}`: the record, an
/// OAuth2 token refreshed first when it is due. An access token that has
/// expired and cannot be refreshed is answered with `is_expired: true`,
/// as the seed's service answers it.
fn get(ctx: &Context, name: &str) -> Response {
    let read = || -> Result<Response> {
        let freshness = Freshness {
            allow_expired: true,
            ..Freshness::default()
        };
        let mut resolver = Resolver::open(ctx, &format!("credential '{name}'"), freshness)?;
        let fresh = resolver.credential(name, false)?;
        Ok(Response::json(
            200,
            &RecordJson::new(&fresh.meta, &fresh.data, ctx.now, fresh.refreshed),
        ))
    };
    read().unwrap_or_else(|e| failed_with(&e))
}

/// `POST .../{integration_key}/refresh`: a refresh-token grant now; 409
/// for a credential that holds nothing to refresh with.
fn force_refresh(ctx: &Context, user: &str, name: &str) -> Response {
    let refreshed = || -> Result<Response> {
        let mut vault = Vault::open(ctx, &format!("credential '{name}'"))?;
        let (meta, sealed) = vault.credential(user, name)?;
        let sealer = vault.read_sealer()?;
        let data = vault.read().unseal(&sealer, &meta, &sealed)?;
        if !refresh::renewable(&meta, &data) {
            return Ok(failed(
                409,
                &format!(
                    "{} cannot be refreshed: it holds no refresh token or grant",
                    meta.describe()
                ),
            ));
        }
        let fresh = refresh::ensure(ctx, &mut vault, &sealer, meta, data, Policy::Force)?;
        Ok(Response::json(
            200,
            &json!({
                "success": true,
                "message": "Token refreshed successfully",
                "refreshed_at": timestamp(fresh.meta.updated_at),
            }),
        ))
    };
    refreshed().unwrap_or_else(|e| match error::exit_code(&e) {
        code::EXPIRED => failed(409, &format!("{e:#}")),
        _ => failed_with(&e),
    })
}

/// `DELETE .../{integration_key}`: revoked at the provider where it can
/// be (as `delete` does), then removed.
fn delete(ctx: &Context, user: &str, name: &str) -> Response {
    let deleted = || -> Result<bool> {
        let mut vault = Vault::open(ctx, &format!("credential '{name}'"))?;
        let (meta, _) = vault.credential(user, name)?;
        let revoked = crate::revoke::at_provider(ctx, &vault, &meta)?;
        vault.update(user, name, |tx, current| {
            revoked.still_current(current.as_ref().map(|(m, _)| m))?;
            tx.delete(user, name)?;
            tx.record(&Access::to(OPERATION, user, name, Outcome::Changed))
        })?;
        Ok(matches!(revoked, crate::revoke::Revoked::At { sent, .. } if sent > 0))
    };
    match deleted() {
        Ok(revoked) => Response::json(
            200,
            &json!({
                "success": true,
                "message": "Token deleted successfully",
                "revoked": revoked,
            }),
        ),
        Err(e) => failed_with(&e),
    }
}

/// The email archiver's request: an access token alone (stored as is,
/// never refreshed: the caller stores a new one), or the numeric id of an
/// OAuth2 client with a refresh token (tokvault refreshes through it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct External {
    #[serde(default)]
    oauth2_id: Option<i64>,
    #[serde(default)]
    access_token: Option<Secret>,
    #[serde(default)]
    refresh_token: Option<Secret>,
}

/// `POST /store-external-oauth2-token/{account_id}`: the credential
/// `account_id` of the broker's `--user`.
fn external(ctx: &Context, user: &str, account: &str, body: &[u8]) -> Response {
    let request: External = match serde_json::from_slice(body) {
        Ok(r) => r,
        // serde_json's message may quote a value: only what kind.
        Err(e) if e.is_data() => {
            return failed(
                422,
                "a field is unknown or of the wrong type (oauth2_id, access_token, refresh_token)",
            );
        }
        Err(_) => return failed(422, "the body is not a JSON object"),
    };
    let nonempty = |s: &Option<Secret>| s.as_ref().filter(|s| !s.expose().is_empty()).cloned();
    let (access_token, refresh_token) = (
        nonempty(&request.access_token),
        nonempty(&request.refresh_token),
    );
    if access_token.is_none() && refresh_token.is_none() {
        return failed(422, "give access_token, or oauth2_id with refresh_token");
    }
    if refresh_token.is_some() && request.oauth2_id.is_none() {
        return failed(
            422,
            "a refresh_token needs oauth2_id, the OAuth2 client it refreshes through",
        );
    }
    let stored = || -> Result<Response> {
        let mut vault = Vault::open_or_create(ctx)?;
        let client = match request.oauth2_id {
            Some(id) => match vault.read().client_by_id(id)? {
                Some((client, _)) => Some(client),
                None => return Ok(failed(422, &format!("no OAuth2 client has id {id}"))),
            },
            None => None,
        };
        let data = TokenData {
            access_token,
            refresh_token: refresh_token.clone(),
            ..TokenData::default()
        };
        let expires_at = match crate::token::expires_at(&data, TokenType::Oauth2, ctx.now) {
            Ok(at) => at,
            Err(e) => return Ok(failed(422, &e.to_string())),
        };
        let new = NewCredential {
            user: user.to_string(),
            integration: account.to_string(),
            provider: client
                .as_ref()
                .map_or_else(|| "external".to_string(), |c| c.name.clone()),
            token_type: TokenType::Oauth2,
            scopes: Vec::new(),
            expires_at,
            oauth2_client: client.as_ref().map(|c| c.id),
            client_credentials: false,
        };
        if let Err(why) = new.check(&data) {
            return Ok(failed(422, &why));
        }
        let replaced = vault.update(user, account, |tx, current| {
            tx.put(tx.sealer()?, &new, &data, ctx.now)?;
            tx.record(&Access::to(OPERATION, user, account, Outcome::Changed))?;
            Ok(current.is_some())
        })?;
        Ok(Response::json(
            201,
            &json!({
                "account_id": account,
                "integration_key": account,
                "provider": new.provider,
                "refreshable": refresh_token.is_some(),
                "replaced": replaced,
                "message": "Token stored successfully",
            }),
        ))
    };
    stored().unwrap_or_else(|e| failed_with(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str) -> Request {
        let text = format!("{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        super::super::request::parse_head(text.as_bytes(), 0)
            .unwrap()
            .unwrap()
            .request
    }

    #[test]
    fn routes_are_the_seeds() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("POST", "/v2/users/alice/tokens", Some("store alice")),
            ("GET", "/v2/users/alice/tokens", Some("list alice")),
            (
                "GET",
                "/v2/users/alice/tokens/gmail",
                Some("get alice gmail"),
            ),
            (
                "GET",
                "/v2/users/al%20ice/tokens/g%2Fmail",
                Some("get al ice g/mail"),
            ),
            (
                "DELETE",
                "/v2/users/alice/tokens/gmail",
                Some("delete alice gmail"),
            ),
            (
                "POST",
                "/v2/users/alice/tokens/gmail/refresh",
                Some("refresh alice gmail"),
            ),
            (
                "POST",
                "/store-external-oauth2-token/a%40b.c",
                Some("external a@b.c"),
            ),
            ("PUT", "/v2/users/alice/tokens", Some("405")),
            ("GET", "/v2/users/alice/tokens/gmail/refresh", Some("405")),
            ("GET", "/v2/users//tokens", None),
            ("GET", "/v2/users/alice/tokens/%ff", None),
            ("GET", "/v2/users/alice/tokens/%00", None),
            ("GET", "/v2/users/alice", None),
            ("GET", "/v2/users/alice/tokens/a/b/c", None),
        ];
        for (method, path, want) in cases {
            let got = match route(&request(method, path)) {
                Ok(Some(Route::Store(u))) => Some(format!("store {u}")),
                Ok(Some(Route::List(u))) => Some(format!("list {u}")),
                Ok(Some(Route::Get(u, n))) => Some(format!("get {u} {n}")),
                Ok(Some(Route::Delete(u, n))) => Some(format!("delete {u} {n}")),
                Ok(Some(Route::Refresh(u, n))) => Some(format!("refresh {u} {n}")),
                Ok(Some(Route::External(a))) => Some(format!("external {a}")),
                Ok(None) => None,
                Err(r) => Some(r.status.to_string()),
            };
            assert_eq!(got.as_deref(), *want, "{method} {path}");
        }
    }

    #[test]
    fn any_listed_key_is_accepted_and_nothing_else() {
        let keys = [
            Secret::new("k1-aaaaaaaaaaaaaaaa"),
            Secret::new("k2-bbbbbbbbbbbbbbbb"),
        ];
        assert!(key_matches(Some("k1-aaaaaaaaaaaaaaaa"), &keys));
        assert!(key_matches(Some("k2-bbbbbbbbbbbbbbbb"), &keys));
        for wrong in [
            None,
            Some(""),
            Some("k1-aaaaaaaaaaaaaaa"),
            Some("k1-aaaaaaaaaaaaaaaab"),
        ] {
            assert!(!key_matches(wrong, &keys), "{wrong:?}");
        }
        assert!(!key_matches(Some(""), &[]));
    }
}
