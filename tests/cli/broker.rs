//! The broker (`run --serve`, `serve`), driven by the real SDKs: botocore's
//! container credential provider, google-auth's metadata server client,
//! azure-identity's managed identity; and raw HTTP for what no SDK sends.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, jwt, now};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// python3 with `module`, or SKIPPED saying which.
fn python_with(module: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("SKIPPED: python3 with {module} is not installed");
    }
    found
}

fn with_aws_keys() -> Home {
    let home = Home::new();
    home.store(
        &["aws-prod", "--from-json", "-"],
        r#"{"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"wJalr/EXAMPLEKEY","SessionToken":"FwoG-token"}"#,
    );
    home
}

/// A Google-like provider: the code grant answers `at-1` expiring in a
/// second (`with_oauth2` waits until it has, so the broker renews it
/// across its expiry) and an ID token for "cid"; each refresh answers
/// `at-N` for an hour, for the scopes asked for.
fn google_like() -> Provider {
    let id_token = jwt(&serde_json::json!({
        "iss": "https://idp.test", "aud": "cid", "sub": "1",
        "email": "dev@example.com", "iat": now(), "exp": now() + 3600,
    }));
    let n = std::sync::atomic::AtomicUsize::new(1);
    Provider::start(move |r| {
        let form = r.form();
        if form.get("grant_type").map(String::as_str) == Some("authorization_code") {
            let mut t = tokens("at-1", Some("rt-1"), 1);
            t["id_token"] = id_token.clone().into();
            t["scope"] = "https://www.googleapis.com/auth/cloud-platform https://graph.microsoft.com/.default".into();
            return Reply::json(200, t);
        }
        let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let mut t = tokens(&format!("at-{i}"), None, 3600);
        if let Some(scope) = form.get("scope") {
            t["access_token"] = format!("at-{i}-for-{scope}").into();
            t["scope"] = scope.clone().into();
        }
        Reply::json(200, t)
    })
}

fn with_oauth2(provider: &Provider, name: &str) -> Home {
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange(name, "idp");
    std::thread::sleep(Duration::from_millis(1100));
    home
}

fn run_python(home: &Home, serve: &[&str], script: &str) -> std::process::Output {
    let mut cmd = home.std_cmd();
    cmd.arg("run");
    for s in serve {
        cmd.args(["--serve", s]);
    }
    cmd.args(["--", "python3", "-c", script])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn botocore_gets_the_vaults_aws_keys_from_the_container_provider() {
    if !python_with("botocore") {
        return;
    }
    let home = with_aws_keys();
    // Keys in the shared credentials file, which botocore reads before
    // the container provider, do not win either.
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file\n",
    )
    .unwrap();
    // A local endpoint that reads the key id botocore signed with.
    let sts = Provider::start(|_| {
        Reply::raw(
            200,
            "text/xml",
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/dev</Arn>\
             <UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>\
             <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
        )
    });
    let mut cmd = home.std_cmd();
    let out = cmd
        .args(["run", "--serve", "aws=aws-prod", "--", "python3", "-c"])
        .arg(format!(
            "import botocore.session\n\
             s = botocore.session.Session()\n\
             c = s.get_credentials()\n\
             f = c.get_frozen_credentials()\n\
             print(c.method, f.access_key, f.secret_key, f.token)\n\
             sts = s.create_client('sts', region_name='us-east-1', endpoint_url='{}')\n\
             print(sts.get_caller_identity()['Account'])",
            sts.url
        ))
        // What would win over the container provider is taken away.
        .env("AWS_ACCESS_KEY_ID", "AKIASHADOW")
        .env("AWS_SECRET_ACCESS_KEY", "shadow")
        .env("AWS_PROFILE", "missing-profile")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        ok(&out),
        "container-role AKIAEXAMPLE wJalr/EXAMPLEKEY FwoG-token\n123456789012\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE removed"),
        "{stderr}"
    );
    let signed = sts.requests();
    let auth = signed[0].header("authorization").unwrap();
    assert!(auth.contains("Credential=AKIAEXAMPLE/"), "{auth}");
    assert_eq!(signed[0].header("x-amz-security-token"), Some("FwoG-token"));
}

#[test]
fn google_auth_finds_the_metadata_server_and_sixteen_clients_cause_one_refresh() {
    if !python_with("google.auth") {
        return;
    }
    let provider = google_like();
    let home = with_oauth2(&provider, "google");
    let script = "import concurrent.futures, google.auth, google.auth.transport.requests as tr\n\
        from google.auth import compute_engine\n\
        def one(_):\n\
        \x20   creds, project = google.auth.default()\n\
        \x20   creds.refresh(tr.Request())\n\
        \x20   return type(creds).__name__, project, creds.token, creds.service_account_email\n\
        with concurrent.futures.ThreadPoolExecutor(16) as pool:\n\
        \x20   seen = set(pool.map(one, range(16)))\n\
        print(seen)\n\
        idt = compute_engine.IDTokenCredentials(tr.Request(), 'cid', use_metadata_identity_endpoint=True)\n\
        idt.refresh(tr.Request())\n\
        print(idt.token.count('.'))\n";
    let mut cmd = home.std_cmd();
    let out = cmd
        .args([
            "run",
            "--serve",
            "gcp=google",
            "--gcp-project",
            "my-project",
        ])
        .args(["--", "python3", "-c", script])
        .env("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/key.json")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        ok(&out),
        "{('Credentials', 'my-project', 'at-2', 'dev@example.com')}\n2\n"
    );
    // at-1 was due: renewed once, by the broker, for all sixteen.
    assert_eq!(provider.grants("refresh_token").len(), 1);
}

#[test]
fn azure_identity_gets_a_token_per_resource() {
    if !python_with("azure.identity") {
        return;
    }
    let provider = google_like();
    let home = with_oauth2(&provider, "microsoft");
    // Sixteen clients at once, each with its own credential object (no
    // shared SDK cache), for the stored resource and then another.
    let script = "import concurrent.futures\n\
        from azure.identity import ManagedIdentityCredential\n\
        def one(scope):\n\
        \x20   return ManagedIdentityCredential().get_token(scope).token\n\
        with concurrent.futures.ThreadPoolExecutor(16) as pool:\n\
        \x20   print(set(pool.map(one, ['https://graph.microsoft.com/.default'] * 16)))\n\
        \x20   print(set(pool.map(one, ['https://management.azure.com/.default'] * 16)))\n";
    let out = run_python(&home, &["azure=microsoft"], script);
    assert_eq!(
        ok(&out),
        "{'at-2'}\n{'at-3-for-https://management.azure.com/.default'}\n"
    );
    // One renewal of the stored token, one token for the other resource.
    let grants = provider.grants("refresh_token");
    assert_eq!(grants.len(), 2);
    assert_eq!(
        grants[1].form().get("scope").map(String::as_str),
        Some("https://management.azure.com/.default")
    );
}

#[test]
fn a_credential_of_the_wrong_kind_or_no_credential_fails_at_start() {
    let home = with_aws_keys();
    home.store(&["openai", "--secret", "-"], "sk-test");
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["--serve", "gcp=aws-prod"],
            2,
            "not a Google OAuth2 credential",
        ),
        (&["--serve", "azure=openai"], 2, "not an OAuth2 credential"),
        (&["--serve", "aws=openai"], 2, "holds no AWS keys"),
        (&["--serve", "aws=missing"], 3, "no credential 'missing'"),
        (
            &["--serve", "aws=aws-prod", "--serve", "aws=aws-prod"],
            2,
            "granted twice",
        ),
        (&["--serve", "ftp=x"], 2, "unknown protocol 'ftp'"),
        (&["--serve", "aws"], 2, "expected PROTO=NAME"),
        (
            &["--serve", "aws=aws-prod", "--gcp-project", "p"],
            2,
            "--gcp-project is for a gcp grant",
        ),
    ];
    for (args, code, says) in cases {
        let out = home
            .cmd()
            .arg("run")
            .args(*args)
            .args(["--", "sh", "-c", "echo ran"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} ran the command");
    }
}

/// A broker started by a test, killed however the test ends.
struct Running(Child);

impl std::ops::Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `tokvault serve --grant gcp=google ARGS` in the background, and the
/// address its first line says it serves on.
fn serve_gcp(home: &Home, args: &[&str]) -> (Running, String) {
    let mut child = Running(
        home.std_cmd()
            .args(["serve", "--grant", "gcp=google"])
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let addr = line.split(" on ").nth(1).unwrap().trim().to_string();
    (child, addr)
}

/// `tokvault serve` in the background, with what it wrote for clients.
struct Served {
    child: Child,
    env_file: PathBuf,
    env: Vec<(String, String)>,
}

impl Served {
    fn start(home: &Home, args: &[&str]) -> Served {
        let env_file = home.path().join("broker.env");
        let mut child = home
            .std_cmd()
            .arg("serve")
            .args(args)
            .arg("--env-file")
            .arg(&env_file)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while !env_file.exists() {
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("serve exited ({status}): {err}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "serve never wrote its env file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let env = std::fs::read_to_string(&env_file)
            .unwrap()
            .lines()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        Served {
            child,
            env_file,
            env,
        }
    }

    fn var(&self, name: &str) -> &str {
        &self.env.iter().find(|(k, _)| k == name).unwrap().1
    }

    /// `host:port` of the broker.
    fn address(&self) -> String {
        let uri = self.var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        uri.trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string()
    }

    fn stop(mut self) -> std::process::ExitStatus {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.child.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        )
        .unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One raw request on its own connection; the whole answer.
fn raw(address: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(request);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(address: &str, path: &str, headers: &str) -> String {
    raw(
        address,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n").as_bytes(),
    )
}

#[test]
fn serve_answers_only_requests_with_the_token_and_never_says_which_names_exist() {
    let home = with_aws_keys();
    let log = home.path().join("access.log");
    let log_arg = log.display().to_string();
    let served = Served::start(&home, &["--grant", "aws=aws-prod", "--log", &log_arg]);
    assert_eq!(crate::common::mode(&served.env_file) & 0o777, 0o600);
    let addr = served.address();
    let token = served.var("AWS_CONTAINER_AUTHORIZATION_TOKEN").to_string();
    assert!(token.len() >= 40);

    let good = get(
        &addr,
        "/aws/credentials",
        &format!("Authorization: {token}\r\n"),
    );
    assert!(good.starts_with("HTTP/1.1 200"), "{good}");
    assert!(good.contains("Cache-Control: no-store"), "{good}");
    assert!(good.contains("\"AccessKeyId\":\"AKIAEXAMPLE\""), "{good}");

    for headers in [
        "",
        "Authorization: wrong\r\n",
        &format!("Authorization: {token}x\r\n"),
    ] {
        let answer = get(&addr, "/aws/credentials", headers);
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        assert!(
            !answer.contains("aws-prod") && !answer.contains("AKIA"),
            "{answer}"
        );
        // Any other path says the same: nothing is learnt without the token.
        let other = get(&addr, "/aws/other-name", headers);
        assert!(other.starts_with("HTTP/1.1 401"), "{other}");
    }
    // Nothing of another protocol is served where it was not granted.
    let gcp = get(
        &addr,
        "/computeMetadata/v1/project/project-id",
        "Metadata-Flavor: Google\r\n",
    );
    assert!(gcp.starts_with("HTTP/1.1 404"), "{gcp}");

    // A 100 MB body is refused from its head alone, unread.
    let huge = raw(
        &addr,
        b"POST /aws/credentials HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n",
    );
    assert!(huge.starts_with("HTTP/1.1 413"), "{huge}");
    let garbage = raw(&addr, b"\x00\x01\x02 garbage\r\n\r\n");
    assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");

    // Rekeyed while serving: read with the new key, no restart.
    home.cmd().arg("rekey").assert().success();
    std::thread::sleep(Duration::from_millis(1100));
    let rekeyed = get(
        &addr,
        "/aws/credentials",
        &format!("Authorization: {token}\r\n"),
    );
    assert!(rekeyed.starts_with("HTTP/1.1 200"), "{rekeyed}");

    // Deleted while serving: within a second it is no longer handed out.
    home.cmd()
        .args(["delete", "aws-prod", "--yes"])
        .assert()
        .success();
    std::thread::sleep(Duration::from_millis(1100));
    let gone = get(
        &addr,
        "/aws/credentials",
        &format!("Authorization: {token}\r\n"),
    );
    assert!(gone.starts_with("HTTP/1.1 404"), "{gone}");
    assert!(!gone.contains("AKIA"), "{gone}");

    let env_file = served.env_file.clone();
    let status = served.stop();
    assert!(status.success(), "{status}");
    assert!(!env_file.exists(), "the env file outlived the broker");

    // One line a request: time, client, route, name, status; no secret.
    let log = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        crate::common::mode(home.path().join("access.log").as_path()) & 0o777,
        0o600
    );
    let lines: Vec<Vec<&str>> = log.lines().map(|l| l.split(' ').collect()).collect();
    assert!(
        lines
            .iter()
            .all(|l| l.len() >= 5 && l[0].ends_with('Z') && l[1].starts_with("127.0.0.1:")),
        "{log}"
    );
    assert!(
        log.contains(" - - 413 \"the request's body is too large\"\n"),
        "{log}"
    );
    let served: Vec<(&str, &str, &str)> = lines.iter().map(|l| (l[2], l[3], l[4])).collect();
    assert_eq!(served[0], ("/aws/credentials", "aws-prod", "200"));
    assert!(served.contains(&("/aws/credentials", "-", "401")), "{log}");
    assert!(
        served.contains(&("/aws/credentials", "aws-prod", "404")),
        "{log}"
    );
    for secret in [token.as_str(), "AKIAEXAMPLE", "wJalr", "FwoG"] {
        assert!(!log.contains(secret), "{log}");
    }
}

#[test]
fn a_slow_client_is_cut_off_and_holds_up_no_one() {
    let home = with_aws_keys();
    let served = Served::start(&home, &["--grant", "aws=aws-prod"]);
    let addr = served.address();
    let token = served.var("AWS_CONTAINER_AUTHORIZATION_TOKEN").to_string();
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /aws/credentials HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let good = get(
        &addr,
        "/aws/credentials",
        &format!("Authorization: {token}\r\n"),
    );
    assert!(good.starts_with("HTTP/1.1 200"), "{good}");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(25),
        "{waited:?}"
    );
}

#[test]
fn gcp_requests_must_say_metadata_flavor_and_not_come_through_a_proxy() {
    let provider = google_like();
    let home = with_oauth2(&provider, "google");
    let (_child, addr) = serve_gcp(&home, &["--listen", "127.0.0.1:0"]);
    let token_path = "/computeMetadata/v1/instance/service-accounts/default/token";
    let cases: &[(&str, &str)] = &[
        ("", "HTTP/1.1 403"),
        ("Metadata-Flavor: google-ish\r\n", "HTTP/1.1 403"),
        (
            "Metadata-Flavor: Google\r\nX-Forwarded-For: 10.0.0.1\r\n",
            "HTTP/1.1 403",
        ),
        ("Metadata-Flavor: Google\r\n", "HTTP/1.1 200"),
    ];
    for (headers, status) in cases {
        let answer = get(&addr, token_path, headers);
        assert!(answer.starts_with(status), "{headers:?}: {answer}");
        assert!(answer.contains("Metadata-Flavor: Google"), "{answer}");
        assert_eq!(
            answer.contains("at-2"),
            *status == "HTTP/1.1 200",
            "{answer}"
        );
    }
    // An account that is not the one granted is not served.
    let other = get(
        &addr,
        "/computeMetadata/v1/instance/service-accounts/other@p.iam.gserviceaccount.com/token",
        "Metadata-Flavor: Google\r\n",
    );
    assert!(
        other.starts_with("HTTP/1.1 404") && !other.contains("at-"),
        "{other}"
    );
    let universe = get(
        &addr,
        "/computeMetadata/v1/universe/universe-domain",
        "Metadata-Flavor: Google\r\n",
    );
    assert!(universe.ends_with("googleapis.com"), "{universe}");
}

#[test]
fn another_user_is_refused_unless_allowed() {
    if !nix::unistd::getuid().is_root() {
        println!("SKIPPED: needs root to connect as another user (setpriv)");
        return;
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        println!("SKIPPED: setpriv (util-linux) is not installed");
        return;
    }
    if Command::new("/usr/bin/curl")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIPPED: /usr/bin/curl is not installed (another user runs it)");
        return;
    }
    let provider = google_like();
    let home = with_oauth2(&provider, "google");
    let ping = |addr: &str| {
        // A program every user may run (not one under root's home).
        let out = Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "/usr/bin/curl",
            ])
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                "Metadata-Flavor: Google",
            ])
            .arg(format!("http://{addr}/"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    for (allow, expected) in [(None, "403"), (Some("65534"), "200")] {
        let allowed: Vec<&str> = allow.iter().flat_map(|uid| ["--allow-uid", uid]).collect();
        let (_child, addr) = serve_gcp(&home, &allowed);
        assert_eq!(ping(&addr), expected, "allowed: {allow:?}");
    }
}

#[test]
fn a_unix_socket_is_private_and_removed_at_stop() {
    let provider = google_like();
    let home = with_oauth2(&provider, "google");
    let socket = home.path().join("broker").join("gcp.sock");
    let mut child = Running(
        home.std_cmd()
            .args(["serve", "--grant", "gcp=google", "--listen"])
            .arg(format!("unix:{}", socket.display()))
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    assert!(line.contains("serving gcp=google"), "{line}");
    assert_eq!(crate::common::mode(&socket) & 0o777, 0o600);
    assert_eq!(crate::common::mode(socket.parent().unwrap()) & 0o777, 0o700);
    let mut s = std::os::unix::net::UnixStream::connect(&socket).unwrap();
    s.write_all(b"GET /computeMetadata/v1/project/project-id HTTP/1.1\r\nMetadata-Flavor: Google\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    // A user credential names no project unless told.
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");

    // A second broker on the same path is refused at start.
    let again = home
        .cmd()
        .args(["serve", "--grant", "gcp=google", "--listen"])
        .arg(format!("unix:{}", socket.display()))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(
        !Path::new(&socket).exists(),
        "the socket outlived the broker"
    );

    // A broker killed with SIGKILL leaves its socket; the next one takes
    // it over, since nothing answers there.
    let start = || {
        let mut child = Running(
            home.std_cmd()
                .args(["serve", "--grant", "gcp=google", "--listen"])
                .arg(format!("unix:{}", socket.display()))
                .stdin(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        let mut line = String::new();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        (child, line)
    };
    let (mut killed, _) = start();
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert!(Path::new(&socket).exists());
    let (_next, line) = start();
    assert!(line.contains("serving gcp=google"), "{line}");
}

#[test]
fn serve_needs_an_env_file_for_the_protocols_with_a_token() {
    let home = with_aws_keys();
    home.cmd()
        .args(["serve", "--grant", "aws=aws-prod"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("pass --env-file FILE"));
    home.cmd()
        .args([
            "serve",
            "--grant",
            "aws=aws-prod",
            "--env-file",
            "e",
            "--listen",
            "nonsense",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected HOST:PORT"));
}

#[test]
fn a_provider_outage_is_a_502_and_the_next_request_tries_again() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let down = Arc::new(AtomicBool::new(false));
    let n = Arc::new(AtomicUsize::new(0));
    let (d, c) = (down.clone(), n.clone());
    // Tokens that live two seconds, so one is soon due again.
    let provider = Provider::start(move |_| {
        if d.load(Ordering::SeqCst) {
            return Reply::json(503, serde_json::json!({"error": "temporarily_unavailable"}));
        }
        let i = c.fetch_add(1, Ordering::SeqCst) + 1;
        Reply::json(200, tokens(&format!("at-{i}"), Some("rt"), 2))
    });
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange("google", "idp");
    let (_child, addr) = serve_gcp(&home, &[]);
    let token = |addr: &str| {
        get(
            addr,
            "/computeMetadata/v1/instance/service-accounts/default/token",
            "Metadata-Flavor: Google\r\n",
        )
    };
    down.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(2100));
    let failed = token(&addr);
    assert!(failed.starts_with("HTTP/1.1 502"), "{failed}");
    assert!(!failed.contains("at-"), "{failed}");
    down.store(false, Ordering::SeqCst);
    let back = token(&addr);
    assert!(back.starts_with("HTTP/1.1 200"), "{back}");
    assert!(back.contains("\"access_token\":\"at-"), "{back}");
}

#[test]
fn a_service_account_mints_for_the_scopes_and_audience_google_auth_asks() {
    if !python_with("google.auth") {
        return;
    }
    use base64::Engine as _;
    // Google's token endpoint as far as the JWT bearer grant goes: an ID
    // token for target_audience, else an access token for the scope.
    let google = Provider::start(|r| {
        let form = r.form();
        let claims: serde_json::Value = form
            .get("assertion")
            .and_then(|a| a.split('.').nth(1))
            .and_then(|p| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p)
                    .ok()
            })
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        if let Some(aud) = claims["target_audience"].as_str() {
            let id =
                jwt(&serde_json::json!({"aud": aud, "exp": now() + 3600, "email": claims["iss"]}));
            return Reply::json(200, serde_json::json!({"id_token": id}));
        }
        let scope = claims["scope"].as_str().unwrap_or_default();
        Reply::json(
            200,
            serde_json::json!({"access_token": format!("ya29.{scope}"), "expires_in": 3599, "token_type": "Bearer"}),
        )
    });
    let home = Home::new();
    let key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/app.pem"
    ))
    .unwrap();
    let file = home.path().join("sa.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "type": "service_account", "project_id": "p", "private_key_id": "kid-1",
            "private_key": key, "client_email": "bot@p.iam.gserviceaccount.com",
            "token_uri": google.token_url(),
        })
        .to_string(),
    )
    .unwrap();
    home.cmd()
        .args([
            "store",
            "sa",
            "--type",
            "google-service-account",
            "--service-account-file",
        ])
        .arg(&file)
        .args(["--scopes", "https://www.googleapis.com/auth/cloud-platform"])
        .assert()
        .success();
    let script = "import base64, json, google.auth, google.auth.transport.requests as tr\n\
        from google.auth import compute_engine\n\
        r = tr.Request()\n\
        c, p = google.auth.default()\n\
        c.refresh(r)\n\
        print(p, c.token, c.service_account_email)\n\
        s = compute_engine.Credentials(scopes=['https://www.googleapis.com/auth/devstorage.read_only'])\n\
        s.refresh(r)\n\
        print(s.token)\n\
        i = compute_engine.IDTokenCredentials(r, 'https://svc.example', use_metadata_identity_endpoint=True)\n\
        i.refresh(r)\n\
        print(json.loads(base64.urlsafe_b64decode(i.token.split('.')[1] + '==='))['aud'])\n";
    let out = run_python(&home, &["gcp=sa"], script);
    assert_eq!(
        ok(&out),
        "p ya29.https://www.googleapis.com/auth/cloud-platform bot@p.iam.gserviceaccount.com\n\
         ya29.https://www.googleapis.com/auth/devstorage.read_only\n\
         https://svc.example\n"
    );
    // The stored token, one for the other scope, one ID token: no more.
    assert_eq!(google.requests().len(), 3);
}

#[test]
fn a_slow_refresh_holds_up_only_its_own_tokens_clients() {
    // gcp's provider: tokens that live two seconds, each refresh taking
    // two more. azure's: quick.
    let slow = Provider::start(|r| {
        let reply = Reply::json(200, tokens("at-slow", Some("rt"), 2));
        match r.form().get("grant_type").map(String::as_str) {
            Some("refresh_token") => reply.after(Duration::from_secs(2)),
            _ => reply,
        }
    });
    let quick = google_like();
    let home = with_aws_keys();
    home.add_public_client("slow", &slow.token_url());
    home.exchange("google", "slow");
    home.add_public_client("idp", &quick.token_url());
    home.exchange("microsoft", "idp");
    let served = Served::start(
        &home,
        &[
            "--grant",
            "aws=aws-prod",
            "--grant",
            "gcp=google",
            "--grant",
            "azure=microsoft",
        ],
    );
    let addr = served.address();
    let header = served.var("IDENTITY_HEADER").to_string();
    std::thread::sleep(Duration::from_millis(2100));
    let gcp = {
        let addr = addr.clone();
        std::thread::spawn(move || {
            get(
                &addr,
                "/computeMetadata/v1/instance/service-accounts/default/token",
                "Metadata-Flavor: Google\r\n",
            )
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    // A token for a resource not asked for before: read while gcp's
    // refresh is still waiting on its provider.
    let started = Instant::now();
    let azure = get(
        &addr,
        "/azure/token?resource=https://management.azure.com&api-version=2019-08-01",
        &format!("X-IDENTITY-HEADER: {header}\r\n"),
    );
    assert!(azure.starts_with("HTTP/1.1 200"), "{azure}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let gcp = gcp.join().unwrap();
    assert!(gcp.starts_with("HTTP/1.1 200"), "{gcp}");
}
