//! OAuth2 client rows ("OAuth2 configurations") and pending authorizations.

use super::sql::Row;
use super::{Sealer, Tx, WriteTx};
use crate::error;
use crate::oauth::AuthMethod;
use crate::secret::Secret;
use anyhow::Result;
use serde::{Deserialize, Serialize};

/// A client's settings; its secret lives in the sealed blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: i64,
    pub name: String,
    /// The preset it was made from, if any: decides request quirks.
    pub provider: Option<String>,
    pub token_url: String,
    pub auth_url: Option<String>,
    pub device_url: Option<String>,
    pub client_id: String,
    pub auth_method: AuthMethod,
    pub redirect_uri: Option<String>,
    pub scopes: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Counts the writes of this row (see `CredentialMeta::version`).
    pub version: i64,
    /// The issuer its endpoints were discovered from: an authorization
    /// response's `iss` must name it (RFC 9207).
    pub issuer: Option<String>,
    /// The issuer said it always sends `iss`, so a response without it is
    /// refused.
    pub iss_required: bool,
    /// Where its tokens are revoked (RFC 7009), from discovery or
    /// `--revocation-url`.
    pub revocation_url: Option<String>,
    /// When its client secret stops working, as the provider said.
    pub secret_expires_at: Option<i64>,
}

impl Client {
    /// What every client must be, whoever writes it (`oauth2 add`, an
    /// import): names `store` accepts, a client id that shows as it is,
    /// secrets sent only over HTTPS or to loopback, a browser sent only to
    /// an http(s) page, scopes that read back as sealed.
    pub fn check(&self) -> std::result::Result<(), String> {
        crate::text::check_name(&self.name)?;
        if let Some(p) = &self.provider {
            crate::text::check_name(p).map_err(|e| format!("provider: {e}"))?;
        }
        if self.client_id.is_empty()
            || self.client_id.len() > 1024
            || self.client_id.chars().any(crate::text::is_unsafe)
        {
            return Err("the client id must be 1 to 1024 bytes without control characters".into());
        }
        crate::http::secret_url_problem(&self.token_url)?;
        for url in [&self.device_url, &self.revocation_url]
            .into_iter()
            .flatten()
        {
            crate::http::secret_url_problem(url)?;
        }
        for url in [&self.auth_url, &self.issuer].into_iter().flatten() {
            crate::http::parse_web_url(url)?;
        }
        if let Some(uri) = &self.redirect_uri
            && (uri.is_empty()
                || uri.len() > 2048
                || !uri.contains(':')
                || uri
                    .chars()
                    .any(|c| c.is_whitespace() || crate::text::is_unsafe(c)))
        {
            return Err(format!(
                "'{}' is not a redirect URI",
                crate::text::excerpt(uri)
            ));
        }
        for scope in &self.scopes {
            crate::scope::check(scope)?;
        }
        Ok(())
    }
}

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct ClientSecrets {
    pub client_secret: Option<Secret>,
    /// A private_key_jwt client's PEM key, its key id and algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// A client assertion is addressed to the issuer (`"issuer"`) rather
    /// than the token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion_audience: Option<String>,
}

/// Sealed to every column a command shows or acts on, and the version.
pub(super) fn binding(c: &Client) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut bound = vec![
        "oauth2_client/3".into(),
        c.id.to_string(),
        c.name.clone(),
        opt(&c.provider),
        c.token_url.clone(),
        opt(&c.auth_url),
        opt(&c.device_url),
        c.client_id.clone(),
        c.auth_method.as_str().into(),
        opt(&c.redirect_uri),
        c.scopes.join(" "),
        c.created_at.to_string(),
        c.updated_at.to_string(),
        c.version.to_string(),
        opt(&c.issuer),
        c.iss_required.to_string(),
    ];
    // Bound only when set, so rows sealed before these columns existed
    // still open.
    if let Some(url) = &c.revocation_url {
        bound.extend(["revocation_url".into(), url.clone()]);
    }
    if let Some(at) = c.secret_expires_at {
        bound.extend(["secret_expires_at".into(), at.to_string()]);
    }
    bound
}

/// What rows written before versions existed were sealed to.
fn legacy_binding(c: &Client) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        "oauth2_client".into(),
        c.id.to_string(),
        c.name.clone(),
        opt(&c.provider),
        c.token_url.clone(),
        opt(&c.auth_url),
        opt(&c.device_url),
        c.client_id.clone(),
        c.auth_method.as_str().into(),
        opt(&c.redirect_uri),
    ]
}

fn pending_binding(
    state: &str,
    client: i64,
    redirect_uri: Option<&str>,
    expires_at: i64,
) -> Vec<String> {
    vec![
        "pending".into(),
        state.into(),
        client.to_string(),
        redirect_uri.unwrap_or_default().into(),
        expires_at.to_string(),
    ]
}

pub(super) fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

const COLUMNS: &str = "id, name, provider, token_url, auth_url, device_url, client_id, \
                       auth_method, redirect_uri, scopes, created_at, updated_at, version, \
                       issuer, iss_required, revocation_url, secret_expires_at";

/// The column after COLUMNS: the sealed blob.
const SEALED: usize = 17;

fn client_from_row(r: &Row<'_>) -> Result<Client> {
    let method = r.text(7)?;
    Ok(Client {
        id: r.int(0)?,
        name: r.text(1)?,
        provider: r.opt_text(2)?,
        token_url: r.text(3)?,
        auth_url: r.opt_text(4)?,
        device_url: r.opt_text(5)?,
        client_id: r.text(6)?,
        auth_method: AuthMethod::parse(&method).ok_or_else(|| {
            error::vault(format!(
                "the vault {} is damaged: a client has the unknown auth method '{}'; restore it from a backup",
                r.shown,
                crate::text::excerpt(&method)
            ))
        })?,
        redirect_uri: r.opt_text(8)?,
        scopes: r.text(9)?.split_whitespace().map(String::from).collect(),
        created_at: r.int(10)?,
        updated_at: r.int(11)?,
        version: r.int(12)?,
        issuer: r.opt_text(13)?,
        iss_required: r.flag(14)?,
        revocation_url: r.opt_text(15)?,
        secret_expires_at: r.opt_int(16)?,
    })
}

impl Tx<'_> {
    /// A client by name, or by numeric id.
    pub fn client(&self, name_or_id: &str) -> Result<Option<(Client, String)>> {
        let id: Option<i64> = name_or_id.parse().ok();
        self.query_one(
            &format!(
                "SELECT {COLUMNS}, sealed FROM oauth2_clients
                 WHERE name = ?1 OR (CAST(?2 AS BIGINT) IS NOT NULL AND id = ?2)
                 ORDER BY CASE WHEN name = ?1 THEN 0 ELSE 1 END LIMIT 1"
            ),
            &[name_or_id.into(), id.into()],
        )?
        .map(|r| Ok((client_from_row(&r)?, r.text(SEALED)?)))
        .transpose()
    }

    pub fn client_by_id(&self, id: i64) -> Result<Option<(Client, String)>> {
        self.query_one(
            &format!("SELECT {COLUMNS}, sealed FROM oauth2_clients WHERE id = ?1"),
            &[id.into()],
        )?
        .map(|r| Ok((client_from_row(&r)?, r.text(SEALED)?)))
        .transpose()
    }

    pub fn clients(&self) -> Result<Vec<Client>> {
        self.query(
            &format!("SELECT {COLUMNS} FROM oauth2_clients ORDER BY name"),
            &[],
        )?
        .iter()
        .map(client_from_row)
        .collect()
    }

    pub fn unseal_client(
        &self,
        sealer: &Sealer,
        client: &Client,
        sealed: &str,
    ) -> Result<ClientSecrets> {
        let opened = if client.version == 0 && self.legacy_seals_allowed(sealer)? {
            sealer.open(&strs(&legacy_binding(client)), sealed)
        } else {
            sealer.open(&strs(&binding(client)), sealed)
        };
        opened.ok_or_else(|| self.diagnose(sealer, &format!("OAuth2 client '{}'", client.name)))
    }

    fn client_by_name(&self, name: &str) -> Result<Option<Client>> {
        Ok(self
            .client(name)?
            .map(|(c, _)| c)
            .filter(|c| c.name == name))
    }

    /// Every client with its sealed blob.
    pub fn all_clients(&self) -> Result<Vec<(Client, String)>> {
        self.query(
            &format!("SELECT {COLUMNS}, sealed FROM oauth2_clients ORDER BY name"),
            &[],
        )?
        .iter()
        .map(|r| Ok((client_from_row(r)?, r.text(SEALED)?)))
        .collect()
    }
}

impl WriteTx<'_> {
    /// Seals `secrets` into the client's row as it now is (same version).
    pub(super) fn reseal_client(
        &self,
        sealer: &Sealer,
        client: &Client,
        secrets: &ClientSecrets,
    ) -> Result<()> {
        let sealed = sealer.seal(&strs(&binding(client)), secrets)?;
        self.run(
            "UPDATE oauth2_clients SET sealed = ?2, version = ?3 WHERE id = ?1",
            &[client.id.into(), sealed.into(), client.version.into()],
        )?;
        Ok(())
    }

    /// Adds a client, or replaces the one of that name keeping its id (so
    /// credentials stay linked) and created_at. `client.id` is ignored.
    pub fn put_client(
        &self,
        sealer: &Sealer,
        client: &Client,
        secrets: &ClientSecrets,
        now: i64,
    ) -> Result<Client> {
        self.put_client_with_times(sealer, client, secrets, None, now)
    }

    /// `put_client` with the times given (an import keeps history).
    pub fn put_client_with_times(
        &self,
        sealer: &Sealer,
        client: &Client,
        secrets: &ClientSecrets,
        created_at: Option<i64>,
        updated_at: i64,
    ) -> Result<Client> {
        client.check().map_err(|e| {
            error::usage(format!(
                "OAuth2 client '{}': {e}; nothing was stored",
                crate::text::excerpt(&client.name)
            ))
        })?;
        let existing = self.client_by_name(&client.name)?;
        // An id is never given to another client after a removal: a
        // credential or script that names the old one must not find a
        // stranger. The highest id ever given is kept in `meta`.
        let id: i64 = match &existing {
            Some(c) => c.id,
            None => {
                let after_rows = match self
                    .query_one("SELECT coalesce(max(id), 0) + 1 FROM oauth2_clients", &[])?
                {
                    Some(r) => r.int(0)?,
                    None => 1,
                };
                let after_given = self
                    .meta("last_client_id")?
                    .and_then(|v| v.parse::<i64>().ok())
                    .map_or(1, |v| v.saturating_add(1));
                let id = after_rows.max(after_given);
                self.set_meta("last_client_id", &id.to_string())?;
                id
            }
        };
        let row = Client {
            id,
            created_at: created_at
                .or(existing.as_ref().map(|c| c.created_at))
                .unwrap_or(updated_at),
            updated_at,
            version: existing.as_ref().map_or(0, |c| c.version) + 1,
            ..client.clone()
        };
        let sealed = sealer.seal(&strs(&binding(&row)), secrets)?;
        self.run(
            "INSERT INTO oauth2_clients (id, name, provider, token_url, auth_url,
                 device_url, client_id, auth_method, redirect_uri, scopes, created_at,
                 updated_at, version, issuer, iss_required, revocation_url,
                 secret_expires_at, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?18)
             ON CONFLICT (id) DO UPDATE SET
                 name = excluded.name, provider = excluded.provider,
                 token_url = excluded.token_url, auth_url = excluded.auth_url,
                 device_url = excluded.device_url, client_id = excluded.client_id,
                 auth_method = excluded.auth_method, redirect_uri = excluded.redirect_uri,
                 scopes = excluded.scopes, created_at = excluded.created_at,
                 updated_at = excluded.updated_at, version = excluded.version,
                 issuer = excluded.issuer, iss_required = excluded.iss_required,
                 revocation_url = excluded.revocation_url,
                 secret_expires_at = excluded.secret_expires_at,
                 sealed = excluded.sealed",
            &[
                row.id.into(),
                (&row.name).into(),
                row.provider.clone().into(),
                (&row.token_url).into(),
                row.auth_url.clone().into(),
                row.device_url.clone().into(),
                (&row.client_id).into(),
                row.auth_method.as_str().into(),
                row.redirect_uri.clone().into(),
                row.scopes.join(" ").into(),
                row.created_at.into(),
                row.updated_at.into(),
                row.version.into(),
                row.issuer.clone().into(),
                row.iss_required.into(),
                row.revocation_url.clone().into(),
                row.secret_expires_at.into(),
                sealed.into(),
            ],
        )?;
        Ok(row)
    }

    pub fn remove_client(&self, id: i64) -> Result<()> {
        self.run(
            "DELETE FROM pending_authorizations WHERE client = ?1",
            &[id.into()],
        )?;
        self.run("DELETE FROM oauth2_clients WHERE id = ?1", &[id.into()])?;
        Ok(())
    }

    /// Keeps a PKCE verifier for a later `exchange-code`.
    pub fn put_pending(
        &self,
        sealer: &Sealer,
        state: &str,
        client: i64,
        redirect_uri: Option<&str>,
        verifier: &Secret,
        expires_at: i64,
    ) -> Result<()> {
        let sealed = sealer.seal(
            &strs(&pending_binding(state, client, redirect_uri, expires_at)),
            verifier,
        )?;
        self.run(
            "INSERT INTO pending_authorizations (state, client, redirect_uri, expires_at, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &[
                state.into(),
                client.into(),
                redirect_uri.into(),
                expires_at.into(),
                sealed.into(),
            ],
        )?;
        Ok(())
    }

    /// Takes (and removes) the pending authorization with `state`, or the
    /// only one of `client`; expired ones are dropped on the way. With
    /// several and no state it is ambiguous which code belongs to which
    /// verifier: that is an error listing them, never a guess.
    pub fn take_pending(
        &self,
        sealer: &Sealer,
        client: i64,
        state: Option<&str>,
        now: i64,
    ) -> Result<Option<(Option<String>, Secret)>> {
        self.run(
            "DELETE FROM pending_authorizations WHERE expires_at <= ?1",
            &[now.into()],
        )?;
        if state.is_none() {
            let pending: Vec<(String, i64)> = self
                .query(
                    "SELECT state, expires_at FROM pending_authorizations WHERE client = ?1 ORDER BY expires_at",
                    &[client.into()],
                )?
                .iter()
                .map(|r| Ok((r.text(0)?, r.int(1)?)))
                .collect::<Result<_>>()?;
            if pending.len() > 1 {
                let list: Vec<String> = pending
                    .iter()
                    .map(|(s, exp)| format!("{s} (until {})", crate::time::timestamp(*exp)))
                    .collect();
                return Err(error::usage(format!(
                    "{} authorization URLs are pending for this client; say which one the code \
                     answers with --state (or pass the whole redirect URL as --code): {}",
                    pending.len(),
                    list.join(", ")
                )));
            }
        }
        let row: Option<(String, Option<String>, i64, String)> = self
            .query_one(
                "SELECT state, redirect_uri, expires_at, sealed FROM pending_authorizations
                 WHERE client = ?1 AND (CAST(?2 AS TEXT) IS NULL OR state = ?2)
                 ORDER BY expires_at DESC LIMIT 1",
                &[client.into(), state.into()],
            )?
            .map(|r| -> Result<_> { Ok((r.text(0)?, r.opt_text(1)?, r.int(2)?, r.text(3)?)) })
            .transpose()?;
        let Some((state, redirect_uri, expires_at, sealed)) = row else {
            return Ok(None);
        };
        let verifier: Secret = sealer
            .open(
                &strs(&pending_binding(
                    &state,
                    client,
                    redirect_uri.as_deref(),
                    expires_at,
                )),
                &sealed,
            )
            .ok_or_else(|| self.diagnose(sealer, "a pending authorization"))?;
        self.run(
            "DELETE FROM pending_authorizations WHERE state = ?1",
            &[(&state).into()],
        )?;
        Ok(Some((redirect_uri, verifier)))
    }
}

/// "not found" for a client name, pointing at the list.
pub fn client_not_found(name: &str) -> anyhow::Error {
    error::not_found(format!(
        "no OAuth2 client '{name}' (see `tokvault oauth2 list`)"
    ))
}
