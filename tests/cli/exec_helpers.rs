//! The helpers clients run as programs, driven by the real clients: the AWS
//! SDK (botocore) resolving a profile whose credential_process is tokvault,
//! and kubectl calling tokvault as its exec credential plugin against an
//! HTTPS API server on 127.0.0.1 that checks the bearer token.

use crate::common::HomeEnv;

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use predicates::prelude::*;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn with_tokvault(home: &Home, program: &str) -> Command {
    let bin_dir = assert_cmd::cargo::cargo_bin("tokvault")
        .parent()
        .unwrap()
        .to_owned();
    let mut cmd = Command::new(program);
    cmd.home_env(home)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .stdin(Stdio::null());
    cmd
}

#[test]
fn aws_credential_prints_credential_process_json() {
    let home = Home::new();
    home.cmd()
        .args(["store", "aws-prod", "--provider", "aws", "--from-json", "-"])
        .write_stdin(
            r#"{"AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": "wJalr/EXAMPLEKEY", "SessionToken": "FwoG-token", "Expiration": "2999-01-01T00:00:00Z"}"#,
        )
        .assert()
        .success();
    let out = home
        .cmd()
        .args(["aws-credential", "aws-prod"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["Version"], 1);
    assert_eq!(v["AccessKeyId"], "AKIAEXAMPLE");
    assert_eq!(v["SecretAccessKey"], "wJalr/EXAMPLEKEY");
    assert_eq!(v["SessionToken"], "FwoG-token");
    assert_eq!(v["Expiration"], "2999-01-01T00:00:00Z");
    // On GitHub Actions the secrets are registered for masking, on stderr.
    home.cmd()
        .args(["aws-credential", "aws-prod"])
        .env("GITHUB_ACTIONS", "true")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "::add-mask::wJalr/EXAMPLEKEY\n::add-mask::FwoG-token\n",
        ));
    // Not AWS keys: a clear error, nothing on stdout.
    home.store(&["other", "--provider", "p", "--secret", "-"], "x");
    home.cmd()
        .args(["aws-credential", "other"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("holds no AWS keys"));

    // botocore, as the AWS CLI and boto3 use it, with tokvault as the
    // profile's credential_process.
    let probe = Command::new("python3")
        .args(["-c", "import botocore.session"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("SKIPPED: python3 with botocore (the aws CLI's) is not installed");
        return;
    }
    let config = home.path().join("aws-config");
    std::fs::write(
        &config,
        format!(
            "[profile prod]\ncredential_process = {} aws-credential aws-prod\n",
            assert_cmd::cargo::cargo_bin("tokvault").display()
        ),
    )
    .unwrap();
    let out = with_tokvault(&home, "python3")
        .args([
            "-c",
            "import botocore.session\n\
             c = botocore.session.Session(profile='prod').get_credentials().get_frozen_credentials()\n\
             print(c.access_key, c.secret_key, c.token)",
        ])
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "AKIAEXAMPLE wJalr/EXAMPLEKEY FwoG-token\n"
    );
}

/// A self-signed certificate and key for 127.0.0.1 in `dir` (openssl(1)).
fn https_api_server_cert(dir: &std::path::Path) -> Option<()> {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    made.success().then_some(())
}

/// An HTTPS server (Python's ssl) on 127.0.0.1 that answers only requests
/// carrying a token listed in `tokens` (as a Bearer token or a Basic
/// password), logging each token it sees. Returns its URL.
fn https_api_server(dir: &std::path::Path) -> Option<(String, std::process::Child)> {
    https_api_server_cert(dir)?;
    let script = r#"
import http.server, ssl, sys, os, base64
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        valid = open(os.path.join(d, "tokens")).read().split()
        token = ""
        if auth.startswith("Bearer "):
            token = auth[len("Bearer "):]
        elif auth.startswith("Basic "):
            token = base64.b64decode(auth[len("Basic "):]).decode().partition(":")[2]
        with open(os.path.join(d, "seen"), "a") as f:
            f.write(token + "\n")
        if token in valid:
            self.send_response(200); self.send_header("Content-Type", "text/plain"); self.end_headers(); self.wfile.write(b"ok")
        else:
            self.send_response(401); self.send_header("Content-Type", "application/json")
            self.send_header("WWW-Authenticate", 'Basic realm="test"'); self.end_headers()
            self.wfile.write(b'{"kind":"Status","apiVersion":"v1","status":"Failure","code":401}')
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))
s.socket = ctx.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;
    std::fs::write(dir.join("tokens"), "").unwrap();
    let mut child = Command::new("python3")
        .args(["-c", script])
        .arg(dir)
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut()?),
        &mut line,
    )
    .ok()?;
    Some((format!("https://127.0.0.1:{}", line.trim()), child))
}

#[test]
fn kubectl_gets_a_fresh_token_on_every_call() {
    if Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_err()
    {
        println!("SKIPPED: kubectl is not installed");
        return;
    }
    let home = Home::new();
    let dir = home.path().join("api");
    std::fs::create_dir_all(&dir).unwrap();
    let Some((url, mut server)) = https_api_server(&dir) else {
        println!("SKIPPED: openssl(1) or python3 is missing for the HTTPS API server");
        return;
    };
    // Each token lives three seconds; every token issued opens the server.
    let n = AtomicUsize::new(0);
    let tokens_file = dir.join("tokens");
    let provider = Provider::start(move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&tokens_file)
            .unwrap();
        std::io::Write::write_all(&mut f, format!("kt-{i}\n").as_bytes()).unwrap();
        Reply::json(200, tokens(&format!("kt-{i}"), Some("rt"), 3))
    });
    home.add_public_client("idp", &provider.token_url());
    home.exchange("cluster", "idp");
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {url}\n    certificate-authority: {}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: tokvault\n      args: [kube-credential, cluster]\n      interactiveMode: Never\n\
             contexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            dir.join("cert.pem").display()
        ),
    )
    .unwrap();
    let kubectl = || {
        with_tokvault(&home, "kubectl")
            .args(["--kubeconfig"])
            .arg(&kubeconfig)
            .args(["get", "--raw", "/healthz"])
            .output()
            .unwrap()
    };
    let first = kubectl();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&first.stdout), "ok");
    std::thread::sleep(std::time::Duration::from_millis(3500));
    let second = kubectl();
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let seen = std::fs::read_to_string(dir.join("seen")).unwrap();
    let seen: Vec<&str> = seen.lines().collect();
    assert_eq!(seen.first(), Some(&"kt-0"), "{seen:?}");
    assert_eq!(
        seen.last(),
        Some(&"kt-1"),
        "the expired token was not refreshed: {seen:?}"
    );
    assert_eq!(provider.grants("refresh_token").len(), 1);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn docker_credential_speaks_docker_credential_helpers() {
    let home = Home::new();
    let link_dir = home.path().join("bin");
    std::fs::create_dir_all(&link_dir).unwrap();
    let helper_path = link_dir.join("docker-credential-tokvault");
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("tokvault"), &helper_path).unwrap();
    let helper = |action: &str, input: &str| {
        let mut child = Command::new(&helper_path)
            .arg(action)
            .home_env(&home)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    // Not found: docker's exact words, exit 1.
    let out = helper("get", "ghcr.io\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "credentials not found in native keychain\n"
    );
    // docker login stores; get answers; list names it; logout erases.
    let out = helper(
        "store",
        r#"{"ServerURL":"ghcr.io","Username":"me","Secret":"s3cret"}"#,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = helper("get", "ghcr.io\n");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"ServerURL": "ghcr.io", "Username": "me", "Secret": "s3cret"})
    );
    let out = helper("list", "");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"ghcr.io\":\"me\"}\n"
    );
    assert!(helper("erase", "ghcr.io\n").status.success());
    assert_eq!(helper("get", "ghcr.io\n").status.code(), Some(1));
    // A login whose registry or username `map` would refuse is not kept.
    let before = home.snapshot();
    for bad in [
        r#"{"ServerURL":"ghcr .io","Username":"me","Secret":"s"}"#,
        r#"{"ServerURL":"ghcr.io","Username":"","Secret":"s"}"#,
        r#"{"ServerURL":"ghcr.io\u001b[2J","Username":"me","Secret":"s"}"#,
        r#"{"ServerURL":"ghcr.io","Username":"me","Secret":""}"#,
        r#"{"ServerURL":"ghcr.io","Username":"me"}"#,
        // Too long for a credential's name: never shortened into another
        // registry's.
        &format!(
            r#"{{"ServerURL":"{}","Username":"me","Secret":"s"}}"#,
            "r".repeat(130)
        ),
    ] {
        let out = helper("store", bad);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains('\u{1b}'), "{stderr}");
    }
    assert!(home.snapshot() == before);
    // A registry answered by an OAuth2 credential tokvault refreshes: an
    // identity token.
    let oauth2 = |name: &str, token: &str| {
        home.store(
            &[
                name,
                "--provider",
                "github",
                "--type",
                "oauth2",
                "--expires-in",
                "1h",
                "--secret",
                "-",
            ],
            token,
        )
    };
    oauth2("gh", "gho_x");
    home.cmd()
        .args(["docker-credential", "map", "ghcr.io", "gh"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&helper("get", "ghcr.io").stdout).unwrap();
    assert_eq!(
        (v["Username"].as_str(), v["Secret"].as_str()),
        (Some("<token>"), Some("gho_x"))
    );
    assert!(helper("erase", "ghcr.io\n").status.success());
    assert_eq!(
        home.get("gh"),
        "gho_x\n",
        "logout keeps a credential tokvault owns"
    );
    // Deleting a mapped credential takes its route along: docker is told
    // "not found" and moves on, instead of failing.
    home.cmd()
        .args(["docker-credential", "map", "ghcr.io", "gh"])
        .assert()
        .success();
    home.cmd()
        .args(["delete", "gh", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "docker-credential no longer answers for ghcr.io",
        ));
    let out = helper("get", "ghcr.io\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "credentials not found in native keychain\n"
    );
    assert_eq!(helper("list", "").stdout, b"{}\n");
    // A token of tokvault's own under the name docker login uses is never
    // overwritten by a login nor deleted by a logout.
    oauth2("docker:ghcr.io", "gho_own");
    home.cmd()
        .args(["docker-credential", "map", "ghcr.io", "docker:ghcr.io"])
        .assert()
        .success();
    let out = helper(
        "store",
        r#"{"ServerURL":"ghcr.io","Username":"me","Secret":"s3cret"}"#,
    );
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("was not stored by docker login"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(home.get("docker:ghcr.io"), "gho_own\n");
    assert!(helper("erase", "ghcr.io\n").status.success());
    assert_eq!(home.get("docker:ghcr.io"), "gho_own\n");
    assert_eq!(helper("get", "ghcr.io\n").status.code(), Some(1));
    // A route left pointing at nothing (a vault whose credential was
    // deleted before deletes took routes along) is "not found" too.
    if home.remote.is_none() {
        home.store(&["k", "--secret", "-"], "sk");
        home.cmd()
            .args(["docker-credential", "map", "ghcr.io", "k"])
            .assert()
            .success();
        let conn = rusqlite::Connection::open(home.db()).unwrap();
        conn.execute("DELETE FROM credentials WHERE integration = 'k'", [])
            .unwrap();
        drop(conn);
        let out = helper("get", "ghcr.io\n");
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "credentials not found in native keychain\n"
        );
    }
}

/// A registry on 127.0.0.1 over TLS (Python's ssl), as docker's client
/// meets one: /v2/ and manifests need credentials. In "basic" mode it wants
/// HTTP Basic `me:s3cret`; in "bearer" mode it sends docker to its token
/// endpoint, which trades an identity token listed in `tokens` for a
/// registry token. Every credential it sees is logged to `seen`.
pub(crate) fn registry_server(dir: &std::path::Path, mode: &str) -> Option<(u16, Server)> {
    https_api_server_cert(dir)?;
    let script = r#"
import http.server, ssl, sys, os, base64, json, urllib.parse
d, mode = sys.argv[1], sys.argv[2]
MANIFEST = json.dumps({"schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
               "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
    "layers": []}).encode()
def log(line):
    with open(os.path.join(d, "seen"), "a") as f:
        f.write(line + "\n")
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, headers=()):
        self.send_response(code)
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def authorized(self):
        auth = self.headers.get("Authorization", "")
        if mode == "basic" and auth.startswith("Basic "):
            log("basic " + base64.b64decode(auth[6:]).decode())
            return base64.b64decode(auth[6:]).decode() == "me:s3cret"
        if mode == "bearer" and auth.startswith("Bearer "):
            log("bearer " + auth[7:])
            return auth[7:].startswith("regtok-for-")
        return False
    def challenge(self):
        port = self.server.server_address[1]
        if mode == "basic":
            c = 'Basic realm="stub"'
        else:
            c = 'Bearer realm="https://127.0.0.1:%d/token",service="stub",scope="repository:app:pull"' % port
        self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}', [("WWW-Authenticate", c), ("Content-Type", "application/json")])
    def do_GET(self):
        if self.path == "/v2/" or self.path.startswith("/v2/app/"):
            if not self.authorized():
                return self.challenge()
            if self.path == "/v2/":
                return self.reply(200, b"{}", [("Content-Type", "application/json")])
            if self.path.startswith("/v2/app/blobs/"):
                return self.reply(200, b"{}", [("Content-Type", "application/octet-stream"),
                    ("Docker-Content-Digest", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")])
            return self.reply(200, MANIFEST, [
                ("Content-Type", "application/vnd.docker.distribution.manifest.v2+json"),
                ("Docker-Content-Digest", "sha256:" + __import__("hashlib").sha256(MANIFEST).hexdigest())])
        self.reply(404, b"{}")
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(n).decode())
        identity = form.get("refresh_token", [""])[0]
        log("identity " + identity)
        valid = open(os.path.join(d, "tokens")).read().split()
        if self.path == "/token" and identity in valid:
            tok = json.dumps({"access_token": "regtok-for-" + identity, "expires_in": 300}).encode()
            return self.reply(200, tok, [("Content-Type", "application/json")])
        self.reply(401, b'{"errors":[{"code":"DENIED"}]}', [("Content-Type", "application/json")])
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))
s.socket = ctx.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;
    if !dir.join("tokens").exists() {
        std::fs::write(dir.join("tokens"), "").unwrap();
    }
    let mut child = Command::new("python3")
        .args(["-c", script])
        .arg(dir)
        .arg(mode)
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut()?),
        &mut line,
    )
    .ok()?;
    Some((line.trim().parse().ok()?, Server(child)))
}

/// A server process, stopped when the test ends, passed or failed.
pub(crate) struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn docker_cli_gets_credentials_from_tokvault() {
    if Command::new("docker").arg("--version").output().is_err() {
        println!("SKIPPED: the docker CLI is not installed");
        return;
    }
    for mode in ["basic", "bearer"] {
        let home = Home::new();
        let dir = home.path().join("registry");
        std::fs::create_dir_all(&dir).unwrap();
        let Some((port, _server)) = registry_server(&dir, mode) else {
            println!("SKIPPED: openssl(1) or python3 is missing for the registry");
            return;
        };
        let registry = format!("127.0.0.1:{port}");
        let bin = home.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(
            assert_cmd::cargo::cargo_bin("tokvault"),
            bin.join("docker-credential-tokvault"),
        )
        .unwrap();
        let docker_config = home.path().join("docker");
        std::fs::create_dir_all(&docker_config).unwrap();
        std::fs::write(
            docker_config.join("config.json"),
            format!(r#"{{"credHelpers": {{"{registry}": "tokvault"}}}}"#),
        )
        .unwrap();
        let docker = || {
            Command::new("docker")
                .home_env(&home)
                .env("DOCKER_CONFIG", &docker_config)
                .env(
                    "PATH",
                    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
                )
                .args(["manifest", "inspect", "--insecure"])
                .arg(format!("{registry}/app:1"))
                .stdin(Stdio::null())
                .output()
                .unwrap()
        };
        let _provider;
        if mode == "basic" {
            // An API key with a username: docker sends HTTP Basic.
            home.store(
                &["reg", "--provider", "registry", "--secret", "-"],
                "s3cret",
            );
            home.cmd()
                .args([
                    "docker-credential",
                    "map",
                    &registry,
                    "reg",
                    "--username",
                    "me",
                ])
                .assert()
                .success();
        } else {
            // An OAuth2 credential is an identity token; docker trades the
            // one valid now at the registry's token endpoint.
            let tokens_file = dir.join("tokens");
            let n = AtomicUsize::new(0);
            let provider = Provider::start(move |_| {
                let i = n.fetch_add(1, Ordering::SeqCst);
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&tokens_file)
                    .unwrap();
                std::io::Write::write_all(&mut f, format!("id-{i}\n").as_bytes()).unwrap();
                Reply::json(200, tokens(&format!("id-{i}"), Some("rt"), 3))
            });
            home.add_public_client("idp", &provider.token_url());
            home.exchange("reg", "idp");
            home.cmd()
                .args(["docker-credential", "map", &registry, "reg"])
                .assert()
                .success();
            _provider = provider;
        }
        let out = docker();
        assert!(
            out.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(manifest["schemaVersion"], 2);
        let seen = std::fs::read_to_string(dir.join("seen")).unwrap();
        if mode == "basic" {
            assert!(seen.lines().all(|l| l == "basic me:s3cret"), "{seen}");
        } else {
            assert!(seen.contains("identity id-0\n"), "{seen}");
            // The token expires; docker's next call trades a refreshed one.
            std::thread::sleep(std::time::Duration::from_millis(3200));
            let again = docker();
            assert!(
                again.status.success(),
                "{}",
                String::from_utf8_lossy(&again.stderr)
            );
            let seen = std::fs::read_to_string(dir.join("seen")).unwrap();
            assert!(seen.contains("identity id-1\n"), "{seen}");
        }
    }
}
