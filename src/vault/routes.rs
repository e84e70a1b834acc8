//! Which credential `git-credential` answers with for a host. A route says
//! where a token is sent, so it is sealed like a secret (with an empty
//! payload): a route edited in the file to send a token elsewhere fails
//! its seal and is refused as tampering.

use super::{Sealer, Tx};
use anyhow::Result;
use rusqlite::{OptionalExtension, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRoute {
    /// `host[:port]`, or `host[:port]/path` with credential.useHttpPath.
    pub pattern: String,
    pub user: String,
    pub credential: String,
    /// What git is told as the username with a password (GitHub takes any,
    /// GitLab wants `oauth2` for OAuth tokens).
    pub username: String,
}

fn binding(r: &GitRoute) -> Vec<String> {
    vec![
        "git_route".into(),
        r.pattern.clone(),
        r.user.clone(),
        r.credential.clone(),
        r.username.clone(),
    ]
}

impl Tx<'_> {
    pub fn put_git_route(&self, sealer: &Sealer, route: &GitRoute) -> Result<()> {
        let sealed = sealer.seal(&super::credentials::as_strs(&binding(route)), &())?;
        self.tx
            .execute(
                "INSERT OR REPLACE INTO git_routes (pattern, user, credential, username, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    route.pattern,
                    route.user,
                    route.credential,
                    route.username,
                    sealed
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The route for `pattern`, its seal checked.
    pub fn git_route(&self, sealer: &Sealer, pattern: &str) -> Result<Option<GitRoute>> {
        let row: Option<(GitRoute, String)> = self
            .tx
            .query_row(
                "SELECT pattern, user, credential, username, sealed FROM git_routes WHERE pattern = ?1",
                [pattern],
                |r| {
                    Ok((
                        GitRoute {
                            pattern: r.get(0)?,
                            user: r.get(1)?,
                            credential: r.get(2)?,
                            username: r.get(3)?,
                        },
                        r.get(4)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((route, sealed)) = row else {
            return Ok(None);
        };
        sealer
            .open::<()>(&super::credentials::as_strs(&binding(&route)), &sealed)
            .ok_or_else(|| {
                self.diagnose(sealer, &format!("the git route for {}", route.pattern))
            })?;
        Ok(Some(route))
    }

    /// Every route, unverified: for listing only.
    pub fn git_routes(&self) -> Result<Vec<GitRoute>> {
        let mut stmt = self
            .tx
            .prepare("SELECT pattern, user, credential, username FROM git_routes ORDER BY pattern")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(GitRoute {
                    pattern: r.get(0)?,
                    user: r.get(1)?,
                    credential: r.get(2)?,
                    username: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    pub fn remove_git_route(&self, pattern: &str) -> Result<bool> {
        let n = self
            .tx
            .execute("DELETE FROM git_routes WHERE pattern = ?1", [pattern])
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }
}
