//! `tokvault cargo-credential`, driven by the real cargo against a sparse
//! registry on 127.0.0.1 that answers index requests only with a valid
//! token in the Authorization header.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, HomeEnv};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Tokens the registry accepts, with when each stops being accepted.
type Valid = Arc<Mutex<HashMap<String, Instant>>>;

/// A sparse registry serving crate `foo` 0.1.0: config.json to anyone (with
/// `auth-required`), the index file only to a valid token.
fn registry(valid: Valid) -> Provider {
    Provider::start(move |req| match req.path.as_str() {
        "/config.json" => {
            let host = req.header("Host").unwrap_or("127.0.0.1").to_string();
            let url = format!("http://{host}");
            Reply::json(
                200,
                serde_json::json!({"dl": format!("{url}/dl"), "api": url, "auth-required": true}),
            )
        }
        "/3/f/foo" => {
            let token = req.header("Authorization").unwrap_or_default();
            let ok = valid
                .lock()
                .unwrap()
                .get(token)
                .is_some_and(|until| Instant::now() < *until);
            if ok {
                Reply::raw(
                    200,
                    "text/plain",
                    format!(
                        "{}\n",
                        serde_json::json!({"name": "foo", "vers": "0.1.0", "deps": [],
                                "cksum": "0".repeat(64), "features": {}, "yanked": false})
                    ),
                )
            } else {
                Reply::raw(401, "text/plain", "token rejected")
            }
        }
        _ => Reply::raw(404, "text/plain", "not found"),
    })
}

struct Cargo<'a> {
    home: &'a Home,
    cargo_home: PathBuf,
    project: PathBuf,
}

impl Cargo<'_> {
    /// A CARGO_HOME whose config names the registry and tokvault as its
    /// provider, as README shows it, and a project that depends on `foo`.
    fn new<'a>(home: &'a Home, registry_url: &str, provider: &str) -> Cargo<'a> {
        let cargo_home = home.path().join("cargo-home");
        std::fs::create_dir_all(&cargo_home).unwrap();
        std::fs::write(
            cargo_home.join("config.toml"),
            format!(
                "[registries.stub]\nindex = \"sparse+{registry_url}/\"\ncredential-provider = {provider}\n"
            ),
        )
        .unwrap();
        let project = home.path().join("app");
        std::fs::create_dir_all(project.join("src")).unwrap();
        std::fs::write(project.join("src/lib.rs"), "").unwrap();
        std::fs::write(
            project.join("Cargo.toml"),
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nfoo = { version = \"0.1\", registry = \"stub\" }\n",
        )
        .unwrap();
        Cargo {
            home,
            cargo_home,
            project,
        }
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let bin_dir = assert_cmd::cargo::cargo_bin("tokvault")
            .parent()
            .unwrap()
            .to_owned();
        let mut child = Command::new(cargo_program())
            .home_env(self.home)
            .env("CARGO_HOME", &self.cargo_home)
            .env(
                "PATH",
                format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
            )
            .env("CARGO_HTTP_MULTIPLEXING", "false")
            .env("CARGO_NET_RETRY", "0")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTUP_TOOLCHAIN")
            .args(args)
            .current_dir(&self.project)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn lockfile(&self) -> Output {
        let _ = std::fs::remove_file(self.project.join("Cargo.lock"));
        self.run(&["generate-lockfile"], "")
    }
}

/// The cargo running this test (a toolchain's own binary, which needs no
/// rustup home under the test's HOME), else the one on PATH.
fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn cargo_present() -> bool {
    let found = Command::new(cargo_program())
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("SKIPPED: cargo is not on PATH");
    }
    found
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn authorizations(registry: &Provider) -> Vec<String> {
    registry
        .requests()
        .iter()
        .filter(|r| r.path == "/3/f/foo")
        .filter_map(|r| r.header("Authorization").map(str::to_string))
        .collect()
}

#[test]
fn cargo_gets_a_fresh_token_from_the_vault() {
    if !cargo_present() {
        return;
    }
    let home = Home::new();
    let valid: Valid = Arc::default();
    // The registry's tokens come from an OAuth2 provider, valid 3 seconds.
    let issued = valid.clone();
    let n = Mutex::new(0);
    let idp = Provider::start(move |_| {
        let mut n = n.lock().unwrap();
        let token = format!("rt-{n}");
        *n += 1;
        issued
            .lock()
            .unwrap()
            .insert(token.clone(), Instant::now() + Duration::from_secs(3));
        Reply::json(200, tokens(&token, Some("refresh"), 3))
    });
    home.add_public_client("idp", &idp.token_url());
    home.exchange("reg", "idp");
    let stub = registry(valid);
    let cargo = Cargo::new(
        &home,
        &stub.url,
        r#"["tokvault", "cargo-credential", "reg"]"#,
    );
    let first = cargo.lockfile();
    assert!(first.status.success(), "{}", stderr(&first));
    let lock = std::fs::read_to_string(cargo.project.join("Cargo.lock")).unwrap();
    assert!(lock.contains("name = \"foo\""), "{lock}");
    assert_eq!(
        authorizations(&stub).last().map(String::as_str),
        Some("rt-0")
    );

    // The token expires; the next cargo gets a refreshed one.
    std::thread::sleep(Duration::from_millis(3200));
    let second = cargo.lockfile();
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(
        authorizations(&stub).last().map(String::as_str),
        Some("rt-1")
    );
    assert_eq!(idp.grants("refresh_token").len(), 1);
}

#[test]
fn cargo_login_and_logout_keep_the_token_in_the_vault() {
    if !cargo_present() {
        return;
    }
    let home = Home::new();
    let valid: Valid = Arc::default();
    valid.lock().unwrap().insert(
        "cio_from_login".into(),
        Instant::now() + Duration::from_secs(3600),
    );
    let stub = registry(valid);
    // No credential named: it is kept as cargo:REGISTRY.
    let cargo = Cargo::new(&home, &stub.url, r#"["tokvault", "cargo-credential"]"#);
    let before = cargo.lockfile();
    assert!(!before.status.success());
    let login = cargo.run(&["login", "--registry", "stub"], "cio_from_login\n");
    assert!(login.status.success(), "{}", stderr(&login));
    assert_eq!(home.get("cargo:stub"), "cio_from_login\n");
    assert!(
        !std::fs::read_to_string(cargo.cargo_home.join("credentials.toml"))
            .unwrap_or_default()
            .contains("cio_from_login"),
        "cargo wrote the token to its own file"
    );
    let after = cargo.lockfile();
    assert!(after.status.success(), "{}", stderr(&after));
    assert_eq!(
        authorizations(&stub).last().map(String::as_str),
        Some("cio_from_login")
    );
    let logout = cargo.run(&["logout", "--registry", "stub"], "");
    assert!(logout.status.success(), "{}", stderr(&logout));
    home.cmd().args(["get", "cargo:stub"]).assert().code(3);
}

#[test]
fn cargo_logout_leaves_tokvaults_own_credentials() {
    if !cargo_present() {
        return;
    }
    let home = Home::new();
    home.store(
        &["reg", "--provider", "registry", "--secret", "-"],
        "kept-key",
    );
    let stub = registry(Arc::default());
    let cargo = Cargo::new(
        &home,
        &stub.url,
        r#"["tokvault", "cargo-credential", "reg"]"#,
    );
    let logout = cargo.run(&["logout", "--registry", "stub"], "");
    assert!(!logout.status.success());
    assert!(
        stderr(&logout).contains("was not stored by cargo login"),
        "{}",
        stderr(&logout)
    );
    // What logout refuses to remove, login refuses to replace.
    let login = cargo.run(&["login", "--registry", "stub"], "cio_overwrite\n");
    assert!(!login.status.success());
    assert!(
        stderr(&login).contains("was not stored by cargo login"),
        "{}",
        stderr(&login)
    );
    assert_eq!(home.get("reg"), "kept-key\n");
}

/// The protocol without cargo: what a broken or hostile request gets.
#[test]
fn every_request_gets_one_protocol_line() {
    let home = Home::new();
    home.store(
        &["reg", "--provider", "registry", "--secret", "-"],
        "the-key",
    );
    let request = |kind: &str, extra: &str| {
        format!(
            "{{\"v\":1,\"registry\":{{\"index-url\":\"sparse+http://x/\",\"name\":\"stub\"}},\"kind\":\"{kind}\"{extra}}}\n"
        )
    };
    let input = [
        request(
            "get",
            r#","operation":"read","args":["cargo-credential","reg"]"#,
        ),
        request(
            "get",
            r#","operation":"publish","args":["cargo-credential","nope"]"#,
        ),
        request("get", r#","args":["something-else"]"#),
        request("get", r#","args":["cargo-credential","a\u0007b"]"#),
        request("login", r#","args":["cargo-credential","reg2"]"#),
        request("frobnicate", r#","args":["cargo-credential","reg"]"#),
        "{\"v\":2,\"registry\":{},\"kind\":\"get\"}\n".to_string(),
        "not json\n".to_string(),
    ]
    .concat();
    let out = home
        .cmd()
        .arg("--cargo-plugin")
        .write_stdin(input)
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0], serde_json::json!({"v": [1]}));
    assert_eq!(
        lines[1],
        serde_json::json!({"Ok": {"kind": "get", "token": "the-key", "cache": "session", "operation_independent": true}})
    );
    assert_eq!(lines[2], serde_json::json!({"Err": {"kind": "not-found"}}));
    assert_eq!(lines[3]["Err"]["kind"], "other");
    assert!(
        lines[4]["Err"]["message"]
            .as_str()
            .unwrap()
            .contains("control")
    );
    assert!(
        lines[5]["Err"]["message"]
            .as_str()
            .unwrap()
            .contains("no token")
    );
    assert_eq!(
        lines[6],
        serde_json::json!({"Err": {"kind": "operation-not-supported"}})
    );
    assert!(
        lines[7]["Err"]["message"]
            .as_str()
            .unwrap()
            .contains("version 2")
    );
    assert!(
        lines[8]["Err"]["message"]
            .as_str()
            .unwrap()
            .contains("unreadable")
    );
    assert_eq!(lines.len(), 9);
    // Nothing was stored by the refused login.
    home.cmd().args(["get", "reg2"]).assert().code(3);

    // Endless input: one answer, then the provider stops reading.
    let out = home
        .std_cmd()
        .arg("--cargo-plugin")
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.ends_with("\"message\":\"cargo sent a request longer than 1 MiB\"}}\n"),
        "{text}"
    );

    // Run by hand: it says how it is meant to be used.
    home.cmd()
        .arg("cargo-credential")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "credential-provider = [\"tokvault\", \"cargo-credential\", \"NAME\"]",
        ));
}
