//! The built-in providers: each quirk against a local server that behaves as
//! that provider documents. `--token-url` points a preset at the server
//! while keeping the preset's quirks.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use predicates::prelude::*;
use serde_json::json;
use std::collections::HashMap;

fn add(home: &Home, name: &str, preset: &str, provider: &Provider) {
    home.cmd()
        .args([
            "oauth2",
            "add",
            name,
            "--provider",
            preset,
            "--token-url",
            &provider.token_url(),
        ])
        .args(["--client-id", "cid", "--client-secret", "-"])
        .write_stdin("csecret")
        .assert()
        .success();
}

fn authorize_query(home: &Home, client: &str) -> HashMap<String, String> {
    let out = home
        .cmd()
        .args(["oauth2", "authorize-url", client])
        .args(["--redirect-uri", "http://127.0.0.1:8765/cb"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8(out.stdout).unwrap();
    form_urlencoded::parse(url.trim().split_once('?').unwrap().1.as_bytes())
        .into_owned()
        .collect()
}

#[test]
fn github_form_answers_and_errors_with_http_200() {
    let provider = Provider::start(|req| {
        if req.param("code").as_deref() == Some("bad") {
            return Reply::json(
                200,
                json!({"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired."}),
            );
        }
        let wants_json = req
            .header("accept")
            .is_some_and(|a| a.contains("application/json"));
        if wants_json {
            Reply::json(
                200,
                json!({"access_token": "gho_json", "token_type": "bearer", "scope": "repo"}),
            )
        } else {
            Reply::raw(
                200,
                "application/x-www-form-urlencoded",
                "access_token=gho_form&scope=repo&token_type=bearer",
            )
        }
    });
    let home = Home::new();
    add(&home, "gh", "github", &provider);
    home.exchange_with("gh", "gh", "good").success();
    assert_eq!(home.get("gh"), "gho_json\n");
    let req = &provider.requests()[0];
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(
        req.param("client_secret").as_deref(),
        Some("csecret"),
        "GitHub takes the secret in the body"
    );
    assert_eq!(home.get_json("gh")["scopes"], json!(["repo"]));

    home.exchange_with("gh2", "gh", "bad")
        .code(5)
        .stderr(predicate::str::contains(
            "provider refused: bad_verification_code: The code passed is incorrect",
        ));
    home.cmd().args(["get", "gh2"]).assert().code(3);
}

#[test]
fn a_form_encoded_answer_is_understood() {
    // A server that ignores Accept and answers the way GitHub does by default.
    let provider = Provider::start(|_| {
        Reply::raw(
            200,
            "application/x-www-form-urlencoded",
            "access_token=gho_form&scope=repo%2Cgist&token_type=bearer",
        )
    });
    let home = Home::new();
    add(&home, "gh", "github", &provider);
    home.exchange_with("gh", "gh", "c").success();
    assert_eq!(home.get("gh"), "gho_form\n");
}

#[test]
fn slack_ok_false_is_a_refusal() {
    let provider = Provider::start(|req| {
        if req.param("code").as_deref() == Some("bad") {
            return Reply::json(200, json!({"ok": false, "error": "invalid_code"}));
        }
        Reply::json(
            200,
            json!({
                "ok": true, "access_token": "xoxb-17653672481", "token_type": "bot",
                "scope": "commands,incoming-webhook", "bot_user_id": "U0KRQLJ9H",
                "team": {"name": "Slack Softball Team", "id": "T9TK3CUKW"},
                "authed_user": {"id": "U1234", "scope": "chat:write", "access_token": "xoxp-1234", "token_type": "user"}
            }),
        )
    });
    let home = Home::new();
    add(&home, "slack", "slack", &provider);
    home.exchange_with("slack", "slack", "good").success();
    assert_eq!(home.get("slack"), "xoxb-17653672481\n");
    home.cmd()
        .args(["get", "slack", "--field", "team"])
        .assert()
        .stdout(predicate::str::contains("T9TK3CUKW"));
    home.exchange_with("slack2", "slack", "bad")
        .code(5)
        .stderr(predicate::str::contains("provider refused: invalid_code"));
}

#[test]
fn notion_takes_a_json_body_with_basic_auth() {
    let provider = Provider::start(|req| {
        let json_body = req
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json"));
        let basic = req.basic() == Some(("cid".into(), "csecret".into()));
        if !(json_body && basic && req.param("grant_type").as_deref() == Some("authorization_code"))
        {
            return Reply::json(
                400,
                json!({"error": "invalid_request", "error_description": "body failed validation"}),
            );
        }
        Reply::json(
            200,
            json!({"access_token": "secret_notion", "token_type": "bearer", "bot_id": "b1", "workspace_id": "w1"}),
        )
    });
    let home = Home::new();
    add(&home, "notion", "notion", &provider);
    home.exchange_with("notion", "notion", "c").success();
    assert_eq!(home.get("notion"), "secret_notion\n");
    let body: serde_json::Value = serde_json::from_str(&provider.requests()[0].body).unwrap();
    assert_eq!(body["code"], "c");
    assert_eq!(authorize_query(&home, "notion")["owner"], "user");
}

#[test]
fn microsoft_tenant_and_rotation() {
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "ms",
            "--provider",
            "microsoft",
            "--tenant",
            "contoso.onmicrosoft.com",
        ])
        .args(["--client-id", "cid", "--client-secret", "-"])
        .write_stdin("s")
        .assert()
        .success();
    let out = home.cmd().args(["oauth2", "show", "ms"]).output().unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown["token_url"],
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(
        shown["device_url"],
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode"
    );
    assert_eq!(shown["auth_method"], "client_secret_post");

    let provider = Provider::start(|req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("ms-at-0", Some("ms-rt-0"), 0)),
        _ => {
            let old = req.param("refresh_token").unwrap();
            let next = old.replace("rt-0", "rt-1");
            Reply::json(200, tokens("ms-at-1", Some(&next), 3600))
        }
    });
    add(&home, "ms-local", "microsoft", &provider);
    home.exchange_with("outlook", "ms-local", "c").success();
    assert_eq!(home.get("outlook"), "ms-at-1\n");
    home.cmd()
        .args(["get", "outlook", "--field", "refresh_token"])
        .assert()
        .stdout("ms-rt-1\n");
}

#[test]
fn google_omits_the_refresh_token_and_needs_offline_consent() {
    let provider = Provider::start(|req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("ya29.a", Some("1//keep"), 0)),
        _ => Reply::json(
            200,
            json!({"access_token": "ya29.b", "expires_in": 3599, "token_type": "Bearer", "scope": "openid"}),
        ),
    });
    let home = Home::new();
    add(&home, "google", "google", &provider);
    home.exchange_with("google", "google", "c").success();
    assert_eq!(home.get("google"), "ya29.b\n");
    home.cmd()
        .args(["get", "google", "--field", "refresh_token"])
        .assert()
        .stdout("1//keep\n");
    let refresh = &provider.grants("refresh_token")[0];
    assert_eq!(refresh.param("client_id").as_deref(), Some("cid"));
    assert_eq!(refresh.param("client_secret").as_deref(), Some("csecret"));

    let q = authorize_query(&home, "google");
    assert_eq!(q["access_type"], "offline");
    assert_eq!(q["prompt"], "consent");
    assert!(q.contains_key("code_challenge"));
}

#[test]
fn google_preset_endpoints() {
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "g",
            "--provider",
            "google",
            "--client-id",
            "cid",
            "--client-secret",
            "-",
        ])
        .write_stdin("s")
        .assert()
        .success();
    let q = authorize_query(&home, "g");
    assert_eq!(q["client_id"], "cid");
    let out = home
        .cmd()
        .args(["oauth2", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["token_url"], "https://oauth2.googleapis.com/token");
    assert_eq!(
        list[0]["auth_url"],
        "https://accounts.google.com/o/oauth2/v2/auth"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\"s\""));
}

#[test]
fn zoom_basic_auth_and_rotation() {
    let provider = Provider::start(|req| {
        if req.basic() != Some(("cid".into(), "csecret".into())) {
            return Reply::json(
                401,
                json!({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}),
            );
        }
        match req.param("grant_type").as_deref() {
            Some("authorization_code") => {
                Reply::json(200, tokens("zoom-at-0", Some("zoom-rt-0"), 0))
            }
            _ => Reply::json(200, tokens("zoom-at-1", Some("zoom-rt-1"), 3599)),
        }
    });
    let home = Home::new();
    add(&home, "zoom", "zoom", &provider);
    home.exchange_with("zoom", "zoom", "c").success();
    assert_eq!(home.get("zoom"), "zoom-at-1\n");
    home.cmd()
        .args(["get", "zoom", "--field", "refresh_token"])
        .assert()
        .stdout("zoom-rt-1\n");
}

#[test]
fn dropbox_asks_for_offline_access() {
    let provider = Provider::start(|_| Reply::json(200, tokens("sl.a", Some("rt"), 14400)));
    let home = Home::new();
    add(&home, "dropbox", "dropbox", &provider);
    assert_eq!(
        authorize_query(&home, "dropbox")["token_access_type"],
        "offline"
    );
    home.exchange_with("dropbox", "dropbox", "c").success();
    assert_eq!(home.get("dropbox"), "sl.a\n");
}

#[test]
fn openai_and_anthropic_are_api_key_only() {
    let home = Home::new();
    for p in ["openai", "anthropic"] {
        home.cmd()
            .args(["oauth2", "add", p, "--provider", p, "--client-id", "x"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("API keys only"));
    }
}
