//! The built-in providers and their quirks, as data.
//!
//! Quirks in how answers come back (GitHub's form-encoded bodies and errors
//! sent with HTTP 200, Slack's `"ok": false`, tokens omitted or rotated on
//! refresh) are handled for every server by `oauth::parse_answer` and the
//! refresh merge; only what must be *sent* differently lives here.

use crate::oauth::{AuthMethod, BodyFormat};

#[derive(Debug)]
pub struct Provider {
    pub name: &'static str,
    /// openai and anthropic issue API keys only; there is nothing to refresh.
    pub api_key_only: bool,
    pub auth_url: Option<&'static str>,
    pub token_url: Option<&'static str>,
    pub device_url: Option<&'static str>,
    /// How the provider's documentation authenticates clients.
    pub auth_method: AuthMethod,
    pub body: BodyFormat,
    /// Added to the authorization URL, mostly to get a refresh token back.
    pub auth_params: &'static [(&'static str, &'static str)],
    /// A scope without which no refresh token comes back.
    pub offline_scope: Option<&'static str>,
    /// What a client asks for when it is given no --scopes.
    pub default_scopes: &'static [&'static str],
    /// Where a person revokes the provider's API keys and tokens, for
    /// those with no revocation endpoint (`delete` names it).
    pub revoke_at: Option<&'static str>,
    /// How the provider revokes the tokens it issued, for a credential
    /// whose client names no revocation endpoint of its own.
    pub revocation: Option<Revocation>,
}

/// How a provider revokes a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// RFC 7009 at this URL, authenticated as the client.
    Rfc7009(&'static str),
    /// A POST with the access token as its bearer, and no body.
    BearerPost(&'static str),
}

const fn oauth(name: &'static str) -> Provider {
    Provider {
        name,
        api_key_only: false,
        auth_url: None,
        token_url: None,
        device_url: None,
        auth_method: AuthMethod::ClientSecretBasic,
        body: BodyFormat::Form,
        auth_params: &[],
        offline_scope: None,
        default_scopes: &[],
        revoke_at: None,
        revocation: None,
    }
}

const fn api_key_only(name: &'static str) -> Provider {
    Provider {
        api_key_only: true,
        ..oauth(name)
    }
}

/// The tenant placeholder in Microsoft's URLs; `oauth2 add --tenant` fills it.
pub const TENANT: &str = "{tenant}";

pub const PROVIDERS: &[Provider] = &[
    // https://developers.google.com/identity/protocols/oauth2/web-server
    // (endpoints; access_type=offline for a refresh token, prompt=consent to
    // get one again; the refresh answer carries no new refresh token) and
    // https://developers.google.com/identity/protocols/oauth2/limited-input-device
    Provider {
        auth_url: Some("https://accounts.google.com/o/oauth2/v2/auth"),
        token_url: Some("https://oauth2.googleapis.com/token"),
        device_url: Some("https://oauth2.googleapis.com/device/code"),
        auth_method: AuthMethod::ClientSecretPost,
        auth_params: &[("access_type", "offline"), ("prompt", "consent")],
        // Google refuses an authorization request without a scope.
        default_scopes: &["openid", "email"],
        // https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
        revocation: Some(Revocation::Rfc7009("https://oauth2.googleapis.com/revoke")),
        ..oauth("google")
    },
    // https://docs.slack.dev/reference/methods/oauth.v2.access: "avoid
    // sending client_id and client_secret as parameters ... supply [them]
    // using the HTTP Basic authentication scheme"; like every Web API
    // method, failures are HTTP 200 with "ok": false and an "error".
    Provider {
        auth_url: Some("https://slack.com/oauth/v2/authorize"),
        token_url: Some("https://slack.com/api/oauth.v2.access"),
        // https://docs.slack.dev/reference/methods/auth.revoke
        revocation: Some(Revocation::BearerPost("https://slack.com/api/auth.revoke")),
        ..oauth("slack")
    },
    Provider {
        revoke_at: Some("https://platform.openai.com/api-keys"),
        ..api_key_only("openai")
    },
    Provider {
        revoke_at: Some("https://console.anthropic.com/settings/keys"),
        ..api_key_only("anthropic")
    },
    // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
    // (client_id and client_secret as parameters; a form-encoded answer
    // unless `Accept: application/json`, which tokvault always sends) and
    // https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
    // ("the format of these responses is determined by the accept header";
    // bad_verification_code and the like arrive with HTTP 200).
    Provider {
        auth_url: Some("https://github.com/login/oauth/authorize"),
        token_url: Some("https://github.com/login/oauth/access_token"),
        device_url: Some("https://github.com/login/device/code"),
        auth_method: AuthMethod::ClientSecretPost,
        revoke_at: Some("https://github.com/settings/tokens"),
        ..oauth("github")
    },
    // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow:
    // the tenant is part of the URL; the offline_access scope brings a
    // refresh token, and "refresh tokens replace themselves with a fresh
    // token upon every use" (#refreshing-the-access-tokens).
    Provider {
        auth_url: Some("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize"),
        token_url: Some("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
        device_url: Some("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode"),
        auth_method: AuthMethod::ClientSecretPost,
        offline_scope: Some("offline_access"),
        default_scopes: &["openid", "offline_access"],
        ..oauth("microsoft")
    },
    // https://developers.zoom.us/docs/integrations/oauth/: the client id and
    // secret go in a Basic Authorization header; each refresh returns a new
    // refresh token and the old one stops working.
    Provider {
        auth_url: Some("https://zoom.us/oauth/authorize"),
        token_url: Some("https://zoom.us/oauth/token"),
        // https://developers.zoom.us/docs/integrations/oauth/#revoking-an-access-token
        revocation: Some(Revocation::Rfc7009("https://zoom.us/oauth/revoke")),
        ..oauth("zoom")
    },
    // https://www.dropbox.com/developers/documentation/http/documentation#oauth2-authorize:
    // token_access_type=offline for a refresh token.
    Provider {
        auth_url: Some("https://www.dropbox.com/oauth2/authorize"),
        token_url: Some("https://api.dropboxapi.com/oauth2/token"),
        auth_params: &[("token_access_type", "offline")],
        // https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke
        revocation: Some(Revocation::BearerPost(
            "https://api.dropboxapi.com/2/auth/token/revoke",
        )),
        ..oauth("dropbox")
    },
    // https://developers.notion.com/reference/create-a-token and
    // .../refresh-a-token: POST /v1/oauth/token with a "Basic <base64
    // client_id:client_secret>" header and a JSON body; the authorization
    // URL (https://developers.notion.com/docs/authorization) takes owner=user.
    Provider {
        auth_url: Some("https://api.notion.com/v1/oauth/authorize"),
        token_url: Some("https://api.notion.com/v1/oauth/token"),
        body: BodyFormat::Json,
        auth_params: &[("owner", "user")],
        ..oauth("notion")
    },
];

pub fn find(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.name == name)
}

/// The preset one edit away from `name` (a letter added, dropped, changed
/// or two swapped), for a "did you mean" note: `gogle`, `githbu`.
pub fn near_miss(name: &str) -> Option<&'static str> {
    if find(name).is_some() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    PROVIDERS
        .iter()
        .map(|p| p.name)
        .find(|p| *p == lower || one_edit_apart(&lower, p))
}

fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len() as isize - rb.len() as isize {
        0 => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 => ra[1..] == *rb,
        -1 => *ra == rb[1..],
        _ => false,
    }
}

pub fn names() -> String {
    PROVIDERS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How requests to a provider are shaped; unknown (custom) providers get
/// the RFC's defaults.
pub fn body_format(name: Option<&str>) -> BodyFormat {
    name.and_then(find).map_or(BodyFormat::Form, |p| p.body)
}

pub fn auth_params(name: Option<&str>) -> &'static [(&'static str, &'static str)] {
    name.and_then(find).map_or(&[], |p| p.auth_params)
}

/// The scopes to ask for, with the provider's offline scope added (so a
/// refresh token comes back).
pub fn authorization_scopes(name: Option<&str>, scopes: &[String]) -> Vec<String> {
    let mut scopes = scopes.to_vec();
    if let Some(offline) = name.and_then(find).and_then(|p| p.offline_scope)
        && !scopes.iter().any(|s| s == offline)
    {
        scopes.push(offline.to_string());
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        assert_eq!(near_miss("gogle"), Some("google"));
        assert_eq!(near_miss("githbu"), Some("github"));
        assert_eq!(near_miss("googlee"), Some("google"));
        assert_eq!(near_miss("Google"), Some("google"));
        assert_eq!(near_miss("slakc"), Some("slack"));
        assert_eq!(near_miss("google"), None);
        assert_eq!(near_miss("stripe"), None);
        assert_eq!(near_miss("datadog"), None);
        assert_eq!(near_miss(""), None);
    }
}
