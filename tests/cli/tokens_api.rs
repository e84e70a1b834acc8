//! The Tokens API over HTTP (`serve --tokens-api`), driven with curl as
//! the seed's examples are: what it stores is what `tokvault get` reads,
//! and the other way round.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, mode};
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// `tokvault serve --tokens-api` in the background.
struct Api {
    child: Child,
    address: String,
    key: String,
    key_file: PathBuf,
}

impl Api {
    fn start(home: &Home) -> Api {
        let key_file = home.path().join("api-keys");
        let mut child = home
            .std_cmd()
            .args(["serve", "--tokens-api", "--api-key-file"])
            .arg(&key_file)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut said = String::new();
        let address = loop {
            let mut line = String::new();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "serve exited: {said}"
            );
            said.push_str(&line);
            if let Some(address) = line.strip_prefix("tokvault: serving the Tokens API on ") {
                break address.trim().to_string();
            }
        };
        assert!(said.contains("created"), "{said}");
        // Read on, as a terminal would: a broker's later notes must not
        // meet a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let key = std::fs::read_to_string(&key_file)
            .unwrap()
            .trim()
            .to_string();
        Api {
            child,
            address,
            key,
            key_file,
        }
    }

    /// curl's answer: the status and the body as JSON.
    fn curl(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        self.curl_with(method, path, body, Some(&self.key))
    }

    fn curl_with(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        key: Option<&str>,
    ) -> (u16, Value) {
        let mut cmd = Command::new("curl");
        cmd.args(["-s", "-S", "-w", "\n%{http_code}", "-X", method])
            .arg(format!("http://{}{path}", self.address));
        if let Some(key) = key {
            cmd.args(["-H", &format!("X-API-Key: {key}")]);
        }
        if body.is_some() {
            cmd.args([
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "@-",
            ]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if let Some(body) = body {
            std::io::Write::write_all(&mut stdin, body.as_bytes()).unwrap();
        }
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let (body, status) = text.rsplit_once('\n').unwrap();
        let body = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()));
        (status.parse().unwrap(), body)
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn curl_found() -> bool {
    let found = Command::new("curl").arg("--version").output().is_ok();
    if !found {
        println!("SKIPPED: curl is not installed");
    }
    found
}

/// A provider whose refresh grants answer `at-N` for an hour, or refuse
/// the refresh token "rt-dead".
fn provider() -> Provider {
    let n = std::sync::atomic::AtomicUsize::new(1);
    Provider::start(move |r| {
        let form = r.form();
        match form.get("grant_type").map(String::as_str) {
            Some("authorization_code") => Reply::json(200, tokens("at-1", Some("rt-1"), 1)),
            Some("refresh_token")
                if form.get("refresh_token").map(String::as_str) == Some("rt-dead") =>
            {
                Reply::json(
                    400,
                    json!({"error": "invalid_grant", "error_description": "revoked"}),
                )
            }
            _ => {
                let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                Reply::json(200, tokens(&format!("at-{i}"), None, 3600))
            }
        }
    })
}

#[test]
fn the_seeds_store_get_list_and_delete_work_with_curl() {
    if !curl_found() {
        return;
    }
    let home = Home::new();
    let api = Api::start(&home);
    assert_eq!(mode(&api.key_file) & 0o777, 0o600);
    assert!(api.key.len() >= 40, "{}", api.key);

    let store = r#"{"integration_key": "openai", "provider": "openai", "token_type": "api_key",
        "token_data": {"api_key": "sk-seed-123"}, "scopes": []}"#;
    let (status, body) = api.curl("POST", "/v2/users/user123/tokens", Some(store));
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["integration_key"], "openai");
    assert_eq!(body["provider"], "openai");
    assert_eq!(body["token_type"], "api_key");
    assert!(
        body["created_at"].as_str().unwrap().ends_with('Z'),
        "{body}"
    );
    assert!(body["message"].is_string());
    assert!(!body.to_string().contains("sk-seed"), "{body}");
    // What the API stored is what the command line reads, in that user.
    let out = home
        .cmd()
        .args(["--user", "user123", "get", "openai"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "sk-seed-123\n"
    );

    let (status, record) = api.curl("GET", "/v2/users/user123/tokens/openai", None);
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["token_data"]["api_key"], "sk-seed-123");
    assert_eq!(record["is_expired"], false);
    assert_eq!(record["refreshed"], false);
    assert_eq!(record["expires_at"], Value::Null);

    let (status, list) = api.curl("GET", "/v2/users/user123/tokens", None);
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["integration_key"], "openai");
    assert!(list[0].get("token_data").is_none() && !list.to_string().contains("sk-seed"));
    // Another user's namespace holds nothing.
    assert_eq!(
        api.curl("GET", "/v2/users/other/tokens", None),
        (200, json!([]))
    );
    assert_eq!(
        api.curl("GET", "/v2/users/other/tokens/openai", None).0,
        404
    );

    let (status, body) = api.curl("DELETE", "/v2/users/user123/tokens/openai", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(
        api.curl("GET", "/v2/users/user123/tokens/openai", None).0,
        404
    );
    assert_eq!(
        api.curl("DELETE", "/v2/users/user123/tokens/openai", None)
            .0,
        404
    );
    home.cmd()
        .args(["--user", "user123", "get", "openai"])
        .assert()
        .code(3);
}

#[test]
fn without_the_key_nothing_is_said_and_nothing_changes() {
    if !curl_found() {
        return;
    }
    let home = Home::with_two();
    let api = Api::start(&home);
    let before = home.snapshot();
    let store = r#"{"integration_key": "x", "token_data": {"api_key": "sk-x-aaaa"}}"#;
    let wrong = format!("{}x", api.key);
    for key in [None, Some(""), Some("wrong"), Some(wrong.as_str())] {
        for (method, path, body) in [
            ("GET", "/v2/users/default/tokens", None),
            ("GET", "/v2/users/default/tokens/openai", None),
            ("GET", "/v2/users/default/tokens/missing", None),
            ("POST", "/v2/users/default/tokens", Some(store)),
            ("DELETE", "/v2/users/default/tokens/openai", None),
            ("POST", "/v2/users/default/tokens/openai/refresh", None),
            (
                "POST",
                "/store-external-oauth2-token/acct",
                Some(r#"{"access_token": "t"}"#),
            ),
            ("GET", "/v2/nothing-here", None),
        ] {
            let (status, body) = api.curl_with(method, path, body, key);
            assert_eq!(status, 401, "{method} {path} {key:?}: {body}");
            assert_eq!(body, json!({"detail": "Invalid or missing API key"}));
        }
    }
    assert_eq!(
        home.snapshot(),
        before,
        "a request without the key changed the vault"
    );
}

#[test]
fn get_refreshes_an_expired_token_once_and_says_so() {
    if !curl_found() {
        return;
    }
    let idp = provider();
    let home = Home::new();
    home.add_public_client("idp", &idp.token_url());
    home.exchange("gmail", "idp");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let api = Api::start(&home);
    let (status, record) = api.curl("GET", "/v2/users/default/tokens/gmail", None);
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["token_data"]["access_token"], "at-2");
    assert_eq!(record["refreshed"], true);
    assert_eq!(record["is_expired"], false);
    let (_, again) = api.curl("GET", "/v2/users/default/tokens/gmail", None);
    assert_eq!(again["token_data"]["access_token"], "at-2");
    assert_eq!(again["refreshed"], false);
    assert_eq!(idp.grants("refresh_token").len(), 1);

    // Forced: a new token now, and the time it came.
    let (status, body) = api.curl("POST", "/v2/users/default/tokens/gmail/refresh", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert!(
        body["refreshed_at"].as_str().unwrap().ends_with('Z'),
        "{body}"
    );
    assert_eq!(home.get("gmail"), "at-3\n");
    assert_eq!(idp.grants("refresh_token").len(), 2);
}

#[test]
fn a_refresh_that_cannot_be_done_is_409_and_a_refusal_502() {
    if !curl_found() {
        return;
    }
    let idp = provider();
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "sk-1");
    home.add_public_client("idp", &idp.token_url());
    home.store(
        &["dead", "--oauth2", "idp", "--refresh-token", "-"],
        "rt-dead",
    );
    let api = Api::start(&home);
    let (status, body) = api.curl("POST", "/v2/users/default/tokens/openai/refresh", None);
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("cannot be refreshed"),
        "{body}"
    );
    let (status, body) = api.curl("POST", "/v2/users/default/tokens/dead/refresh", None);
    assert_eq!(status, 502, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("invalid_grant"),
        "{body}"
    );
    assert!(!body.to_string().contains("rt-dead"), "{body}");
    let (status, _) = api.curl("GET", "/v2/users/default/tokens/dead", None);
    assert_eq!(status, 502);
    assert_eq!(
        api.curl("POST", "/v2/users/default/tokens/missing/refresh", None)
            .0,
        404
    );
}

#[test]
fn bad_bodies_are_422_or_413_and_store_nothing() {
    if !curl_found() {
        return;
    }
    let home = Home::new();
    let api = Api::start(&home);
    let huge = format!(
        r#"{{"integration_key": "big", "token_data": {{"api_key": "{}"}}}}"#,
        "k".repeat(1024 * 1024)
    );
    let cases: &[(&str, u16)] = &[
        ("", 422),
        ("not json", 422),
        ("[]", 422),
        (r#"{"integration_key": "a"}"#, 422),
        (
            r#"{"integration_key": "a", "token_data": {"api_key": 5}}"#,
            422,
        ),
        (
            r#"{"integration_key": "a", "token_data": {"api_key": "k"}, "typo": "sk-leak"}"#,
            422,
        ),
        (
            r#"{"integration_key": "a", "token_type": "bogus", "token_data": {"api_key": "k"}}"#,
            422,
        ),
        (r#"{"integration_key": "a", "token_data": {}}"#, 422),
        (
            r#"{"integration_key": "", "token_data": {"api_key": "k"}}"#,
            422,
        ),
        (
            r#"{"integration_key": "a\u0000b", "token_data": {"api_key": "k"}}"#,
            422,
        ),
        (
            r#"{"integration_key": "a", "token_data": {"api_key": "k\u0000"}}"#,
            422,
        ),
        (
            r#"{"integration_key": "a", "expires_at": "soon", "token_data": {"api_key": "k"}}"#,
            422,
        ),
        (&huge, 413),
    ];
    for (body, want) in cases {
        let (status, answer) = api.curl("POST", "/v2/users/default/tokens", Some(body));
        assert_eq!(status, *want, "{}: {answer}", &body[..body.len().min(80)]);
        assert!(!answer.to_string().contains("sk-leak"), "{answer}");
    }
    assert_eq!(
        api.curl("GET", "/v2/users/default/tokens", None),
        (200, json!([]))
    );
    assert_eq!(api.curl("PUT", "/v2/users/default/tokens", None).0, 405);
    assert_eq!(api.curl("GET", "/v2/users/default/elsewhere", None).0, 404);
}

#[test]
fn the_archivers_external_token_in_its_two_modes() {
    if !curl_found() {
        return;
    }
    let idp = provider();
    let home = Home::new();
    home.add_public_client("idp", &idp.token_url());
    let out = home
        .cmd()
        .args(["oauth2", "list", "--json"])
        .assert()
        .success();
    let clients: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let id = clients[0]["id"].as_i64().unwrap();
    let api = Api::start(&home);

    // An access token alone: stored as is, never refreshed.
    let (status, body) = api.curl(
        "POST",
        "/store-external-oauth2-token/me@example.com",
        Some(r#"{"access_token": "ya29.external"}"#),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["refreshable"], false);
    assert_eq!(home.get("me@example.com"), "ya29.external\n");

    // A client's numeric id and a refresh token: tokvault refreshes.
    let (status, body) = api.curl(
        "POST",
        "/store-external-oauth2-token/other@example.com",
        Some(&format!(
            r#"{{"oauth2_id": {id}, "refresh_token": "rt-ext"}}"#
        )),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["refreshable"], true);
    assert_eq!(body["provider"], "idp");
    assert_eq!(home.get("other@example.com"), "at-2\n");
    assert_eq!(
        idp.grants("refresh_token")[0]
            .form()
            .get("refresh_token")
            .map(String::as_str),
        Some("rt-ext")
    );

    let before = home.snapshot();
    for (body, says) in [
        (r#"{"refresh_token": "rt"}"#.to_string(), "needs oauth2_id"),
        (
            r#"{"oauth2_id": 999, "refresh_token": "rt"}"#.to_string(),
            "no OAuth2 client has id 999",
        ),
        ("{}".to_string(), "give access_token"),
        (r#"{"access_token": 5}"#.to_string(), "wrong type"),
        (
            r#"{"oauth2_id": "x", "refresh_token": "rt"}"#.to_string(),
            "wrong type",
        ),
    ] {
        let (status, answer) = api.curl("POST", "/store-external-oauth2-token/z", Some(&body));
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(
            answer["detail"].as_str().unwrap().contains(says),
            "{body}: {answer}"
        );
    }
    assert_eq!(home.snapshot(), before);
}

#[test]
fn an_api_key_file_must_be_private_and_hold_keys() {
    let home = Home::new();
    let file = home.path().join("keys");
    for (text, file_mode, says) in [
        ("0123456789abcdef-key\n", 0o644, "open to other users"),
        ("# no keys\n\n", 0o600, "holds no key"),
        ("short\n", 0o600, "line 1: a key is at least 16 characters"),
        ("has a space in the middle\n", 0o600, "without spaces"),
    ] {
        std::fs::write(&file, text).unwrap();
        std::fs::set_permissions(
            &file,
            std::os::unix::fs::PermissionsExt::from_mode(file_mode),
        )
        .unwrap();
        let out = home
            .cmd()
            .args(["serve", "--tokens-api", "--api-key-file"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text:?}: {stderr}");
        assert!(stderr.contains(says), "{text:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    home.cmd()
        .args(["serve", "--tokens-api"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--api-key-file"));
}
