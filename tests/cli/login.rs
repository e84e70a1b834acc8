//! `tokvault login` against an authorization server on 127.0.0.1, with the
//! test playing the browser; and the device authorization grant.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use predicates::prelude::*;
use serde_json::json;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How the authorization endpoint answers the browser.
#[derive(Clone, Copy)]
enum Consent {
    Grant,
    Deny,
    ForgeState,
}

/// An authorization server: /authorize sends the browser back to the
/// redirect URI; /token trades the code.
fn auth_server(consent: Consent) -> Provider {
    Provider::start(move |req| match req.path.as_str() {
        "/authorize" => {
            let q: HashMap<String, String> = form_urlencoded::parse(req.query.as_bytes())
                .into_owned()
                .collect();
            let back = match consent {
                Consent::Grant => format!("code=the-code&state={}", q["state"]),
                Consent::Deny => format!(
                    "error=access_denied&error_description=The+user+said+no&state={}",
                    q["state"]
                ),
                Consent::ForgeState => "code=evil-code&state=forged".to_string(),
            };
            let mut reply = Reply::raw(302, "text/html", "");
            reply.location = Some(format!("{}?{back}", q["redirect_uri"]));
            reply
        }
        "/token" => Reply::json(200, tokens("login-at", Some("login-rt"), 3600)),
        _ => Reply::raw(404, "text/html", "nope"),
    })
}

fn add_client(home: &Home, server: &Provider, extra: &[&str]) {
    home.cmd()
        .args(["oauth2", "add", "idp", "--token-url", &server.token_url()])
        .args([
            "--auth-url",
            &format!("{}/authorize", server.url),
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ])
        .args(extra)
        .assert()
        .success();
}

/// A running `tokvault login` and its stderr, line by line.
struct Login {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Login {
    fn start(home: &Home, args: &[&str]) -> Login {
        let mut child = home
            .std_cmd()
            .args(["login", "me", "--oauth2", "idp"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Login { child, lines }
    }

    /// The next stderr line containing `needle`.
    fn line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// The authorization URL it printed.
    fn url(&self) -> String {
        self.line("sign in at ")
            .split("sign in at ")
            .nth(1)
            .unwrap()
            .to_string()
    }

    fn finish(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().unwrap();
        // The reader ends at the child's exit (end of its stderr).
        let rest: Vec<String> = self.lines.iter().collect();
        (status.code(), rest.join("\n"))
    }
}

/// Plays the browser: follows the authorization URL and its redirect,
/// returning the final status and page.
fn browse(url: &str) -> (u16, String) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent();
    let mut url = url.to_string();
    for _ in 0..5 {
        let mut resp = agent.get(&url).call().unwrap();
        if let Some(next) = resp.headers().get("location") {
            url = next.to_str().unwrap().to_string();
            continue;
        }
        let status = resp.status().as_u16();
        return (status, resp.body_mut().read_to_string().unwrap());
    }
    panic!("too many redirects");
}

fn query(url: &str) -> HashMap<String, String> {
    form_urlencoded::parse(url.split_once('?').unwrap().1.as_bytes())
        .into_owned()
        .collect()
}

#[test]
fn browser_sign_in_with_pkce_and_a_loopback_redirect() {
    let server = auth_server(Consent::Grant);
    let home = Home::new();
    add_client(&home, &server, &["--scopes", "openid,email"]);
    let login = Login::start(&home, &["--no-browser"]);
    let url = login.url();
    let q = query(&url);
    assert!(q["redirect_uri"].starts_with("http://127.0.0.1:"), "{url}");
    assert!(q["redirect_uri"].ends_with("/callback"));
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["scope"], "openid email");

    let (status, page) = browse(&url);
    assert_eq!(status, 200);
    assert!(
        page.contains("Signed in") && page.contains("credential 'me'"),
        "{page}"
    );
    assert!(!page.contains("the-code"), "the page never shows the code");
    let (code, _) = login.finish();
    assert_eq!(code, Some(0));

    let token = &server.grants("authorization_code")[0];
    assert_eq!(token.param("code").as_deref(), Some("the-code"));
    assert_eq!(token.param("redirect_uri"), Some(q["redirect_uri"].clone()));
    use base64::Engine;
    use sha2::Digest;
    let verifier = token.param("code_verifier").unwrap();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(challenge, q["code_challenge"]);
    assert_eq!(home.get("me"), "login-at\n");
    // The listener is closed.
    let port: u16 = q["redirect_uri"]
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

/// An OpenID server that echoes the authorization request's nonce in the
/// id_token (bound to the code through its PKCE challenge), or another.
fn oidc_server(echo: bool) -> Provider {
    let nonces = std::sync::Arc::new(std::sync::Mutex::new(HashMap::<String, String>::new()));
    Provider::start(move |req| match req.path.as_str() {
        "/authorize" => {
            let q: HashMap<String, String> = form_urlencoded::parse(req.query.as_bytes())
                .into_owned()
                .collect();
            if let Some(nonce) = q.get("nonce") {
                nonces
                    .lock()
                    .unwrap()
                    .insert(q["code_challenge"].clone(), nonce.clone());
            }
            let mut reply = Reply::raw(302, "text/html", "");
            reply.location = Some(format!(
                "{}?code=the-code&state={}",
                q["redirect_uri"], q["state"]
            ));
            reply
        }
        "/token" => {
            use base64::Engine;
            use sha2::Digest;
            let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
                sha2::Sha256::digest(req.param("code_verifier").unwrap_or_default().as_bytes()),
            );
            let nonce = match (echo, nonces.lock().unwrap().get(&challenge)) {
                (true, Some(n)) => n.clone(),
                _ => "another-sign-in".to_string(),
            };
            let mut t = tokens("oidc-at", Some("oidc-rt"), 3600);
            t["id_token"] = crate::common::jwt(
                &json!({"sub": "me", "nonce": nonce, "exp": crate::common::now() + 3600}),
            )
            .into();
            Reply::json(200, t)
        }
        _ => Reply::raw(404, "text/html", "nope"),
    })
}

#[test]
fn a_sign_in_without_openid_sends_no_nonce_and_checks_none() {
    let server = oidc_server(false);
    let home = Home::new();
    add_client(&home, &server, &["--scopes", "email"]);
    let login = Login::start(&home, &["--no-browser"]);
    let url = login.url();
    assert!(!query(&url).contains_key("nonce"), "{url}");
    let (status, page) = browse(&url);
    let (code, rest) = login.finish();
    assert_eq!((status, code), (200, Some(0)), "{page} {rest}");
}

#[test]
fn an_openid_sign_in_sends_a_nonce_and_checks_it() {
    for echo in [true, false] {
        let server = oidc_server(echo);
        let home = Home::new();
        add_client(&home, &server, &["--scopes", "openid,email"]);
        let login = Login::start(&home, &["--no-browser"]);
        let url = login.url();
        assert!(query(&url).contains_key("nonce"), "{url}");
        let (status, page) = browse(&url);
        let (code, rest) = login.finish();
        if echo {
            assert_eq!((status, code), (200, Some(0)), "{page} {rest}");
            assert_eq!(home.get("me"), "oidc-at\n");
        } else {
            assert_eq!(status, 400, "{page}");
            assert_eq!(code, Some(1), "{rest}");
            assert!(rest.contains("nonce"), "{rest}");
            home.cmd().args(["get", "me"]).assert().code(3);
        }
    }
}

#[test]
fn a_denied_sign_in_stores_nothing() {
    let server = auth_server(Consent::Deny);
    let home = Home::new();
    add_client(&home, &server, &[]);
    let login = Login::start(&home, &["--no-browser"]);
    let (status, page) = browse(&login.url());
    assert_eq!(status, 400);
    assert!(
        page.contains("Sign-in failed") && page.contains("access_denied"),
        "{page}"
    );
    let (code, stderr) = login.finish();
    assert_eq!(code, Some(5));
    assert!(
        stderr.contains("provider refused: access_denied: The user said no"),
        "{stderr}"
    );
    assert!(server.grants("authorization_code").is_empty());
    home.cmd().args(["get", "me"]).assert().code(3);
}

#[test]
fn a_wrong_state_is_refused() {
    let server = auth_server(Consent::ForgeState);
    let home = Home::new();
    add_client(&home, &server, &[]);
    let login = Login::start(&home, &["--no-browser"]);
    let (status, page) = browse(&login.url());
    assert_eq!(status, 400);
    assert!(page.contains("state does not match"), "{page}");
    let (code, stderr) = login.finish();
    assert_eq!(code, Some(1));
    assert!(stderr.contains("state does not match"), "{stderr}");
    assert!(
        server.grants("authorization_code").is_empty(),
        "a forged code is never exchanged"
    );
    home.cmd().args(["get", "me"]).assert().code(3);
}

#[test]
fn other_paths_are_ignored_and_the_registered_port_is_used() {
    let server = auth_server(Consent::Grant);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = Home::new();
    add_client(
        &home,
        &server,
        &[
            "--redirect-uri",
            &format!("http://127.0.0.1:{port}/oauth/done"),
        ],
    );
    let login = Login::start(&home, &["--no-browser"]);
    let url = login.url();
    assert_eq!(
        query(&url)["redirect_uri"],
        format!("http://127.0.0.1:{port}/oauth/done")
    );
    let (status, page) = browse(&format!("http://127.0.0.1:{port}/favicon.ico"));
    assert_eq!(status, 404);
    assert!(page.contains("waiting for the sign-in redirect"), "{page}");
    login.line("ignored a request for /favicon.ico");
    let (status, _) = browse(&url);
    assert_eq!(status, 200);
    assert_eq!(login.finish().0, Some(0));
    assert_eq!(home.get("me"), "login-at\n");
}

#[test]
fn nobody_comes_back_in_time() {
    let server = auth_server(Consent::Grant);
    let home = Home::new();
    add_client(&home, &server, &[]);
    home.cmd()
        .args([
            "login",
            "me",
            "--oauth2",
            "idp",
            "--no-browser",
            "--timeout",
            "1",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no sign-in arrived within 1s"));
    home.cmd().args(["get", "me"]).assert().code(3);
}

#[test]
fn the_browser_is_opened_with_the_url() {
    let server = auth_server(Consent::Grant);
    let home = Home::new();
    add_client(&home, &server, &[]);
    // A "browser" that records the URL it was asked to open.
    let seen = home.path().join("opened");
    let script = home.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf %s \"$1\" > {}\n", seen.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = home.std_cmd();
    cmd.env("BROWSER", &script);
    let mut child = cmd
        .args(["login", "me", "--oauth2", "idp", "--timeout", "20"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while std::fs::read_to_string(&seen).map_or(true, |s| s.is_empty()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the browser was not opened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = std::fs::read_to_string(&seen).unwrap();
    assert!(
        url.starts_with(&format!("{}/authorize?", server.url)),
        "{url}"
    );
    browse(&url);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn preset_extras_for_a_refresh_token() {
    let home = Home::new();
    for (name, preset) in [("g", "google"), ("ms", "microsoft"), ("db", "dropbox")] {
        home.cmd()
            .args([
                "oauth2",
                "add",
                name,
                "--provider",
                preset,
                "--client-id",
                "cid",
                "--auth-method",
                "none",
                "--scopes",
                "openid",
            ])
            .assert()
            .success();
    }
    let login = |client: &str| {
        let out = home
            .cmd()
            .args([
                "login",
                "me",
                "--oauth2",
                client,
                "--no-browser",
                "--timeout",
                "0",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        let url = stderr
            .lines()
            .find_map(|l| l.split("sign in at ").nth(1))
            .unwrap()
            .to_string();
        query(&url)
    };
    let g = login("g");
    assert_eq!(
        (g["access_type"].as_str(), g["prompt"].as_str()),
        ("offline", "consent")
    );
    assert_eq!(login("ms")["scope"], "openid offline_access");
    assert_eq!(login("db")["token_access_type"], "offline");
}

/// A device authorization server that answers polls from `script` in turn.
fn device_server(script: Vec<&'static str>) -> Provider {
    let polls = std::sync::Mutex::new(script.into_iter());
    Provider::start(move |req| match req.path.as_str() {
        "/device" => Reply::json(
            200,
            json!({
                "device_code": "dev-SECRET", "user_code": "WDJB-MJHT",
                "verification_uri": "https://example.com/device",
                "verification_uri_complete": "https://example.com/device?user_code=WDJB-MJHT",
                "expires_in": 120, "interval": 1
            }),
        ),
        _ => match polls.lock().unwrap().next() {
            Some("ok") | None => Reply::json(200, tokens("device-at", Some("device-rt"), 3600)),
            Some(error) => Reply::json(400, json!({"error": error})),
        },
    })
}

fn add_device_client(home: &Home, server: &Provider) {
    home.cmd()
        .args(["oauth2", "add", "idp", "--token-url", &server.token_url()])
        .args([
            "--device-url",
            &format!("{}/device", server.url),
            "--client-id",
            "tv-app",
            "--auth-method",
            "none",
        ])
        .args(["--scopes", "profile"])
        .assert()
        .success();
}

#[test]
fn device_grant_with_pending_and_slow_down() {
    let server = device_server(vec!["authorization_pending", "slow_down", "ok"]);
    let home = Home::new();
    add_device_client(&home, &server);
    let out = home
        .cmd()
        .args(["login", "tv", "--oauth2", "idp", "--device"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("open https://example.com/device and enter the code WDJB-MJHT"),
        "{stderr}"
    );
    assert!(
        stderr.contains("https://example.com/device?user_code=WDJB-MJHT"),
        "{stderr}"
    );
    assert!(
        stderr.contains("waiting for approval"),
        "plain progress lines without a terminal"
    );
    assert!(!stderr.contains("dev-SECRET"));
    assert_eq!(home.get("tv"), "device-at\n");

    let device = &server.requests()[0];
    assert_eq!(device.path, "/device");
    assert_eq!(device.param("client_id").as_deref(), Some("tv-app"));
    assert_eq!(device.param("scope").as_deref(), Some("profile"));
    let polls = server.grants("urn:ietf:params:oauth:grant-type:device_code");
    assert_eq!(polls.len(), 3);
    assert_eq!(polls[0].param("device_code").as_deref(), Some("dev-SECRET"));
}

#[test]
fn slow_down_adds_five_seconds() {
    let server = device_server(vec!["slow_down", "ok"]);
    let home = Home::new();
    add_device_client(&home, &server);
    let start = Instant::now();
    home.cmd()
        .args(["login", "tv", "--oauth2", "idp", "--device"])
        .assert()
        .success();
    // 1 s before the first poll, then 1 + 5 s before the second.
    assert!(
        start.elapsed() >= Duration::from_secs(7),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn device_grant_denied_or_expired() {
    for (error, message) in [
        ("access_denied", "access_denied"),
        ("expired_token", "expired_token"),
    ] {
        let server = device_server(vec!["authorization_pending", error]);
        let home = Home::new();
        add_device_client(&home, &server);
        home.cmd()
            .args(["login", "tv", "--oauth2", "idp", "--device"])
            .assert()
            .code(5)
            .stderr(predicate::str::contains(format!(
                "provider refused: {message}"
            )));
        home.cmd().args(["get", "tv"]).assert().code(3);
    }
    let home = Home::new();
    let server = auth_server(Consent::Grant);
    add_client(&home, &server, &[]);
    home.cmd()
        .args(["login", "tv", "--oauth2", "idp", "--device"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no device authorization endpoint"));
}
