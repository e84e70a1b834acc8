//! Azure's managed-identity endpoint as App Service serves it
//! (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`), which azure-identity and MSAL
//! use: `GET ?resource=R&api-version=2019-08-01` with `X-IDENTITY-HEADER`.

use super::{Broker, Proto, Request, Response, same_secret, status_of};
use crate::refresh::Fresh;
use crate::token::TokenType;
use serde_json::json;

pub const PATH: &str = "/azure/token";
pub const PREFIX: &str = "/azure/";

/// Variables azure-identity reads before the managed identity.
pub const SHADOWING: [&str; 8] = [
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "IDENTITY_SERVER_THUMBPRINT",
];

const API_VERSION: &str = "2019-08-01";

pub fn check(fresh: &Fresh) -> Result<(), String> {
    if fresh.meta.token_type == TokenType::Oauth2 && fresh.data.refresh_token.is_some() {
        return Ok(());
    }
    Err(format!(
        "{} is not an OAuth2 credential with a refresh token (sign in with `tokvault login microsoft`)",
        fresh.meta.describe()
    ))
}

pub fn answer(broker: &Broker, request: &Request) -> (Response, String) {
    let Some((name, header)) = &broker.azure else {
        return (Response::text(404, "not found"), String::new());
    };
    if !same_secret(request.header("x-identity-header"), header) {
        return (
            error(401, "X-IDENTITY-HEADER is missing or wrong"),
            String::new(),
        );
    }
    if request.path != PATH || request.method != "GET" {
        return (error(404, "not found"), name.clone());
    }
    if request.param("api-version") != Some(API_VERSION) {
        return (error(400, "api-version must be 2019-08-01"), name.clone());
    }
    let Some(resource) = request.param("resource").filter(|r| !r.trim().is_empty()) else {
        return (error(400, "resource is required"), name.clone());
    };
    let resource = resource.trim_end_matches('/');
    let fresh = match broker.fresh(Proto::Azure, name) {
        // The stored token is for this resource: a scope of its own.
        Ok(fresh) if fresh.meta.scopes.iter().any(|s| s.starts_with(resource)) => Ok(fresh),
        Ok(_) => broker.another(
            Proto::Azure,
            name,
            super::Asked::Scopes(&[format!("{resource}/.default")]),
        ),
        Err(e) => Err(e),
    };
    let fresh = match fresh {
        Ok(fresh) => fresh,
        Err(e) => return (error(status_of(&e), &format!("{e:#}")), name.clone()),
    };
    let Some(token) = &fresh.data.access_token else {
        return (
            error(503, "the provider sent no access token"),
            name.clone(),
        );
    };
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        access_token: &'a str,
        expires_on: String,
        resource: &'a str,
        token_type: &'a str,
    }
    let body = Answer {
        access_token: token.expose(),
        expires_on: super::expires_at(&fresh).to_string(),
        resource,
        token_type: "Bearer",
    };
    (Response::json(200, &body), name.clone())
}

fn error(status: u16, message: &str) -> Response {
    Response::json(
        status,
        &json!({"statusCode": status, "message": crate::text::clean(message, 500)}),
    )
}
