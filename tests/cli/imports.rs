//! `tokvault import`: the files gh, aws, docker, curl's netrc, git and
//! dotenv keep, made by those tools where they run here, imported in one
//! transaction and served back to the same tools.

use crate::common::{Home, HomeEnv, refused};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn import(home: &Home, args: &[&str]) -> serde_json::Value {
    let out = home
        .cmd()
        .arg("import")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (result, kind, name) of each reported item, in order.
fn results(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            (s("result"), s("kind"), s("name"))
        })
        .collect()
}

fn item(result: &str, kind: &str, name: &str) -> (String, String, String) {
    (result.into(), kind.into(), name.into())
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn with_stdin(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn git_credential_store_entries_are_served_back_to_git() {
    if !have("git") {
        println!("SKIPPED: git is not installed");
        return;
    }
    let home = Home::new();
    let file = home.path().join("git-credentials");
    // git-credential-store writes the file itself, encoding what needs it.
    for (host, path, user, password) in [
        ("github.com", "", "me", "ghp_first"),
        (
            "git.corp.example:8443",
            "team/repo.git",
            "bot@corp",
            "p:a/s s%",
        ),
        ("github.com", "", "other", "ghp_second"),
    ] {
        let mut cmd = Command::new("git");
        cmd.git_env(&home);
        let input = format!(
            "protocol=https\nhost={host}\npath={path}\nusername={user}\npassword={password}\n\n"
        );
        let out = with_stdin(
            cmd.args([
                "-c",
                "credential.useHttpPath=true",
                "credential-store",
                "--file",
            ])
            .arg(&file)
            .arg("store"),
            &input,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let before = std::fs::read(&file).unwrap();
    let report = import(&home, &["git-credentials", file.to_str().unwrap()]);
    // git-credential-store puts what it stored last first, and answers
    // with the first line that matches: so does the import.
    let listed = results(&report);
    assert!(
        listed.contains(&item("added", "credential", "github.com")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&item("added", "git route", "github.com")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&item(
            "added",
            "git route",
            "git.corp.example:8443/team/repo"
        )),
        "{listed:?}"
    );
    assert_eq!(
        listed.iter().filter(|(r, _, _)| r == "skipped").count(),
        1,
        "{listed:?}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before, "the source changed");
    // git, asking tokvault, gets what it stored.
    let fill = |input: &str| {
        let mut cmd = Command::new("git");
        cmd.git_env(&home);
        let out = with_stdin(
            cmd.args([
                "-c",
                "credential.helper=",
                "-c",
                "credential.helper=!tokvault git-credential",
                "-c",
                "credential.useHttpPath=true",
                "credential",
                "fill",
            ]),
            input,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let answer = fill("protocol=https\nhost=github.com\n\n");
    assert!(answer.contains("username=other\n"), "{answer}");
    assert!(answer.contains("password=ghp_second\n"), "{answer}");
    let answer = fill("protocol=https\nhost=git.corp.example:8443\npath=team/repo.git\n\n");
    assert!(answer.contains("username=bot@corp\n"), "{answer}");
    assert!(answer.contains("password=p:a/s s%\n"), "{answer}");
    // Again: everything exists; --replace takes the file's values.
    let again = results(&import(&home, &["git-credentials", file.to_str().unwrap()]));
    assert!(
        again.contains(&item("skipped", "credential", "github.com")),
        "{again:?}"
    );
    assert!(
        again.contains(&item("unchanged", "git route", "github.com")),
        "{again:?}"
    );
    home.store(&["github.com", "--secret", "-"], "changed");
    let replaced = results(&import(
        &home,
        &["git-credentials", file.to_str().unwrap(), "--replace"],
    ));
    assert!(
        replaced.contains(&item("replaced", "credential", "github.com")),
        "{replaced:?}"
    );
    assert_eq!(home.get("github.com"), "ghp_second\n");
}

#[test]
fn docker_login_files_are_served_back_to_docker() {
    if !have("docker") {
        println!("SKIPPED: the docker CLI is not installed");
        return;
    }
    let home = Home::new();
    let dir = home.path().join("registry");
    std::fs::create_dir_all(&dir).unwrap();
    let Some((port, _server)) = crate::exec_helpers::registry_server(&dir, "basic") else {
        println!("SKIPPED: openssl(1) or python3 is missing for the registry");
        return;
    };
    let registry = format!("127.0.0.1:{port}");
    // docker login, with no engine, checks the login itself and keeps it
    // in config.json as base64 user:secret.
    let login_config = home.path().join("docker-login");
    std::fs::create_dir_all(&login_config).unwrap();
    let out = with_stdin(
        Command::new("docker")
            .home_env(&home)
            .env("DOCKER_CONFIG", &login_config)
            .args(["login", &registry, "-u", "me", "--password-stdin"]),
        "s3cret\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = login_config.join("config.json");
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("\"auth\""), "{written}");
    // Not where docker keeps it by default (~/.docker): not found.
    home.cmd().args(["import", "docker"]).assert().code(3);
    let out = home
        .cmd()
        .env("DOCKER_CONFIG", &login_config)
        .args(["import", "docker", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let name = format!("docker:{registry}");
    assert_eq!(
        results(&report),
        [
            item("added", "credential", &name),
            item("added", "docker route", &registry)
        ]
    );
    // docker, asking tokvault, pulls with the same login.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("tokvault"),
        bin.join("docker-credential-tokvault"),
    )
    .unwrap();
    let helper_config = home.path().join("docker");
    std::fs::create_dir_all(&helper_config).unwrap();
    std::fs::write(
        helper_config.join("config.json"),
        r#"{"credsStore": "tokvault"}"#,
    )
    .unwrap();
    let out = Command::new("docker")
        .home_env(&home)
        .env("DOCKER_CONFIG", &helper_config)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .args(["manifest", "inspect", "--insecure"])
        .arg(format!("{registry}/app:1"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every request since docker login's own came with the imported login.
    let seen = std::fs::read_to_string(dir.join("seen")).unwrap();
    let logins: Vec<&str> = seen.lines().collect();
    assert!(logins.len() > 1, "{seen}");
    assert!(logins.iter().all(|l| *l == "basic me:s3cret"), "{seen}");
}

#[test]
fn docker_helper_logins_are_reported_not_read() {
    let home = Home::new();
    let file = home.path().join("config.json");
    std::fs::write(
        &file,
        r#"{"auths": {"ghcr.io": {}, "https://index.docker.io/v1/": {"identitytoken": "idt-1"},
                      "gcr.io": {"auth": "bWU6b2xk"}},
            "credHelpers": {"gcr.io": "gcloud"}}"#,
    )
    .unwrap();
    let report = import(&home, &["docker", file.to_str().unwrap()]);
    let reasons: Vec<_> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["result"] == "skipped")
        .map(|i| i["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        reasons,
        [
            "kept by docker-credential-gcloud (credHelpers)",
            "docker asks docker-credential-gcloud for it; the copy in the file is not used",
            "no login is stored in the file",
        ]
    );
    // An identity token is answered as docker-credential-helpers say.
    let out = with_stdin(
        home.std_cmd().args(["docker-credential", "get"]),
        "https://index.docker.io/v1/\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Username"], "<token>");
    assert_eq!(v["Secret"], "idt-1");
}

/// `aws configure set` writes both files, as it does for a person.
fn aws_configure(home: &Home, args: &[&str]) {
    let out = Command::new("aws")
        .home_env(home)
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("aws/credentials"),
        )
        .env("AWS_CONFIG_FILE", home.path().join("aws/config"))
        .args(["configure", "set"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn aws_profiles_made_by_aws_configure_are_served_to_botocore() {
    if !have("aws") {
        println!("SKIPPED: the aws CLI is not installed");
        return;
    }
    let home = Home::new();
    aws_configure(&home, &["aws_access_key_id", "AKIADEFAULT"]);
    aws_configure(&home, &["aws_secret_access_key", "wJalr/default+key"]);
    aws_configure(&home, &["region", "eu-west-1"]);
    for (k, v) in [
        ("aws_access_key_id", "ASIADEV"),
        ("aws_secret_access_key", "dev/secret"),
        ("aws_session_token", "FwoGdev=="),
        ("region", "us-east-1"),
    ] {
        aws_configure(&home, &[k, v, "--profile", "dev"]);
    }
    aws_configure(
        &home,
        &[
            "role_arn",
            "arn:aws:iam::1:role/admin",
            "--profile",
            "admin",
        ],
    );
    aws_configure(&home, &["source_profile", "default", "--profile", "admin"]);
    let files: Vec<PathBuf> = ["aws/credentials", "aws/config"]
        .iter()
        .map(|f| home.path().join(f))
        .collect();
    let before: Vec<_> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let out = home
        .cmd()
        .env("AWS_SHARED_CREDENTIALS_FILE", &files[0])
        .env("AWS_CONFIG_FILE", &files[1])
        .args(["import", "aws", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = results(&report);
    assert!(
        listed.contains(&item("added", "credential", "aws-default")),
        "{listed:?}"
    );
    assert!(
        listed.contains(&item("added", "credential", "aws-dev")),
        "{listed:?}"
    );
    let admin = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source"] == "[profile admin]")
        .unwrap();
    assert_eq!(admin["result"], "skipped");
    assert!(admin["reason"].as_str().unwrap().contains("role_arn"));
    let after: Vec<_> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert_eq!(before, after, "the source changed");
    // botocore, pointed at tokvault, resolves the keys it had in the file.
    let config = home.path().join("aws-tokvault");
    std::fs::write(
        &config,
        "[profile dev]\ncredential_process = tokvault aws-credential aws-dev\n",
    )
    .unwrap();
    let bin_dir = assert_cmd::cargo::cargo_bin("tokvault")
        .parent()
        .unwrap()
        .to_owned();
    let out = Command::new("python3")
        .args([
            "-c",
            "import botocore.session; c = botocore.session.Session(profile='dev').get_credentials(); \
             print(c.access_key, c.secret_key, c.token)",
        ])
        .home_env(&home)
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ASIADEV dev/secret FwoGdev==\n"
    );
}

#[test]
fn gh_hosts_in_both_forms_with_their_git_routes() {
    let home = Home::new();
    let gh = home.path().join("gh");
    std::fs::create_dir_all(&gh).unwrap();
    // As gh 2.40+ writes it: every account under users, the active one's
    // token also at the top; an account whose token is in the keyring
    // has an empty entry. A second host in the older, one-account form.
    std::fs::write(
        gh.join("hosts.yml"),
        "github.com:\n    users:\n        octocat:\n            oauth_token: gho_octo\n        \
         monalisa:\n            oauth_token: gho_mona\n        keyringuser:\n    \
         git_protocol: https\n    user: octocat\n    oauth_token: gho_octo\n\
         ghe.corp.example:\n    oauth_token: ghe_token\n    user: corp-me\n    git_protocol: ssh\n",
    )
    .unwrap();
    let out = home
        .cmd()
        .env("GH_CONFIG_DIR", &gh)
        .args(["import", "gh", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = results(&report);
    for expected in [
        item("added", "credential", "github"),
        item("added", "git route", "github.com"),
        item("added", "credential", "github-monalisa"),
        item("added", "credential", "ghe.corp.example"),
        item("added", "git route", "ghe.corp.example"),
    ] {
        assert!(listed.contains(&expected), "{expected:?} in {listed:?}");
    }
    let keyring = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source"] == "github.com keyringuser")
        .unwrap();
    assert!(keyring["reason"].as_str().unwrap().contains("keyring"));
    assert_eq!(home.get("github"), "gho_octo\n");
    assert_eq!(home.get("github-monalisa"), "gho_mona\n");
    let routes = home
        .cmd()
        .args(["git-credential", "list"])
        .output()
        .unwrap();
    let routes = String::from_utf8_lossy(&routes.stdout);
    assert!(
        routes
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["github.com", "github", "octocat", "default"]),
        "{routes}"
    );
    // An imported OAuth token is deleted like any: there is nothing of
    // GitHub's to revoke it with, and it goes.
    home.cmd()
        .args(["delete", "github-monalisa", "--yes"])
        .assert()
        .success();
}

#[test]
fn netrc_is_read_as_curl_reads_it() {
    let home = Home::new();
    let file = home.path().join("netrc");
    std::fs::write(
        &file,
        "# curl reads the first entry for a machine\r\n\
         machine 127.0.0.1 login \"me too\" password \"p a\\\"ss\" # quoted\r\n\
         macdef init\ncd /pub\nmachine fake password nope\n\n\
         machine 127.0.0.1 login later password ignored\n\
         default login anon password anything\n",
    )
    .unwrap();
    let report = import(&home, &["netrc", file.to_str().unwrap()]);
    assert_eq!(
        results(&report),
        [
            item("skipped", "credential", ""),
            item("added", "credential", "127.0.0.1"),
            item("added", "git route", "127.0.0.1"),
            item("added", "credential", "netrc-default"),
        ]
    );
    let json = home.get_json("127.0.0.1");
    assert_eq!(json["token_data"]["api_key"], "p a\"ss");
    assert_eq!(json["token_data"]["username"], "me too");
    if !have("curl") {
        println!("SKIPPED: curl is not installed to compare with");
        return;
    }
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let seen = std::thread::spawn(move || {
        let req = server.recv().unwrap();
        let auth = req
            .headers()
            .iter()
            .find(|h| h.field.equiv("Authorization"))
            .map(|h| h.value.to_string());
        let _ = req.respond(tiny_http::Response::empty(204));
        auth
    });
    let out = Command::new("curl")
        .args(["-sS", "--noproxy", "*", "--netrc-file"])
        .arg(&file)
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let auth = seen.join().unwrap().unwrap();
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD
        .decode(auth.strip_prefix("Basic ").unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(basic).unwrap(), "me too:p a\"ss");
}

#[test]
fn dotenv_files_as_python_dotenv_writes_them() {
    let home = Home::new();
    let file = home.path().join(".env");
    let values = [
        ("OPENAI_API_KEY", "sk-proj-1"),
        ("DB_PASSWORD", "it's \"quoted\" and spaced"),
        ("UNICODE_TOKEN", "pässwörd-ключ"),
    ];
    let made_by_python = Command::new("python3")
        .args(["-c", "import dotenv, sys\nfor k, v in zip(sys.argv[2::2], sys.argv[3::2]):\n    dotenv.set_key(sys.argv[1], k, v)"])
        .arg(&file)
        .args(values.iter().flat_map(|(k, v)| [*k, *v]))
        .status()
        .is_ok_and(|s| s.success());
    if !made_by_python {
        println!(
            "SKIPPED: python3 with python-dotenv is not installed; writing the file as it does"
        );
        let quoted: String = values
            .iter()
            .map(|(k, v)| format!("{k}='{}'\n", v.replace('\'', "\\'")))
            .collect();
        std::fs::write(&file, quoted).unwrap();
    }
    let text = std::fs::read_to_string(&file).unwrap();
    // And the awkward parts editors and people add.
    std::fs::write(
        &file,
        format!("\u{feff}# settings\r\nexport EMPTY=\r\n{text}OPENAI_API_KEY=sk-proj-2 # the last wins\n"),
    )
    .unwrap();
    let report = import(
        &home,
        &["dotenv", file.to_str().unwrap(), "--prefix", "app-"],
    );
    let listed = results(&report);
    assert!(
        listed.contains(&item("added", "credential", "app-openai_api_key")),
        "{listed:?}"
    );
    assert_eq!(home.get("app-openai_api_key"), "sk-proj-2\n");
    assert_eq!(home.get("app-db_password"), "it's \"quoted\" and spaced\n");
    assert_eq!(home.get("app-unicode_token"), "pässwörd-ключ\n");
    let meta = home.get_json("app-openai_api_key");
    assert_eq!(meta["provider"], "openai");
    // The file can now hold references, and run resolves them.
    std::fs::write(&file, "KEY=tokvault://app-db_password\n").unwrap();
    home.cmd()
        .args(["run", "--env-file"])
        .arg(&file)
        .args(["--", "sh", "-c", "printf %s \"$KEY\""])
        .assert()
        .success()
        .stdout("it's \"quoted\" and spaced");
}

#[test]
fn tokens_api_requests_become_credentials_and_imports_are_on_record() {
    let home = Home::new();
    let file = home.path().join("tokens.json");
    std::fs::write(
        &file,
        r#"[
  {"integration_key": "gmail", "provider": "google", "token_type": "oauth2",
   "token_data": {"access_token": "ya29.a", "refresh_token": "1//r", "expires_in": 3600},
   "scopes": ["https://www.googleapis.com/auth/gmail.readonly"]},
  {"integration_key": "claude", "provider": "anthropic", "token_type": "api_key",
   "token_data": {"api_key": "sk-ant-1"}},
  {"integration_key": "bad", "provider": "x", "token_type": "api_key",
   "token_data": {"api_key": "nul\u0000inside"}}
]"#,
    )
    .unwrap();
    let out = home
        .cmd()
        .args(["import", "tokens-api"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // One entry the vault refuses: reported, the others imported, exit 1.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1 entry of"), "{stderr}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("refused") && l.contains("bad")),
        "{table}"
    );
    assert!(
        !table.contains("nul") && !stderr.contains("nul"),
        "{table}{stderr}"
    );
    let gmail = home.get_json("gmail");
    assert_eq!(gmail["provider"], "google");
    assert_eq!(gmail["token_data"]["refresh_token"], "1//r");
    assert_eq!(
        gmail["scopes"][0],
        "https://www.googleapis.com/auth/gmail.readonly"
    );
    assert_eq!(home.get("claude"), "sk-ant-1\n");
    let audit = home
        .cmd()
        .args(["audit", "--json", "--operation", "import"])
        .output()
        .unwrap();
    let audit = String::from_utf8_lossy(&audit.stdout);
    assert_eq!(audit.lines().count(), 2, "{audit}");
    assert!(
        audit.contains("\"gmail\"") && audit.contains("\"claude\""),
        "{audit}"
    );
}

#[test]
fn bad_files_change_nothing_and_say_where() {
    let home = Home::new();
    home.store(&["keep", "--secret", "-"], "kept");
    let write = |name: &str, text: &[u8]| -> PathBuf {
        let p = home.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let path = |p: &Path| p.to_str().unwrap().to_string();
    for (format, file, message) in [
        (
            "dotenv",
            write("a.env", b"A=1\nB='SECRET-open\n"),
            "line 2:",
        ),
        (
            "gh",
            write("hosts.yml", b"github.com:\n  oauth_token: [SECRET\n"),
            "not gh's hosts.yml",
        ),
        (
            "aws",
            write("credentials", b"[a]\nx=SECRET\n[a]\n"),
            "[a] appears twice",
        ),
        (
            "docker",
            write(
                "config.json",
                b"{\"auths\": {\"r\": {\"auth\": 27182818284}}}",
            ),
            "line 1:",
        ),
        (
            "netrc",
            write("netrc", b"machine h password SECRET more\n"),
            "line 1:",
        ),
        (
            "tokens-api",
            write("t.json", b"[{\"integration_key\": \"SECRET\"}]"),
            "line 1:",
        ),
        ("dotenv", write("bin.env", b"A=\xff\xfe\n"), "not UTF-8"),
    ] {
        refused(
            &home,
            &["import", format, &path(&file)],
            &[],
            "",
            2,
            message,
        );
    }
    let big = write("big.env", &vec![b'#'; (16 << 20) + 1]);
    refused(
        &home,
        &["import", "dotenv", &path(&big)],
        &[],
        "",
        2,
        "larger than 16 MiB",
    );
    refused(
        &home,
        &["import", "dotenv", "/dev/zero"],
        &[],
        "",
        2,
        "not a regular file",
    );
    refused(
        &home,
        &["import", "netrc", "-"],
        &[],
        &"x".repeat((16 << 20) + 1),
        2,
        "larger than 16 MiB",
    );
    refused(
        &home,
        &["import", "tokens-api"],
        &[],
        "",
        2,
        "name the file",
    );
    refused(
        &home,
        &["import", "netrc"],
        &[("NETRC", "/nonexistent/netrc")],
        "",
        3,
        "does not exist",
    );
    let env = write("ok.env", b"A=1\n");
    refused(
        &home,
        &["import", "dotenv", &path(&env), "--prefix", "a\u{1b}["],
        &[],
        "",
        2,
        "--prefix",
    );
    refused(
        &home,
        &["--user", "", "import", "dotenv", &path(&env)],
        &[],
        "",
        2,
        "--user",
    );
}

#[test]
fn a_dry_run_reports_and_changes_nothing() {
    let home = Home::new();
    let file = home.path().join("netrc");
    std::fs::write(
        &file,
        "machine api.example.com login bot password SECRET-tok\n",
    )
    .unwrap();
    // No vault yet: none is made.
    let out = home
        .cmd()
        .args(["import", "netrc", "--dry-run"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("added") && shown.contains("api.example.com"),
        "{shown}"
    );
    assert!(!shown.contains("SECRET") && !String::from_utf8_lossy(&out.stderr).contains("SECRET"));
    assert!(!home.db().exists() || home.remote.is_some());
    home.store(&["api.example.com", "--secret", "-"], "other");
    let before = home.snapshot();
    let report = import(
        &home,
        &["netrc", file.to_str().unwrap(), "--dry-run", "--replace"],
    );
    assert_eq!(report["dry_run"], true);
    assert_eq!(
        results(&report),
        [
            item("replaced", "credential", "api.example.com"),
            item("added", "git route", "api.example.com")
        ]
    );
    assert!(home.snapshot() == before, "a dry run changed the vault");
}
