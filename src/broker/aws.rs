//! The AWS SDKs' container credential provider
//! (`AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`):
//! a GET with the token in `Authorization`, answered with the keys.

use super::{Broker, Proto, Request, Response, same_secret, status_of};
use crate::refresh::Fresh;
use serde_json::json;

pub const PATH: &str = "/aws/credentials";
pub const PREFIX: &str = "/aws/";

/// Variables an AWS SDK reads before the container provider.
pub const SHADOWING: [&str; 8] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

pub fn check(fresh: &Fresh) -> Result<(), String> {
    match fresh.data.aws() {
        Some(_) => Ok(()),
        None => Err(format!(
            "{} holds no AWS keys (AccessKeyId and SecretAccessKey, stored with --from-json)",
            fresh.meta.describe()
        )),
    }
}

pub fn answer(broker: &Broker, request: &Request) -> (Response, String) {
    let Some((name, token)) = &broker.aws else {
        return (Response::text(404, "not found"), String::new());
    };
    // Nothing is said, not even whether a credential is behind this, to a
    // request without the token.
    if !same_secret(request.header("authorization"), token) {
        return (
            json_error(401, "the Authorization token is missing or wrong"),
            String::new(),
        );
    }
    if request.path != PATH || request.method != "GET" {
        return (json_error(404, "not found"), name.clone());
    }
    let fresh = match broker.fresh(Proto::Aws, name) {
        Ok(fresh) => fresh,
        Err(e) => return (json_error(status_of(&e), &format!("{e:#}")), name.clone()),
    };
    let Some(keys) = fresh.data.aws() else {
        return (
            json_error(500, "the credential no longer holds AWS keys"),
            name.clone(),
        );
    };
    // Serialized from borrowed text: no copy of a key outlives the answer.
    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Answer<'a> {
        access_key_id: &'a str,
        secret_access_key: &'a str,
        token: &'a str,
        expiration: String,
    }
    let body = Answer {
        access_key_id: &keys.access_key_id,
        secret_access_key: keys.secret_access_key.expose(),
        // botocore requires the field; keys without a session have none.
        token: keys.session_token.as_ref().map_or("", |t| t.expose()),
        expiration: crate::time::timestamp(super::expires_at(&fresh)),
    };
    (Response::json(200, &body), name.clone())
}

/// The container provider's error shape.
fn json_error(status: u16, message: &str) -> Response {
    Response::json(
        status,
        &json!({"code": if status == 401 { "AccessDenied" } else { "Error" }, "message": crate::text::clean(message, 500)}),
    )
}
