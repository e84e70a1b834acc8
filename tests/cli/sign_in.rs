//! Sign-ins that work against any OpenID provider: discovery from either
//! URL form, RFC 9207's `iss` checked, pasted redirect URLs, codes matched
//! to the right verifier, and an id_token's own expiry.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, jwt, now};
use predicates::prelude::*;
use serde_json::json;
use std::sync::{Arc, OnceLock};

/// An OpenID provider that promises `iss` in its authorization responses,
/// and answers codes with tokens and an id_token expiring at `id_exp`.
fn oidc(id_exp: i64) -> Provider {
    let base = Arc::new(OnceLock::<String>::new());
    let b = base.clone();
    let provider = Provider::start(move |req| {
        let base = b.get().unwrap();
        match req.path.as_str() {
            "/.well-known/openid-configuration" => Reply::json(
                200,
                json!({
                    "issuer": base,
                    "authorization_endpoint": format!("{base}/authorize"),
                    "token_endpoint": format!("{base}/token"),
                    "authorization_response_iss_parameter_supported": true,
                    "scopes_supported": ["openid", "email", "offline_access"],
                }),
            ),
            "/token" => {
                let mut t = tokens("at", Some("rt"), 3600);
                t["id_token"] = jwt(&json!({"sub": "me", "exp": id_exp})).into();
                Reply::json(200, t)
            }
            _ => Reply::raw(404, "text/html", "<h1>not found</h1>"),
        }
    });
    base.set(provider.url.clone()).unwrap();
    provider
}

fn add(home: &Home, issuer: &str) {
    home.cmd()
        .args([
            "oauth2",
            "add",
            "idp",
            "--issuer",
            issuer,
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
}

fn authorize(home: &Home) -> String {
    let out = home
        .cmd()
        .args([
            "oauth2",
            "authorize-url",
            "idp",
            "--redirect-uri",
            "http://127.0.0.1:9/cb",
        ])
        .assert()
        .success();
    let url = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    let query: std::collections::HashMap<String, String> =
        form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    query["state"].clone()
}

#[test]
fn discovery_takes_the_documents_own_url_and_says_what_a_404_means() {
    let provider = oidc(now() + 3600);
    let home = Home::new();
    add(
        &home,
        &format!("{}/.well-known/openid-configuration", provider.url),
    );
    let out = home
        .cmd()
        .args(["oauth2", "show", "idp"])
        .assert()
        .success();
    let shown: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(shown["issuer"], provider.url);
    // It can give refresh tokens, so the client asks for one by default.
    assert_eq!(shown["scopes"], json!(["openid", "offline_access"]));
    home.cmd()
        .args([
            "oauth2",
            "add",
            "x",
            "--issuer",
            &format!("{}/elsewhere", provider.url),
            "--client-id",
            "c",
        ])
        .args(["--auth-method", "none"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no OpenID discovery document"));
}

#[test]
fn a_pasted_redirect_url_is_checked_for_its_issuer() {
    let provider = oidc(now() + 3600);
    let home = Home::new();
    add(&home, &provider.url);
    let state = authorize(&home);
    // Another issuer's response (a mix-up): refused, nothing stored.
    let forged =
        format!("http://127.0.0.1:9/cb?code=c&state={state}&iss=https%3A%2F%2Fevil.example");
    home.cmd()
        .args(["exchange-code", "me", "--oauth2", "idp", "--code", "-"])
        .write_stdin(forged)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("RFC 9207"));
    assert!(provider.grants("authorization_code").is_empty());
    // Without iss, from an issuer that promised it: refused too.
    let state = authorize(&home);
    home.cmd()
        .args(["exchange-code", "me", "--oauth2", "idp", "--code", "-"])
        .write_stdin(format!("http://127.0.0.1:9/cb?code=c&state={state}"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("promises one"));
    // The right one: its state picks its verifier.
    let state = authorize(&home);
    let iss = form_urlencoded::byte_serialize(provider.url.as_bytes()).collect::<String>();
    home.cmd()
        .args(["exchange-code", "me", "--oauth2", "idp", "--code", "-"])
        .write_stdin(format!(
            "http://127.0.0.1:9/cb?code=good&state={state}&iss={iss}"
        ))
        .assert()
        .success();
    let sent = provider.grants("authorization_code");
    assert_eq!(sent.last().unwrap().param("code").as_deref(), Some("good"));
    assert!(sent.last().unwrap().param("code_verifier").is_some());
}

#[test]
fn several_pending_requests_are_never_guessed_between() {
    let provider = oidc(now() + 3600);
    let home = Home::new();
    add(&home, &provider.url);
    let first = authorize(&home);
    let _second = authorize(&home);
    home.cmd()
        .args(["exchange-code", "me", "--oauth2", "idp", "--code", "-"])
        .write_stdin("c")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("2 authorization URLs are pending")
                .and(predicate::str::contains(&first)),
        );
    assert!(provider.grants("authorization_code").is_empty());
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "idp",
            "--code",
            "-",
            "--state",
            &first,
        ])
        .write_stdin("c")
        .assert()
        .success();
    // A request made without PKCE sends no verifier.
    home.cmd()
        .args([
            "exchange-code",
            "other",
            "--oauth2",
            "idp",
            "--code",
            "-",
            "--no-pkce",
        ])
        .write_stdin("c2")
        .assert()
        .success();
    let last = provider.grants("authorization_code").pop().unwrap();
    assert_eq!(last.param("code_verifier"), None);
}

#[test]
fn an_expired_id_token_is_reported_and_refused_as_a_field() {
    let provider = oidc(now() - 60);
    let home = Home::new();
    add(&home, &provider.url);
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "idp",
            "--code",
            "-",
            "--no-pkce",
        ])
        .write_stdin("c")
        .assert()
        .success();
    let v = home.get_json("me");
    assert_eq!(v["id_token_claims"]["is_expired"], true);
    assert!(v["id_token_claims"]["expires_at"].is_string());
    assert_eq!(home.get("me"), "at\n");
    home.cmd()
        .args(["get", "me", "--field", "id_token"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "the id_token of credential 'me' expired",
        ));
    home.cmd()
        .args(["get", "me", "--field", "id_token", "--allow-expired"])
        .assert()
        .success();
}

#[test]
fn google_needs_a_redirect_uri() {
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "g",
            "--provider",
            "google",
            "--client-id",
            "id",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    home.cmd()
        .args(["oauth2", "authorize-url", "g"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Google needs the redirect URI"));
}

#[test]
fn a_busy_registered_port_falls_back_to_a_free_one() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "c",
            "--token-url",
            "http://127.0.0.1:9/token",
        ])
        .args([
            "--auth-url",
            "http://127.0.0.1:9/authorize",
            "--client-id",
            "id",
        ])
        .args([
            "--auth-method",
            "none",
            "--redirect-uri",
            &format!("http://127.0.0.1:{port}/cb"),
        ])
        .assert()
        .success();
    let out = home
        .cmd()
        .args([
            "login",
            "me",
            "--oauth2",
            "c",
            "--no-browser",
            "--timeout",
            "0",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("listening on another port"), "{stderr}");
    let url = stderr
        .lines()
        .find_map(|l| l.split("sign in at ").nth(1))
        .unwrap();
    assert!(
        url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{url}"
    );
    assert!(!url.contains(&format!("%3A{port}%2F")), "{url}");
    // With --port, the user insisted: no fallback.
    home.cmd()
        .args([
            "login",
            "me",
            "--oauth2",
            "c",
            "--no-browser",
            "--timeout",
            "0",
            "--port",
        ])
        .arg(port.to_string())
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot listen"));
    drop(busy);
}

#[test]
fn a_state_or_code_that_begins_with_a_dash_is_a_value() {
    // base64url values start with '-' one time in 64.
    let provider = oidc(now() + 3600);
    let home = Home::new();
    add(&home, &provider.url);
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "idp",
            "--state",
            "-dState",
        ])
        .args(["--code", "-dCode"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no pending authorization with that state",
        ));
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "idp",
            "--no-pkce",
            "--code",
            "-dCode",
        ])
        .assert()
        .success();
    let sent = provider.grants("authorization_code").pop().unwrap();
    assert_eq!(sent.param("code").as_deref(), Some("-dCode"));
}

#[test]
fn a_confidential_client_never_falls_back_to_another_port() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "c",
            "--token-url",
            "http://127.0.0.1:9/token",
        ])
        .args([
            "--auth-url",
            "http://127.0.0.1:9/authorize",
            "--client-id",
            "id",
        ])
        .args(["--client-secret", "-", "--redirect-uri"])
        .arg(format!("http://127.0.0.1:{port}/cb"))
        .write_stdin("s3cret")
        .assert()
        .success();
    let start = std::time::Instant::now();
    home.cmd()
        .args([
            "login",
            "me",
            "--oauth2",
            "c",
            "--no-browser",
            "--timeout",
            "30s",
        ])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("--port")
                .and(predicate::str::contains("listening on another port").not()),
        );
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    drop(busy);
}

#[test]
fn a_client_assertion_may_be_addressed_to_the_issuer() {
    let base = Arc::new(OnceLock::<String>::new());
    let b = base.clone();
    let provider = Provider::start(move |req| {
        let base = b.get().unwrap();
        match req.path.as_str() {
            "/.well-known/openid-configuration" => Reply::json(
                200,
                json!({
                    "issuer": base,
                    "authorization_endpoint": format!("{base}/authorize"),
                    "token_endpoint": format!("{base}/token"),
                }),
            ),
            "/token" => {
                use base64::Engine;
                let assertion = req.param("client_assertion").unwrap_or_default();
                let claims: serde_json::Value = assertion
                    .split('.')
                    .nth(1)
                    .and_then(|p| {
                        base64::engine::general_purpose::URL_SAFE_NO_PAD
                            .decode(p)
                            .ok()
                    })
                    .and_then(|b| serde_json::from_slice(&b).ok())
                    .unwrap_or_default();
                if claims["aud"] == base.as_str() {
                    Reply::json(200, tokens("at-issuer-aud", None, 3600))
                } else {
                    Reply::json(
                        401,
                        json!({"error": "invalid_client", "error_description": "aud"}),
                    )
                }
            }
            _ => Reply::raw(404, "text/html", "not found"),
        }
    });
    base.set(provider.url.clone()).unwrap();
    let home = Home::new();
    let add = |name: &str, audience: &str| {
        home.cmd()
            .args([
                "oauth2",
                "add",
                name,
                "--issuer",
                &provider.url,
                "--client-id",
                "csj",
            ])
            .args(["--auth-method", "client_secret_jwt", "--client-secret", "-"])
            .args(["--assertion-audience", audience])
            .write_stdin("s3cret")
            .assert()
            .success();
    };
    add("to-issuer", "issuer");
    add("to-endpoint", "token-endpoint");
    home.cmd()
        .args(["client-credentials", "a", "--oauth2", "to-issuer"])
        .assert()
        .success();
    assert_eq!(home.get("a"), "at-issuer-aud\n");
    home.cmd()
        .args(["client-credentials", "b", "--oauth2", "to-endpoint"])
        .assert()
        .code(5);
    // Without an issuer there is nothing to address it to.
    home.cmd()
        .args([
            "oauth2",
            "add",
            "x",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "c",
        ])
        .args(["--auth-method", "client_secret_jwt", "--client-secret", "-"])
        .args(["--assertion-audience", "issuer"])
        .write_stdin("s3cret")
        .assert()
        .code(2);
}
