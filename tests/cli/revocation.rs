//! `delete` revokes a credential's tokens at the provider first (RFC 7009,
//! against a strict local endpoint that checks the client's authentication
//! and the token_type_hint), and deletes nothing when it cannot.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, refused};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

/// A `status` for `setup`: revoking the refresh token revokes the grant.
const GRANT_WIDE: u16 = 1;

/// A provider whose revocation endpoint answers `status`, and a vault
/// with credential "x" (access token at-0, refresh token rt-0) from a
/// confidential client "idp" that names it.
fn setup(status: Arc<AtomicU16>) -> (Home, Provider) {
    let provider = Provider::start(move |req| {
        if req.path.ends_with("/revoke") {
            // RFC 7009 §2.1: the client authenticates as at the token
            // endpoint; an unknown hint is refused.
            if req.basic() != Some(("cid".into(), "csecret".into())) {
                return Reply::json(401, serde_json::json!({"error": "invalid_client"}));
            }
            let hint = req.param("token_type_hint").unwrap_or_default();
            let token = req.param("token").unwrap_or_default();
            let known = matches!(
                (hint.as_str(), token.as_str()),
                ("refresh_token", "rt-0") | ("access_token", "at-0")
            );
            if !known {
                return Reply::json(400, serde_json::json!({"error": "unsupported_token_type"}));
            }
            return match status.load(Ordering::SeqCst) {
                200 => Reply::raw(200, "text/plain", ""),
                // As Google does: the refresh token's revocation took the
                // access token with it, which is then "invalid".
                GRANT_WIDE if hint == "access_token" => {
                    Reply::json(400, serde_json::json!({"error": "invalid_token"}))
                }
                GRANT_WIDE => Reply::raw(200, "text/plain", ""),
                s => Reply::json(s, serde_json::json!({"error": "invalid_request"})),
            };
        }
        Reply::json(200, tokens("at-0", Some("rt-0"), 3600))
    });
    let home = Home::new();
    let revoke_url = provider.token_url().replace("/token", "/revoke");
    add_client(
        &home,
        &provider.token_url(),
        &["--revocation-url", &revoke_url],
    );
    home.exchange("x", "idp");
    (home, provider)
}

/// The confidential client "idp" (cid / csecret, Basic authentication) at
/// `token_url`, with more `oauth2 add` arguments; adding it again keeps it
/// the credential's client.
fn add_client(home: &Home, token_url: &str, extra: &[&str]) {
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
        .args([
            "--client-secret",
            "-",
            "--auth-method",
            "client_secret_basic",
        ])
        .args(extra)
        .write_stdin("csecret")
        .assert()
        .success();
}

/// An OAuth2 token "t" of a provider tokvault knows no revocation for.
fn store_unrevocable(home: &Home) {
    home.store(
        &[
            "t",
            "--provider",
            "someidp",
            "--type",
            "oauth2",
            "--secret",
            "-",
        ],
        "tok",
    );
}

fn revocations(provider: &Provider) -> Vec<(String, String)> {
    provider
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/revoke"))
        .map(|r| {
            (
                r.param("token_type_hint").unwrap_or_default(),
                r.param("token").unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn delete_revokes_the_refresh_and_the_access_token_first() {
    let (home, provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd()
        .args(["delete", "x", "--yes"])
        .assert()
        .success()
        .stderr(predicates::str::contains("its tokens were revoked at"));
    assert_eq!(
        revocations(&provider),
        [
            ("refresh_token".to_string(), "rt-0".to_string()),
            ("access_token".to_string(), "at-0".to_string())
        ]
    );
    home.cmd().args(["get", "x"]).assert().code(3);
}

#[test]
fn a_refused_revocation_deletes_nothing_and_names_no_revoke() {
    let (home, provider) = setup(Arc::new(AtomicU16::new(400)));
    refused(&home, &["delete", "x", "--yes"], &[], "", 5, "--no-revoke");
    assert_eq!(
        revocations(&provider).len(),
        1,
        "stopped at the first refusal"
    );
    assert_eq!(home.get("x"), "at-0\n");
}

#[test]
fn an_unreachable_revocation_endpoint_deletes_nothing() {
    let (home, _provider) = setup(Arc::new(AtomicU16::new(200)));
    // A port nothing listens on, on this machine.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/revoke",
        closed.local_addr().unwrap().port()
    );
    drop(closed);
    let token_url = _provider.token_url();
    // The client's revocation now points at the closed port.
    add_client(&home, &token_url, &["--revocation-url", &url]);
    refused(&home, &["delete", "x", "--yes"], &[], "", 6, "--no-revoke");
    assert_eq!(home.get("x"), "at-0\n");
}

#[test]
fn no_revoke_deletes_here_only_and_says_the_tokens_live_on() {
    let (home, provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd()
        .args(["delete", "x", "--yes", "--no-revoke"])
        .assert()
        .success()
        .stderr(predicates::str::contains("stay valid"));
    assert!(revocations(&provider).is_empty());
    home.cmd().args(["get", "x"]).assert().code(3);
}

#[test]
fn a_token_with_no_known_revocation_is_deleted_with_a_note() {
    let home = Home::new();
    store_unrevocable(&home);
    home.cmd()
        .args(["delete", "t", "--yes"])
        .assert()
        .success()
        .stderr(predicates::str::contains("knows no way to revoke"));
}

#[test]
fn check_finds_a_client_secret_about_to_expire() {
    let (home, _provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd()
        .args(["check", "--within", "7d"])
        .assert()
        .success();
    let soon = jiff::Timestamp::from_second(crate::common::now() + 2 * 86_400)
        .unwrap()
        .to_string();
    add_client(
        &home,
        &_provider.token_url(),
        &["--secret-expires-at", &soon],
    );
    let out = home
        .cmd()
        .args(["check", "--within", "7d", "--json"])
        .assert()
        .code(4);
    let findings: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(findings[0]["integration_key"], "x");
    assert!(
        findings[0]["reason"]
            .as_str()
            .unwrap()
            .contains("secret of its OAuth2 client 'idp'"),
        "{findings}"
    );
    home.cmd()
        .args([
            "oauth2",
            "add",
            "idp2",
            "--token-url",
            &_provider.token_url(),
        ])
        .args(["--client-id", "c", "--secret-expires-at", "10000-01-01"])
        .assert()
        .code(2);
}

#[test]
fn revoke_keeps_the_credential_marked_and_get_says_so() {
    let (home, provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd()
        .args(["revoke", "x"])
        .assert()
        .success()
        .stderr(predicates::str::contains("marked revoked"));
    assert_eq!(revocations(&provider).len(), 2);
    let out = home.cmd().args(["get", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("was revoked at"));
    assert!(out.stdout.is_empty());
    // No refresh is tried with what was revoked.
    home.cmd().args(["refresh", "x"]).assert().code(4);
    assert!(provider.grants("refresh_token").is_empty());
    let listed = home.cmd().arg("list").assert().success();
    assert!(String::from_utf8_lossy(&listed.get_output().stdout).contains("revoked"));
    home.cmd().arg("check").assert().code(4);
    // Revoking again changes nothing; storing a new token clears the mark.
    home.cmd().args(["revoke", "x"]).assert().success();
    assert_eq!(revocations(&provider).len(), 2);
    home.store(&["x", "--provider", "p", "--secret", "-"], "new");
    assert_eq!(home.get("x"), "new\n");
    let audit = home
        .cmd()
        .args(["audit", "--operation", "revoke"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&audit.get_output().stdout)
            .lines()
            .count(),
        1
    );
}

#[test]
fn revoke_refuses_what_has_no_revocation() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "SECRET-1");
    refused(
        &home,
        &["revoke", "openai"],
        &[],
        "",
        2,
        "platform.openai.com",
    );
    store_unrevocable(&home);
    refused(
        &home,
        &["revoke", "t"],
        &[],
        "",
        1,
        "knows no way to revoke",
    );
}

#[test]
fn a_revoked_credential_stays_revoked_through_export_and_import() {
    let (home, _provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd().args(["revoke", "x"]).assert().success();
    let file = home.path().join("backup.tkv");
    home.cmd().arg("export-vault").arg(&file).assert().success();
    home.cmd()
        .args(["import-vault", "--replace"])
        .arg(&file)
        .assert()
        .success();
    home.cmd().args(["get", "x"]).assert().code(4);
}

#[test]
fn an_access_token_gone_with_its_grant_counts_as_revoked() {
    let (home, provider) = setup(Arc::new(AtomicU16::new(GRANT_WIDE)));
    home.cmd().args(["delete", "x", "--yes"]).assert().success();
    assert_eq!(revocations(&provider).len(), 2);
    home.cmd().args(["get", "x"]).assert().code(3);
    // Invalid for the first token sent is a refusal: nothing is deleted.
    let (home, _provider) = setup(Arc::new(AtomicU16::new(400)));
    refused(&home, &["delete", "x", "--yes"], &[], "", 5, "--no-revoke");
}

#[test]
fn a_revoked_credential_is_deleted_without_asking_the_provider_again() {
    let (home, provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd().args(["revoke", "x"]).assert().success();
    home.cmd()
        .args(["delete", "x", "--yes"])
        .assert()
        .success()
        .stderr(predicates::str::contains("its tokens were revoked at"));
    assert_eq!(revocations(&provider).len(), 2, "only the revoke's");
}

#[test]
fn a_bearer_revocation_with_an_expired_access_token_deletes_nothing() {
    let home = Home::new();
    let json = home.path().join("dropbox.json");
    std::fs::write(
        &json,
        r#"{"access_token": "at-old", "refresh_token": "rt-live", "expires_in": 0}"#,
    )
    .unwrap();
    home.cmd()
        .args([
            "store",
            "d",
            "--provider",
            "dropbox",
            "--type",
            "oauth2",
            "--from-json",
        ])
        .arg(&json)
        .assert()
        .success();
    // Refused before anything is sent: Dropbox revokes with a live access
    // token only, and the refresh token would survive.
    refused(
        &home,
        &["delete", "d", "--yes"],
        &[],
        "",
        1,
        "tokvault refresh d",
    );
    refused(&home, &["revoke", "d"], &[], "", 1, "tokvault refresh d");
}

#[test]
fn a_credential_written_while_it_was_revoked_is_left_alone() {
    // The revocation endpoint, before it answers, has another tokvault
    // replace the credential: its new token was never revoked.
    let home = Home::new();
    let base = home.std_cmd();
    let program = base.get_program().to_owned();
    let envs: Vec<_> = base
        .get_envs()
        .map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned())))
        .collect();
    let provider = Provider::start(move |req| {
        if req.path.ends_with("/revoke") {
            let mut store = std::process::Command::new(&program);
            for (k, v) in &envs {
                match v {
                    Some(v) => store.env(k, v),
                    None => store.env_remove(k),
                };
            }
            let mut child = store
                .args(["store", "x", "--provider", "p", "--secret", "-"])
                .stdin(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"rotated").unwrap();
            assert!(child.wait().unwrap().success());
            return Reply::raw(200, "text/plain", "");
        }
        Reply::json(200, tokens("at-0", Some("rt-0"), 3600))
    });
    let revoke_url = provider.token_url().replace("/token", "/revoke");
    add_client(
        &home,
        &provider.token_url(),
        &["--revocation-url", &revoke_url],
    );
    home.exchange("x", "idp");
    let out = home.cmd().args(["delete", "x", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("was written while its tokens were revoked")
    );
    assert_eq!(home.get("x"), "rotated\n");
}

#[test]
fn unlinking_the_client_keeps_a_credential_revoked() {
    let (home, _provider) = setup(Arc::new(AtomicU16::new(200)));
    home.cmd().args(["revoke", "x"]).assert().success();
    home.cmd()
        .args(["oauth2", "remove", "idp", "--force", "--yes"])
        .assert()
        .success();
    let out = home.cmd().args(["get", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("was revoked at"));
}
