//! Credential rows: plain metadata plus one sealed blob of token data.

use super::sql::Row;
use super::{Sealer, Tx, WriteTx};
use crate::token::{TokenData, TokenType};
use anyhow::Result;

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
    /// What it needs on its next use, said without the key (see
    /// `renewal`): `client_credentials`, a machine identity's kind, or
    /// `refresh_token` for one that holds no access token yet.
    pub renewal: Option<String>,
    /// Counts the writes of this row; sealed with the blob, so an older
    /// blob put back under newer metadata is detected.
    pub version: i64,
    /// When `revoke` revoked its tokens at the provider; storing it again
    /// clears it.
    pub revoked_at: Option<i64>,
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

/// The row a credential's blob is sealed to: every column a command shows
/// or acts on, and the row's version. Rows written before versions existed
/// (version 0) were sealed to fewer columns; `legacy_binding` opens them
/// until the vault is next written with its key (see `Tx::upgrade_seals`).
pub(super) fn binding(m: &CredentialMeta) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut bound = vec![
        "credential/3".into(),
        m.user.clone(),
        m.integration.clone(),
        m.provider.clone(),
        m.token_type.as_str().into(),
        opt(m.oauth2_client),
        opt(m.expires_at),
        // Only what decides renewal is sealed: the other renewal values
        // (a machine identity's kind, "refresh_token") are for `list` to
        // show, and older tokvaults read such rows as they always did.
        if m.client_credentials {
            CLIENT_CREDENTIALS.into()
        } else {
            String::new()
        },
        m.scopes.join(" "),
        m.created_at.to_string(),
        m.updated_at.to_string(),
        m.version.to_string(),
    ];
    // Bound only when set, so rows sealed before the column existed open.
    if let Some(at) = m.revoked_at {
        bound.extend(["revoked_at".into(), at.to_string()]);
    }
    bound
}

fn legacy_binding(m: &CredentialMeta) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut b = vec![
        "credential".into(),
        m.user.clone(),
        m.integration.clone(),
        m.provider.clone(),
        m.token_type.as_str().into(),
        opt(m.oauth2_client),
        opt(m.expires_at),
    ];
    if m.client_credentials {
        b.push(CLIENT_CREDENTIALS.into());
    }
    b
}

pub(super) fn as_strs(b: &[String]) -> Vec<&str> {
    b.iter().map(String::as_str).collect()
}

const CLIENT_CREDENTIALS: &str = "client_credentials";

/// The `renew_grant` column: how the credential gets its next token, when
/// that is not an access token's own refresh. Derived from what is sealed
/// whenever the row is written, so no writer decides it.
fn renewal(new: &NewCredential, data: &TokenData) -> Option<&'static str> {
    use crate::mint::Identity;
    if new.client_credentials {
        return Some(CLIENT_CREDENTIALS);
    }
    match &data.identity {
        Some(Identity::GithubApp { .. }) => Some("github-app"),
        Some(Identity::GoogleServiceAccount { .. }) => Some("google-service-account"),
        None if data.primary(new.token_type).is_none() && data.refresh_token.is_some() => {
            Some("refresh_token")
        }
        None => None,
    }
}

const COLUMNS: &str = "id, \"user\", integration, provider, token_type, scopes, expires_at, \
                       created_at, updated_at, oauth2_client, renew_grant, version, revoked_at";

/// The column after COLUMNS: the sealed blob.
const SEALED: usize = 13;

fn meta_from_row(r: &Row<'_>) -> Result<CredentialMeta> {
    let token_type = r.text(4)?;
    let renewal = r.opt_text(10)?;
    Ok(CredentialMeta {
        id: r.int(0)?,
        user: r.text(1)?,
        integration: r.text(2)?,
        provider: r.text(3)?,
        token_type: TokenType::parse(&token_type).ok_or_else(|| {
            crate::error::vault(format!(
                "the vault {} is damaged: a credential has the unknown type '{}'; restore it from a backup",
                r.shown,
                crate::text::excerpt(&token_type)
            ))
        })?,
        scopes: r.text(5)?.split_whitespace().map(String::from).collect(),
        expires_at: r.opt_int(6)?,
        created_at: r.int(7)?,
        updated_at: r.int(8)?,
        oauth2_client: r.opt_int(9)?,
        client_credentials: renewal.as_deref() == Some(CLIENT_CREDENTIALS),
        renewal,
        version: r.int(11)?,
        revoked_at: r.opt_int(12)?,
    })
}

impl NewCredential {
    /// What every credential must be, whoever writes it (store, a helper,
    /// an import, a provider's answer): names `store` accepts, scopes that
    /// read back as sealed (RFC 6749 scope-tokens), secrets `store`
    /// accepts for its type, an expiry RFC 3339 can write.
    pub fn check(&self, data: &TokenData) -> std::result::Result<(), String> {
        self.check_against(None, data)
    }

    /// `check`, judging again only what differs from the row as it is: a
    /// refresh of a credential from an older vault (a name or scope that
    /// was allowed then, and still reads back) must still land its tokens.
    fn check_against(
        &self,
        existing: Option<&CredentialMeta>,
        data: &TokenData,
    ) -> std::result::Result<(), String> {
        let kept = |what: &str, value: &String| {
            existing.is_some_and(|m| match what {
                "user" => &m.user == value,
                "name" => &m.integration == value,
                _ => &m.provider == value,
            })
        };
        for (what, name) in [
            ("user", &self.user),
            ("name", &self.integration),
            ("provider", &self.provider),
        ] {
            if !kept(what, name) {
                crate::text::check_name(name).map_err(|e| format!("{what}: {e}"))?;
            }
        }
        for scope in &self.scopes {
            // A scope the row has is one that read back from it.
            if !existing.is_some_and(|m| m.scopes.contains(scope)) {
                crate::scope::check(scope)?;
            }
        }
        crate::token::check_secrets(data, self.token_type)?;
        if self.expires_at.is_some_and(|t| t > crate::time::MAX_EXPIRY) {
            return Err(format!(
                "an expiry later than {}",
                crate::time::MAX_EXPIRY_TEXT
            ));
        }
        Ok(())
    }
}

impl CredentialMeta {
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// The kind a person chose: a machine identity's (github-app,
    /// google-service-account), else the token type.
    pub fn kind(&self) -> &str {
        match self.renewal.as_deref() {
            Some(kind @ ("github-app" | "google-service-account")) => kind,
            _ => self.token_type.as_str(),
        }
    }

    /// When it expires, for people: the time, "on next use" for one that
    /// gets its first token when asked, "never" for a key or JWT with no
    /// expiry, "unknown" for an OAuth2 token whose provider did not say.
    pub fn expiry_shown(&self, now: i64) -> String {
        if let Some(at) = self.revoked_at {
            return format!("revoked {}", crate::time::timestamp(at));
        }
        match (self.expires_at, &self.renewal) {
            (Some(t), _) if t <= now => format!("{} (expired)", crate::time::timestamp(t)),
            (Some(t), _) => crate::time::timestamp(t),
            (None, Some(r)) if r != CLIENT_CREDENTIALS => "on next use".into(),
            (None, _) if self.token_type == TokenType::Oauth2 => "unknown".into(),
            (None, _) => "never".into(),
        }
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

    /// A revoked credential fails every use (exit 4), saying so.
    pub fn check_not_revoked(&self) -> Result<()> {
        match self.revoked_at {
            Some(at) => Err(crate::error::Error::Expired(format!(
                "{} was revoked at {}: store a new token, or delete it",
                self.describe(),
                crate::time::timestamp(at)
            ))
            .into()),
            None => Ok(()),
        }
    }

    pub fn describe(&self) -> String {
        Self::describe_name(&self.user, &self.integration)
    }

    /// How messages name the credential `name` of `user`.
    pub fn describe_name(user: &str, name: &str) -> String {
        if user == "default" {
            format!("credential '{name}'")
        } else {
            format!("credential '{name}' of user '{user}'")
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
        self.query_one(
            &format!(
                "SELECT {COLUMNS}, sealed FROM credentials WHERE \"user\" = ?1 AND integration = ?2"
            ),
            &[user.into(), integration.into()],
        )?
        .map(|r| Ok((meta_from_row(&r)?, r.text(SEALED)?)))
        .transpose()
    }

    /// Opens a credential's token data; a blob that fails is tampering (or
    /// the wrong key, which `diagnose` tells apart).
    pub fn unseal(
        &self,
        sealer: &Sealer,
        meta: &CredentialMeta,
        sealed: &str,
    ) -> Result<TokenData> {
        let opened = if meta.version == 0 && self.legacy_seals_allowed(sealer)? {
            sealer.open(&as_strs(&legacy_binding(meta)), sealed)
        } else {
            sealer.open(&as_strs(&binding(meta)), sealed)
        };
        opened.ok_or_else(|| self.diagnose(sealer, &meta.describe()))
    }

    /// Metadata of every credential of `user` (or all users), by name.
    pub fn list(&self, user: Option<&str>, provider: Option<&str>) -> Result<Vec<CredentialMeta>> {
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM credentials
                 WHERE (CAST(?1 AS TEXT) IS NULL OR \"user\" = ?1)
                   AND (CAST(?2 AS TEXT) IS NULL OR provider = ?2)
                 ORDER BY \"user\", integration"
            ),
            &[user.into(), provider.into()],
        )?
        .iter()
        .map(meta_from_row)
        .collect()
    }

    /// `list` one credential at a time, in the order people read (users,
    /// then names, with numbers as numbers): a vault of any size takes the
    /// memory of one row. `f` must not run statements.
    pub fn each_listed(
        &self,
        user: Option<&str>,
        provider: Option<&str>,
        mut f: impl FnMut(CredentialMeta) -> Result<()>,
    ) -> Result<()> {
        let by_name = self.db.natural("integration");
        self.each(
            &format!(
                "SELECT {COLUMNS} FROM credentials
                 WHERE (CAST(?1 AS TEXT) IS NULL OR \"user\" = ?1)
                   AND (CAST(?2 AS TEXT) IS NULL OR provider = ?2)
                 ORDER BY \"user\", {by_name}, integration"
            ),
            &[user.into(), provider.into()],
            |row| f(meta_from_row(&row)?),
        )
    }

    /// Up to `limit` credentials with their sealed blobs, in the vault's
    /// order of (user, name), after `after`: a page, so that all of them
    /// are read in the memory of one page, with statements run between.
    pub fn sealed_page(
        &self,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<(CredentialMeta, String)>> {
        // A row value, so that each page is a seek in the unique index.
        let (filter, params) = match after {
            Some((user, name)) => (
                "WHERE (\"user\", integration) > (?2, ?3)",
                vec![limit.into(), user.into(), name.into()],
            ),
            None => ("", vec![limit.into()]),
        };
        self.query(
            &format!(
                "SELECT {COLUMNS}, sealed FROM credentials {filter}
                 ORDER BY \"user\", integration LIMIT ?1"
            ),
            &params,
        )?
        .iter()
        .map(|r| Ok((meta_from_row(r)?, r.text(SEALED)?)))
        .collect()
    }

    /// Credentials of every user with their sealed blobs: all of them, or
    /// those linked to one OAuth2 client.
    pub fn sealed_credentials(&self, client: Option<i64>) -> Result<Vec<(CredentialMeta, String)>> {
        self.query(
            &format!(
                "SELECT {COLUMNS}, sealed FROM credentials
                 WHERE CAST(?1 AS BIGINT) IS NULL OR oauth2_client = ?1 ORDER BY \"user\", integration"
            ),
            &[client.into()],
        )?
        .iter()
        .map(|r| Ok((meta_from_row(r)?, r.text(SEALED)?)))
        .collect()
    }
}

impl WriteTx<'_> {
    /// Seals `data` into the credential's row as it now is (same version).
    pub(super) fn reseal(
        &self,
        sealer: &Sealer,
        meta: &CredentialMeta,
        data: &TokenData,
    ) -> Result<()> {
        let sealed = sealer.seal(&as_strs(&binding(meta)), data)?;
        self.run(
            "UPDATE credentials SET sealed = ?2, version = ?3 WHERE id = ?1",
            &[meta.id.into(), sealed.into(), meta.version.into()],
        )?;
        Ok(())
    }

    /// Marks a credential revoked at `at`: every use of it then fails,
    /// saying so. Its tokens, dead at the provider, stay sealed as they
    /// were, so that an export of the vault carries the record whole.
    pub fn mark_revoked(
        &self,
        sealer: &Sealer,
        meta: &CredentialMeta,
        sealed: &str,
        at: i64,
    ) -> Result<CredentialMeta> {
        let data = self.unseal(sealer, meta, sealed)?;
        let meta = CredentialMeta {
            revoked_at: Some(at),
            updated_at: at.max(meta.updated_at),
            version: meta.version + 1,
            ..meta.clone()
        };
        let sealed = sealer.seal(&as_strs(&binding(&meta)), &data)?;
        self.run(
            "UPDATE credentials SET revoked_at = ?2, updated_at = ?3, version = ?4, sealed = ?5
             WHERE id = ?1",
            &[
                meta.id.into(),
                at.into(),
                meta.updated_at.into(),
                meta.version.into(),
                sealed.into(),
            ],
        )?;
        Ok(meta)
    }

    /// `put` of a credential's own data under changed metadata (a client
    /// unlinked, a token judged stale): one that was revoked stays so,
    /// where storing a new token would clear the mark.
    pub fn reput(
        &self,
        sealer: &Sealer,
        new: &NewCredential,
        data: &TokenData,
        now: i64,
    ) -> Result<CredentialMeta> {
        let revoked = self
            .credential(&new.user, &new.integration)?
            .and_then(|(m, _)| m.revoked_at);
        let meta = self.put(sealer, new, data, now)?;
        let Some(at) = revoked else {
            return Ok(meta);
        };
        let (meta, sealed) = self
            .credential(&meta.user, &meta.integration)?
            .ok_or_else(|| anyhow::anyhow!("{} vanished while written", meta.describe()))?;
        self.mark_revoked(sealer, &meta, &sealed, at)
    }

    /// Adds or replaces a credential; replacing keeps its id and created_at.
    pub fn put(
        &self,
        sealer: &Sealer,
        new: &NewCredential,
        data: &TokenData,
        now: i64,
    ) -> Result<CredentialMeta> {
        self.put_with_times(sealer, new, data, None, now)
    }

    /// `put` with the times given: `created_at` (None keeps the row's, or
    /// takes `updated_at` for a new row) and `updated_at`.
    pub fn put_with_times(
        &self,
        sealer: &Sealer,
        new: &NewCredential,
        data: &TokenData,
        created_at: Option<i64>,
        updated_at: i64,
    ) -> Result<CredentialMeta> {
        let existing = self
            .credential(&new.user, &new.integration)?
            .map(|(m, _)| m);
        new.check_against(existing.as_ref(), data).map_err(|e| {
            crate::error::usage(format!(
                "credential '{}': {e}; nothing was stored",
                crate::text::excerpt(&new.integration)
            ))
        })?;
        let mut meta = CredentialMeta {
            id: existing.as_ref().map_or(0, |m| m.id),
            user: new.user.clone(),
            integration: new.integration.clone(),
            provider: new.provider.clone(),
            token_type: new.token_type,
            scopes: new.scopes.clone(),
            expires_at: new.expires_at,
            created_at: created_at
                .or(existing.as_ref().map(|m| m.created_at))
                .unwrap_or(updated_at),
            updated_at,
            oauth2_client: new.oauth2_client,
            client_credentials: new.client_credentials,
            renewal: renewal(new, data).map(String::from),
            version: existing.as_ref().map_or(0, |m| m.version) + 1,
            revoked_at: None,
        };
        let sealed = sealer.seal(&as_strs(&binding(&meta)), data)?;
        let row = self.query_one(
                "INSERT INTO credentials (\"user\", integration, provider, token_type, scopes,
                     expires_at, created_at, updated_at, oauth2_client, renew_grant, version, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (\"user\", integration) DO UPDATE SET
                     provider = excluded.provider, token_type = excluded.token_type,
                     scopes = excluded.scopes, expires_at = excluded.expires_at,
                     created_at = excluded.created_at, updated_at = excluded.updated_at,
                     oauth2_client = excluded.oauth2_client, renew_grant = excluded.renew_grant,
                     version = excluded.version, sealed = excluded.sealed, revoked_at = NULL
                 RETURNING id",
                &[
                    (&meta.user).into(),
                    (&meta.integration).into(),
                    (&meta.provider).into(),
                    meta.token_type.as_str().into(),
                    meta.scopes.join(" ").into(),
                    meta.expires_at.into(),
                    meta.created_at.into(),
                    meta.updated_at.into(),
                    meta.oauth2_client.into(),
                    meta.renewal.as_deref().into(),
                    meta.version.into(),
                    sealed.into(),
                ],
            )?;
        meta.id = row
            .ok_or_else(|| anyhow::anyhow!("the vault returned no id for the stored credential"))?
            .int(0)?;
        Ok(meta)
    }

    /// Removes a credential and the helper routes to it (a route to nothing
    /// would make docker fail instead of moving on); false when there was
    /// none.
    pub fn delete(&self, user: &str, integration: &str) -> Result<bool> {
        self.run(
            "DELETE FROM routes WHERE \"user\" = ?1 AND credential = ?2",
            &[user.into(), integration.into()],
        )?;
        let n = self.run(
            "DELETE FROM credentials WHERE \"user\" = ?1 AND integration = ?2",
            &[user.into(), integration.into()],
        )?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(scopes: &[&str], provider: &str) -> NewCredential {
        NewCredential {
            user: "default".into(),
            integration: "x".into(),
            provider: provider.into(),
            token_type: TokenType::Oauth2,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            expires_at: None,
            oauth2_client: None,
            client_credentials: false,
        }
    }

    fn row(scopes: &[&str], provider: &str) -> CredentialMeta {
        let n = new(scopes, provider);
        CredentialMeta {
            id: 1,
            user: n.user,
            integration: n.integration,
            provider: n.provider,
            token_type: n.token_type,
            scopes: n.scopes,
            expires_at: None,
            created_at: 0,
            updated_at: 0,
            oauth2_client: None,
            client_credentials: false,
            renewal: None,
            version: 1,
            revoked_at: None,
        }
    }

    #[test]
    fn only_what_changes_is_judged_again() {
        let data = TokenData {
            access_token: Some(crate::secret::Secret::new("at")),
            ..TokenData::default()
        };
        // A scope and a provider an older vault allowed: a refresh of that
        // row keeps them, and still lands its tokens.
        let legacy = row(&["ключ"], "old\u{200e}name");
        assert!(
            new(&["ключ"], "old\u{200e}name")
                .check_against(Some(&legacy), &data)
                .is_ok()
        );
        assert!(new(&["ключ"], "old\u{200e}name").check(&data).is_err());
        // What is new is judged.
        assert!(
            new(&["ключ", "a\"b"], "old\u{200e}name")
                .check_against(Some(&legacy), &data)
                .is_err()
        );
        assert!(
            new(&["ключ"], "new\u{200e}")
                .check_against(Some(&legacy), &data)
                .is_err()
        );
        // Secrets, always.
        let nul = TokenData {
            access_token: Some(crate::secret::Secret::new("a\0b")),
            ..TokenData::default()
        };
        assert!(
            new(&["ключ"], "old\u{200e}name")
                .check_against(Some(&legacy), &nul)
                .is_err()
        );
    }
}
