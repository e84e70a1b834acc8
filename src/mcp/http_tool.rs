//! `http_request`: the agent's request, sent by tokvault with the
//! credential attached, only to the credential's allowed hosts; redirects
//! followed only within them; the answer capped and masked.

use super::policy;
use super::{Allowed, HttpAnswer, HttpRequestArgs, Inner};
use crate::redact::Masks;
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use std::collections::BTreeMap;

const OPERATION: &str = "mcp:http_request";
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/// The most of an answer's body an agent is given.
pub const MAX_BODY: u64 = 1 << 20;
/// The most of a request's body an agent may send.
const MAX_REQUEST_BODY: usize = 16 << 20;
const MAX_REDIRECTS: usize = 5;
/// The refusal of an argument that holds a secret.
pub const SECRET_ARGUMENT: &str = "an argument holds what looks like a secret: never pass one; tokvault attaches the credential itself";

pub fn call(inner: &Inner, args: HttpRequestArgs) -> Result<HttpAnswer, String> {
    let allowed = inner.find(&args.credential)?;
    let refuse = |why: String| inner.refused(OPERATION, Some(&allowed.name), &why);
    let method = args.method.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return Err(refuse(format!(
            "method '{}' is not one of {}",
            crate::text::excerpt(&args.method),
            METHODS.join(", ")
        )));
    }
    let url = url::Url::parse(&args.url).map_err(|_| {
        refuse(format!(
            "'{}' is not a URL",
            crate::text::excerpt(&args.url)
        ))
    })?;
    let host = target(allowed, &url).map_err(refuse)?;
    let body = args.body.unwrap_or_default();
    if !body.is_empty() && matches!(method.as_str(), "GET" | "HEAD") {
        return Err(refuse(format!("a {method} request carries no body")));
    }
    if body.len() > MAX_REQUEST_BODY {
        return Err(refuse("the request's body is larger than 16 MiB".into()));
    }
    let mut headers: Vec<(String, Secret)> = Vec::new();
    for (name, value) in args.headers.unwrap_or_default() {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            return Err(refuse(format!(
                "'{}' is not a header name",
                crate::text::excerpt(&name)
            )));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(refuse(format!("header {name} holds a control character")));
        }
        if policy::forbidden_header(&name, &allowed.header) {
            return Err(refuse(format!(
                "header {name} cannot be set: tokvault attaches the credential itself"
            )));
        }
        headers.push((name, Secret::new(value)));
    }
    // A token the agent found elsewhere is not sent through here.
    let mut said: Vec<&str> = vec![args.url.as_str(), body.as_str()];
    said.extend(headers.iter().map(|(_, v)| v.expose()));
    // One answer for a token of any kind and for the credential's own:
    // which it was would tell an agent that guesses whether it guessed right.
    if said
        .iter()
        .any(|text| policy::secret_shaped(text).is_some())
    {
        return Err(refuse(SECRET_ARGUMENT.into()));
    }

    let ctx = inner.context(OPERATION);
    // Before the credential is read there is nothing of it to mask in an
    // error; after, every error is masked, then cleaned for the agent.
    let plain = |e: anyhow::Error| crate::text::clean(&format!("{e:#}"), 1000);
    let mut resolver = Resolver::open(
        &ctx,
        &format!("credential '{}'", allowed.name),
        Freshness::default(),
    )
    .map_err(plain)?;
    resolver.set_detail(format!("{method} {host}"));
    let fresh = resolver.credential(&allowed.name, true).map_err(plain)?;
    let secrets: Vec<Secret> = fresh.data.secrets().collect();
    let masks = Masks::new(&secrets);
    let fail = |e: anyhow::Error| {
        crate::text::clean(&mask(&masks, format!("{e:#}").as_bytes(), false), 1000)
    };
    let secret = resolver.value(&fresh, None).map_err(fail)?;
    if said
        .iter()
        .any(|text| mask(&masks, text.as_bytes(), false) != *text)
    {
        return Err(refuse(SECRET_ARGUMENT.into()));
    }

    let http = ctx.http();
    let (mut url, mut method, mut body) = (url, method, body);
    let mut redirect_not_followed = None;
    let mut hops = 0;
    let raw = loop {
        let mut sent = headers.clone();
        sent.push((
            allowed.header.name().to_string(),
            allowed.header.value(&secret),
        ));
        let raw = http
            .request(
                &method,
                url.as_str(),
                &sent,
                (!body.is_empty()).then_some(body.as_bytes()),
                MAX_BODY,
            )
            .map_err(fail)?;
        let location = raw
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("location"))
            .and_then(|(_, v)| url.join(v).ok());
        match location {
            Some(next) if matches!(raw.status, 301 | 302 | 303 | 307 | 308) => {
                if target(allowed, &next).is_err() {
                    // Never followed, so the credential never goes there.
                    let host = next.host_str().unwrap_or_default();
                    redirect_not_followed = Some(crate::text::clean(
                        &mask(&masks, host.as_bytes(), false),
                        300,
                    ));
                    break raw;
                }
                hops += 1;
                if hops > MAX_REDIRECTS {
                    return Err(format!("more than {MAX_REDIRECTS} redirects"));
                }
                if raw.status == 303 || (matches!(raw.status, 301 | 302) && method == "POST") {
                    method = "GET".into();
                    body.clear();
                }
                url = next;
            }
            _ => break raw,
        }
    };
    let mut answer_headers = BTreeMap::new();
    for (name, value) in &raw.headers {
        let value = mask(&masks, value.as_bytes(), false);
        answer_headers
            .entry(name.clone())
            .and_modify(|v: &mut String| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    Ok(HttpAnswer {
        status: raw.status,
        headers: answer_headers,
        body: {
            let body = mask(&masks, &raw.body, raw.truncated);
            hide_minted_tokens(&body).unwrap_or(body)
        },
        truncated: raw.truncated,
        url: mask(&masks, url.as_str().as_bytes(), false),
        redirect_not_followed,
    })
}

/// `host[:port]` of `url` if the credential may be sent there: https, or
/// http to this machine; a host its patterns allow.
fn target(allowed: &Allowed, url: &url::Url) -> Result<String, String> {
    let default_port = match url.scheme() {
        "https" => 443,
        "http" => 80,
        other => {
            return Err(format!(
                "'{}' URLs are not requested; use https",
                crate::text::excerpt(other)
            ));
        }
    };
    let Some(host) = url.host_str() else {
        return Err("the URL has no host".into());
    };
    if url.scheme() == "http" && !crate::http::is_loopback(host) {
        return Err(format!(
            "{host} is asked only over https (plain http is for this machine)"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a URL with a user name or password in it is not requested".into());
    }
    let port = url.port().unwrap_or(default_port);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let shown = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    if !allowed
        .hosts
        .iter()
        .any(|p| p.matches(bare, port, default_port) || p.matches(host, port, default_port))
    {
        return Err(format!(
            "credential '{}' may not be sent to {shown}: its hosts are {}",
            allowed.name,
            allowed
                .hosts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if policy::mints_tokens(bare) && !allowed.hosts.iter().any(|p| p.names(bare)) {
        return Err(format!(
            "{shown} hands out new tokens, which no mask would hide: name it in \
             --credential {}=... to allow it",
            allowed.name
        ));
    }
    Ok(shown)
}

/// `bytes` as text with every secret masked; `cut` when they are the
/// start of something longer.
pub fn mask(masks: &Masks, bytes: &[u8], cut: bool) -> String {
    String::from_utf8_lossy(&masks.masked(bytes, cut)).into_owned()
}

/// JSON answers are read for tokens a call minted (an API that hands out
/// tokens to the bearer of this one): their values are hidden too, since
/// the masks know only the credential's own secrets.
fn hide_minted_tokens(body: &str) -> Option<String> {
    const KEYS: [&str; 7] = [
        "access_token",
        "accessToken",
        "refresh_token",
        "id_token",
        "token",
        "client_secret",
        "api_key",
    ];
    fn walk(v: &mut serde_json::Value, hid: &mut bool) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if KEYS.contains(&k.as_str())
                        && v.as_str().is_some_and(|s| s.len() >= 8 && s != "***")
                    {
                        *v = "***".into();
                        *hid = true;
                    } else {
                        walk(v, hid);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, hid)),
            _ => {}
        }
    }
    let mut value: serde_json::Value = serde_json::from_str(body).ok()?;
    let mut hid = false;
    walk(&mut value, &mut hid);
    hid.then(|| value.to_string())
}
