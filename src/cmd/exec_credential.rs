//! Helpers that clients run as a program and read JSON from: the AWS SDKs'
//! `credential_process` and kubectl's exec credential plugin. Each prints
//! only its protocol on stdout and never prompts; the credential is made
//! valid for at least a minute first, as `get` would.

use crate::Context;
use crate::cli::ExecCredentialArgs;
use crate::error;
use crate::refresh::Fresh;
use crate::resolve::{Freshness, Resolver};
use anyhow::Result;
use serde_json::json;

/// The credential, refreshed when it expires within a minute.
fn fresh<'a>(ctx: &'a Context, name: &str, prints_token: bool) -> Result<(Resolver<'a>, Fresh)> {
    let freshness = Freshness {
        min_valid: 60,
        ..Freshness::default()
    };
    let mut resolver = Resolver::open(ctx, &format!("credential '{name}'"), freshness)?;
    let fresh = resolver.credential(name, prints_token)?;
    Ok((resolver, fresh))
}

/// `credential_process` output, version 1.
pub fn aws(args: &ExecCredentialArgs, ctx: &Context) -> Result<()> {
    let (_, fresh) = fresh(ctx, &args.integration, false)?;
    let keys = fresh.data.aws().ok_or_else(|| {
        error::usage(format!(
            "{} holds no AWS keys (AccessKeyId and SecretAccessKey, stored with --from-json); \
             `tokvault get {}` prints its secret",
            fresh.meta.describe(),
            fresh.meta.integration
        ))
    })?;
    let mut out = json!({
        "Version": 1,
        "AccessKeyId": keys.access_key_id,
        "SecretAccessKey": keys.secret_access_key.expose(),
    });
    ctx.mask().register(&keys.secret_access_key);
    if let Some(token) = &keys.session_token {
        ctx.mask().register(token);
        out["SessionToken"] = token.expose().into();
    }
    if let Some(at) = fresh.meta.expires_at {
        out["Expiration"] = crate::time::timestamp(at).into();
    }
    crate::output::json(&out)
}

/// The apiVersions of client.authentication.k8s.io kubectl speaks.
const KUBE_VERSIONS: [&str; 2] = [
    "client.authentication.k8s.io/v1",
    "client.authentication.k8s.io/v1beta1",
];

/// An ExecCredential in the version kubectl asked for (KUBERNETES_EXEC_INFO),
/// v1 when it did not say.
pub fn kube(args: &ExecCredentialArgs, ctx: &Context) -> Result<()> {
    let asked = std::env::var("KUBERNETES_EXEC_INFO")
        .ok()
        .and_then(|info| serde_json::from_str::<serde_json::Value>(&info).ok())
        .and_then(|info| info["apiVersion"].as_str().map(str::to_string));
    let version = match asked.as_deref() {
        None => KUBE_VERSIONS[0],
        Some(v) => KUBE_VERSIONS
            .iter()
            .find(|k| **k == v)
            .copied()
            .ok_or_else(|| {
                error::usage(format!(
                    "kubectl asked for {}, but tokvault speaks {}",
                    crate::text::excerpt(v),
                    KUBE_VERSIONS.join(" and ")
                ))
            })?,
    };
    let (resolver, fresh) = fresh(ctx, &args.integration, true)?;
    let token = resolver.value(&fresh, None)?;
    ctx.mask().register(&token);
    let mut status = json!({"token": token.expose()});
    if let Some(at) = fresh.meta.expires_at {
        status["expirationTimestamp"] = crate::time::timestamp(at).into();
    }
    crate::output::json(&json!({
        "apiVersion": version,
        "kind": "ExecCredential",
        "status": status,
    }))
}
