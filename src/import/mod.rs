//! Credentials kept in the plaintext files of the tools people switch
//! from (gh, aws, docker, netrc, git, dotenv) or in the Tokens API's JSON:
//! each format is read into entries, which `apply` writes in one
//! transaction. A file that does not parse changes nothing; an entry that
//! cannot be kept (in a keyring, a role to assume) is skipped with the
//! reason. No message names a secret: a parse error says where, never
//! what was there.

mod aws;
mod docker;
mod dotenv;
mod gh;
mod git_credentials;
mod netrc;
pub mod tokens_api;

use crate::app::Writer;
use crate::audit::{Access, Outcome};
use crate::token::{TokenData, TokenType};
use crate::vault::{NewCredential, Route, RouteKind, Sealer, Tx};
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Dotenv,
    Gh,
    Aws,
    Docker,
    Netrc,
    GitCredentials,
    TokensApi,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Dotenv => "dotenv",
            Format::Gh => "gh",
            Format::Aws => "aws",
            Format::Docker => "docker",
            Format::Netrc => "netrc",
            Format::GitCredentials => "git-credentials",
            Format::TokensApi => "tokens-api",
        }
    }

    /// Where the tool keeps its file when none is named, as the tool
    /// itself looks (its environment variable first); aws has two.
    pub fn default_files(self, env: &dyn Fn(&str) -> Option<String>) -> Vec<PathBuf> {
        let home = env("HOME").map(PathBuf::from).unwrap_or_default();
        let var = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let config = var("XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config"));
        match self {
            Format::Dotenv => vec![PathBuf::from(".env")],
            Format::Gh => vec![
                var("GH_CONFIG_DIR")
                    .unwrap_or_else(|| config.join("gh"))
                    .join("hosts.yml"),
            ],
            Format::Aws => vec![
                var("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| home.join(".aws/credentials")),
                var("AWS_CONFIG_FILE").unwrap_or_else(|| home.join(".aws/config")),
            ],
            Format::Docker => vec![
                var("DOCKER_CONFIG")
                    .unwrap_or_else(|| home.join(".docker"))
                    .join("config.json"),
            ],
            Format::Netrc => vec![var("NETRC").unwrap_or_else(|| home.join(".netrc"))],
            Format::GitCredentials => vec![
                home.join(".git-credentials"),
                config.join("git/credentials"),
            ],
            Format::TokensApi => Vec::new(),
        }
    }
}

/// One credential a file holds, as the file says it.
pub struct Entry {
    /// Where in the file: "line 3", "[profile dev]", "github.com octocat".
    pub source: String,
    /// The credential's name, before any prefix.
    pub name: String,
    pub provider: String,
    pub token_type: TokenType,
    pub scopes: Vec<String>,
    /// When the file says; otherwise read from the token data as `store`
    /// would (expires_in, a JWT's exp, an AWS Expiration).
    pub expires_at: Option<i64>,
    pub data: TokenData,
    /// Where a helper sends it: the pattern and the username it is told.
    pub route: Option<(RouteKind, String, String)>,
}

/// What the file holds that is not imported, and why.
pub struct Skip {
    pub source: String,
    pub reason: String,
}

#[derive(Default)]
pub struct Found {
    pub entries: Vec<Entry>,
    pub skipped: Vec<Skip>,
}

impl Found {
    fn skip(&mut self, source: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skip {
            source: source.into(),
            reason: reason.into(),
        });
    }
}

/// Reads `text` as `format`. The error says where the file stops making
/// sense, never what it holds there.
pub fn parse(format: Format, text: &str) -> std::result::Result<Found, String> {
    // A byte-order mark is no part of the first key (Windows editors write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Dotenv => dotenv::parse(text),
        Format::Gh => gh::parse(text),
        Format::Aws => aws::parse(text),
        Format::Docker => docker::parse(text),
        Format::Netrc => netrc::parse(text),
        Format::GitCredentials => git_credentials::parse(text),
        Format::TokensApi => tokens_api::parse(text),
    }
}

/// What became of one entry, a route or a skipped part of the file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reported {
    pub source: String,
    /// "credential", "git route" or "docker route".
    pub kind: &'static str,
    /// The credential's name or the route's pattern (none for what was
    /// skipped before it had one).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub result: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Skipped because it exists: `--replace` would write it.
    #[serde(skip)]
    pub replaceable: bool,
}

impl Reported {
    fn replaceable(self) -> Reported {
        Reported {
            replaceable: true,
            ..self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Added,
    Replaced,
    Unchanged,
    Skipped,
    /// The vault would not keep it as the file has it (a NUL in a secret,
    /// a name too long): the import exits 1.
    Refused,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Added => "added",
            Action::Replaced => "replaced",
            Action::Unchanged => "unchanged",
            Action::Skipped => "skipped",
            Action::Refused => "refused",
        }
    }
}

/// How the entries land: whose, under which prefix, over what exists.
pub struct Options<'a> {
    pub user: &'a str,
    pub prefix: &'a str,
    pub replace: bool,
    pub now: i64,
    /// What the audit log calls each credential written.
    pub operation: &'static str,
}

/// The entries as credentials of `opts.user`, checked as every writer's
/// are; what the vault would refuse is reported, not written.
fn credentials(found: Found, opts: &Options<'_>) -> (Vec<Planned>, Vec<Reported>) {
    let mut planned: Vec<Planned> = Vec::new();
    let mut taken: std::collections::HashMap<String, String> = Default::default();
    let mut reported: Vec<Reported> = found
        .skipped
        .into_iter()
        .map(|s| Reported {
            source: s.source,
            kind: "credential",
            name: String::new(),
            result: Action::Skipped,
            reason: Some(s.reason),
            replaceable: false,
        })
        .collect();
    for entry in found.entries {
        let name = format!("{}{}", opts.prefix, entry.name);
        let refuse = |reason: String| Reported {
            source: entry.source.clone(),
            kind: "credential",
            name: crate::text::clean(&name, 200),
            result: Action::Refused,
            reason: Some(reason),
            replaceable: false,
        };
        if let Some(first) = taken.get(&name) {
            reported.push(Reported {
                result: Action::Skipped,
                reason: Some(format!("the name is taken by {first}")),
                ..refuse(String::new())
            });
            continue;
        }
        let expires_at = match entry.expires_at {
            Some(at) => Some(at),
            None => match crate::token::expires_at(&entry.data, entry.token_type, opts.now) {
                Ok(at) => at,
                Err(e) => {
                    reported.push(refuse(e.to_string()));
                    continue;
                }
            },
        };
        let new = NewCredential {
            user: opts.user.to_string(),
            integration: name.clone(),
            provider: entry.provider,
            token_type: entry.token_type,
            scopes: entry.scopes,
            expires_at,
            oauth2_client: None,
            client_credentials: false,
        };
        if let Err(e) = new.check(&entry.data) {
            reported.push(refuse(e));
            continue;
        }
        let route = entry.route.map(|(kind, pattern, username)| Route {
            kind,
            pattern,
            user: opts.user.to_string(),
            credential: name.clone(),
            username,
        });
        if let Some(Err(e)) = route.as_ref().map(Route::check) {
            reported.push(refuse(e));
            continue;
        }
        taken.insert(name, entry.source.clone());
        planned.push(Planned {
            source: entry.source,
            new,
            data: entry.data,
            route,
        });
    }
    (planned, reported)
}

struct Planned {
    source: String,
    new: NewCredential,
    data: TokenData,
    route: Option<Route>,
}

/// What importing `found` would do to the vault `tx` reads, changing
/// nothing: `--dry-run`, and a vault that does not exist yet (None).
pub fn preview(
    found: Found,
    opts: &Options<'_>,
    vault: Option<(&Tx<'_>, &Sealer)>,
) -> Result<Vec<Reported>> {
    let (planned, mut reported) = credentials(found, opts);
    let mut routes = Routes::default();
    for p in &planned {
        let exists = match vault {
            Some((tx, _)) => tx.credential(opts.user, &p.new.integration)?.is_some(),
            None => false,
        };
        let result = decide(exists, opts.replace);
        reported.push(p.reported(result));
        if let Some(route) = &p.route {
            let current = match vault {
                Some((tx, sealer)) => tx.route(sealer, route.kind, &route.pattern)?,
                None => None,
            };
            reported.push(routes.decide(p, route, current, result, opts.replace));
        }
    }
    Ok(reported)
}

/// Imports `found` in the write transaction `tx`: all of it commits or
/// none does. Each credential written is an access on record.
pub fn apply(tx: &Writer<'_, '_>, found: Found, opts: &Options<'_>) -> Result<Vec<Reported>> {
    let (planned, mut reported) = credentials(found, opts);
    let mut routes = Routes::default();
    for p in &planned {
        let sealer = tx.sealer()?;
        let exists = tx.credential(opts.user, &p.new.integration)?.is_some();
        let result = decide(exists, opts.replace);
        if matches!(result, Action::Added | Action::Replaced) {
            tx.put(sealer, &p.new, &p.data, opts.now)?;
            tx.record(&Access::to(
                opts.operation,
                opts.user,
                &p.new.integration,
                Outcome::Changed,
            ))?;
        }
        reported.push(p.reported(result));
        if let Some(route) = &p.route {
            let current = tx.route(sealer, route.kind, &route.pattern)?;
            let r = routes.decide(p, route, current, result, opts.replace);
            if matches!(r.result, Action::Added | Action::Replaced) {
                tx.put_route(sealer, route)?;
            }
            reported.push(r);
        }
    }
    Ok(reported)
}

fn decide(exists: bool, replace: bool) -> Action {
    match (exists, replace) {
        (false, _) => Action::Added,
        (true, true) => Action::Replaced,
        (true, false) => Action::Skipped,
    }
}

impl Planned {
    fn reported(&self, result: Action) -> Reported {
        Reported {
            source: self.source.clone(),
            kind: "credential",
            name: self.new.integration.clone(),
            result,
            reason: (result == Action::Skipped).then(|| "a credential of that name exists".into()),
            replaceable: result == Action::Skipped,
        }
    }
}

/// The routes decided so far in one import: a helper answers a host with
/// one credential, so the first entry for a pattern wins, as git's
/// credential-store answers with its first matching line.
#[derive(Default)]
struct Routes(std::collections::HashMap<(RouteKind, String), String>);

impl Routes {
    fn decide(
        &mut self,
        p: &Planned,
        route: &Route,
        current: Option<Route>,
        credential: Action,
        replace: bool,
    ) -> Reported {
        let kind = match route.kind {
            RouteKind::Git => "git route",
            RouteKind::Docker => "docker route",
        };
        let report = |result, reason: Option<String>| Reported {
            source: p.source.clone(),
            kind,
            name: route.pattern.clone(),
            result,
            reason,
            replaceable: false,
        };
        let key = (route.kind, route.pattern.clone());
        if let Some(first) = self.0.get(&key) {
            return report(
                Action::Skipped,
                Some(format!("an earlier entry ({first}) has it")),
            );
        }
        self.0.insert(key, p.source.clone());
        if current.as_ref() == Some(route) {
            return report(Action::Unchanged, None);
        }
        if credential == Action::Skipped {
            return report(
                Action::Skipped,
                Some(format!(
                    "credential '{}' was not imported",
                    route.credential
                )),
            );
        }
        match (current, replace) {
            (None, _) => report(Action::Added, None),
            (Some(_), true) => report(Action::Replaced, None),
            (Some(c), false) => report(
                Action::Skipped,
                Some(format!("it sends credential '{}'", c.credential)),
            )
            .replaceable(),
        }
    }
}

/// The provider a host's token belongs to: a preset's own host, or the
/// host itself (any name is a provider).
fn provider_of(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    match host.as_str() {
        "github.com" | "api.github.com" => "github".into(),
        _ => host,
    }
}
