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
}

/// The row identity a credential's blob is sealed to: who it belongs to and
/// every column that decides how it is used (where it is refreshed, when).
fn binding(
    user: &str,
    integration: &str,
    provider: &str,
    token_type: TokenType,
    oauth2_client: Option<i64>,
    expires_at: Option<i64>,
) -> [String; 7] {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    [
        "credential".into(),
        user.into(),
        integration.into(),
        provider.into(),
        token_type.as_str().into(),
        opt(oauth2_client),
        opt(expires_at),
    ]
}

fn as_strs(b: &[String; 7]) -> [&str; 7] {
    b.each_ref().map(String::as_str)
}

const COLUMNS: &str = "id, user, integration, provider, token_type, scopes, expires_at, \
                       created_at, updated_at, oauth2_client";

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
    })
}

impl CredentialMeta {
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
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
        stmt.query_row([user, integration], |r| Ok((meta_from_row(r)?, r.get(10)?)))
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
        let b = binding(
            &meta.user,
            &meta.integration,
            &meta.provider,
            meta.token_type,
            meta.oauth2_client,
            meta.expires_at,
        );
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
        let b = binding(
            &new.user,
            &new.integration,
            &new.provider,
            new.token_type,
            new.oauth2_client,
            new.expires_at,
        );
        let sealed = sealer.seal(&as_strs(&b), data)?;
        self.tx
            .execute(
                "INSERT INTO credentials (user, integration, provider, token_type, scopes,
                     expires_at, created_at, updated_at, oauth2_client, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)
                 ON CONFLICT (user, integration) DO UPDATE SET
                     provider = excluded.provider, token_type = excluded.token_type,
                     scopes = excluded.scopes, expires_at = excluded.expires_at,
                     updated_at = excluded.updated_at, oauth2_client = excluded.oauth2_client,
                     sealed = excluded.sealed",
                params![
                    new.user,
                    new.integration,
                    new.provider,
                    new.token_type.as_str(),
                    new.scopes.join(" "),
                    new.expires_at,
                    now,
                    new.oauth2_client,
                    sealed
                ],
            )
            .map_err(|e| self.err(e))?;
        self.credential(&new.user, &new.integration)?
            .map(|(meta, _)| meta)
            .ok_or_else(|| error::vault("a credential vanished while it was being stored"))
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
