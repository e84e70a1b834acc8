//! Every shell example in README.md runs as written: each ```sh block is
//! one bash script (`set -euo pipefail`), run in order in a fresh home with
//! `tokvault` on PATH. Example hosts (id.example.com, auth.example.com) are
//! a local OpenID provider; the files the examples read are made first.
//! Lines that need what no test machine has (a real provider and a
//! browser, a Docker engine, a build) are skipped, each with its reason.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, jwt, new_key, now, write_private};
use serde_json::json;
use std::sync::{Arc, OnceLock};

/// Lines not run, and why.
const SKIPPED: &[(&str, &str)] = &[
    ("curl -H", "calls a placeholder API (https://...)"),
    (
        "cargo login",
        "needs a cargo registry (tests/cli/cargo_helper.rs logs in at a local one)",
    ),
    (
        "cargo ",
        "builds, tests or benchmarks tokvault itself (CI runs these)",
    ),
    ("benches/", "the soak script (CI runs it)"),
    (
        "tokvault login ",
        "signs in at Google in a browser (tests/cli/login.rs covers login against a local server)",
    ),
    ("docker run", "needs a Docker engine"),
    (
        "claude mcp add",
        "needs Claude Code (tests/cli/mcp.rs drives the MCP server with the official Python SDK)",
    ),
    (
        "--serve azure=",
        "asks Microsoft's token endpoint for another resource (tests/cli/broker.rs drives azure-identity against a local one)",
    ),
];

fn provider() -> Provider {
    let base = Arc::new(OnceLock::<String>::new());
    let b = base.clone();
    let provider = Provider::start(move |req| {
        let base = b.get().unwrap();
        match req.path.as_str() {
            "/.well-known/openid-configuration" => Reply::json(
                200,
                json!({
                    "issuer": base,
                    "authorization_endpoint": format!("{base}/authorize"),
                    "token_endpoint": format!("{base}/token"),
                }),
            ),
            "/token" => {
                let mut t = tokens("at-from-provider", Some("rt-from-provider"), 3600);
                t["id_token"] = jwt(&json!({"sub": "me", "exp": now() + 3600})).into();
                Reply::json(200, t)
            }
            _ => Reply::raw(404, "text/html", "not found"),
        }
    });
    base.set(provider.url.clone()).unwrap();
    provider
}

/// The files and variables the examples read.
fn prepare(home: &Home) {
    let p = |name: &str| home.path().join(name);
    std::fs::write(p("token.txt"), "gho_example_token\n").unwrap();
    std::fs::write(
        p("token.jwt"),
        jwt(&json!({"sub": "ci", "exp": now() + 3600})),
    )
    .unwrap();
    let mut response = tokens("ya29.example", Some("1//refresh-example"), 3599);
    response["scope"] = "openid email".into();
    response["id_token"] =
        jwt(&json!({"sub": "1234", "email": "me@example.com", "exp": now() + 3600})).into();
    std::fs::write(p("response.json"), response.to_string()).unwrap();
    std::fs::write(p("secret.txt"), "client-secret-example\n").unwrap();
    std::fs::write(
        p("aws-keys.json"),
        r#"{"AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": "secret-example"}"#,
    )
    .unwrap();
    std::fs::write(p("code.txt"), "code-example\n").unwrap();
    std::fs::write(
        p("redirect-url.txt"),
        "http://127.0.0.1:8765/cb?code=code-example\n",
    )
    .unwrap();
    std::fs::write(p("refresh-token.txt"), "rt-example\n").unwrap();
    std::fs::write(
        p("deploy.tokvault"),
        "# what deploy.sh needs\nGH_TOKEN=gh\nID_TOKEN=google.id_token\n",
    )
    .unwrap();
    std::fs::write(
        p("deploy.sh"),
        "#!/bin/sh\ntest -n \"$GH_TOKEN\" && test -n \"$ID_TOKEN\" && echo deployed\n",
    )
    .unwrap();
    std::fs::set_permissions(
        p("deploy.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    write_private(&p("my.key"), new_key());
    // Where other tools keep their credentials, for the import examples.
    write_private(
        &p(".git-credentials"),
        "https://me:ghp_example@github.com\n",
    );
    std::fs::create_dir_all(p(".aws")).unwrap();
    write_private(
        &p(".aws/credentials"),
        "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret-example\n",
    );
    std::fs::create_dir_all(p("config/gh")).unwrap();
    write_private(
        &p("config/gh/hosts.yml"),
        "github.com:\n    users:\n        octocat:\n            oauth_token: gho_example\n    \
         git_protocol: https\n    user: octocat\n    oauth_token: gho_example\n",
    );
    // Machine identities: keys as GitHub and a private_key_jwt client's
    // owner hold them, and a service account key file as Google issues it.
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let app_key = std::fs::read_to_string(format!("{fixtures}/app.pem")).unwrap();
    write_private(&p("app.pem"), &app_key);
    write_private(
        &p("client.pem"),
        std::fs::read_to_string(format!("{fixtures}/client.pem")).unwrap(),
    );
    write_private(
        &p("sa.json"),
        json!({
            "type": "service_account",
            "project_id": "example",
            "private_key_id": "0123abcd",
            "private_key": app_key,
            "client_email": "deploy@example.iam.gserviceaccount.com",
            "token_uri": "https://oauth2.googleapis.com/token",
        })
        .to_string(),
    );
}

fn blocks(readme: &str) -> Vec<String> {
    readme
        .split("```sh\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn every_readme_example_runs_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let provider = provider();
    let home = Home::new();
    prepare(&home);
    let bin_dir = assert_cmd::cargo::cargo_bin("tokvault")
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for (i, block) in blocks(&readme).into_iter().enumerate() {
        let mut script = String::from("set -euo pipefail\n");
        // Continuation lines are joined first, so a skipped command is
        // skipped whole.
        for line in block.replace("\\\n", " ").lines() {
            match SKIPPED.iter().find(|(part, _)| line.contains(part)) {
                Some((_, why)) => println!("SKIPPED: {line}\n  ({why})"),
                None => {
                    ran +=
                        usize::from(!line.trim().is_empty() && !line.trim_start().starts_with('#'));
                    script.push_str(
                        &line
                            .replace("https://id.example.com", &provider.url)
                            .replace("https://auth.example.com", &provider.url),
                    );
                    script.push('\n');
                }
            }
        }
        let out = home
            .std_cmd()
            .current_dir(home.path())
            .env("PATH", &path)
            .env("OPENAI_API_KEY", "sk-example")
            .env("STRIPE_API_KEY", "sk_live_example")
            .env("GITHUB_ENV", home.path().join("github_env"))
            .env_remove("TOKVAULT_DB")
            .stdin(std::process::Stdio::null())
            .output_of("bash", &script);
        assert!(
            out.status.success(),
            "README block {} failed:\n{script}\nstderr:\n{}",
            i + 1,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(ran >= 35, "only {ran} example lines ran");
    // What the examples promised, checked.
    let github_env = std::fs::read_to_string(home.path().join("github_env")).unwrap();
    assert!(
        github_env.starts_with("GH_TOKEN=gho_example_token"),
        "{github_env}"
    );
    assert!(home.path().join("other.key").exists());
}

trait OutputOf {
    fn output_of(&mut self, program: &str, script: &str) -> std::process::Output;
}

impl OutputOf for std::process::Command {
    /// Runs `program -c script` with this command's environment and
    /// directory.
    fn output_of(&mut self, program: &str, script: &str) -> std::process::Output {
        let mut cmd = std::process::Command::new(program);
        cmd.arg("-c").arg(script);
        for (k, v) in self.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        if let Some(dir) = self.get_current_dir() {
            cmd.current_dir(dir);
        }
        cmd.stdin(std::process::Stdio::null()).output().unwrap()
    }
}
