//! What a token endpoint can do wrong, and what tokvault does then: one
//! clear line, the documented exit code, the stored credential untouched.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use predicates::prelude::*;
use serde_json::json;
use std::time::Duration;

/// A vault with credential "x" whose token has expired, at a provider that
/// answers every refresh with `refresh()`.
fn expired_at(refresh: impl Fn() -> Reply + Send + Sync + 'static) -> (Home, Provider) {
    let provider = Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-SECRET-0"), 0)),
        _ => refresh(),
    });
    let home = Home::new();
    point_client_at(&home, &provider.token_url());
    home.cmd()
        .args(["exchange-code", "x", "--oauth2", "idp", "--code", "-"])
        .write_stdin("CODE-SECRET")
        .assert()
        .success();
    (home, provider)
}

/// Re-points client "idp" (with its secret) at another token endpoint.
fn point_client_at(home: &Home, token_url: &str) {
    home.cmd()
        .args([
            "oauth2",
            "add",
            "idp",
            "--token-url",
            token_url,
            "--client-id",
            "cid",
        ])
        .args(["--client-secret", "-"])
        .write_stdin("CLIENT-SECRET")
        .assert()
        .success();
}

/// `get x` and `refresh x` both fail with `code` and `message`, leaking no
/// secret and changing nothing.
fn fails(home: &Home, extra: &[&str], code: i32, message: &str) {
    for verb in ["get", "refresh"] {
        let before = home.snapshot();
        let out = home.cmd().args([verb, "x"]).args(extra).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{verb}: {stderr}");
        assert!(
            stderr.contains(message),
            "{verb}: expected {message:?} in {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("SECRET"), "{stderr}");
        assert!(out.stdout.is_empty());
        assert!(home.snapshot() == before, "{verb} changed the vault");
    }
}

#[test]
fn invalid_grant_shows_the_provider_words_and_how_to_recover() {
    let (home, _p) = expired_at(|| {
        Reply::json(
            400,
            json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        )
    });
    fails(
        &home,
        &[],
        5,
        "provider refused: invalid_grant: Token has been expired or revoked.",
    );
    fails(&home, &[], 5, "exchange-code");
    // The old token is still there, as it was.
    home.cmd()
        .args(["get", "x", "--no-refresh", "--allow-expired"])
        .assert()
        .stdout("at-0\n");
}

#[test]
fn invalid_client() {
    let (home, _p) = expired_at(|| Reply::json(401, json!({"error": "invalid_client"})));
    fails(
        &home,
        &[],
        5,
        "provider refused: invalid_client (check the client id",
    );
}

#[test]
fn an_html_error_page() {
    let (home, _p) = expired_at(|| {
        Reply::raw(
            502,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )
    });
    fails(
        &home,
        &[],
        6,
        "HTTP 502 with a body that is not a JSON object (text/html)",
    );
}

#[test]
fn an_empty_body() {
    let (home, _p) = expired_at(|| Reply::raw(200, "application/json", ""));
    fails(&home, &[], 6, "an empty body");
}

#[test]
fn non_json() {
    let (home, _p) = expired_at(|| Reply::raw(200, "text/plain", "ok"));
    fails(&home, &[], 6, "not a JSON object (text/plain)");
}

#[test]
fn no_access_token() {
    let (home, _p) = expired_at(|| Reply::json(200, json!({"token_type": "Bearer"})));
    fails(&home, &[], 6, "no access_token");
}

#[test]
fn a_malformed_token() {
    let (home, _p) =
        expired_at(|| Reply::json(200, json!({"access_token": "a", "expires_in": "soon"})));
    fails(&home, &[], 6, "a malformed token");
}

#[test]
fn a_malformed_token_error_does_not_quote_its_values() {
    let (home, _p) = expired_at(|| Reply::json(200, json!({"access_token": 31415926535_u64})));
    fails(
        &home,
        &[],
        6,
        "a malformed token (invalid type: integer (value hidden)",
    );
    let out = home.cmd().args(["get", "x"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("31415926535"));
}

#[test]
fn an_oversized_answer() {
    let (home, _p) = expired_at(|| {
        Reply::raw(
            200,
            "application/json",
            format!("{{\"access_token\":\"{}\"}}", "a".repeat(2 << 20)),
        )
    });
    fails(&home, &[], 6, "larger than 1024 KiB");
}

#[test]
fn a_timeout() {
    let (home, _p) =
        expired_at(|| Reply::json(200, tokens("late", None, 3600)).after(Duration::from_secs(4)));
    fails(
        &home,
        &["--http-timeout", "1"],
        6,
        "did not answer within 1s",
    );
}

#[test]
fn a_refused_connection() {
    let (home, provider) = expired_at(|| Reply::json(200, tokens("never", None, 3600)));
    // Point the client at a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    drop(provider);
    point_client_at(&home, &format!("http://127.0.0.1:{port}/token"));
    fails(&home, &[], 6, "refused");
}

#[test]
fn a_tls_failure() {
    // A server that answers a TLS handshake in plain HTTP.
    let (home, _p) = expired_at(|| Reply::json(200, tokens("never", None, 3600)));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let https = format!("https://{}/token", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        use std::io::Write;
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    point_client_at(&home, &https);
    fails(&home, &[], 6, "TLS");
}

#[test]
fn an_unresolvable_host() {
    let (home, _p) = expired_at(|| Reply::json(200, tokens("never", None, 3600)));
    point_client_at(&home, "https://token.tokvault-test.invalid/token");
    fails(
        &home,
        &["--http-timeout", "5", "--connect-timeout", "2"],
        6,
        "network:",
    );
}

#[test]
fn a_failing_early_refresh_falls_back_to_the_valid_token() {
    let provider = Provider::start(|req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-valid", Some("rt"), 6)),
        _ => Reply::raw(503, "text/html", "<h1>down</h1>"),
    });
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange("x", "idp");
    // Past half its 6 s life the token is renewed early; that fails, but the
    // token is still valid, so it is printed with a warning.
    std::thread::sleep(Duration::from_millis(3100));
    home.cmd()
        .args(["get", "x"])
        .assert()
        .success()
        .stdout("at-valid\n")
        .stderr(
            predicate::str::contains("warning").and(predicate::str::contains("stays valid until")),
        );
    assert_eq!(provider.grants("refresh_token").len(), 1);
}

#[test]
fn secrets_go_only_over_https_or_to_loopback() {
    let home = Home::new();
    for url in ["http://example.com/token", "http://10.1.2.3/token"] {
        home.cmd()
            .args([
                "oauth2",
                "add",
                "idp",
                "--token-url",
                url,
                "--client-id",
                "cid",
                "--client-secret",
                "-",
            ])
            .write_stdin("CLIENT-SECRET")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("over plain HTTP"));
    }
    assert!(!home.db().exists(), "nothing stored");
}

#[test]
fn exchange_code_refused_stores_nothing() {
    let provider = Provider::start(|_| {
        Reply::json(
            400,
            json!({"error": "invalid_grant", "error_description": "Invalid authorization code"}),
        )
    });
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    let before = home.snapshot();
    home.cmd()
        .args(["exchange-code", "x", "--oauth2", "idp", "--code", "-"])
        .write_stdin("CODE-SECRET")
        .assert()
        .code(5)
        .stderr(
            predicate::str::contains("provider refused: invalid_grant: Invalid authorization code")
                .and(predicate::str::contains("SECRET").not()),
        );
    assert!(home.snapshot() == before);
    home.cmd().args(["get", "x"]).assert().code(3);
    home.cmd()
        .args(["exchange-code", "x", "--oauth2", "nope", "--code", "c"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no OAuth2 client 'nope'"));
}
