//! The device authorization grant (RFC 8628): a code to enter on another
//! device, then polling the token endpoint until the user approves.

use super::{Endpoint, post};
use crate::error::Error;
use crate::http::Http;
use crate::secret::Secret;
use anyhow::Result;
use serde::Deserialize;

/// RFC 8628 §3.2. Google names the URI `verification_url`.
#[derive(Deserialize)]
pub struct DeviceAuthorization {
    pub device_code: Secret,
    pub user_code: String,
    #[serde(alias = "verification_url")]
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: u64,
    /// Seconds between polls; 5 when the server does not say (§3.2).
    #[serde(default = "default_interval")]
    pub interval: u64,
}

fn default_interval() -> u64 {
    5
}

/// Asks the device endpoint for a user code (RFC 8628 §3.1).
pub fn start(
    http: &Http,
    endpoint: &Endpoint<'_>,
    device_url: &str,
    scopes: &[String],
) -> Result<DeviceAuthorization> {
    let mut params = Vec::new();
    if !scopes.is_empty() {
        params.push(("scope".to_string(), Secret::new(scopes.join(" "))));
    }
    let object = post(http, endpoint, device_url, params, |_| None)?;
    DeviceAuthorization::deserialize(&*object).map_err(|e| {
        Error::Network(format!(
            "network: the device endpoint {device_url} answered without a usable user code ({})",
            crate::token::json_error(&e)
        ))
        .into()
    })
}

/// What one poll's refusal means (RFC 8628 §3.5).
pub enum Poll {
    /// authorization_pending: ask again after the interval.
    Pending,
    /// slow_down: ask again, 5 seconds slower from now on.
    SlowDown,
    /// Anything else (access_denied, expired_token, ...): stop.
    Stop,
}

pub fn classify(error: &str) -> Poll {
    match error {
        "authorization_pending" => Poll::Pending,
        "slow_down" => Poll::SlowDown,
        _ => Poll::Stop,
    }
}
