//! Google's metadata server, the parts Google's client libraries and
//! gcloud read (`GCE_METADATA_HOST` / `GCE_METADATA_IP`): the ping, the
//! default service account, its token and ID tokens, the project and the
//! universe. Every request must say `Metadata-Flavor: Google` and none may
//! come through a proxy (`X-Forwarded-For`), as on Google's own.

use super::{Broker, Proto, Request, Response, status_of};
use crate::refresh::Fresh;
use crate::token::{Identity, TokenType};

const ROOT: &str = "/computeMetadata/v1/";
const ACCOUNTS: &str = "instance/service-accounts/";

/// Variables Google's libraries read before the metadata server.
pub const SHADOWING: [&str; 3] = [
    "GOOGLE_APPLICATION_CREDENTIALS",
    "CLOUDSDK_AUTH_ACCESS_TOKEN",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
];

/// The credential the metadata server's default service account stands for.
pub struct Grant {
    name: String,
    email: String,
    project: Option<String>,
}

impl Grant {
    pub fn new(name: &str, fresh: &Fresh, project: Option<String>) -> Grant {
        let account = match &fresh.data.identity {
            Some(Identity::GoogleServiceAccount { client_email, .. }) => Some(client_email.clone()),
            _ => None,
        };
        // A user credential's address, from its ID token.
        let email = account.clone().or_else(|| {
            let id = fresh.data.id_token.as_ref()?;
            let claims = crate::token::jwt_claims(id.expose())?;
            claims.get("email")?.as_str().map(str::to_string)
        });
        let from_account = account.and_then(|a| {
            a.strip_suffix(".iam.gserviceaccount.com")?
                .split_once('@')
                .map(|(_, p)| p.to_string())
        });
        Grant {
            name: name.to_string(),
            email: email.unwrap_or_else(|| "default".into()),
            project: project.or(from_account),
        }
    }
}

pub fn check(fresh: &Fresh) -> Result<(), String> {
    let service_account = matches!(
        fresh.data.identity,
        Some(Identity::GoogleServiceAccount { .. })
    );
    let user = fresh.meta.token_type == TokenType::Oauth2
        && fresh.data.identity.is_none()
        && (fresh.data.refresh_token.is_some() || fresh.data.access_token.is_some());
    if service_account || user {
        return Ok(());
    }
    Err(format!(
        "{} is not a Google OAuth2 credential or service account",
        fresh.meta.describe()
    ))
}

pub fn serves(path: &str) -> bool {
    path == "/" || path.starts_with("/computeMetadata/")
}

fn text(status: u16, body: &str) -> Response {
    Response::new(status, "application/text", body.as_bytes().to_vec())
        .with("Metadata-Flavor", "Google")
}

fn json(value: &impl serde::Serialize) -> Response {
    Response::json(200, value).with("Metadata-Flavor", "Google")
}

pub fn answer(broker: &Broker, request: &Request) -> (Response, String) {
    let Some(grant) = &broker.gcp else {
        return (Response::text(404, "not found"), String::new());
    };
    if request.header("x-forwarded-for").is_some() {
        return (
            text(403, "a request through a proxy is refused"),
            String::new(),
        );
    }
    if request.header("metadata-flavor") != Some("Google") {
        return (
            text(
                403,
                "Missing required header \"Metadata-Flavor\": \"Google\"",
            ),
            String::new(),
        );
    }
    if request.method != "GET" && request.method != "POST" {
        return (text(405, "method not allowed"), String::new());
    }
    let name = grant.name.clone();
    let Some(path) = request.path.strip_prefix(ROOT) else {
        // The ping: the metadata server's root.
        return match request.path.as_str() {
            "/" | "/computeMetadata/" | "/computeMetadata/v1" => {
                (text(200, "computeMetadata/\n"), name)
            }
            _ => (text(404, "not found"), name),
        };
    };
    let answer = match path {
        "project/project-id" => match &grant.project {
            Some(project) => text(200, project),
            None => text(404, "no project: give --gcp-project"),
        },
        "universe/universe-domain" => text(200, "googleapis.com"),
        "instance/service-accounts" | "instance/service-accounts/" => {
            text(200, &format!("default/\n{}/\n", grant.email))
        }
        _ => match path.strip_prefix(ACCOUNTS).and_then(|p| p.split_once('/')) {
            Some((account, what)) if account == "default" || account == grant.email => {
                account_answer(broker, grant, request, what)
            }
            _ => text(404, "not found"),
        },
    };
    (answer, name)
}

fn account_answer(broker: &Broker, grant: &Grant, request: &Request, what: &str) -> Response {
    match what {
        "" if request.param("recursive") == Some("true") => {
            match broker.fresh(Proto::Gcp, &grant.name) {
                Ok(fresh) => json(&serde_json::json!({
                    "aliases": ["default"],
                    "email": grant.email,
                    "scopes": fresh.meta.scopes,
                })),
                Err(e) => text(status_of(&e), &format!("{e:#}")),
            }
        }
        "" => text(200, "aliases\nemail\nidentity\nscopes\ntoken\n"),
        "aliases" => text(200, "default"),
        "email" => text(200, &grant.email),
        "scopes" => match broker.fresh(Proto::Gcp, &grant.name) {
            Ok(fresh) => text(200, &fresh.meta.scopes.join("\n")),
            Err(e) => text(status_of(&e), &format!("{e:#}")),
        },
        "token" => token(broker, grant, request),
        "identity" => identity(broker, grant, request),
        _ => text(404, "not found"),
    }
}

fn token(broker: &Broker, grant: &Grant, request: &Request) -> Response {
    let asked: Vec<String> = request
        .param("scopes")
        .map(|s| {
            s.split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let fresh = broker.fresh(Proto::Gcp, &grant.name).and_then(|fresh| {
        let held = asked.iter().all(|s| fresh.meta.scopes.contains(s));
        // A service account that stores an ID token mints access tokens
        // only when asked for scopes.
        let id_token_kind = matches!(
            &fresh.data.identity,
            Some(Identity::GoogleServiceAccount {
                audience: Some(_),
                ..
            })
        );
        if held && !id_token_kind {
            return Ok(fresh);
        }
        if asked.is_empty() {
            return Err(crate::error::usage(format!(
                "{} holds an ID token: ask for ?scopes=",
                fresh.meta.describe()
            )));
        }
        broker.another(Proto::Gcp, &grant.name, super::Asked::Scopes(&asked))
    });
    let fresh = match fresh {
        Ok(fresh) => fresh,
        Err(e) if crate::error::exit_code(&e) == crate::error::code::USAGE => {
            return text(400, &crate::text::clean(&format!("{e:#}"), 500));
        }
        Err(e) => return text(status_of(&e), &crate::text::clean(&format!("{e:#}"), 500)),
    };
    let Some(access) = &fresh.data.access_token else {
        return text(503, "the provider sent no access token");
    };
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        access_token: &'a str,
        expires_in: i64,
        token_type: &'a str,
    }
    let now = jiff::Timestamp::now().as_second();
    json(&Answer {
        access_token: access.expose(),
        expires_in: (super::expires_at(&fresh) - now).max(0),
        token_type: "Bearer",
    })
}

/// An ID token for `?audience=`: a user credential's own ID token when it
/// was issued for that audience; a service account's, stored for it or
/// minted for any other.
fn identity(broker: &Broker, grant: &Grant, request: &Request) -> Response {
    let Some(audience) = request.param("audience").filter(|a| !a.is_empty()) else {
        return text(400, "audience is required");
    };
    let fresh = match broker.fresh(Proto::Gcp, &grant.name) {
        Ok(fresh) => fresh,
        Err(e) => return text(status_of(&e), &crate::text::clean(&format!("{e:#}"), 500)),
    };
    let minted;
    let id_token = match &fresh.data.identity {
        Some(Identity::GoogleServiceAccount {
            audience: Some(a), ..
        }) if a == audience => fresh.data.access_token.as_ref(),
        Some(Identity::GoogleServiceAccount { .. }) => {
            match broker.another(Proto::Gcp, &grant.name, super::Asked::Audience(audience)) {
                Ok(fresh) => {
                    minted = fresh;
                    minted.data.access_token.as_ref()
                }
                Err(e) => return text(status_of(&e), &crate::text::clean(&format!("{e:#}"), 500)),
            }
        }
        Some(_) => None,
        None => fresh.data.id_token.as_ref().filter(|t| {
            crate::token::jwt_claims(t.expose()).is_some_and(|c| match c.get("aud") {
                Some(serde_json::Value::String(aud)) => aud == audience,
                Some(serde_json::Value::Array(auds)) => auds.iter().any(|a| a == audience),
                _ => false,
            })
        }),
    };
    match id_token {
        Some(t) => text(200, t.expose()),
        None => text(
            404,
            &format!(
                "{} holds no ID token for this audience",
                fresh.meta.describe()
            ),
        ),
    }
}
