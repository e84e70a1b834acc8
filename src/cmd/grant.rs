//! Getting tokens as an OAuth2 client and storing them: shared by
//! `exchange-code` and `client-credentials`.

use super::{Vault, find_client};
use crate::Context;
use crate::audit::{Access, Outcome};
use crate::error;
use crate::oauth::{self, Grant};
use crate::refresh::ClientConfig;
use crate::secret::Secret;
use crate::token::{self, TokenType};
use crate::vault::{CredentialMeta, NewCredential};
use anyhow::Result;

pub enum Request {
    Code {
        /// The code, or a redirect URL when `response` is set.
        code: Secret,
        /// The parameters of a pasted redirect URL, checked like a
        /// redirect `login` receives.
        response: Option<std::collections::HashMap<String, String>>,
        /// The request was made without PKCE: no verifier at all.
        no_pkce: bool,
        redirect_uri: Option<String>,
        verifier: Option<Secret>,
        state: Option<String>,
        /// tokvault made the authorization request itself (`login`) and
        /// sent a nonce: its id_token must carry it.
        own_request: bool,
    },
    ClientCredentials {
        scopes: Option<Vec<String>>,
    },
    DeviceCode {
        device_code: Secret,
    },
}

/// Runs the grant holding the lock of the credential it will be stored as,
/// so that the tokens it returns (a single-use code's only answer) always
/// have a place to land, and stores them as `name`, linked to the client.
/// The vault itself stays free for other writers while the provider works.
pub fn run(
    ctx: &Context,
    name: &str,
    client_name: &str,
    request: Request,
    json: bool,
) -> Result<()> {
    super::check_new_user(ctx)?;
    let mut vault =
        Vault::open_if_exists(ctx)?.ok_or_else(|| crate::vault::client_not_found(client_name))?;
    let _lock = vault.hold(ctx.user(), name)?;
    let sealer = vault.write(|w| w.sealer().cloned())?;
    let (client, secrets) = find_client(&vault.read(), &sealer, client_name)?;
    let config = ClientConfig::from_client(&client, secrets);
    let (data, scopes) = match &request {
        Request::Code {
            code,
            response,
            no_pkce,
            redirect_uri,
            verifier,
            state,
            own_request,
        } => {
            let checked;
            let code = match response {
                Some(params) => {
                    let expected = crate::oauth::redirect::Expected {
                        state: None,
                        issuer: client.issuer.as_deref(),
                        iss_required: client.iss_required,
                    };
                    checked = crate::oauth::redirect::check(params, &expected)?;
                    &checked.code
                }
                None => code,
            };
            // Taken (and so spent) before the request: a code is single-use.
            let pending = match (verifier, no_pkce) {
                (Some(_), _) | (None, true) => None,
                (None, false) => vault
                    .write(|tx| tx.take_pending(&sealer, client.id, state.as_deref(), ctx.now))?,
            };
            if verifier.is_none() && pending.is_none() && state.is_some() {
                return Err(error::not_found(
                    "no pending authorization with that state (they are kept ten minutes); \
                     run `tokvault oauth2 authorize-url` again",
                ));
            }
            let redirect_uri = redirect_uri
                .clone()
                .or_else(|| pending.as_ref().and_then(|(uri, _)| uri.clone()))
                .or_else(|| client.redirect_uri.clone());
            let verifier = verifier.as_ref().or(pending.as_ref().map(|(_, v)| v));
            let grant = Grant::AuthorizationCode {
                code,
                redirect_uri: redirect_uri.as_deref(),
                code_verifier: verifier,
            };
            // Nothing known of the authorization request: when the server
            // refuses, say what was missing here, not only its words.
            let unknown_request = pending.is_none() && redirect_uri.is_none();
            let data =
                oauth::request(&ctx.http(), &config.endpoint(), &grant).map_err(|failed| {
                    let e = failed.error;
                    if unknown_request && error::exit_code(&e) == error::code::PROVIDER_REFUSED {
                        e.context(
                            "there is no pending authorization for this client and no redirect URI \
                         was sent: pass --redirect-uri (and --code-verifier) as the \
                         authorization request had them, or start with `tokvault oauth2 \
                         authorize-url`",
                        )
                    } else {
                        e
                    }
                })?;
            // A request tokvault made sent a nonce with `openid` (derived
            // from its verifier). `login` saw the redirect itself: the
            // id_token must bring the nonce back. A pasted code may come
            // from a request made elsewhere: a nonce it carries must match.
            if let (true, Some(id_token), Some(verifier)) =
                (*own_request || pending.is_some(), &data.id_token, verifier)
            {
                crate::oauth::pkce::check_nonce(id_token, verifier, *own_request)
                    .map_err(|why| anyhow::anyhow!("{why}; nothing was stored"))?;
            }
            (data, client.scopes.clone())
        }
        Request::ClientCredentials { scopes } => {
            let scopes = scopes.clone().unwrap_or_else(|| client.scopes.clone());
            let grant = Grant::ClientCredentials { scopes: &scopes };
            (
                oauth::request(&ctx.http(), &config.endpoint(), &grant)?,
                scopes,
            )
        }
        Request::DeviceCode { device_code } => {
            let grant = Grant::DeviceCode { device_code };
            (
                oauth::request(&ctx.http(), &config.endpoint(), &grant)?,
                client.scopes.clone(),
            )
        }
    };
    // Expiry counts from when the answer arrived.
    let received = jiff::Timestamp::now().as_second();
    let mut data = data;
    token::stamp_refresh_expiry(&mut data, received);
    let (expires_at, bad_expiry) = token::issued_expiry(&data, received);
    let new = NewCredential {
        user: ctx.user().to_string(),
        integration: name.to_string(),
        provider: client
            .provider
            .clone()
            .unwrap_or_else(|| client.name.clone()),
        token_type: TokenType::Oauth2,
        scopes: match &data.scope {
            Some(granted) => granted.split_whitespace().map(String::from).collect(),
            None => scopes,
        },
        expires_at,
        oauth2_client: Some(client.id),
        client_credentials: matches!(request, Request::ClientCredentials { .. }),
    };
    let operation = vault.operation();
    let (meta, replaced): (CredentialMeta, bool) = vault.write(|tx| {
        let replaced = tx.credential(&new.user, &new.integration)?.is_some();
        let meta = tx.put(&sealer, &new, &data, received)?;
        let access = Access::to(operation, &meta.user, &meta.integration, Outcome::Changed);
        tx.record(&access)?;
        Ok((meta, replaced))
    })?;
    if let Some(bad) = bad_expiry {
        return Err(crate::refresh::expired_on_arrival(&bad));
    }
    if json {
        return super::print_record(ctx, &meta, &data, false);
    }
    super::report_stored(if replaced { "replaced" } else { "stored" }, &meta);
    Ok(())
}
