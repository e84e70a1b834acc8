//! OAuth2 clients, exchange-code, refresh and client_credentials against
//! real HTTP servers on 127.0.0.1.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, jwt};
use predicates::prelude::*;
use serde_json::json;

const SECRET: &str = "s3cr:t/+&=";

fn add_client(home: &Home, name: &str, provider: &Provider, args: &[&str]) {
    home.cmd()
        .args([
            "oauth2",
            "add",
            name,
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "my client",
        ])
        .args(args)
        .write_stdin(SECRET)
        .assert()
        .success();
}

#[test]
fn exchange_code_with_client_secret_basic() {
    let id_token = jwt(&json!({"iss": "http://127.0.0.1", "sub": "u1", "email": "u@example.com"}));
    let idt = id_token.clone();
    let provider = Provider::start(move |req| {
        let mut t = tokens("at-1", Some("rt-1"), 3600);
        t["id_token"] = idt.clone().into();
        t["scope"] = "openid email".into();
        match req.basic() {
            Some((id, secret)) if id == "my client" && secret == SECRET => Reply::json(200, t),
            _ => Reply::json(401, json!({"error": "invalid_client"})),
        }
    });
    let home = Home::new();
    add_client(
        &home,
        "idp",
        &provider,
        &[
            "--client-secret",
            "-",
            "--redirect-uri",
            "http://127.0.0.1:9/cb",
        ],
    );
    home.exchange_with("mail", "idp", "the-code")
        .success()
        .stdout("");

    let req = &provider.grants("authorization_code")[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/token");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(req.param("code").as_deref(), Some("the-code"));
    assert_eq!(
        req.param("redirect_uri").as_deref(),
        Some("http://127.0.0.1:9/cb")
    );
    assert_eq!(
        req.param("client_secret"),
        None,
        "basic auth must not repeat the secret in the body"
    );

    assert_eq!(home.get("mail"), "at-1\n");
    let record = home.get_json("mail");
    assert_eq!(record["provider"], "idp");
    assert_eq!(record["scopes"], json!(["openid", "email"]));
    assert_eq!(record["token_data"]["refresh_token"], "rt-1");
    assert_eq!(record["token_data"]["id_token"], id_token.as_str());
    assert_eq!(
        record["id_token_claims"]["claims"]["email"],
        "u@example.com"
    );
    assert_eq!(record["id_token_claims"]["signature_verified"], false);
}

#[test]
fn exchange_code_with_client_secret_post_and_json_output() {
    let provider = Provider::start(|req| {
        match (req.param("client_id"), req.param("client_secret")) {
            (Some(id), Some(secret))
                if id == "my client"
                    && secret == SECRET
                    && req.header("authorization").is_none() =>
            {
                Reply::json(200, tokens("at-post", Some("rt"), 3600))
            }
            _ => Reply::json(
                401,
                json!({"error": "invalid_client", "error_description": "Client authentication failed"}),
            ),
        }
    });
    let home = Home::new();
    add_client(
        &home,
        "idp",
        &provider,
        &[
            "--client-secret",
            "-",
            "--auth-method",
            "client_secret_post",
        ],
    );
    let out = home
        .cmd()
        .args([
            "exchange-code",
            "x",
            "--oauth2",
            "idp",
            "--code",
            "c",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["token_data"]["access_token"], "at-post");
    assert!(String::from_utf8_lossy(&out.stderr).contains("visible to other processes"));
}

#[test]
fn pkce_public_client_uses_the_kept_verifier() {
    let provider = Provider::start(|req| {
        if req.header("authorization").is_some() || req.param("client_secret").is_some() {
            return Reply::json(400, json!({"error": "invalid_request"}));
        }
        Reply::json(200, tokens("at-pkce", Some("rt-pkce"), 3600))
    });
    let home = Home::new();
    home.cmd()
        .args(["oauth2", "add", "pub", "--token-url", &provider.token_url()])
        .args([
            "--auth-url",
            "http://127.0.0.1:1/authorize",
            "--client-id",
            "public-app",
            "--auth-method",
            "none",
        ])
        .args([
            "--redirect-uri",
            "http://127.0.0.1:8765/callback",
            "--scopes",
            "openid,offline_access",
        ])
        .assert()
        .success();
    let out = home
        .cmd()
        .args(["oauth2", "authorize-url", "pub"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let url = String::from_utf8(out.stdout).unwrap();
    let url = url.trim();
    assert!(url.starts_with("http://127.0.0.1:1/authorize?"), "{url}");
    let query: std::collections::HashMap<String, String> =
        form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["client_id"], "public-app");
    assert_eq!(query["redirect_uri"], "http://127.0.0.1:8765/callback");
    assert_eq!(query["scope"], "openid offline_access");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(
        query["prompt"], "consent",
        "offline_access needs prompt=consent"
    );
    assert!(query["state"].len() >= 16);

    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "pub",
            "--code",
            "-",
            "--state",
            &query["state"],
        ])
        .write_stdin("code-1")
        .assert()
        .success();
    let req = &provider.grants("authorization_code")[0];
    let verifier = req.param("code_verifier").expect("a code_verifier");
    use base64::Engine;
    use sha2::Digest;
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(challenge, query["code_challenge"]);
    assert_eq!(req.param("client_id").as_deref(), Some("public-app"));
    assert_eq!(
        req.param("redirect_uri").as_deref(),
        Some("http://127.0.0.1:8765/callback")
    );
    assert_eq!(home.get("me"), "at-pkce\n");

    // The verifier is single-use.
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "pub",
            "--code",
            "-",
            "--state",
            &query["state"],
        ])
        .write_stdin("code-2")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no pending authorization"));
}

#[test]
fn explicit_code_verifier_from_stdin() {
    let provider = Provider::start(|_| Reply::json(200, tokens("at", None, 3600)));
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "pub",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "app",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "pub",
            "--code",
            "c",
            "--code-verifier",
            "-",
        ])
        .write_stdin("my-verifier")
        .assert()
        .success();
    assert_eq!(
        provider.requests()[0].param("code_verifier").as_deref(),
        Some("my-verifier")
    );
    home.cmd()
        .args([
            "exchange-code",
            "me",
            "--oauth2",
            "pub",
            "--code",
            "-",
            "--code-verifier",
            "-",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most one input"));
}

/// A provider that rotates refresh tokens when `rotate`, and counts grants.
fn refreshing_provider(rotate: bool, expires_in: i64) -> Provider {
    let n = std::sync::atomic::AtomicUsize::new(0);
    Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-0"), expires_in)),
        Some("refresh_token") => {
            let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            let rt = format!("rt-{i}");
            Reply::json(
                200,
                tokens(&format!("at-{i}"), rotate.then_some(rt.as_str()), 3600),
            )
        }
        _ => Reply::json(400, json!({"error": "unsupported_grant_type"})),
    })
}

#[test]
fn get_refreshes_an_expired_token_and_keeps_an_omitted_refresh_token() {
    let provider = refreshing_provider(false, 0);
    let home = Home::new();
    add_client(&home, "idp", &provider, &["--client-secret", "-"]);
    home.exchange_with("g", "idp", "the-code").success();

    let record = home.get_json("g");
    assert_eq!(record["refreshed"], true);
    assert_eq!(record["is_expired"], false);
    assert_eq!(record["token_data"]["access_token"], "at-1");
    assert_eq!(
        record["token_data"]["refresh_token"], "rt-0",
        "an omitted refresh token keeps the old one"
    );
    let refreshes = provider.grants("refresh_token");
    assert_eq!(refreshes.len(), 1);
    assert_eq!(refreshes[0].param("refresh_token").as_deref(), Some("rt-0"));
    assert_eq!(
        refreshes[0].basic(),
        Some(("my client".into(), SECRET.into()))
    );

    // Now valid for an hour: no more requests.
    assert_eq!(home.get("g"), "at-1\n");
    assert_eq!(home.get_json("g")["refreshed"], false);
    assert_eq!(provider.grants("refresh_token").len(), 1);
}

#[test]
fn a_rotated_refresh_token_replaces_the_old_one() {
    let provider = refreshing_provider(true, 0);
    let home = Home::new();
    add_client(&home, "idp", &provider, &["--client-secret", "-"]);
    home.exchange_with("z", "idp", "the-code").success();
    home.cmd()
        .args(["refresh", "z"])
        .assert()
        .success()
        .stdout("");
    home.cmd().args(["refresh", "z"]).assert().success();
    let sent: Vec<String> = provider
        .grants("refresh_token")
        .iter()
        .map(|r| r.param("refresh_token").unwrap())
        .collect();
    assert_eq!(sent, ["rt-0", "rt-1"], "each rotated token is used once");
    home.cmd()
        .args(["get", "z", "--field", "refresh_token"])
        .assert()
        .stdout("rt-2\n");
}

#[test]
fn min_valid_and_half_lifetime() {
    let provider = refreshing_provider(false, 120);
    let home = Home::new();
    add_client(&home, "idp", &provider, &["--client-secret", "-"]);
    home.exchange_with("m", "idp", "the-code").success();
    // 120 s left, lifetime 120 s: the 60 s default is within half the lifetime.
    assert_eq!(home.get("m"), "at-0\n");
    // Asking for 5 minutes is capped at half the lifetime (60 s): still fine.
    home.cmd()
        .args(["get", "m", "--min-valid", "5m"])
        .assert()
        .stdout("at-0\n");
    assert_eq!(provider.grants("refresh_token").len(), 0);

    // A 6 s token is renewed once it is past half its life, not before.
    let provider = refreshing_provider(false, 6);
    let home = Home::new();
    add_client(&home, "idp", &provider, &["--client-secret", "-"]);
    home.exchange_with("m", "idp", "the-code").success();
    home.cmd()
        .args(["get", "m", "--min-valid", "1h"])
        .assert()
        .stdout("at-0\n");
    std::thread::sleep(std::time::Duration::from_millis(3100));
    home.cmd().args(["get", "m"]).assert().stdout("at-1\n");
    assert_eq!(provider.grants("refresh_token").len(), 1);
    home.cmd()
        .args(["get", "m", "--min-valid", "soon"])
        .assert()
        .code(2);
}

#[test]
fn no_refresh_never_calls_the_network() {
    let provider = refreshing_provider(false, 0);
    let home = Home::new();
    add_client(&home, "idp", &provider, &["--client-secret", "-"]);
    home.exchange_with("n", "idp", "the-code").success();
    home.cmd()
        .args(["get", "n", "--no-refresh"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("run without --no-refresh"));
    home.cmd()
        .args(["get", "n", "--no-refresh", "--allow-expired"])
        .assert()
        .stdout("at-0\n");
    assert_eq!(provider.grants("refresh_token").len(), 0);
}

#[test]
fn an_access_token_only_credential_is_never_refreshed() {
    let home = Home::new();
    home.store(
        &[
            "gh",
            "--provider",
            "github",
            "--secret",
            "-",
            "--expires-in",
            "0",
        ],
        "gho_x",
    );
    home.cmd()
        .args(["get", "gh"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("store a new token"));
    home.cmd()
        .args(["refresh", "gh"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no refresh token"));
}

#[test]
fn a_refresh_token_only_credential_gets_its_token_on_first_get() {
    let provider = refreshing_provider(true, 0);
    let home = Home::new();
    add_client(&home, "idp", &provider, &["--client-secret", "-"]);
    home.cmd()
        .args(["store", "r", "--oauth2", "idp", "--refresh-token", "-"])
        .write_stdin("rt-seed")
        .assert()
        .success();
    let record = home.get_json("r");
    assert_eq!(record["refreshed"], true);
    assert_eq!(record["provider"], "idp");
    assert_eq!(record["token_data"]["access_token"], "at-1");
    assert_eq!(
        provider.grants("refresh_token")[0]
            .param("refresh_token")
            .as_deref(),
        Some("rt-seed")
    );
}

#[test]
fn refresh_with_client_credentials_kept_in_token_data() {
    // A credential stored from JSON that carries its client: no client row.
    let provider = refreshing_provider(false, 0);
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "tmp",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "x",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    home.cmd()
        .args(["store", "c", "--provider", "tmp", "--from-json", "-"])
        .write_stdin(r#"{"access_token":"old","refresh_token":"rt","expires_in":0}"#)
        .assert()
        .success();
    home.cmd().args(["get", "c"]).assert().stdout("at-1\n");
    assert_eq!(
        provider.grants("refresh_token")[0]
            .param("client_id")
            .as_deref(),
        Some("x")
    );
}

#[test]
fn client_credentials_grant_runs_again_when_expired() {
    let n = std::sync::atomic::AtomicUsize::new(0);
    let provider = Provider::start(move |req| {
        let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            req.param("grant_type").as_deref(),
            Some("client_credentials")
        );
        assert_eq!(req.param("scope").as_deref(), Some("api.read api.write"));
        Reply::json(
            200,
            tokens(&format!("machine-{i}"), None, if i == 0 { 0 } else { 3600 }),
        )
    });
    let home = Home::new();
    add_client(
        &home,
        "svc",
        &provider,
        &["--client-secret", "-", "--scopes", "api.read,api.write"],
    );
    home.cmd()
        .args(["client-credentials", "m2m", "--oauth2", "svc"])
        .assert()
        .success()
        .stdout("");
    let record = home.get_json("m2m");
    assert_eq!(record["refreshed"], true);
    assert_eq!(record["token_data"]["access_token"], "machine-1");
    assert_eq!(home.get("m2m"), "machine-1\n");
    assert_eq!(provider.requests().len(), 2);
}

#[test]
fn custom_provider_name_links_the_client() {
    let provider = refreshing_provider(false, 0);
    let home = Home::new();
    add_client(&home, "corp-idp", &provider, &["--client-secret", "-"]);
    home.cmd()
        .args([
            "store",
            "corp",
            "--provider",
            "corp-idp",
            "--refresh-token",
            "-",
        ])
        .write_stdin("rt-x")
        .assert()
        .success();
    assert_eq!(home.get("corp"), "at-1\n");
}
