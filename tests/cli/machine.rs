//! Machine identities: GitHub App installation tokens, Google service
//! accounts (RFC 7523 JWT bearer grant) and private_key_jwt /
//! client_secret_jwt clients. The keys are made by openssl(1); every stub
//! verifies each JWT's signature with the public key and checks its claims.

use crate::common::provider::{Provider, Reply, Request, tokens};
use crate::common::{Home, now};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use predicates::prelude::*;
use ring::signature;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// A key pair made by openssl: the private key's PEM file and what
/// verifies its signatures.
#[derive(Clone)]
struct Key {
    pem: PathBuf,
    public: Vec<u8>,
    kind: &'static str,
}

fn openssl(args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("openssl")
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// `form`: "pkcs1" (GitHub's form), "pkcs8" (Google's) or "ec".
fn make_key(dir: &Path, name: &str, form: &'static str) -> Option<Key> {
    let pem = dir.join(format!("{name}.pem"));
    let path = pem.to_str().unwrap();
    match form {
        "pkcs1" => openssl(&["genrsa", "-traditional", "-out", path, "2048"])?,
        "pkcs8" => openssl(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            path,
        ])?,
        _ => openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            path,
        ])?,
    };
    let public = match form {
        "ec" => {
            let spki = openssl(&["pkey", "-in", path, "-pubout", "-outform", "DER"])?;
            spki[spki.len() - 65..].to_vec()
        }
        _ => openssl(&["rsa", "-in", path, "-RSAPublicKey_out", "-outform", "DER"])?,
    };
    Some(Key {
        pem,
        public,
        kind: if form == "ec" { "ec" } else { "rsa" },
    })
}

fn keys_or_skip(dir: &Path, forms: &[(&str, &'static str)]) -> Option<Vec<Key>> {
    let keys: Option<Vec<Key>> = forms.iter().map(|(n, f)| make_key(dir, n, f)).collect();
    if keys.is_none() {
        println!("SKIPPED: openssl(1) is needed to make test keys");
    }
    keys
}

/// The header and claims of `jwt` if its signature verifies with `key`
/// under the algorithm its header names.
fn verify(jwt: &str, key: &Key) -> Option<(Value, Value)> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, c, s] = parts.as_slice() else {
        return None;
    };
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(c).ok()?).ok()?;
    let sig = URL_SAFE_NO_PAD.decode(s).ok()?;
    let alg: &dyn signature::VerificationAlgorithm = match (header["alg"].as_str()?, key.kind) {
        ("RS256", "rsa") => &signature::RSA_PKCS1_2048_8192_SHA256,
        ("PS256", "rsa") => &signature::RSA_PSS_2048_8192_SHA256,
        ("ES256", "ec") => &signature::ECDSA_P256_SHA256_FIXED,
        _ => return None,
    };
    signature::UnparsedPublicKey::new(alg, &key.public)
        .verify(format!("{h}.{c}").as_bytes(), &sig)
        .ok()?;
    Some((header, claims))
}

fn verify_hs256(jwt: &str, secret: &str) -> Option<Value> {
    let (input, s) = jwt.rsplit_once('.')?;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    ring::hmac::verify(&key, input.as_bytes(), &URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(input.split('.').next()?).ok()?).ok()?;
    (header["alg"] == "HS256").then_some(())?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(input.split('.').nth(1)?).ok()?).ok()
}

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).unwrap().to_string()
}

/// A GitHub API on 127.0.0.1 for app 123, installed on `acme` as
/// installation 42. Installation 99 does not exist; 77 refuses the
/// permissions asked for. Tokens live `lifetime` seconds.
fn github(key: Key, lifetime: i64) -> Provider {
    let issued = Mutex::new(0);
    Provider::start(move |req: &Request| {
        let refuse = |status: u16, message: &str| {
            Reply::json(
                status,
                json!({"message": message, "documentation_url": "https://docs.github.com/rest"}),
            )
        };
        let jwt = req
            .header("Authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or("");
        let Some((header, claims)) = verify(jwt, &key) else {
            return refuse(401, "A JSON web token could not be decoded");
        };
        let t = now();
        let iat = claims["iat"].as_i64().unwrap_or(0);
        let exp = claims["exp"].as_i64().unwrap_or(0);
        let claims_ok = header["alg"] == "RS256"
            && claims["iss"] == "123"
            && iat <= t - 50
            && iat >= t - 70
            && exp > t
            && exp - iat <= 600;
        let headers_ok = req.header("Accept") == Some("application/vnd.github+json")
            && req.header("X-GitHub-Api-Version") == Some("2022-11-28");
        if !claims_ok || !headers_ok {
            return refuse(
                401,
                "'Issued at' or 'Expiration time' claim is wrong, or the headers",
            );
        }
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/app/installations") => Reply::json(
                200,
                json!([{"id": 7, "account": {"login": "other"}}, {"id": 42, "account": {"login": "Acme"}}]),
            ),
            ("POST", "/app/installations/42/access_tokens") => {
                let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
                if body != json!({"repositories": ["r1"], "permissions": {"contents": "read"}}) {
                    return refuse(422, "unexpected narrowing");
                }
                let mut n = issued.lock().unwrap();
                *n += 1;
                Reply::json(
                    201,
                    json!({"token": format!("ghs_{}", *n - 1), "expires_at": rfc3339(t + lifetime)}),
                )
            }
            ("POST", "/app/installations/77/access_tokens") => refuse(
                422,
                "There is at least one repository that does not exist or is not accessible",
            ),
            // GitHub having a bad moment, and a proxy's page in front of it.
            ("POST", "/app/installations/55/access_tokens") => refuse(503, "Service unavailable"),
            ("POST", "/app/installations/56/access_tokens") => {
                Reply::raw(502, "text/html", "<html>Bad gateway</html>")
            }
            _ => refuse(404, "Not Found"),
        }
    })
}

fn mints(api: &Provider) -> usize {
    api.requests()
        .iter()
        .filter(|r| r.path.ends_with("/access_tokens"))
        .count()
}

#[test]
fn github_app_tokens_are_minted_once_and_again_on_expiry() {
    let home = Home::new();
    let Some(keys) = keys_or_skip(home.path(), &[("app", "pkcs1"), ("other", "pkcs8")]) else {
        return;
    };
    let api = github(keys[0].clone(), 3);
    let store = |name: &str, key: &Key, extra: &[&str]| {
        home.cmd()
            .args([
                "store",
                name,
                "--type",
                "github-app",
                "--app-id",
                "123",
                "--api-url",
                &api.url,
            ])
            .arg("--private-key-file")
            .arg(&key.pem)
            .args(extra)
            .assert()
    };
    // The installation found by owner (case-insensitive), narrowed.
    store(
        "app",
        &keys[0],
        &[
            "--owner",
            "acme",
            "--repositories",
            "r1",
            "--permissions",
            "contents=read",
        ],
    )
    .success();
    assert_eq!(mints(&api), 0, "store mints nothing");
    assert_eq!(home.get("app"), "ghs_0\n");
    assert_eq!(home.get("app"), "ghs_0\n");
    assert_eq!(mints(&api), 1);
    let record = home.get_json("app");
    assert_eq!(record["provider"], "github-app");
    assert_eq!(record["token_data"]["identity"]["installation_id"], 42);
    assert_eq!(
        record["token_data"]["private_key"],
        "(kept in the vault, never printed)"
    );
    home.cmd()
        .args(["get", "app", "--field", "private_key"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("never printed"));
    let pem = std::fs::read_to_string(&keys[0].pem).unwrap();
    let key_line = pem.lines().nth(1).unwrap();
    for (path, bytes) in home.snapshot() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(key_line),
            "{} holds the key",
            path.display()
        );
    }

    // Expired: 16 processes at once make one mint and print one token.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let children: Vec<_> = (0..16)
        .map(|_| {
            home.std_cmd()
                .args(["get", "app"])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: HashSet<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();
    assert_eq!(outs, HashSet::from(["ghs_1\n".to_string()]));
    assert_eq!(mints(&api), 2);

    // GitHub's refusals are exit 5 with GitHub's words.
    store("missing", &keys[0], &["--installation-id", "99"]).success();
    home.cmd()
        .args(["get", "missing"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("Not Found"));
    store(
        "narrow",
        &keys[0],
        &["--installation-id", "77", "--repositories", "nope"],
    )
    .success();
    home.cmd()
        .args(["get", "narrow"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("at least one repository"));
    store("wrong", &keys[1], &["--installation-id", "42"]).success();
    home.cmd()
        .args(["get", "wrong"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("could not be decoded"));
    store("nobody", &keys[0], &["--owner", "stranger"]).code(3);
    // A server error is worth a retry: exit 6, as for any token endpoint.
    for (name, installation, said) in [
        ("down", "55", "Service unavailable"),
        ("proxy", "56", "HTTP 502"),
    ] {
        store(name, &keys[0], &["--installation-id", installation]).success();
        home.cmd()
            .args(["get", name])
            .assert()
            .code(6)
            .stderr(predicate::str::contains(said).and(predicate::str::contains("<html>").not()));
    }
    // Key rotation: store again with the right key, and it mints.
    store(
        "wrong",
        &keys[0],
        &[
            "--installation-id",
            "42",
            "--repositories",
            "r1",
            "--permissions",
            "contents=read",
        ],
    )
    .success();
    assert_eq!(home.get("wrong"), "ghs_2\n");
    // git refused by the server with it (a revoked installation token):
    // erase marks it stale and the next get mints a new one.
    home.cmd()
        .args(["git-credential", "map", "github.com", "wrong"])
        .assert()
        .success();
    home.cmd()
        .args(["git-credential", "erase"])
        .write_stdin("protocol=https\nhost=github.com\nusername=x\npassword=ghs_2\n\n")
        .assert()
        .success();
    assert_eq!(home.get("wrong"), "ghs_3\n");
}

#[test]
fn bad_identities_are_refused_and_store_nothing() {
    let home = Home::new();
    let Some(keys) = keys_or_skip(home.path(), &[("rsa", "pkcs1"), ("ec", "ec")]) else {
        return;
    };
    home.store(&["keep", "--secret", "-"], "kept");
    let before = home.snapshot();
    let p = |name: &str| home.path().join(name);
    std::fs::write(p("not.pem"), "hello\n").unwrap();
    std::fs::write(
        p("enc.pem"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
    )
    .unwrap();
    let small = std::process::Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:1024",
            "-out",
        ])
        .arg(p("small.pem"))
        .output()
        .unwrap();
    assert!(small.status.success());
    std::fs::write(p("sa-bad.json"), r#"{"type": "authorized_user"}"#).unwrap();
    std::fs::write(p("sa-notjson.json"), "{").unwrap();
    let rsa = keys[0].pem.to_str().unwrap();
    let ec = keys[1].pem.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
            ],
            "needs --private-key-file",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--installation-id",
                "2",
                "--private-key-file",
                rsa,
            ],
            "needs --app-id",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--private-key-file",
                rsa,
            ],
            "--installation-id ID or --owner",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                "not.pem",
            ],
            "not a PEM",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                "enc.pem",
            ],
            "encrypted",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                "small.pem",
            ],
            "fewer than 2048 bits",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                ec,
            ],
            "not an RSA key",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                "/dev/zero",
            ],
            "not a regular file",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "a b",
                "--installation-id",
                "2",
                "--private-key-file",
                rsa,
            ],
            "not an identifier",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                rsa,
                "--permissions",
                "contents=all",
            ],
            "NAME=read|write|admin",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                rsa,
                "--api-url",
                "http://example.com",
            ],
            "over plain HTTP",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key",
                "PEM",
            ],
            "takes `-`",
        ),
        (
            vec![
                "--type",
                "github-app",
                "--app-id",
                "1",
                "--installation-id",
                "2",
                "--private-key-file",
                rsa,
                "--secret",
                "x",
            ],
            "does not go with",
        ),
        (vec!["--app-id", "1"], "is for --type github-app"),
        (
            vec![
                "--type",
                "google-service-account",
                "--service-account-file",
                "sa-bad.json",
                "--scopes",
                "a",
            ],
            "not a service account key file",
        ),
        (
            vec![
                "--type",
                "google-service-account",
                "--service-account-file",
                "sa-notjson.json",
                "--scopes",
                "a",
            ],
            "not a service account key file",
        ),
        (
            vec!["--type", "google-service-account", "--scopes", "a"],
            "needs --service-account-file",
        ),
        (
            vec![
                "--type",
                "google-service-account",
                "--service-account-file",
                "sa-bad.json",
                "--app-id",
                "1",
            ],
            "is for --type github-app",
        ),
    ];
    for (args, message) in cases {
        home.cmd()
            .arg("store")
            .arg("id")
            .args(&args)
            .current_dir(home.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message).and(predicate::str::contains("MII").not()));
        assert!(home.snapshot() == before, "{args:?} changed the vault");
    }
}

/// A service account key file as Google issues it, for a token_uri here.
fn service_account_file(home: &Home, key: &Key, token_uri: &str) -> PathBuf {
    let path = home.path().join("sa.json");
    std::fs::write(
        &path,
        json!({
            "type": "service_account",
            "project_id": "p",
            "private_key_id": "kid-1",
            "private_key": std::fs::read_to_string(&key.pem).unwrap(),
            "client_email": "bot@p.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": token_uri,
        })
        .to_string(),
    )
    .unwrap();
    path
}

#[test]
fn google_service_accounts_use_the_jwt_bearer_grant() {
    let home = Home::new();
    let Some(keys) = keys_or_skip(home.path(), &[("sa", "pkcs8")]) else {
        return;
    };
    let key = keys[0].clone();
    let url = Arc::new(Mutex::new(String::new()));
    let u = url.clone();
    let n = Mutex::new(0);
    let google = Provider::start(move |req| {
        let form = req.form();
        let token_uri = format!("{}/token", u.lock().unwrap());
        let refuse = |why: &str| {
            Reply::json(
                400,
                json!({"error": "invalid_grant", "error_description": why}),
            )
        };
        if form.get("grant_type").map(String::as_str)
            != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return refuse("grant_type");
        }
        let Some((header, claims)) = form.get("assertion").and_then(|a| verify(a, &key)) else {
            return refuse("Invalid JWT Signature.");
        };
        let t = now();
        let (iat, exp) = (
            claims["iat"].as_i64().unwrap_or(0),
            claims["exp"].as_i64().unwrap_or(0),
        );
        if header["kid"] != "kid-1"
            || header["alg"] != "RS256"
            || claims["iss"] != "bot@p.iam.gserviceaccount.com"
            || claims["aud"] != token_uri.as_str()
            || (iat - t).abs() > 60
            || exp <= t
            || exp - iat > 3600
        {
            return refuse("Invalid JWT: claims");
        }
        let mut n = n.lock().unwrap();
        *n += 1;
        if let Some(aud) = claims["target_audience"].as_str() {
            let id_token = crate::common::jwt(&json!({"aud": aud, "exp": t + 3600}));
            return Reply::json(200, json!({"id_token": id_token}));
        }
        let scope_ok = claims["scope"] == "https://www.googleapis.com/auth/cloud-platform email";
        let sub_ok = claims
            .get("sub")
            .is_none_or(|s| s == "admin@example.com" || s == "forever@example.com");
        if !scope_ok || !sub_ok {
            return refuse("Invalid JWT: scope or subject");
        }
        let who = claims.get("sub").and_then(Value::as_str).unwrap_or("bot");
        // One answer says its token lives for ever (i64::MAX seconds).
        let lifetime = if who == "forever@example.com" {
            i64::MAX
        } else {
            3599
        };
        Reply::json(
            200,
            json!({"access_token": format!("ya29.{who}.{}", *n - 1), "expires_in": lifetime, "token_type": "Bearer"}),
        )
    });
    *url.lock().unwrap() = google.url.clone();
    let file = service_account_file(&home, &keys[0], &google.token_url());
    let store = |name: &str, extra: &[&str]| {
        home.cmd()
            .args([
                "store",
                name,
                "--type",
                "google-service-account",
                "--service-account-file",
            ])
            .arg(&file)
            .args(extra)
            .assert()
            .success();
    };
    store(
        "gcp",
        &[
            "--scopes",
            "https://www.googleapis.com/auth/cloud-platform,email",
        ],
    );
    assert_eq!(home.get("gcp"), "ya29.bot.0\n");
    assert_eq!(home.get("gcp"), "ya29.bot.0\n");
    assert_eq!(google.requests().len(), 1);
    let record = home.get_json("gcp");
    assert_eq!(
        record["scopes"],
        json!(["https://www.googleapis.com/auth/cloud-platform", "email"])
    );
    let expires: jiff::Timestamp = record["expires_at"].as_str().unwrap().parse().unwrap();
    assert!(expires.as_second() - now() > 3500);

    store(
        "admin",
        &[
            "--scopes",
            "https://www.googleapis.com/auth/cloud-platform,email",
            "--subject",
            "admin@example.com",
        ],
    );
    assert_eq!(home.get("admin"), "ya29.admin@example.com.1\n");

    store("run", &["--audience", "https://service.example.com"]);
    let id_token = home.get("run");
    let payload = id_token.trim().split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["aud"], "https://service.example.com");

    // "For ever" is kept as the latest time tokvault stores, not wrapped
    // around into the past (which would mint on every get).
    store(
        "forever",
        &[
            "--scopes",
            "https://www.googleapis.com/auth/cloud-platform,email",
            "--subject",
            "forever@example.com",
        ],
    );
    assert_eq!(home.get("forever"), "ya29.forever@example.com.3\n");
    assert_eq!(home.get("forever"), "ya29.forever@example.com.3\n");
    let expires: jiff::Timestamp = home.get_json("forever")["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(expires.as_second() > now() + 100 * 365 * 86400);

    // The key file moved or deleted: the key is in the vault.
    std::fs::remove_file(&file).unwrap();
    home.cmd().args(["refresh", "gcp"]).assert().success();
    assert_eq!(home.get("gcp"), "ya29.bot.4\n");
}

/// A token endpoint that authenticates clients by assertion: private_key_jwt
/// with `key` (client "pkj") or client_secret_jwt with "s3cret" (client
/// "csj"). Every assertion must be fresh, unique, and for this endpoint.
fn assertion_server(keys: Vec<Key>) -> Provider {
    let seen = Mutex::new(HashSet::new());
    let url = Arc::new(Mutex::new(String::new()));
    let u = url.clone();
    let server = Provider::start(move |req| {
        let form = req.form();
        let refuse = |why: &str| {
            Reply::json(
                401,
                json!({"error": "invalid_client", "error_description": why}),
            )
        };
        if form.get("client_assertion_type").map(String::as_str)
            != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            || req.header("Authorization").is_some()
            || form.contains_key("client_secret")
        {
            return refuse("client_assertion_type");
        }
        let assertion = form.get("client_assertion").cloned().unwrap_or_default();
        let client = form.get("client_id").cloned().unwrap_or_default();
        let claims = match client.as_str() {
            "pkj" => keys
                .iter()
                .find_map(|k| verify(&assertion, k))
                .and_then(|(h, c)| (h["kid"] == "k1").then_some(c)),
            "csj" => verify_hs256(&assertion, "s3cret"),
            _ => None,
        };
        let Some(claims) = claims else {
            return refuse("signature");
        };
        let t = now();
        let (iat, exp) = (
            claims["iat"].as_i64().unwrap_or(0),
            claims["exp"].as_i64().unwrap_or(0),
        );
        let token_url = format!("{}/token", u.lock().unwrap());
        if claims["iss"] != client.as_str()
            || claims["sub"] != client.as_str()
            || claims["aud"] != token_url.as_str()
            || (iat - t).abs() > 60
            || exp <= t
            || exp - iat > 300
        {
            return refuse("claims");
        }
        let jti = claims["jti"].as_str().unwrap_or_default().to_string();
        if jti.len() < 16 || !seen.lock().unwrap().insert(jti) {
            return refuse("jti reused");
        }
        let grant = form.get("grant_type").cloned().unwrap_or_default();
        Reply::json(
            200,
            tokens(&format!("at-{client}-{grant}"), Some("rt"), 3600),
        )
    });
    *url.lock().unwrap() = server.url.clone();
    server
}

#[test]
fn private_key_jwt_and_client_secret_jwt_clients_sign_every_request() {
    let home = Home::new();
    let Some(keys) = keys_or_skip(home.path(), &[("ec", "ec"), ("rsa", "pkcs8")]) else {
        return;
    };
    let server = assertion_server(keys.clone());
    let add = |name: &str, extra: &[&str]| {
        let mut cmd = home.cmd();
        cmd.args(["oauth2", "add", name, "--token-url", &server.token_url()])
            .args(extra);
        cmd
    };
    let ec = keys[0].pem.to_str().unwrap();
    let rsa = keys[1].pem.to_str().unwrap();
    add(
        "es",
        &[
            "--client-id",
            "pkj",
            "--private-key-file",
            ec,
            "--key-id",
            "k1",
        ],
    )
    .assert()
    .success();
    add(
        "ps",
        &[
            "--client-id",
            "pkj",
            "--auth-method",
            "private_key_jwt",
            "--private-key-file",
            rsa,
            "--key-id",
            "k1",
            "--alg",
            "PS256",
        ],
    )
    .assert()
    .success();
    add(
        "hs",
        &[
            "--client-id",
            "csj",
            "--auth-method",
            "client_secret_jwt",
            "--client-secret",
            "-",
        ],
    )
    .write_stdin("s3cret")
    .assert()
    .success();
    for client in ["es", "ps"] {
        home.cmd()
            .args([
                "client-credentials",
                &format!("m-{client}"),
                "--oauth2",
                client,
            ])
            .assert()
            .success();
        assert_eq!(
            home.get(&format!("m-{client}")),
            "at-pkj-client_credentials\n"
        );
    }
    home.cmd()
        .args(["client-credentials", "m-hs", "--oauth2", "hs"])
        .assert()
        .success();
    assert_eq!(home.get("m-hs"), "at-csj-client_credentials\n");
    // Code exchange and refresh sign too, each with a new jti.
    home.cmd()
        .args([
            "exchange-code",
            "u",
            "--oauth2",
            "es",
            "--code",
            "c",
            "--redirect-uri",
            "http://127.0.0.1:1/cb",
        ])
        .assert()
        .success();
    home.cmd().args(["refresh", "u"]).assert().success();
    assert_eq!(home.get("u"), "at-pkj-refresh_token\n");
    assert_eq!(server.requests().len(), 5);

    // Keys that cannot do what is asked are refused before anything is kept.
    add(
        "bad",
        &[
            "--client-id",
            "x",
            "--private-key-file",
            ec,
            "--alg",
            "RS256",
        ],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("signs ES256 only"));
    add(
        "bad",
        &[
            "--client-id",
            "x",
            "--auth-method",
            "private_key_jwt",
            "--private-key-file",
            rsa,
            "--client-secret",
            "-",
        ],
    )
    .write_stdin("s")
    .assert()
    .code(2)
    .stderr(predicate::str::contains("leave out --client-secret"));
    add(
        "bad",
        &[
            "--client-id",
            "x",
            "--auth-method",
            "client_secret_basic",
            "--client-secret",
            "-",
            "--private-key-file",
            rsa,
        ],
    )
    .write_stdin("s")
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "is for --auth-method private_key_jwt",
    ));
    add(
        "bad",
        &["--client-id", "x", "--auth-method", "private_key_jwt"],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("needs --private-key-file"));
    home.cmd().args(["oauth2", "show", "bad"]).assert().code(3);
    // The private key travels in backups, sealed.
    home.cmd()
        .arg("export-vault")
        .arg(home.path().join("backup.tokvault"))
        .assert()
        .success();
    let other = Home::new();
    std::fs::create_dir_all(other.key_file().parent().unwrap()).unwrap();
    std::fs::copy(home.key_file(), other.key_file()).unwrap();
    other
        .cmd()
        .arg("import-vault")
        .arg(home.path().join("backup.tokvault"))
        .assert()
        .success();
    other
        .cmd()
        .args(["client-credentials", "again", "--oauth2", "es"])
        .assert()
        .success();
}
