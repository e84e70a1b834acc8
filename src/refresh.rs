//! Keeping a credential valid: when to renew it, and renewing it so that a
//! token the provider issues is never lost and never raced.
//!
//! The credential's own lock is taken *before* the token endpoint is
//! called, and the credential is read again under it: a sibling process may
//! already have renewed it, and then its result is used as is. The answer
//! is committed in a short transaction before anything is printed; a
//! failure leaves the credential exactly as it was. Other credentials, and
//! every reader, go on meanwhile.

use crate::app::Vault;
use crate::audit::{Access, Outcome};
use crate::error::{self, Error};
use crate::oauth::{self, AuthMethod, BodyFormat, Endpoint, Grant, GrantFailed};
use crate::providers;
use crate::secret::Secret;
use crate::session::Context;
use crate::token::{self, TokenData};
use crate::vault::{CredentialMeta, Sealer, Tx};
use anyhow::Result;

/// Whether and when to renew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// When the token expires within this many seconds (capped at half its
    /// lifetime, so short-lived tokens are not renewed on every call).
    Auto { min_valid: i64 },
    /// Now, whatever the expiry.
    Force,
    /// Never call the network.
    Never,
}

pub struct Fresh {
    pub meta: CredentialMeta,
    pub data: TokenData,
    /// This process renewed it (not a sibling, not nobody).
    pub refreshed: bool,
}

fn due(meta: &CredentialMeta, data: &TokenData, now: i64, policy: Policy) -> bool {
    match policy {
        Policy::Never => false,
        Policy::Force => true,
        // A refresh-token-only credential has nothing to print yet.
        Policy::Auto { .. } if data.primary(meta.token_type).is_none() => true,
        Policy::Auto { min_valid } => meta.expires_at.is_some_and(|expires| {
            let lifetime = (expires - meta.updated_at).max(0);
            expires - now <= min_valid.min(lifetime / 2)
        }),
    }
}

/// Something to renew with: a refresh token, a client_credentials grant
/// or a key to mint with. Such a credential's token is tokvault's alone to
/// write.
pub fn renewable(meta: &CredentialMeta, data: &TokenData) -> bool {
    meta.client_credentials || data.refresh_token.is_some() || data.identity.is_some()
}

/// A credential as read (without a lock), made valid according to `policy`.
pub fn ensure(
    ctx: &Context,
    vault: &mut Vault,
    sealer: &Sealer,
    meta: CredentialMeta,
    data: TokenData,
    policy: Policy,
) -> Result<Fresh> {
    meta.check_not_revoked()?;
    if !due(&meta, &data, ctx.now, policy) {
        return Ok(Fresh {
            meta,
            data,
            refreshed: false,
        });
    }
    if !renewable(&meta, &data) {
        if policy == Policy::Force && meta.is_expired_at(ctx.now) {
            return Err(Error::Expired(format!(
                "{} has expired and cannot be refreshed: it has no refresh token; store a new token",
                meta.describe()
            ))
            .into());
        }
        // Still valid, or never expiring (an API key): nothing to do, and
        // nothing has gone wrong either.
        if policy == Policy::Force {
            return Err(anyhow::anyhow!(
                "{} has nothing to refresh: it holds no refresh token or grant ({}); \
                 it is unchanged",
                meta.describe(),
                meta.expires_at
                    .map_or("it never expires".to_string(), |t| format!(
                        "it stays valid until {}",
                        crate::time::timestamp(t)
                    ))
            ));
        }
        return Ok(Fresh {
            meta,
            data,
            refreshed: false,
        });
    }
    let what = meta.describe();
    let (_lock, current, data) = held(vault, sealer, &meta)?;
    let now = jiff::Timestamp::now().as_second();
    // Renewed by a sibling while this process waited: a forced refresh is
    // satisfied by it too, since it happened after the command started.
    let renewed_meanwhile = current.version != meta.version;
    if (policy == Policy::Force && renewed_meanwhile)
        || (policy != Policy::Force && !due(&current, &data, now, policy))
    {
        return Ok(Fresh {
            meta: current,
            data,
            refreshed: false,
        });
    }
    let sent = data.refresh_token.clone();
    let result =
        renew(ctx, vault, sealer, &current, &data, now).and_then(|(next, new_data, bad)| {
            let meta = store_answer(vault, sealer, &current, &next, &new_data, now)?;
            let fresh = Fresh {
                meta,
                data: new_data,
                refreshed: true,
            };
            Ok((fresh, bad))
        });
    match result {
        Err(failed) if is_invalid_grant(&failed.error) && sent.is_some() => {
            match adopt_rotated(vault, sealer, &current, sent.as_ref())? {
                Some(fresh) => Ok(fresh),
                None => Err(failed
                    .error
                    .context(format!("refreshing {what} failed; it is unchanged"))),
            }
        }
        Err(GrantFailed {
            error,
            rotated: Some(rotated),
        }) if Some(&rotated) != sent.as_ref() => {
            let mut kept = data.clone();
            kept.refresh_token = Some(rotated);
            store_answer(vault, sealer, &current, &current.to_new(), &kept, now)?;
            Err(error.context(format!(
                "refreshing {what} failed, but the new refresh token in the answer is stored"
            )))
        }
        Err(failed) => Err(failed
            .error
            .context(format!("refreshing {what} failed; it is unchanged"))),
        Ok((_, Some(bad))) => Err(expired_on_arrival(&bad).context(format!("refreshed {what}"))),
        Ok((fresh, None)) => Ok(fresh),
    }
}

/// `meta`'s credential under its lock, as it is now: another process may
/// have renewed, revoked or deleted it while this one waited.
fn held(
    vault: &Vault,
    sealer: &Sealer,
    meta: &CredentialMeta,
) -> Result<(crate::vault::CredentialLock, CredentialMeta, TokenData)> {
    let lock = vault.hold(&meta.user, &meta.integration)?;
    let (current, sealed) = vault
        .read()
        .credential(&meta.user, &meta.integration)?
        .ok_or_else(|| error::not_found(format!("{} was deleted meanwhile", meta.describe())))?;
    current.check_not_revoked()?;
    let data = vault.read().unseal(sealer, &current, &sealed)?;
    Ok((lock, current, data))
}

/// A token other than the stored one, for a broker: for other scopes
/// (another resource's), or an ID token for an audience.
#[derive(Debug, Clone, Copy)]
pub enum Asked<'a> {
    Scopes(&'a [String]),
    Audience(&'a str),
}

impl Asked<'_> {
    pub fn describe(&self) -> String {
        match self {
            Asked::Scopes(scopes) => scopes.join(" "),
            Asked::Audience(audience) => format!("an ID token for {audience}"),
        }
    }
}

/// A token of another kind than the stored one (`asked`), under the
/// credential's lock: minted with a machine identity's key for those
/// scopes or that audience, or by the refresh-token grant for other
/// scopes. The token is the caller's to keep; only a rotated refresh token
/// in the answer is stored, since the old one may no longer work.
pub fn another_token(
    ctx: &Context,
    vault: &mut Vault,
    sealer: &Sealer,
    meta: &CredentialMeta,
    asked: Asked<'_>,
) -> Result<TokenData> {
    let what = meta.describe();
    let (_lock, current, data) = held(vault, sealer, meta)?;
    if let Some(identity) = &data.identity {
        return mint_another(ctx, &current, &data, identity, asked);
    }
    let Asked::Scopes(scopes) = asked else {
        return Err(error::not_found(format!(
            "{what} can make no ID token for another audience than its own id_token's"
        )));
    };
    let refresh_token = data.refresh_token.as_ref().ok_or_else(|| {
        Error::Expired(format!(
            "{what} holds no refresh token to ask for {} with",
            scopes.join(" ")
        ))
    })?;
    let client = client_for(&vault.read(), sealer, &current, &data)?;
    let grant = Grant::RefreshToken {
        refresh_token,
        scopes,
    };
    let now = jiff::Timestamp::now().as_second();
    let (answer, rotated) = match oauth::request(&ctx.http(), &client.endpoint(), &grant) {
        Ok(answer) => {
            let rotated = answer.refresh_token.clone();
            (Ok(answer), rotated)
        }
        Err(GrantFailed { error, rotated }) => (Err(error), rotated),
    };
    if let Some(rotated) = rotated.filter(|r| r != refresh_token) {
        let mut kept = data.clone();
        kept.refresh_token = Some(rotated);
        store_answer(vault, sealer, &current, &current.to_new(), &kept, now)?;
    }
    answer.map_err(|e| {
        e.context(format!(
            "asking for a token of {what} for {}",
            scopes.join(" ")
        ))
    })
}

/// Commits a provider's answer. A database vault whose connection dropped
/// while the provider answered (taking the credential's lock with it) is
/// connected to again and the lock taken again: the answer may hold the
/// only copy of a rotated refresh token. It is stored unless another
/// process wrote the credential meanwhile, whose result then stands.
fn store_answer(
    vault: &mut Vault,
    sealer: &Sealer,
    read: &CredentialMeta,
    next: &crate::vault::NewCredential,
    data: &TokenData,
    now: i64,
) -> Result<CredentialMeta> {
    // A machine identity's token is minted; any other is refreshed.
    let operation = if data.identity.is_some() {
        "mint"
    } else {
        "refresh"
    };
    let put = |w: &crate::app::Writer<'_, '_>| {
        let meta = w.put(sealer, next, data, now)?;
        w.record(&Access::to(
            operation,
            &meta.user,
            &meta.integration,
            Outcome::Changed,
        ))?;
        Ok(meta)
    };
    let first = vault.write(put);
    let e = match first {
        Ok(meta) => return Ok(meta),
        Err(e) if vault.connection_lost() => e,
        Err(e) => return Err(e),
    };
    let what = read.describe();
    vault.reconnect().map_err(|again| {
        again.context(format!(
            "{e:#}; the new token of {what} could not be stored"
        ))
    })?;
    let _lock = vault.hold(&read.user, &read.integration)?;
    let now_there = vault.read().credential(&read.user, &read.integration)?;
    match now_there {
        // Unchanged, and still under this key (a rekey meanwhile reseals
        // rows without a new version).
        Some((meta, sealed))
            if meta.version == read.version
                && vault.read().unseal(sealer, &meta, &sealed).is_ok() =>
        {
            vault.write(put)
        }
        _ => Err(e.context(format!(
            "{what} was written by another process while the connection was down; its result stands"
        ))),
    }
}

/// After `invalid_grant`: a refresh token that changed since it was sent
/// means someone else (a process that bypassed this credential's lock, on
/// another machine sharing the grant) rotated it; their result is adopted.
/// An unchanged one means the grant is really dead.
fn adopt_rotated(
    vault: &Vault,
    sealer: &Sealer,
    meta: &CredentialMeta,
    sent: Option<&Secret>,
) -> Result<Option<Fresh>> {
    let Some((meta, sealed)) = vault.read().credential(&meta.user, &meta.integration)? else {
        return Ok(None);
    };
    let data = vault.read().unseal(sealer, &meta, &sealed)?;
    Ok((data.refresh_token.as_ref() != sent).then_some(Fresh {
        meta,
        data,
        refreshed: false,
    }))
}

/// Tokens that were expired when they arrived: stored (a rotated refresh
/// token must not be lost), and reported as what the provider sent.
pub fn expired_on_arrival(bad: &token::BadExpiry) -> anyhow::Error {
    Error::Network(format!(
        "network: the token endpoint's answer is unusable: {bad} (the tokens it sent are stored)"
    ))
    .into()
}

fn is_invalid_grant(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| matches!(c.downcast_ref::<Error>(), Some(Error::ProviderRefused(r)) if r.error == "invalid_grant"))
}

/// Runs the renewing grant and merges its answer into the credential.
fn renew(
    ctx: &Context,
    vault: &Vault,
    sealer: &Sealer,
    meta: &CredentialMeta,
    old: &TokenData,
    now: i64,
) -> std::result::Result<
    (
        crate::vault::NewCredential,
        TokenData,
        Option<token::BadExpiry>,
    ),
    GrantFailed,
> {
    if let Some(identity) = &old.identity {
        return Ok(mint(ctx, meta, old, identity, now)?);
    }
    let client = client_for(&vault.read(), sealer, meta, old)?;
    let endpoint = client.endpoint();
    let grant = match (&old.refresh_token, meta.client_credentials) {
        (_, true) => Grant::ClientCredentials {
            scopes: &meta.scopes,
        },
        (Some(rt), false) => Grant::RefreshToken {
            refresh_token: rt,
            scopes: &[],
        },
        (None, false) => unreachable!("checked by renewable()"),
    };
    let mut new = oauth::request(&ctx.http(), &endpoint, &grant)?;
    token::stamp_refresh_expiry(&mut new, now);
    // Providers that do not rotate (Google) send no refresh token: the old
    // one stays valid, and so does what was said of its end. Likewise an
    // id_token is sent only sometimes.
    if new.refresh_token.is_none() {
        new.refresh_token = old.refresh_token.clone();
        if let Some(at) = token::refresh_expires_at(old) {
            new.extra
                .insert(token::REFRESH_EXPIRES_AT.into(), at.into());
        }
    }
    if new.id_token.is_none() {
        new.id_token = old.id_token.clone();
    }
    if new.client_id.is_none() {
        new.client_id = old.client_id.clone();
        new.client_secret = old.client_secret.clone();
    }
    let mut next = meta.to_new();
    let (expires_at, bad) = token::issued_expiry(&new, now);
    next.expires_at = expires_at;
    if let Some(scope) = &new.scope {
        next.scopes = scope.split_whitespace().map(String::from).collect();
    }
    Ok((next, new, bad))
}

/// A machine identity's token for other scopes or an audience: the same
/// key, another assertion. Only the token is kept, not the key.
fn mint_another(
    ctx: &Context,
    meta: &CredentialMeta,
    data: &TokenData,
    identity: &crate::mint::Identity,
    asked: Asked<'_>,
) -> Result<TokenData> {
    use crate::mint::Identity;
    let mut identity = identity.clone();
    match (&mut identity, asked) {
        (
            Identity::GoogleServiceAccount {
                scopes, audience, ..
            },
            Asked::Scopes(asked),
        ) => {
            *scopes = asked.to_vec();
            *audience = None;
        }
        (Identity::GoogleServiceAccount { audience, .. }, Asked::Audience(asked)) => {
            *audience = Some(asked.to_string());
        }
        (Identity::GithubApp { .. }, _) => {
            return Err(error::not_found(format!(
                "{} mints installation tokens only",
                meta.describe()
            )));
        }
    }
    let now = jiff::Timestamp::now().as_second();
    let (next, minted, _) = mint(ctx, meta, data, &identity, now)?;
    Ok(TokenData {
        access_token: minted.access_token.clone(),
        token_type: Some("Bearer".into()),
        expires_in: next.expires_at.map(|at| at - now),
        scope: match asked {
            Asked::Scopes(scopes) => Some(scopes.join(" ")),
            Asked::Audience(_) => None,
        },
        ..TokenData::default()
    })
}

/// A machine identity's new token, signed for with its private key.
fn mint(
    ctx: &Context,
    meta: &CredentialMeta,
    old: &TokenData,
    identity: &crate::mint::Identity,
    now: i64,
) -> Result<(
    crate::vault::NewCredential,
    TokenData,
    Option<token::BadExpiry>,
)> {
    let pem = old
        .private_key
        .as_ref()
        .ok_or_else(|| Error::Vault(format!("{} has lost its private key", meta.describe())))?;
    let key = crate::jws::SigningKey::from_pem(pem, None)
        .map_err(|why| Error::Vault(format!("{}: its private key is {why}", meta.describe())))?;
    let minted = crate::mint::mint(&ctx.http(), identity, &key, now)?;
    let mut data = old.clone();
    data.access_token = Some(minted.token);
    data.expires_in = None;
    let mut next = meta.to_new();
    next.expires_at = Some(minted.expires_at);
    Ok((next, data, None))
}

/// A client's settings, resolved from an OAuth2 client row or from the
/// client_id / client_secret kept in the token data plus a preset.
pub struct ClientConfig {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub auth_method: AuthMethod,
    pub body: BodyFormat,
    pub private_key: Option<Secret>,
    pub key_id: Option<String>,
    pub alg: Option<crate::jws::Alg>,
    pub assertion_audience: Option<String>,
}

impl ClientConfig {
    pub fn endpoint(&self) -> Endpoint<'_> {
        Endpoint {
            token_url: &self.token_url,
            client_id: &self.client_id,
            client_secret: self.client_secret.as_ref(),
            auth_method: self.auth_method,
            body: self.body,
            private_key: self.private_key.as_ref(),
            key_id: self.key_id.as_deref(),
            alg: self.alg,
            assertion_audience: self.assertion_audience.as_deref(),
        }
    }

    pub fn from_client(
        client: &crate::vault::Client,
        secrets: crate::vault::ClientSecrets,
    ) -> Self {
        ClientConfig {
            token_url: client.token_url.clone(),
            client_id: client.client_id.clone(),
            client_secret: secrets.client_secret,
            auth_method: client.auth_method,
            body: providers::body_format(client.provider.as_deref()),
            private_key: secrets.private_key,
            key_id: secrets.key_id,
            alg: secrets.alg.as_deref().and_then(crate::jws::Alg::parse),
            assertion_audience: match secrets.assertion_audience.as_deref() {
                Some("issuer") => client.issuer.clone(),
                _ => None,
            },
        }
    }
}

pub fn client_for(
    tx: &Tx<'_>,
    sealer: &Sealer,
    meta: &CredentialMeta,
    data: &TokenData,
) -> Result<ClientConfig> {
    if let Some(id) = meta.oauth2_client {
        let (client, sealed) = tx.client_by_id(id)?.ok_or_else(|| {
            error::not_found(format!(
                "{}: its OAuth2 client (id {id}) was removed",
                meta.describe()
            ))
        })?;
        let secrets = tx.unseal_client(sealer, &client, &sealed)?;
        return Ok(ClientConfig::from_client(&client, secrets));
    }
    let preset = providers::find(&meta.provider).filter(|p| p.token_url.is_some());
    match (preset, &data.client_id) {
        (Some(p), Some(client_id)) => Ok(ClientConfig {
            token_url: p.token_url.unwrap_or_default().replace(providers::TENANT, "common"),
            client_id: client_id.clone(),
            client_secret: data.client_secret.clone(),
            auth_method: if data.client_secret.is_some() { p.auth_method } else { AuthMethod::None },
            body: p.body,
            private_key: None,
            key_id: None,
            alg: None,
            assertion_audience: None,
        }),
        _ => Err(Error::Expired(format!(
            "{} has no OAuth2 client to refresh with: link one with `tokvault store {} --oauth2 CLIENT ...`, \
             or keep client_id and client_secret in its token data",
            meta.describe(),
            meta.integration
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::TokenType;

    fn meta(kind: TokenType, updated_at: i64, expires_at: Option<i64>) -> CredentialMeta {
        CredentialMeta {
            id: 1,
            user: "default".into(),
            integration: "x".into(),
            provider: "p".into(),
            token_type: kind,
            scopes: Vec::new(),
            expires_at,
            created_at: updated_at,
            updated_at,
            oauth2_client: None,
            client_credentials: false,
            renewal: None,
            version: 1,
            revoked_at: None,
        }
    }

    fn data(access: Option<&str>, refresh: Option<&str>) -> TokenData {
        TokenData {
            access_token: access.map(Secret::new),
            refresh_token: refresh.map(Secret::new),
            ..TokenData::default()
        }
    }

    /// When a credential is due: each row one case, as `get` meets it.
    #[test]
    fn when_a_credential_is_due() {
        let auto = Policy::Auto { min_valid: 60 };
        let now = 1_000_000;
        let oauth = TokenType::Oauth2;
        #[rustfmt::skip]
        let cases: &[(&str, CredentialMeta, TokenData, Policy, bool)] = &[
            ("never asks the network",         meta(oauth, now - 10, Some(now - 1)), data(Some("a"), Some("r")), Policy::Never, false),
            ("force renews a fresh token",      meta(oauth, now - 10, Some(now + 3600)), data(Some("a"), Some("r")), Policy::Force, true),
            ("nothing to print yet",            meta(oauth, now, None), data(None, Some("r")), auto, true),
            ("expired",                         meta(oauth, now - 7200, Some(now - 1)), data(Some("a"), Some("r")), auto, true),
            ("expires within min_valid",        meta(oauth, now - 3600, Some(now + 59)), data(Some("a"), Some("r")), auto, true),
            ("valid beyond min_valid",          meta(oauth, now - 3600, Some(now + 61)), data(Some("a"), Some("r")), auto, false),
            ("short-lived: over half left",    meta(oauth, now - 29, Some(now + 31)), data(Some("a"), Some("r")), auto, false),
            ("short-lived: under half left",    meta(oauth, now - 31, Some(now + 29)), data(Some("a"), Some("r")), auto, true),
            ("no expiry is never due",          meta(oauth, now - 10, None), data(Some("a"), Some("r")), auto, false),
            ("an api key with no expiry",       meta(TokenType::ApiKey, now, None), TokenData { api_key: Some(Secret::new("k")), ..TokenData::default() }, auto, false),
        ];
        for (what, meta, data, policy, want) in cases {
            assert_eq!(due(meta, data, now, *policy), *want, "{what}");
        }
    }

    #[test]
    fn what_can_be_renewed() {
        let m = meta(TokenType::Oauth2, 0, None);
        assert!(renewable(&m, &data(Some("a"), Some("r"))));
        assert!(!renewable(&m, &data(Some("a"), None)));
        let cc = CredentialMeta {
            client_credentials: true,
            ..m.clone()
        };
        assert!(renewable(&cc, &data(Some("a"), None)));
    }
}
