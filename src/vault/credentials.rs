//! Credential rows: plain metadata plus one sealed blob of token data.

use super::{Sealer, Tx};
use crate::error;
use crate::token::{TokenData, TokenType};
use anyhow::Result;
use rusqlite::{OptionalExtension, Row, params};

/// Everything about a credential except its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialMeta {
    pub id: i64,
    pub user: String,
    pub integration: String,
    pub provider: String,
    pub token_type: TokenType,
    pub scopes: Vec<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub oauth2_client: Option<i64>,
    /// Renewed by re-running the client_credentials grant (no refresh token).
    pub client_credentials: bool,
}

/// What a caller decides when storing; ids and timestamps are the vault's.
#[derive(Debug, Clone)]
pub struct NewCredential {
    pub user: String,
    pub integration: String,
    pub provider: String,
    pub token_type: TokenType,
    pub scopes: Vec<String>,
    pub expires_at: Option<i64>,
    pub oauth2_client: Option<i64>,
    pub client_credentials: bool,
}

/// The row identity a credential's blob is sealed to: who it belongs to and
/// every column that decides how it is used (where it is refreshed, how,
/// when). The grant is listed only when set, so blobs sealed before that
/// column existed still open.
pub(super) fn binding(c: &NewCredential) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut b = vec![
        "credential".into(),
        c.user.clone(),
        c.integration.clone(),
        c.provider.clone(),
        c.token_type.as_str().into(),
        opt(c.oauth2_client),
        opt(c.expires_at),
    ];
    if c.client_credentials {
        b.push(CLIENT_CREDENTIALS.into());
    }
    b
}

pub(super) fn as_strs(b: &[String]) -> Vec<&str> {
    b.iter().map(String::as_str).collect()
}

const CLIENT_CREDENTIALS: &str = "client_credentials";

const COLUMNS: &str = "id, user, integration, provider, token_type, scopes, expires_at, \
                       created_at, updated_at, oauth2_client, renew_grant";

fn meta_from_row(r: &Row<'_>) -> rusqlite::Result<CredentialMeta> {
    let token_type: String = r.get(4)?;
    let scopes: String = r.get(5)?;
    Ok(CredentialMeta {
        id: r.get(0)?,
        user: r.get(1)?,
        integration: r.get(2)?,
        provider: r.get(3)?,
        token_type: TokenType::parse(&token_type).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                4,
                rusqlite::types::Type::Text,
                format!("unknown token type {token_type:?}").into(),
            )
        })?,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        expires_at: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        oauth2_client: r.get(9)?,
        client_credentials: r.get::<_, Option<String>>(10)?.as_deref() == Some(CLIENT_CREDENTIALS),
    })
}

impl CredentialMeta {
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// The fields a caller decides, for storing it again changed.
    pub fn to_new(&self) -> NewCredential {
        NewCredential {
            user: self.user.clone(),
            integration: self.integration.clone(),
            provider: self.provider.clone(),
            token_type: self.token_type,
            scopes: self.scopes.clone(),
            expires_at: self.expires_at,
            oauth2_client: self.oauth2_client,
            client_credentials: self.client_credentials,
        }
    }

    pub fn describe(&self) -> String {
        if self.user == "default" {
            format!("credential '{}'", self.integration)
        } else {
            format!("credential '{}' of user '{}'", self.integration, self.user)
        }
    }
}

impl Tx<'_> {
    /// The credential's metadata and its still-sealed token data.
    pub fn credential(
        &self,
        user: &str,
        integration: &str,
    ) -> Result<Option<(CredentialMeta, String)>> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS}, sealed FROM credentials WHERE user = ?1 AND integration = ?2"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_row([user, integration], |r| Ok((meta_from_row(r)?, r.get(11)?)))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Opens a credential's token data; a blob that fails is tampering (or
    /// the wrong key, which `diagnose` tells apart).
    pub fn unseal(
        &self,
        sealer: &Sealer,
        meta: &CredentialMeta,
        sealed: &str,
    ) -> Result<TokenData> {
        let b = binding(&meta.to_new());
        sealer
            .open(&as_strs(&b), sealed)
            .ok_or_else(|| self.diagnose(sealer, &meta.describe()))
    }

    /// Metadata of every credential of `user` (or all users), by name.
    pub fn list(&self, user: Option<&str>, provider: Option<&str>) -> Result<Vec<CredentialMeta>> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM credentials
                 WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR provider = ?2)
                 ORDER BY user, integration"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![user, provider], meta_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Adds or replaces a credential; replacing keeps its id and created_at.
    pub fn put(
        &self,
        sealer: &Sealer,
        new: &NewCredential,
        data: &TokenData,
        now: i64,
    ) -> Result<CredentialMeta> {
        let b = binding(new);
        let sealed = sealer.seal(&as_strs(&b), data)?;
        self.tx
            .execute(
                "INSERT INTO credentials (user, integration, provider, token_type, scopes,
                     expires_at, created_at, updated_at, oauth2_client, renew_grant, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10)
                 ON CONFLICT (user, integration) DO UPDATE SET
                     provider = excluded.provider, token_type = excluded.token_type,
                     scopes = excluded.scopes, expires_at = excluded.expires_at,
                     updated_at = excluded.updated_at, oauth2_client = excluded.oauth2_client,
                     renew_grant = excluded.renew_grant, sealed = excluded.sealed",
                params![
                    new.user,
                    new.integration,
                    new.provider,
                    new.token_type.as_str(),
                    new.scopes.join(" "),
                    new.expires_at,
                    now,
                    new.oauth2_client,
                    new.client_credentials.then_some(CLIENT_CREDENTIALS),
                    sealed
                ],
            )
            .map_err(|e| self.err(e))?;
        self.credential(&new.user, &new.integration)?
            .map(|(meta, _)| meta)
            .ok_or_else(|| error::vault("a credential vanished while it was being stored"))
    }

    /// Credentials of every user with their sealed blobs: all of them, or
    /// those linked to one OAuth2 client.
    pub fn sealed_credentials(&self, client: Option<i64>) -> Result<Vec<(CredentialMeta, String)>> {
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT {COLUMNS}, sealed FROM credentials
                 WHERE ?1 IS NULL OR oauth2_client = ?1 ORDER BY user, integration"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([client], |r| Ok((meta_from_row(r)?, r.get(11)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Restores a credential's original times (an import keeps history).
    pub fn set_credential_times(&self, id: i64, created_at: i64, updated_at: i64) -> Result<()> {
        self.tx
            .execute(
                "UPDATE credentials SET created_at = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, created_at, updated_at],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Removes a credential; false when there was none.
    pub fn delete(&self, user: &str, integration: &str) -> Result<bool> {
        let n = self
            .tx
            .execute(
                "DELETE FROM credentials WHERE user = ?1 AND integration = ?2",
                [user, integration],
            )
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }
}
