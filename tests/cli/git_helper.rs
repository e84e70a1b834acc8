//! `tokvault git-credential` driven by the real git, fetching from a
//! smart-HTTP server on 127.0.0.1 (git http-backend behind a server that
//! checks the token): a clone, a token refused and refreshed, and a token
//! that expires between two fetches.

use crate::common::HomeEnv;

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

type Tokens = Arc<Mutex<HashSet<String>>>;

fn git_available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A smart-HTTP git server for the repositories under `root`, letting in
/// only requests that carry a token in `valid` (as a Basic password or a
/// Bearer token). Returns its base URL and the Authorization schemes seen.
fn git_server(root: PathBuf, valid: Tokens) -> (String, Arc<Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut req in server.incoming_requests() {
            let auth = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.to_string());
            let token = auth.as_deref().and_then(|a| match a.split_once(' ') {
                Some(("Bearer", t)) => Some(("Bearer", t.to_string())),
                Some(("Basic", b)) => {
                    use base64::Engine;
                    let raw = base64::engine::general_purpose::STANDARD.decode(b).ok()?;
                    let pair = String::from_utf8(raw).ok()?;
                    Some(("Basic", pair.split_once(':')?.1.to_string()))
                }
                _ => None,
            });
            match token {
                Some((scheme, t)) if valid.lock().unwrap().contains(&t) => {
                    log.lock().unwrap().push(format!("{scheme} {t}"));
                }
                _ => {
                    let mut r = tiny_http::Response::from_string("authentication required")
                        .with_status_code(401);
                    r.add_header(
                        tiny_http::Header::from_bytes(
                            &b"WWW-Authenticate"[..],
                            &b"Basic realm=\"git\""[..],
                        )
                        .unwrap(),
                    );
                    let _ = req.respond(r);
                    continue;
                }
            }
            let (path, query) = match req.url().split_once('?') {
                Some((p, q)) => (p.to_string(), q.to_string()),
                None => (req.url().to_string(), String::new()),
            };
            let mut cgi = Command::new("git");
            cgi.arg("http-backend")
                .env("GIT_PROJECT_ROOT", &root)
                .env("GIT_HTTP_EXPORT_ALL", "1")
                .env("REQUEST_METHOD", req.method().as_str())
                .env("PATH_INFO", &path)
                .env("QUERY_STRING", &query)
                .env("REMOTE_USER", "git")
                .env("REMOTE_ADDR", "127.0.0.1");
            for h in req.headers() {
                let name = h
                    .field
                    .as_str()
                    .as_str()
                    .to_ascii_uppercase()
                    .replace('-', "_");
                match name.as_str() {
                    "CONTENT_TYPE" => cgi.env("CONTENT_TYPE", h.value.as_str()),
                    _ => cgi.env(format!("HTTP_{name}"), h.value.as_str()),
                };
            }
            let mut body = Vec::new();
            let _ = req.as_reader().read_to_end(&mut body);
            let mut child = cgi
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(&body);
            });
            let out = child.wait_with_output().unwrap().stdout;
            let split = out
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| (i, 4))
                .or_else(|| out.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)))
                .unwrap_or((out.len(), 0));
            let head = String::from_utf8_lossy(&out[..split.0]).into_owned();
            let mut response = tiny_http::Response::from_data(out[split.0 + split.1..].to_vec());
            for line in head.lines() {
                let Some((k, v)) = line.split_once(':') else {
                    continue;
                };
                if k.eq_ignore_ascii_case("Status") {
                    let code = v
                        .trim()
                        .split(' ')
                        .next()
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(200);
                    response = response.with_status_code(code);
                } else if let Ok(h) =
                    tiny_http::Header::from_bytes(k.trim().as_bytes(), v.trim().as_bytes())
                {
                    response.add_header(h);
                }
            }
            let _ = req.respond(response);
        }
    });
    (url, seen)
}

fn git(home: &Home, dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "credential.helper=",
            "-c",
            "credential.helper=!tokvault git-credential",
        ])
        .args(args)
        .git_env(home)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn git_fetches_with_fresh_tokens() {
    if !git_available() {
        println!("SKIPPED: git is not installed (.ci/run installs it)");
        return;
    }
    let home = Home::new();
    let root = home.path().join("srv");
    std::fs::create_dir_all(&root).unwrap();
    // A repository to serve, with one commit.
    let work = home.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    assert!(
        git(&home, &root, &["init", "-q", "--bare", "repo.git"])
            .status
            .success()
    );
    assert!(git(&home, &work, &["init", "-q"]).status.success());
    std::fs::write(work.join("README"), "hello\n").unwrap();
    assert!(git(&home, &work, &["add", "README"]).status.success());
    assert!(
        git(&home, &work, &["commit", "-q", "-m", "first"])
            .status
            .success()
    );
    let push = git(
        &home,
        &work,
        &[
            "push",
            "-q",
            root.join("repo.git").to_str().unwrap(),
            "HEAD:refs/heads/main",
        ],
    );
    assert!(
        push.status.success(),
        "{}",
        String::from_utf8_lossy(&push.stderr)
    );
    assert!(
        git(
            &home,
            &root.join("repo.git"),
            &["symbolic-ref", "HEAD", "refs/heads/main"]
        )
        .status
        .success()
    );

    // The token endpoint: the code gives at-0 for an hour; each refresh a
    // token that lives three seconds. Every token it issues opens the server.
    let valid: Tokens = Arc::default();
    let issued = valid.clone();
    let n = AtomicUsize::new(0);
    let provider = Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => {
            issued.lock().unwrap().insert("at-0".into());
            Reply::json(200, tokens("at-0", Some("rt-0"), 3600))
        }
        _ => {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            issued.lock().unwrap().insert(format!("at-{i}"));
            Reply::json(200, tokens(&format!("at-{i}"), Some(&format!("rt-{i}")), 3))
        }
    });
    let (url, seen) = git_server(root, valid.clone());
    home.add_public_client("idp", &provider.token_url());
    home.exchange("gh", "idp");
    let host = url.trim_start_matches("http://");
    home.cmd()
        .args(["git-credential", "map", host, "gh"])
        .assert()
        .success();

    let clone = git(
        &home,
        home.path(),
        &["clone", "-q", &format!("{url}/repo.git"), "copy"],
    );
    assert!(
        clone.status.success(),
        "{}",
        String::from_utf8_lossy(&clone.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(home.path().join("copy/README")).unwrap(),
        "hello\n"
    );
    assert!(
        seen.lock().unwrap().iter().any(|s| s.ends_with(" at-0")),
        "{:?}",
        seen.lock().unwrap()
    );

    // The server stops taking at-0: git is refused, tells the helper to
    // erase, and the next fetch gets a refreshed token.
    valid.lock().unwrap().remove("at-0");
    let copy = home.path().join("copy");
    assert!(!git(&home, &copy, &["fetch", "-q"]).status.success());
    let fetch = git(&home, &copy, &["fetch", "-q"]);
    assert!(
        fetch.status.success(),
        "{}",
        String::from_utf8_lossy(&fetch.stderr)
    );
    assert!(seen.lock().unwrap().last().unwrap().ends_with(" at-1"));
    assert_eq!(provider.grants("refresh_token").len(), 1);
    assert_eq!(
        home.get("gh"),
        "at-1\n",
        "the credential was kept, not deleted"
    );

    // at-1 expires between two fetches: the second one refreshes first.
    std::thread::sleep(std::time::Duration::from_millis(3500));
    let fetch = git(&home, &copy, &["fetch", "-q"]);
    assert!(
        fetch.status.success(),
        "{}",
        String::from_utf8_lossy(&fetch.stderr)
    );
    assert!(seen.lock().unwrap().last().unwrap().ends_with(" at-2"));
    assert_eq!(provider.grants("refresh_token").len(), 2);
    println!(
        "schemes used: {:?}",
        seen.lock()
            .unwrap()
            .iter()
            .map(|s| s.split(' ').next().unwrap())
            .collect::<HashSet<_>>()
    );
}

#[test]
fn the_helper_protocol_as_git_speaks_it() {
    let home = Home::new();
    if crate::common::file_vault_only(
        &home,
        "edits the SQLite file to check that routes are sealed",
    ) {
        return;
    }
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
        "tok",
    );
    home.cmd()
        .args(["git-credential", "map", "github.com", "gh"])
        .assert()
        .success();
    let helper = |action: &str, input: &str| {
        home.cmd()
            .args(["git-credential", action])
            .write_stdin(input)
            .output()
            .unwrap()
    };
    // Without authtype: a username and password, with the expiry.
    let out = helper("get", "protocol=https\nhost=github.com\n\n");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("username=x-access-token\npassword=tok\npassword_expiry_utc="),
        "{text}"
    );
    // With it: a Bearer credential git will not store elsewhere.
    let out = helper(
        "get",
        "capability[]=authtype\nprotocol=https\nhost=github.com\n\n",
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "capability[]=authtype\nauthtype=Bearer\ncredential=tok\nephemeral=1\n"
    );
    // Other hosts, and plain http off this machine: nothing (git asks the next helper).
    for input in [
        "protocol=https\nhost=gitlab.com\n",
        "protocol=http\nhost=github.com\n",
    ] {
        let out = helper("get", input);
        assert!(out.status.success() && out.stdout.is_empty(), "{input}");
    }
    // store is ignored unless accepted; then it keeps the other helper's token.
    let before = home.snapshot();
    helper(
        "store",
        "protocol=https\nhost=example.org\nusername=u\npassword=p1\n",
    );
    assert!(home.snapshot() == before);
    home.cmd()
        .args(["git-credential", "--accept-store", "store"])
        .write_stdin("protocol=https\nhost=example.org\nusername=u\npassword=p1\n")
        .assert()
        .success();
    assert_eq!(home.get("git:https://u@example.org"), "p1\n");
    let listed = home.cmd().args(["list", "--json"]).assert().success();
    let listed: serde_json::Value = serde_json::from_slice(&listed.get_output().stdout).unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["integration_key"] == "git:https://u@example.org" && c["provider"] == "git"),
        "{listed}"
    );
    // A token tokvault renews is never overwritten by what git echoes back
    // (older gits send no expiry): the credential stays as it was.
    home.store(
        &["renewed", "--provider", "p", "--from-json", "-"],
        r#"{"access_token": "at-fresh", "refresh_token": "rt", "expires_in": 3600}"#,
    );
    home.cmd()
        .args(["git-credential", "map", "renewed.example", "renewed"])
        .assert()
        .success();
    let before = home.snapshot();
    for password in ["at-fresh", "at-older"] {
        home.cmd()
            .args(["git-credential", "--accept-store", "store"])
            .write_stdin(format!(
                "protocol=https\nhost=renewed.example\nusername=x\npassword={password}\n"
            ))
            .assert()
            .success();
    }
    assert!(home.snapshot() == before);
    // What `map` would refuse, another helper cannot store either.
    let before = home.snapshot();
    let long = format!("protocol=https\nhost={}.org\npassword=p\n", "h".repeat(300));
    for bad in [
        "protocol=https\nhost=exa mple.org\npassword=p\n",
        "protocol=https\nhost=example.net\nusername=\u{1b}[2J\npassword=p\n",
        &long,
    ] {
        let out = home
            .cmd()
            .args(["git-credential", "--accept-store", "store"])
            .write_stdin(bad)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains('\u{1b}'), "{stderr}");
    }
    assert!(home.snapshot() == before);
    let out = helper("get", "protocol=https\nhost=example.org\n");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("username=u\npassword=p1\n")
    );
    // A route edited in the file to send a token elsewhere is tampering.
    let conn = rusqlite::Connection::open(home.db()).unwrap();
    conn.execute(
        "UPDATE routes SET pattern = 'evil.example' WHERE pattern = 'github.com'",
        [],
    )
    .unwrap();
    drop(conn);
    let out = helper("get", "protocol=https\nhost=evil.example\n");
    assert_eq!(out.status.code(), Some(8));
    assert!(out.stdout.is_empty());
}

/// git's own conformance suite for credential helpers (t0303 with
/// lib-credential.sh, from the source package of the git Debian installed,
/// which `.ci/git-suite DIR` prepares), run against Debian's git with
/// `tokvault git-credential --accept-store` on a throwaway vault.
#[test]
fn gits_own_credential_helper_suite_passes() {
    let dir = std::env::var_os("TOKVAULT_GIT_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/git-suite"));
    let suite = dir.join("src/t");
    if !suite.join("t0303-credential-external.sh").exists() || !dir.join("version").exists() {
        println!(
            "SKIPPED: git's credential helper suite is not prepared in {} (`.ci/git-suite {}` fetches \
             Debian's git source package and builds its test-tool)",
            dir.display(),
            dir.display()
        );
        return;
    }
    let installed = Path::new("/usr/bin");
    if !installed.join("git").exists() {
        println!("SKIPPED: Debian's git (/usr/bin/git) is not installed");
        return;
    }
    let home = Home::new();
    home.store(&["unrelated", "--secret", "-"], "kept");
    // The helper git runs: tokvault with this home's vault and key.
    let helper = home.path().join("helper");
    let mut script = String::from("#!/bin/sh\n");
    for (k, v) in home.std_cmd().get_envs() {
        if let (Some(k), Some(v)) = (k.to_str(), v.and_then(|v| v.to_str())) {
            script.push_str(&format!("export {k}='{v}'\n"));
        }
    }
    script.push_str(&format!(
        "exec '{}' git-credential --accept-store \"$@\"\n",
        assert_cmd::cargo::cargo_bin("tokvault").display()
    ));
    std::fs::write(&helper, script).unwrap();
    std::fs::set_permissions(&helper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = Command::new("sh")
        .arg("t0303-credential-external.sh")
        .current_dir(&suite)
        .env("GIT_TEST_INSTALLED", installed)
        .env("GIT_TEST_CREDENTIAL_HELPER", &helper)
        .env_remove("TOKVAULT_DB")
        .env_remove("TOKVAULT_KEY")
        .env_remove("TOKVAULT_KEY_FILE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let passed = text.lines().filter(|l| l.starts_with("ok ")).count();
    let failed: Vec<&str> = text.lines().filter(|l| l.starts_with("not ok")).collect();
    println!(
        "git {} t0303: {passed} passed, {} failed",
        std::fs::read_to_string(dir.join("version"))
            .unwrap_or_default()
            .trim(),
        failed.len()
    );
    assert!(
        failed.is_empty() && out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(passed >= 12, "{text}");
    // The suite cleans up after itself; what tokvault holds of its own stays.
    assert_eq!(home.get("unrelated"), "kept\n");
}

/// What git stored is a credential like any other: backed up, restored,
/// re-encrypted, and answered again afterwards.
#[test]
fn entries_git_stored_survive_export_import_and_rekey() {
    let home = Home::new();
    let helper = |home: &Home, action: &str, input: &str| {
        let out = home
            .cmd()
            .args(["git-credential", "--accept-store", action])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    helper(
        &home,
        "store",
        "protocol=https\nhost=example.com\nusername=u1\npassword=p1\npassword_expiry_utc=4102444800\noauth_refresh_token=rt1\n",
    );
    helper(
        &home,
        "store",
        "protocol=https\nhost=sso.example\nusername=\npassword=\n",
    );
    let want =
        "username=u1\npassword=p1\npassword_expiry_utc=4102444800\noauth_refresh_token=rt1\n";
    assert_eq!(
        helper(&home, "get", "protocol=https\nhost=example.com\n"),
        want
    );
    home.cmd().arg("rekey").assert().success();
    assert_eq!(
        helper(&home, "get", "protocol=https\nhost=example.com\n"),
        want
    );
    let export = home.path().join("all.tokvault");
    home.cmd()
        .arg("export-vault")
        .arg(&export)
        .assert()
        .success();
    let other = Home::new();
    let key = home.key_file();
    other
        .cmd()
        .arg("import-vault")
        .arg(&export)
        .arg("--from-key")
        .arg(&key)
        .assert()
        .success();
    assert_eq!(
        helper(
            &other,
            "get",
            "protocol=https\nhost=example.com\nusername=u1\n"
        ),
        want
    );
    assert_eq!(
        helper(&other, "get", "protocol=https\nhost=sso.example\n"),
        "username=\npassword=\n"
    );
    // Another user's request is not answered, and erase takes only its own.
    assert_eq!(
        helper(
            &other,
            "get",
            "protocol=https\nhost=example.com\nusername=u2\n"
        ),
        ""
    );
    helper(
        &other,
        "erase",
        "protocol=https\nhost=example.com\nusername=u1\npassword=other\n",
    );
    assert_eq!(
        helper(&other, "get", "protocol=https\nhost=example.com\n"),
        want
    );
    helper(&other, "erase", "protocol=https\nhost=example.com\n");
    assert_eq!(
        helper(&other, "get", "protocol=https\nhost=example.com\n"),
        ""
    );
    assert_eq!(
        helper(&other, "get", "protocol=https\nhost=sso.example\n"),
        "username=\npassword=\n"
    );
}
