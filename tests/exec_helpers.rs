//! The helpers clients run as programs, driven by the real clients: the AWS
//! SDK (botocore) resolving a profile whose credential_process is tokvault,
//! and kubectl calling tokvault as its exec credential plugin against an
//! HTTPS API server on 127.0.0.1 that checks the bearer token.

mod common;

use common::HomeEnv;

use common::Home;
use common::provider::{Provider, Reply, tokens};
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
    // Not AWS keys: a clear error, nothing on stdout.
    home.store(&["other", "--provider", "p", "--secret", "-"], "x");
    home.cmd()
        .args(["aws-credential", "other"])
        .assert()
        .code(3)
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

/// A self-signed certificate for 127.0.0.1 (openssl(1)), and an HTTPS
/// server (Python's ssl) that answers only requests carrying a token listed
/// in `tokens` (as a Bearer token or a Basic password), logging each token
/// it sees. Returns its URL.
fn https_api_server(dir: &std::path::Path) -> Option<(String, std::process::Child)> {
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
    if !made.success() {
        return None;
    }
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
    // A registry answered by an OAuth2 credential tokvault refreshes: an
    // identity token.
    home.store(
        &[
            "gh",
            "--provider",
            "github",
            "--type",
            "oauth2",
            "--expires-in",
            "1h",
            "--secret",
            "-",
        ],
        "gho_x",
    );
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
}
