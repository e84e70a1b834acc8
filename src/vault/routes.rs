//! Which credential a credential helper (git, docker) answers with for a
//! host or registry. A route says where a token is sent, so it is sealed
//! like a secret (with an empty payload): a route edited in the file to
//! send a token elsewhere fails its seal and is refused as tampering.

use super::sql::Row;
use super::{Sealer, Tx, WriteTx};
use anyhow::Result;

/// Which helper a route belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteKind {
    Git,
    Docker,
}

impl RouteKind {
    pub const ALL: [RouteKind; 2] = [RouteKind::Git, RouteKind::Docker];

    pub fn as_str(self) -> &'static str {
        match self {
            RouteKind::Git => "git",
            RouteKind::Docker => "docker",
        }
    }

    /// What a route of this kind may be keyed by: git a host pattern (no
    /// scheme, at most 256 characters), docker a registry as docker names
    /// it (at most 1024); neither empty, with spaces or control characters.
    fn check_pattern(self, pattern: &str) -> std::result::Result<(), String> {
        let printable = !pattern.is_empty()
            && !pattern
                .chars()
                .any(|c| c.is_whitespace() || crate::text::is_unsafe(c));
        let shown = crate::text::excerpt(pattern);
        match self {
            RouteKind::Git
                if !printable
                    || pattern.len() > 256
                    || pattern.contains("://")
                    || pattern.starts_with('/') =>
            {
                Err(format!(
                    "'{shown}' is not host[:port] or host[:port]/path (no scheme, no spaces)"
                ))
            }
            RouteKind::Docker if !printable || pattern.len() > 1024 => Err(format!(
                "'{shown}' is not a registry (ghcr.io, 127.0.0.1:5000, https://index.docker.io/v1/)"
            )),
            _ => Ok(()),
        }
    }
}

/// Also the record of a route in an export file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Route {
    pub kind: RouteKind,
    /// git: `host[:port]`, or `host[:port]/path` with credential.useHttpPath;
    /// docker: the registry's server URL as docker names it.
    pub pattern: String,
    pub user: String,
    pub credential: String,
    /// What the client is told as the username (GitHub takes any, GitLab
    /// wants `oauth2` for OAuth tokens).
    pub username: String,
}

impl Route {
    /// What every route must be, whoever writes it (`map`, a helper's
    /// `store`, an import): a valid pattern, and names `store` accepts.
    pub fn check(&self) -> std::result::Result<(), String> {
        self.kind.check_pattern(&self.pattern)?;
        for (what, name) in [
            ("user", &self.user),
            ("credential", &self.credential),
            ("username", &self.username),
        ] {
            crate::text::check_name(name).map_err(|e| {
                format!(
                    "the {} route for '{}': {what}: {e}",
                    self.kind.as_str(),
                    crate::text::excerpt(&self.pattern)
                )
            })?;
        }
        Ok(())
    }
}

fn binding(r: &Route) -> Vec<String> {
    vec![
        "route".into(),
        r.kind.as_str().into(),
        r.pattern.clone(),
        r.user.clone(),
        r.credential.clone(),
        r.username.clone(),
    ]
}

fn route_from_row(kind: RouteKind, r: &Row<'_>) -> Result<Route> {
    Ok(Route {
        kind,
        pattern: r.text(0)?,
        user: r.text(1)?,
        credential: r.text(2)?,
        username: r.text(3)?,
    })
}

/// A route's pattern as `map` keeps it: no trailing `/`, and a
/// repository without the `.git` its clone URL may show (a request finds
/// it either way, see `Request::patterns`).
pub fn git_pattern(host: &str) -> String {
    let pattern = host.trim_end_matches('/');
    match pattern.strip_suffix(".git") {
        Some(repo) if repo.contains('/') => repo.to_string(),
        _ => pattern.to_string(),
    }
}

/// The username a host expects with a token in the password.
pub fn git_username(pattern: &str) -> &'static str {
    let host = pattern.split(['/', ':']).next().unwrap_or_default();
    let host = host.to_ascii_lowercase();
    if host == "gitlab.com" || host.starts_with("gitlab.") {
        "oauth2"
    } else if host == "bitbucket.org" {
        "x-token-auth"
    } else {
        "x-access-token"
    }
}

impl Tx<'_> {
    /// The route for `pattern`, its seal checked.
    pub fn route(&self, sealer: &Sealer, kind: RouteKind, pattern: &str) -> Result<Option<Route>> {
        let row: Option<(Route, String)> = self
            .query_one(
                "SELECT pattern, \"user\", credential, username, sealed FROM routes
                 WHERE kind = ?1 AND pattern = ?2",
                &[kind.as_str().into(), pattern.into()],
            )?
            .map(|r| -> Result<_> { Ok((route_from_row(kind, &r)?, r.text(4)?)) })
            .transpose()?;
        let Some((route, sealed)) = row else {
            return Ok(None);
        };
        sealer
            .open::<()>(&super::credentials::as_strs(&binding(&route)), &sealed)
            .ok_or_else(|| {
                self.diagnose(
                    sealer,
                    &format!("the {} route for {}", kind.as_str(), route.pattern),
                )
            })?;
        Ok(Some(route))
    }

    /// Every route of `kind`, unverified: for listing (and for rekey, which
    /// checks each with `route`).
    pub fn routes(&self, kind: RouteKind) -> Result<Vec<Route>> {
        self.query(
            "SELECT pattern, \"user\", credential, username FROM routes WHERE kind = ?1 ORDER BY pattern",
            &[kind.as_str().into()],
        )?
        .iter()
        .map(|r| route_from_row(kind, r))
        .collect()
    }
}

impl WriteTx<'_> {
    pub fn put_route(&self, sealer: &Sealer, route: &Route) -> Result<()> {
        route.check().map_err(crate::error::usage)?;
        let sealed = sealer.seal(&super::credentials::as_strs(&binding(route)), &())?;
        self.run(
            "INSERT INTO routes (kind, pattern, \"user\", credential, username, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (kind, pattern) DO UPDATE SET
                 \"user\" = excluded.\"user\", credential = excluded.credential,
                 username = excluded.username, sealed = excluded.sealed",
            &[
                route.kind.as_str().into(),
                (&route.pattern).into(),
                (&route.user).into(),
                (&route.credential).into(),
                (&route.username).into(),
                sealed.into(),
            ],
        )?;
        Ok(())
    }

    pub fn remove_route(&self, kind: RouteKind, pattern: &str) -> Result<bool> {
        let n = self.run(
            "DELETE FROM routes WHERE kind = ?1 AND pattern = ?2",
            &[kind.as_str().into(), pattern.into()],
        )?;
        Ok(n > 0)
    }
}
