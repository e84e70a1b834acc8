//! Managing OAuth2 clients: discovery, list/show/remove, proxies, and the
//! schema migration that added them.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use predicates::prelude::*;
use serde_json::json;

fn discovery_server(issuer_override: Option<&'static str>) -> Provider {
    let cell = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let c = cell.clone();
    let provider = Provider::start(move |req| {
        let base = c.get().unwrap();
        match req.path.as_str() {
            "/.well-known/openid-configuration" => Reply::json(
                200,
                json!({
                    "issuer": issuer_override.map_or(base.clone(), String::from),
                    "authorization_endpoint": format!("{base}/authorize"),
                    "token_endpoint": format!("{base}/token"),
                    "device_authorization_endpoint": format!("{base}/device"),
                    "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
                }),
            ),
            "/token" => Reply::json(200, tokens("oidc-at", Some("oidc-rt"), 3600)),
            _ => Reply::raw(404, "text/html", "<h1>not found</h1>"),
        }
    });
    cell.set(provider.url.clone()).unwrap();
    provider
}

#[test]
fn oidc_discovery_fills_the_endpoints() {
    let provider = discovery_server(None);
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "oidc",
            "--issuer",
            &format!("{}/", provider.url),
            "--client-id",
            "cid",
        ])
        .args(["--client-secret", "-"])
        .write_stdin("s")
        .assert()
        .success();
    let out = home
        .cmd()
        .args(["oauth2", "show", "oidc"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["token_url"], format!("{}/token", provider.url));
    assert_eq!(shown["auth_url"], format!("{}/authorize", provider.url));
    assert_eq!(shown["device_url"], format!("{}/device", provider.url));
    assert_eq!(
        shown["auth_method"], "client_secret_post",
        "the server does not take basic"
    );
    assert_eq!(
        shown["scopes"],
        serde_json::json!(["openid"]),
        "an OpenID provider needs openid"
    );
    home.exchange("me", "oidc");
    assert_eq!(home.get("me"), "oidc-at\n");
}

#[test]
fn discovery_of_another_issuer_is_refused() {
    let provider = discovery_server(Some("https://evil.example"));
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "oidc",
            "--issuer",
            &provider.url,
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("names a different issuer"));
    let provider = Provider::start(|_| Reply::raw(200, "text/html", "<html>login</html>"));
    home.cmd()
        .args([
            "oauth2",
            "add",
            "oidc",
            "--issuer",
            &provider.url,
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("not a provider metadata document"));
    assert!(!home.db().exists());
}

#[test]
fn list_show_and_remove() {
    let provider = Provider::start(|_| Reply::json(200, tokens("at", Some("rt"), 3600)));
    let home = Home::new();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "a",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "cid-a",
        ])
        .args(["--client-secret", "-", "--scopes", "read,write"])
        .write_stdin("SECRET-A")
        .assert()
        .success();
    home.cmd()
        .args([
            "oauth2",
            "add",
            "b",
            "--token-url",
            &provider.token_url(),
            "--client-id",
            "cid-b",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    let table = home.cmd().args(["oauth2", "list"]).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("cid-a") && text.contains("cid-b") && text.contains("read write"),
        "{text}"
    );
    assert!(!text.contains("SECRET"));
    let out = home
        .cmd()
        .args(["oauth2", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["auth_method"], "client_secret_basic");
    assert_eq!(list[1]["auth_method"], "none");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("SECRET"));
    // By numeric id too.
    let id = list[1]["id"].as_i64().unwrap().to_string();
    home.cmd()
        .args(["oauth2", "show", &id])
        .assert()
        .stdout(predicate::str::contains("cid-b"));

    home.exchange("x", "a");
    home.cmd()
        .args(["oauth2", "remove", "a", "--yes"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("used by credential 'x'")
                .and(predicate::str::contains("--force")),
        );
    home.cmd()
        .args(["oauth2", "remove", "b", "-y"])
        .assert()
        .success();
    home.cmd()
        .args(["oauth2", "remove", "a", "--force", "--yes"])
        .assert()
        .success();
    home.cmd().args(["oauth2", "show", "a"]).assert().code(3);
    // The credential keeps its token, readable and no longer linked.
    assert_eq!(home.get("x"), "at\n");
    home.cmd()
        .args(["refresh", "x"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no OAuth2 client"));
}

#[test]
fn replacing_a_client_keeps_its_id_and_links() {
    let provider = Provider::start(|_| Reply::json(200, tokens("at", Some("rt"), 0)));
    let home = Home::new();
    let add = |secret: &str| {
        home.cmd()
            .args([
                "oauth2",
                "add",
                "c",
                "--token-url",
                &provider.token_url(),
                "--client-id",
                "cid",
            ])
            .args(["--client-secret", "-"])
            .write_stdin(secret.to_string())
            .assert()
            .success();
    };
    add("one");
    home.exchange("x", "c");
    add("two");
    home.cmd().args(["refresh", "x"]).assert().success();
    let last = provider.requests().pop().unwrap();
    assert_eq!(last.basic(), Some(("cid".into(), "two".into())));
}

#[test]
fn bad_client_definitions() {
    let home = Home::new();
    let cases: &[(&[&str], &str)] = &[
        (&["--client-id", "x"], "no token endpoint"),
        (
            &["--provider", "gitlab", "--client-id", "x"],
            "unknown provider 'gitlab'",
        ),
        (
            &[
                "--token-url",
                "https://a.example/t",
                "--client-id",
                "x",
                "--auth-method",
                "client_secret_basic",
            ],
            "needs --client-secret",
        ),
        (
            &[
                "--token-url",
                "https://a.example/t",
                "--client-id",
                "x",
                "--auth-method",
                "none",
                "--client-secret",
                "s",
            ],
            "sends no secret",
        ),
        (
            &["--token-url", "not a url", "--client-id", "x"],
            "not a valid URL",
        ),
    ];
    for (args, message) in cases {
        home.cmd()
            .args(["oauth2", "add", "c"])
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*message));
    }
    assert!(!home.db().exists());
    home.cmd()
        .args(["oauth2", "authorize-url", "nope"])
        .assert()
        .code(3);
}

/// A minimal CONNECT proxy on 127.0.0.1 that records each tunnel's target.
fn connect_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mut reader = BufReader::new(client.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let target = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            log.lock().unwrap().push(line.trim().to_string());
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() <= 2 {
                    break;
                }
            }
            let upstream = std::net::TcpStream::connect(&target).unwrap();
            let mut down = client;
            down.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .unwrap();
            let (mut up_r, mut up_w) = (upstream.try_clone().unwrap(), upstream);
            let mut down_w = down.try_clone().unwrap();
            std::thread::spawn(move || std::io::copy(&mut reader, &mut up_w));
            std::thread::spawn(move || std::io::copy(&mut up_r, &mut down_w));
        }
    });
    (url, seen)
}

#[test]
fn http_proxy_is_honoured_and_no_proxy_bypasses_it() {
    let target = Provider::start(|_| Reply::json(200, tokens("at", None, 3600)));
    let (proxy, tunnels) = connect_proxy();
    let home = Home::new();
    home.add_public_client("c", &target.token_url());
    home.cmd()
        .args(["exchange-code", "x", "--oauth2", "c", "--code", "c"])
        .env("HTTP_PROXY", &proxy)
        .env_remove("NO_PROXY")
        .assert()
        .success();
    let host = target.url.trim_start_matches("http://").to_string();
    assert_eq!(
        *tunnels.lock().unwrap(),
        [format!("CONNECT {host} HTTP/1.1")]
    );
    assert_eq!(target.requests().len(), 1);
    home.cmd()
        .args(["exchange-code", "y", "--oauth2", "c", "--code", "c"])
        .env("HTTP_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .assert()
        .success();
    assert_eq!(
        tunnels.lock().unwrap().len(),
        1,
        "NO_PROXY bypasses the proxy"
    );
    assert_eq!(target.requests().len(), 2);
}

#[test]
fn a_vault_of_the_first_schema_is_migrated_forward() {
    let home = Home::new();
    if crate::common::file_vault_only(&home, "builds an SQLite vault of the first schema by hand") {
        return;
    }
    let key = crate::common::new_key();
    crate::common::write_private(&home.path().join("k"), &key);
    let fernet = fernet::Fernet::new(&key).unwrap();
    // A vault as the first tokvault wrote it: schema 1, key check v1, and a
    // blob sealed to the columns of that time.
    std::fs::create_dir_all(home.db().parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(home.db()).unwrap();
    conn.execute_batch(
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
         CREATE TABLE credentials (
            id INTEGER PRIMARY KEY, user TEXT NOT NULL, integration TEXT NOT NULL,
            provider TEXT NOT NULL, token_type TEXT NOT NULL, scopes TEXT NOT NULL,
            expires_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            oauth2_client INTEGER, sealed TEXT NOT NULL, UNIQUE (user, integration)) STRICT;
         PRAGMA application_id = 1953199732; PRAGMA user_version = 1;",
    )
    .unwrap();
    let blob = fernet.encrypt(
        json!({"bind": ["credential", "default", "openai", "openai", "api_key", "", ""],
               "data": {"api_key": "sk-old"}})
        .to_string()
        .as_bytes(),
    );
    conn.execute(
        "INSERT INTO meta VALUES ('key_check', ?1)",
        [fernet.encrypt(b"tokvault key check v1")],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO credentials (user, integration, provider, token_type, scopes, created_at,
             updated_at, sealed) VALUES ('default', 'openai', 'openai', 'api_key', 'a b', 1, 1, ?1)",
        [&blob],
    )
    .unwrap();
    drop(conn);
    let key_file = home.path().join("k");
    let cmd = |args: &[&str]| {
        let mut c = home.cmd();
        c.args(args).arg("--key-file").arg(&key_file);
        c
    };
    cmd(&["get", "openai"])
        .assert()
        .success()
        .stdout("sk-old\n");
    let conn = rusqlite::Connection::open(home.db()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
    drop(conn);
    cmd(&["oauth2", "list", "--json"])
        .assert()
        .success()
        .stdout("[]\n");

    // The first write seals the old row anew, with its version and every
    // column; from then on the old seal is refused.
    cmd(&[
        "store",
        "other",
        "--provider",
        "x",
        "--type",
        "api_key",
        "--secret",
        "-",
    ])
    .write_stdin("sk-2")
    .assert()
    .success();
    cmd(&["get", "openai"])
        .assert()
        .success()
        .stdout("sk-old\n");
    let conn = rusqlite::Connection::open(home.db()).unwrap();
    conn.execute(
        "UPDATE credentials SET version = 0, sealed = ?1 WHERE integration = 'openai'",
        [&blob],
    )
    .unwrap();
    drop(conn);
    cmd(&["get", "openai"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains("tampered"));
}
