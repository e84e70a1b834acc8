//! From a credential's name to a valid secret: open the vault and key once,
//! refresh what is due, refuse what is expired. Shared by `get`, `run` and
//! `export`.

use crate::app::Vault;
use crate::audit::{Access, Outcome};
use crate::error::{self, Error};
use crate::refresh::{self, Fresh, Policy};
use crate::secret::Secret;
use crate::session::Context;
use crate::vault::{Route, RouteKind, Sealer};
use anyhow::Result;

/// How `get`-like commands treat expiry.
#[derive(Debug, Clone, Copy)]
pub struct Freshness {
    pub min_valid: i64,
    pub no_refresh: bool,
    pub allow_expired: bool,
}

impl Default for Freshness {
    fn default() -> Self {
        Freshness {
            min_valid: 60,
            no_refresh: false,
            allow_expired: false,
        }
    }
}

pub struct Resolver<'a> {
    ctx: &'a Context,
    /// The namespace names are looked up in: --user, unless set otherwise.
    user: String,
    vault: Vault,
    /// The key, read when a secret is first opened: a name that is not
    /// there is "not found" even where there is no key.
    sealer: Option<Sealer>,
    freshness: Freshness,
    /// What each access is for, on record with it (an agent's request's
    /// method and host).
    detail: Option<String>,
}

impl<'a> Resolver<'a> {
    pub fn open(ctx: &'a Context, what: &str, freshness: Freshness) -> Result<Resolver<'a>> {
        Self::with_vault(ctx, Vault::open(ctx, what)?, freshness)
    }

    /// `open`, or None when there is no vault yet (a helper then answers
    /// "not found" in its client's words).
    pub fn open_if_exists(ctx: &'a Context, freshness: Freshness) -> Result<Option<Resolver<'a>>> {
        match Vault::open_if_exists(ctx)? {
            Some(vault) => Self::with_vault(ctx, vault, freshness).map(Some),
            None => Ok(None),
        }
    }

    fn with_vault(ctx: &'a Context, vault: Vault, freshness: Freshness) -> Result<Resolver<'a>> {
        Ok(Resolver {
            ctx,
            user: ctx.user().to_string(),
            vault,
            sealer: None,
            freshness,
            detail: None,
        })
    }

    /// The key, taken out to use; `self.sealer` is set again after.
    fn take_sealer(&mut self) -> Result<Sealer> {
        match self.sealer.take() {
            Some(sealer) => Ok(sealer),
            None => self.vault.read_sealer(),
        }
    }

    /// Records an access the caller serves itself (what git stored).
    pub fn record(&mut self, access: &Access<'_>) -> Result<()> {
        self.vault.record(access, self.sealer.as_ref())
    }

    /// Says what the accesses that follow are for, in the audit log.
    pub fn set_detail(&mut self, detail: String) {
        self.detail = Some(detail);
    }

    /// Looks names up in another namespace than --user's.
    pub fn set_namespace(&mut self, user: &str) {
        self.user = user.to_string();
    }

    /// The route a credential helper answers with for `pattern`, its seal
    /// checked with the key already loaded: a helper opens the vault once.
    pub fn route(&mut self, kind: RouteKind, pattern: &str) -> Result<Option<Route>> {
        let sealer = self.take_sealer()?;
        let route = self.vault.read().route(&sealer, kind, pattern);
        self.sealer = Some(sealer);
        route
    }

    /// Reads the vault with the key already loaded: a helper opens the
    /// vault once, whatever it looks up.
    pub fn reading<T>(&mut self, f: impl FnOnce(&Vault, &Sealer) -> Result<T>) -> Result<T> {
        let sealer = self.take_sealer()?;
        let out = f(&self.vault, &sealer);
        self.sealer = Some(sealer);
        out
    }

    /// A valid credential, refreshed if due. `prints_token` says the caller
    /// wants the access token itself (not a field or the whole record).
    ///
    /// Every answer is recorded in the audit log before the caller may hand
    /// the secret out: under TOKVAULT_AUDIT=required, one that cannot be
    /// recorded is refused.
    pub fn credential(&mut self, name: &str, prints_token: bool) -> Result<Fresh> {
        let result = self.fresh(name, prints_token);
        let outcome = match &result {
            Ok(_) => Outcome::Served,
            Err(e) => Outcome::of_error(e),
        };
        let operation = self.vault.operation();
        // A name that names nothing may be a secret pasted by mistake: it
        // is not kept.
        let known = result.is_ok()
            || self
                .vault
                .read()
                .credential(&self.user, name)
                .is_ok_and(|c| c.is_some());
        let access = if known {
            Access {
                detail: self.detail.clone(),
                ..Access::to(operation, &self.user, name, outcome)
            }
        } else {
            Access {
                detail: Some("no credential of the name asked for".into()),
                ..Access::vault(operation, outcome)
            }
        };
        let recorded = self.vault.record(&access, self.sealer.as_ref());
        // A failure stays the error it is.
        if result.is_ok() {
            recorded?;
        }
        result
    }

    fn fresh(&mut self, name: &str, prints_token: bool) -> Result<Fresh> {
        let ctx = self.ctx;
        let (mut meta, mut sealed) = self.vault.credential(&self.user, name)?;
        meta.check_not_revoked()?;
        let sealer = self.take_sealer()?;
        let (sealer, data) = match self.vault.read().unseal(&sealer, &meta, &sealed) {
            // A rekey may have committed between reading the row and the
            // key (or the other way round): once it is done, the key file
            // holds the key the rows are sealed with. Real tampering fails
            // again.
            Err(e)
                if matches!(error::exit_code(&e), error::code::KEY | error::code::VAULT)
                    && self.vault.wait_for_rekey().is_ok() =>
            {
                let sealer = self.vault.read_sealer()?;
                (meta, sealed) = self.vault.credential(&self.user, name)?;
                let data = self.vault.read().unseal(&sealer, &meta, &sealed)?;
                (sealer, data)
            }
            opened => (sealer, opened?),
        };
        let policy = if self.freshness.no_refresh {
            Policy::Never
        } else {
            Policy::Auto {
                min_valid: self.freshness.min_valid,
            }
        };
        let still_valid = data.access_token.is_some() && !meta.is_expired_at(ctx.now);
        let fresh = match refresh::ensure(
            ctx,
            &mut self.vault,
            &sealer,
            meta.clone(),
            data.clone(),
            policy,
        ) {
            Ok(fresh) => fresh,
            // Renewing early failed, but the token has not expired: use it.
            Err(e) if still_valid => {
                crate::notice::warn(format!(
                    "{e:#}; the current token stays valid until {}",
                    crate::time::timestamp(meta.expires_at.unwrap_or_default())
                ));
                Fresh {
                    meta,
                    data,
                    refreshed: false,
                }
            }
            Err(e) => return Err(e),
        };
        self.sealer = Some(sealer);
        self.check_usable(&fresh, prints_token)?;
        Ok(fresh)
    }

    /// A token of `fresh`'s credential of another kind than its own
    /// (`refresh::another_token`), recorded as the access it is.
    pub fn another_token(
        &mut self,
        fresh: &Fresh,
        asked: refresh::Asked<'_>,
    ) -> Result<crate::token::TokenData> {
        let sealer = self.take_sealer()?;
        let answer = refresh::another_token(self.ctx, &mut self.vault, &sealer, &fresh.meta, asked);
        self.sealer = Some(sealer);
        let outcome = match &answer {
            Ok(_) => Outcome::Served,
            Err(e) => Outcome::of_error(e),
        };
        let (user, name) = (&fresh.meta.user, &fresh.meta.integration);
        let access = Access {
            detail: Some(format!("for {}", asked.describe())),
            ..Access::to(self.vault.operation(), user, name, outcome)
        };
        let recorded = self.vault.record(&access, self.sealer.as_ref());
        let answer = answer?;
        recorded?;
        Ok(answer)
    }

    /// `NAME` or `NAME.FIELD`: a name is tried whole first, so names that
    /// contain dots still work.
    pub fn reference(&mut self, reference: &str) -> Result<(Fresh, Option<String>, Secret)> {
        let (name, field) = match reference.rsplit_once('.') {
            Some((name, field))
                if self
                    .vault
                    .read()
                    .credential(&self.user, reference)?
                    .is_none() =>
            {
                (name, Some(field.to_string()))
            }
            _ => (reference, None),
        };
        let fresh = self.credential(name, field.is_none())?;
        let value = self.value(&fresh, field.as_deref())?;
        Ok((fresh, field, value))
    }

    /// A `tokvault://` reference: in its namespace, or the current one.
    pub fn url(&mut self, r: &crate::template::Reference) -> Result<(Fresh, Secret)> {
        let current = self.user.clone();
        if let Some(user) = &r.user {
            self.user = user.clone();
        }
        let resolved = self
            .credential(&r.name, r.field.is_none())
            .and_then(|fresh| {
                let value = self.value(&fresh, r.field.as_deref())?;
                Ok((fresh, value))
            });
        self.user = current;
        resolved
    }

    /// Fails for a credential that is expired (unless allowed) or has no
    /// access token to print, saying what to do.
    fn check_usable(&self, fresh: &Fresh, prints_token: bool) -> Result<()> {
        let meta = &fresh.meta;
        let what = meta.describe();
        let renewable = fresh.data.refresh_token.is_some() || meta.client_credentials;
        let remedy = if self.freshness.no_refresh && renewable {
            "run without --no-refresh to refresh it"
        } else {
            "store a new token"
        };
        if prints_token && fresh.data.primary(meta.token_type).is_none() && renewable {
            return Err(Error::Expired(format!("{what} has no access token yet; {remedy}")).into());
        }
        // Judged no earlier than it was written: a token renewed a second
        // after the command started is not measured from before it was.
        let now = self.ctx.now.max(meta.updated_at);
        if meta.is_expired_at(now) && !self.freshness.allow_expired {
            // Renewed just now, and already expired: the provider said so.
            if fresh.refreshed {
                return Err(Error::Expired(format!(
                    "{what} was refreshed, but the provider sent a token that expires at once \
                     (expires_in {}); it is stored, and a later get refreshes again (or pass \
                     --allow-expired to use it anyway)",
                    fresh.data.expires_in.unwrap_or_default()
                ))
                .into());
            }
            return Err(Error::Expired(format!(
                "{what} expired at {} and was not refreshed; {remedy} (or pass --allow-expired to use it anyway)",
                crate::time::timestamp(meta.expires_at.unwrap_or_default())
            ))
            .into());
        }
        Ok(())
    }
}

impl Resolver<'_> {
    /// The secret a credential stands for: one field, or the access token /
    /// api key. An id_token is a token of its own: kept from an earlier
    /// answer when a refresh brings none, it may have expired while the
    /// access token is fresh, and is then refused unless expired ones are
    /// allowed.
    pub fn value(&self, fresh: &Fresh, field: Option<&str>) -> Result<Secret> {
        let what = fresh.meta.describe();
        if field == Some("private_key") {
            return Err(error::usage(format!(
                "{what}: a private key is never printed; tokvault signs with it"
            )));
        }
        let value = match field {
            Some(name) => fresh
                .data
                .field(name)
                .ok_or_else(|| error::not_found(format!("{what} has no field '{name}'")))?,
            None => fresh
                .data
                .primary(fresh.meta.token_type)
                .cloned()
                .ok_or_else(|| match fresh.data.aws() {
                    // It exists: say what reads it instead.
                    Some(_) => error::usage(format!(
                        "{what} holds AWS keys, not a token: use `tokvault aws-credential {}`, \
                         or --field AccessKeyId / --field SecretAccessKey",
                        fresh.meta.integration
                    )),
                    None => error::usage(format!(
                        "{what} holds no access token or api key (see `tokvault get {} --json`)",
                        fresh.meta.integration
                    )),
                })?,
        };
        if field == Some("id_token")
            && !self.freshness.allow_expired
            && let Ok(Some(exp)) = crate::token::jwt_exp(value.expose())
            && exp <= self.ctx.now
        {
            return Err(Error::Expired(format!(
                "the id_token of {what} expired at {}; sign in again (or pass --allow-expired to use it anyway)",
                crate::time::timestamp(exp)
            ))
            .into());
        }
        Ok(value)
    }
}

/// A secret as resolved for a variable, with what says when it needs
/// renewing (`run --file`).
pub struct Resolved {
    pub var: String,
    pub reference: String,
    pub value: Secret,
    /// When the credential was last written, and when it expires.
    pub written_at: i64,
    pub expires_at: Option<i64>,
}

/// A binding that could not be resolved: `VAR=REFERENCE` (empty when the
/// vault itself could not be opened), and why.
pub struct Unresolved {
    pub what: String,
    pub error: anyhow::Error,
}

/// Every binding's value, or each one that failed: a caller starts (or
/// prints) nothing unless all of them resolve.
pub fn all(
    ctx: &Context,
    bindings: &[crate::refs::Binding],
    allow_expired: bool,
) -> std::result::Result<Vec<Resolved>, Vec<Unresolved>> {
    if bindings.is_empty() {
        return Ok(Vec::new());
    }
    let freshness = Freshness {
        allow_expired,
        ..Freshness::default()
    };
    let mut resolver = Resolver::open(ctx, "credentials to use", freshness).map_err(|error| {
        vec![Unresolved {
            what: String::new(),
            error,
        }]
    })?;
    let mut values = Vec::new();
    let mut failed = Vec::new();
    for b in bindings {
        match binding(&mut resolver, &b.var, &b.reference) {
            Ok(resolved) => values.push(resolved),
            Err(error) => failed.push(Unresolved {
                what: format!("{}={}", b.var, b.reference),
                error,
            }),
        }
    }
    if failed.is_empty() {
        Ok(values)
    } else {
        Err(failed)
    }
}

/// One variable's value from its reference: `NAME[.FIELD]`, or a
/// `tokvault://` reference.
pub fn binding(resolver: &mut Resolver, var: &str, reference: &str) -> Result<Resolved> {
    let (fresh, value) = if reference.starts_with(crate::template::SCHEME) {
        let r = crate::template::parse_reference(reference).map_err(error::usage)?;
        resolver.url(&r)?
    } else {
        let (fresh, _, value) = resolver.reference(reference)?;
        (fresh, value)
    };
    Ok(Resolved {
        var: var.to_string(),
        reference: reference.to_string(),
        value,
        written_at: fresh.meta.updated_at,
        expires_at: fresh.meta.expires_at,
    })
}
