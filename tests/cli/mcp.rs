//! `tokvault mcp`, driven by a real MCP client: the official Python SDK's
//! stdio client and ClientSession (tests/fixtures/mcp_agent.py), against
//! local servers that check the token and echo it back.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use base64::Engine as _;
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

const SECRET: &str = "tv-secret-0123456789abcdef";

/// python3 with the `mcp` SDK, or SKIPPED saying so.
fn sdk_found() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import mcp.client.stdio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("SKIPPED: python3 with the mcp SDK is not installed (pip install mcp)");
    }
    found
}

/// The agent script run with `plan`, in `home`'s environment.
fn agent(home: &Home, plan: Value) -> Value {
    let out = agent_command(home, &plan).output().unwrap();
    assert!(
        out.status.success(),
        "agent failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn agent_command(home: &Home, plan: &Value) -> Command {
    // The plan goes in a file: a huge argument would not fit on a command line.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let file = home.path().join(format!("plan-{n}.json"));
    std::fs::write(&file, plan.to_string()).unwrap();
    let mut cmd = Command::new("python3");
    for (k, v) in home.std_cmd().get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mcp_agent.py"
    ))
    .arg(&file)
    .env("TOKVAULT_BIN", assert_cmd::cargo::cargo_bin("tokvault"))
    .stdin(Stdio::null());
    cmd
}

/// A server that echoes what it was sent: the Authorization header raw,
/// base64'd and in a JSON string; `/redirect?to=URL` redirects.
fn echo() -> Provider {
    Provider::start(|r| {
        if r.path == "/redirect" {
            let to = form_urlencoded::parse(r.query.as_bytes())
                .find(|(k, _)| k == "to")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            let mut reply = Reply::raw(302, "text/plain", "moved");
            reply.location = Some(to);
            return reply;
        }
        let auth = r.header("authorization").unwrap_or_default().to_string();
        if r.path == "/tail" {
            // The token echoed where the 1 MiB cut falls inside it.
            let pad = (1 << 20) - "Bearer ".len() - 10;
            return Reply::raw(200, "text/plain", format!("{}{auth}", "x".repeat(pad)));
        }
        if r.path == "/leak" {
            // The token echoed back in a header, URL-encoded.
            let mut reply = Reply::raw(302, "text/plain", "moved");
            let encoded: String = form_urlencoded::byte_serialize(auth.as_bytes()).collect();
            reply.location = Some(format!("http://127.0.0.1:1/?t={encoded}"));
            return reply;
        }
        let key = r.header("x-api-key").unwrap_or_default().to_string();
        Reply::json(
            200,
            json!({
                "path": r.path,
                "auth": auth,
                "key": key,
                "b64": base64::engine::general_purpose::STANDARD.encode(&auth),
                "body": r.body,
            }),
        )
    })
}

fn host_of(p: &Provider) -> String {
    p.url.trim_start_matches("http://").to_string()
}

fn with_key(api: &Provider) -> (Home, String) {
    let home = Home::new();
    home.store(&["api", "--provider", "inhouse", "--secret", "-"], SECRET);
    (home, format!("api={}", host_of(api)))
}

#[test]
fn an_agent_uses_a_token_it_never_sees() {
    if !sdk_found() {
        return;
    }
    let api = echo();
    let (home, exposed) = with_key(&api);
    let url = format!("{}/v1/me", api.url);
    let out = agent(
        &home,
        json!({
            "args": ["--credential", exposed, "--agent", "test-agent"],
            "calls": [
                {"tool": "list_credentials", "args": {}},
                {"tool": "http_request", "args": {"credential": "api", "method": "POST", "url": url, "body": "hello", "headers": {"Accept": "application/json"}}},
            ],
        }),
    );
    assert!(out["protocol"].as_str().unwrap().starts_with("20"), "{out}");
    let tools = out["tools"].as_object().unwrap();
    assert_eq!(
        tools.keys().collect::<Vec<_>>(),
        ["http_request", "list_credentials"]
    );
    let schema = &tools["http_request"];
    assert_eq!(schema["type"], "object");
    for field in ["credential", "method", "url"] {
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == field),
            "{schema}"
        );
    }

    let listed = &out["calls"][0]["structured"]["credentials"][0];
    assert_eq!(listed["name"], "api");
    assert_eq!(listed["type"], "api_key");
    assert_eq!(listed["allowed_hosts"], json!([host_of(&api)]));

    let answer = &out["calls"][1];
    assert_eq!(answer["is_error"], false, "{answer}");
    let answered = &answer["structured"];
    assert_eq!(answered["status"], 200);
    let body: Value = serde_json::from_str(answered["body"].as_str().unwrap()).unwrap();
    // The server got the token; the agent sees it masked, in every form.
    assert_eq!(body["auth"], "Bearer ***", "{body}");
    assert_eq!(body["body"], "hello");
    assert!(
        !body["b64"].as_str().unwrap().contains("dHYtc2VjcmV0"),
        "{body}"
    );
    assert!(!out.to_string().contains(SECRET), "{out}");
    let seen = api.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert_eq!(seen[0].method, "POST");

    // On record, with the agent's name and where it went.
    let audit = home
        .cmd()
        .args(["audit", "--json", "--agent", "test-agent"])
        .assert()
        .success();
    let audit = String::from_utf8_lossy(&audit.get_output().stdout).to_string();
    assert!(
        audit.contains("mcp:http_request") && audit.contains("test-agent"),
        "{audit}"
    );
    let other = home
        .cmd()
        .args(["audit", "--json", "--agent", "nobody"])
        .assert()
        .success();
    assert!(other.get_output().stdout.is_empty());
    assert!(
        audit.contains(&format!("POST {}", host_of(&api))),
        "{audit}"
    );
    assert!(!audit.contains(SECRET));
}

#[test]
fn hosts_not_allowed_are_never_contacted_and_redirects_stay_within() {
    if !sdk_found() {
        return;
    }
    let api = echo();
    let elsewhere = echo();
    let (home, exposed) = with_key(&api);
    let away = format!("{}/redirect?to={}/landing", api.url, elsewhere.url);
    let within = format!("{}/redirect?to={}/final", api.url, api.url);
    let out = agent(
        &home,
        json!({
            "args": ["--credential", exposed],
            "calls": [
                {"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": format!("{}/x", elsewhere.url)}},
                {"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": away}},
                {"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": within}},
                {"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": format!("https://{}/", host_of(&api).replace("127.0.0.1", "localhost"))}},
                {"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": format!("{}/leak", api.url)}},
                {"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": format!("{}/tail", api.url)}},
            ],
        }),
    );
    let calls = out["calls"].as_array().unwrap();
    assert_eq!(calls[0]["is_error"], true);
    assert!(
        calls[0]["text"]
            .as_str()
            .unwrap()
            .contains("may not be sent to"),
        "{}",
        calls[0]
    );
    // The redirect off the allowed hosts is handed back, not followed.
    assert_eq!(calls[1]["structured"]["status"], 302, "{}", calls[1]);
    assert!(
        calls[1]["structured"]["redirect_not_followed"].is_string(),
        "{}",
        calls[1]
    );
    assert!(
        elsewhere.requests().is_empty(),
        "the other host was contacted"
    );
    // Within them it is followed, the credential with it.
    assert_eq!(calls[2]["structured"]["status"], 200, "{}", calls[2]);
    let body: Value =
        serde_json::from_str(calls[2]["structured"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["path"], "/final");
    assert_eq!(calls[3]["is_error"], true, "{}", calls[3]);
    // A token echoed in a header (here a Location) reaches the agent masked.
    let leaked = &calls[4]["structured"];
    assert_eq!(leaked["status"], 302, "{leaked}");
    let location = leaked["headers"]["location"].as_str().unwrap();
    assert!(
        location.contains("***") && !location.contains("tv-secret"),
        "{location}"
    );
    // A cut through the token shows none of it.
    let tail = &calls[5]["structured"];
    assert_eq!(tail["truncated"], true);
    let body = tail["body"].as_str().unwrap();
    assert!(
        body.ends_with("xBearer ") && !body.contains("tv-sec"),
        "{}",
        &body[body.len() - 40..]
    );
}

#[test]
fn what_an_agent_may_not_send_is_refused_with_a_clear_tool_error() {
    if !sdk_found() {
        return;
    }
    let api = echo();
    let (home, exposed) = with_key(&api);
    home.store(
        &["wide", "--provider", "inhouse", "--secret", "-"],
        "wide-secret-0123456789",
    );
    let url = format!("{}/", api.url);
    let huge = "a".repeat(2 << 20);
    let call = |args: Value| json!({"tool": "http_request", "args": args});
    let cases: Vec<(Value, &str)> = vec![
        (
            call(json!({"credential": "other", "method": "GET", "url": url})),
            "no credential 'other' is exposed",
        ),
        (
            call(
                json!({"credential": "api", "method": "GET", "url": url, "headers": {"Authorization": "Bearer mine"}}),
            ),
            "cannot be set",
        ),
        (
            call(
                json!({"credential": "api", "method": "GET", "url": format!("{url}?t=ghp_0123456789abcdefghij0123")}),
            ),
            "looks like a secret",
        ),
        (
            call(
                json!({"credential": "api", "method": "POST", "url": url, "body": format!("token={SECRET}")}),
            ),
            "looks like a secret",
        ),
        (
            call(json!({"credential": "api", "method": "TRACE", "url": url})),
            "is not one of",
        ),
        (
            call(json!({"credential": "api", "method": "GET", "url": "file:///etc/passwd"})),
            "use https",
        ),
        (
            call(
                json!({"credential": "wide", "method": "POST", "url": "https://iamcredentials.googleapis.com/v1/x:generateAccessToken"}),
            ),
            "hands out new tokens",
        ),
        (
            call(json!({"credential": "api", "method": "GET", "url": "not a url"})),
            "is not a URL",
        ),
        (
            call(json!({"credential": "api", "method": "GET", "url": url, "body": "x"})),
            "carries no body",
        ),
        (
            call(json!({"credential": "api", "method": 5, "url": url})),
            "",
        ),
        (
            call(json!({"credential": "api", "method": "GET", "url": format!("{url}{huge}")})),
            "",
        ),
        (json!({"tool": "no_such_tool", "args": {}}), ""),
        (
            json!({"tool": "run_command", "args": {"argv": ["true"]}}),
            "",
        ),
    ];
    let out = agent(
        &home,
        json!({"args": ["--credential", exposed, "--credential", "wide=*.googleapis.com"], "calls": cases.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>()}),
    );
    for ((call, says), result) in cases.iter().zip(out["calls"].as_array().unwrap()) {
        assert_eq!(result["is_error"], true, "{call}: {result}");
        assert!(
            result["text"].as_str().unwrap().contains(says),
            "{call}: {result}"
        );
        assert!(!result.to_string().contains(SECRET), "{result}");
    }
    // Only the two that got as far as reading the credential went on, and
    // none reached the server.
    assert!(api.requests().is_empty());
    let audit = home.cmd().args(["audit", "--json"]).assert().success();
    let audit = String::from_utf8_lossy(&audit.get_output().stdout).to_string();
    assert!(audit.matches("\"refused\"").count() >= 6, "{audit}");
}

#[test]
fn run_command_needs_allow_run_and_its_output_is_masked() {
    if !sdk_found() {
        return;
    }
    let api = echo();
    let (home, exposed) = with_key(&api);
    let run = |argv: Value, timeout: Option<u64>| json!({"tool": "run_command", "args": {"argv": argv, "env": {"T": "api"}, "timeout": timeout}});
    let out = agent(
        &home,
        json!({
            "args": ["--credential", exposed, "--allow-run"],
            "calls": [
                run(json!(["sh", "-c", "echo \"$T\"; printf %s \"$T\" | base64; echo err >&2; exit 3"]), None),
                run(json!(["sleep", "30"]), Some(1)),
                run(json!(["/nonexistent/program"]), None),
                run(json!(["sh", "-c", "echo ${TOKVAULT_DB:-none} ${XDG_DATA_HOME:-none} ${PATH:+path}"]), None),
                run(json!([]), None),
            ],
        }),
    );
    assert!(out["tools"].get("run_command").is_some(), "{out}");
    let calls = out["calls"].as_array().unwrap();
    let ran = &calls[0]["structured"];
    assert_eq!(ran["exit_code"], 3, "{}", calls[0]);
    assert_eq!(ran["stdout"], "***\n***\n", "{ran}");
    assert_eq!(ran["stderr"], "err\n");
    assert_eq!(calls[1]["structured"]["timed_out"], true, "{}", calls[1]);
    assert_eq!(calls[2]["is_error"], true);
    assert!(
        calls[2]["text"].as_str().unwrap().contains("cannot start"),
        "{}",
        calls[2]
    );
    // The server's own environment (where the vault is) is not passed on.
    assert_eq!(
        calls[3]["structured"]["stdout"], "none none path\n",
        "{}",
        calls[3]
    );
    assert_eq!(calls[4]["is_error"], true);
    assert!(!out.to_string().contains(SECRET));
}

#[test]
fn confirm_asks_the_person_once_and_refuses_a_client_that_cannot_ask() {
    if !sdk_found() {
        return;
    }
    let api = echo();
    let (home, exposed) = with_key(&api);
    let call = json!({"tool": "http_request", "args": {"credential": "api", "method": "GET", "url": format!("{}/", api.url)}});
    let plan = |elicit: Value| json!({"args": ["--credential", exposed, "--confirm"], "calls": [call, call], "elicit": elicit});
    let accepted = agent(&home, plan(json!("accept")));
    assert_eq!(accepted["asked"].as_array().unwrap().len(), 1, "{accepted}");
    assert!(
        accepted["asked"][0]
            .as_str()
            .unwrap()
            .contains("credential 'api'")
    );
    assert!(
        accepted["calls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["is_error"] == false),
        "{accepted}"
    );
    let declined = agent(&home, plan(json!("decline")));
    assert_eq!(declined["calls"][0]["is_error"], true);
    assert!(
        declined["calls"][0]["text"]
            .as_str()
            .unwrap()
            .contains("did not allow"),
        "{declined}"
    );
    let cannot = agent(&home, plan(Value::Null));
    assert!(
        cannot["calls"][0]["text"]
            .as_str()
            .unwrap()
            .contains("cannot ask"),
        "{cannot}"
    );
    assert_eq!(api.requests().len(), 2);
}

#[test]
fn eight_agents_on_an_expired_token_cause_one_refresh() {
    if !sdk_found() {
        return;
    }
    let api = echo();
    let n = std::sync::atomic::AtomicUsize::new(1);
    let idp = Provider::start(move |r| {
        if r.form().get("grant_type").map(String::as_str) == Some("authorization_code") {
            return Reply::json(200, tokens("at-first-0123456789", Some("rt-1"), 1));
        }
        let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        Reply::json(
            200,
            tokens(&format!("at-renewed-{i}-0123456789"), None, 3600),
        )
        .after(std::time::Duration::from_millis(300))
    });
    let home = Home::new();
    home.add_public_client("idp", &idp.token_url());
    home.exchange("svc", "idp");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let plan = json!({
        "args": ["--credential", format!("svc={}", host_of(&api))],
        "calls": [{"tool": "http_request", "args": {"credential": "svc", "method": "GET", "url": format!("{}/", api.url)}}],
    });
    let agents: Vec<_> = (0..8)
        .map(|_| {
            agent_command(&home, &plan)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in agents {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let out: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out["calls"][0]["structured"]["status"], 200, "{out}");
    }
    assert_eq!(idp.grants("refresh_token").len(), 1);
    let seen = api.requests();
    assert_eq!(seen.len(), 8);
    assert!(
        seen.iter()
            .all(|r| r.header("authorization") == Some("Bearer at-renewed-2-0123456789"))
    );
}

/// The server itself, spoken to in raw JSON-RPC lines: what no SDK sends.
#[test]
fn malformed_json_rpc_gets_an_error_and_a_closed_stdin_ends_the_server() {
    let api = echo();
    let (home, exposed) = with_key(&api);
    let mut child = home
        .std_cmd()
        .args(["mcp", "--allow-run", "--credential", &exposed])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    writeln!(stdin, "{init}").unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let answer: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(answer["id"], 1, "{answer}");
    assert_eq!(answer["result"]["serverInfo"]["name"], "tokvault");
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    .unwrap();
    // A call that takes a while, and stdin closed under it.
    writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "list_credentials", "arguments": {}}})).unwrap();
    line.clear();
    stdout.read_line(&mut line).unwrap();
    let listed: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(listed["id"], 2, "{listed}");
    assert!(!line.contains(SECRET));
    writeln!(stdin, "this is not json").unwrap();
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "id": 3, "method": "no/such/method"})
    )
    .unwrap();
    // Stdin closed while a command runs for the agent: the server lets
    // calls in flight finish for a while (rmcp drains for 5 s), then ends,
    // and the command with it.
    let marker = home.path().join("still-running");
    let script = format!("sleep 7; touch {}", marker.display());
    let call = json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
        "params": {"name": "run_command", "arguments": {"argv": ["sh", "-c", script]}}});
    writeln!(stdin, "{call}").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}: {rest}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert!(!rest.contains(SECRET));
    // After the line that is not JSON, the server still answers: an
    // unknown method is a JSON-RPC error.
    let unknown: Value = rest
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["id"] == 3)
        .unwrap_or_else(|| panic!("no answer to id 3: {rest}"));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    std::thread::sleep(
        std::time::Duration::from_secs(7).saturating_sub(started.elapsed())
            + std::time::Duration::from_secs(1),
    );
    assert!(!marker.exists(), "the agent's command outlived the server");
}

#[test]
fn bad_command_lines_fail_at_start_in_one_line() {
    let home = Home::new();
    home.store(&["api", "--provider", "inhouse", "--secret", "-"], SECRET);
    home.store(&["openai", "--secret", "-"], "sk-test");
    let cases: &[(&[&str], i32, &str)] = &[
        (&[], 2, "--credential"),
        (&["--credential", "api"], 2, "has no known API hosts"),
        (
            &["--credential", "missing=x.example"],
            3,
            "no credential 'missing'",
        ),
        (
            &["--credential", "api=http://x"],
            2,
            "is not a host pattern",
        ),
        (
            &["--credential", "openai", "--credential", "openai"],
            2,
            "given twice",
        ),
        (
            &["--credential", "openai", "--auth-header", "api=x-key"],
            2,
            "no --credential api",
        ),
        (&["--credential", "openai", "--agent", ""], 2, "--agent"),
    ];
    for (args, code, says) in cases {
        let out = home.cmd().arg("mcp").args(*args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The MCP Inspector's CLI mode (`.ci/run` installs it under
/// target/mcp-inspector), as a second real client.
#[test]
fn the_mcp_inspector_lists_the_tools_and_calls_one() {
    let inspector = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/mcp-inspector/node_modules/.bin/mcp-inspector"
    ));
    if !inspector.exists() {
        println!(
            "SKIPPED: the MCP Inspector is not installed in target/mcp-inspector (npm install there)"
        );
        return;
    }
    let api = echo();
    let (home, exposed) = with_key(&api);
    let run = |method: &[&str]| {
        let mut cmd = Command::new(inspector);
        cmd.arg("--cli");
        // The inspector starts the server with only the variables given.
        for (k, v) in home.std_cmd().get_envs() {
            if let Some(v) = v {
                cmd.arg("-e")
                    .arg(format!("{}={}", k.to_string_lossy(), v.to_string_lossy()));
            }
        }
        let out = cmd
            .arg(assert_cmd::cargo::cargo_bin("tokvault"))
            .args(["mcp", "--credential", &exposed])
            .args(method)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let tools = run(&["--method", "tools/list"]);
    let names: Vec<&str> = tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["http_request", "list_credentials"], "{tools}");
    let listed = run(&["--method", "tools/call", "--tool-name", "list_credentials"]);
    assert_eq!(
        listed["structuredContent"]["credentials"][0]["name"], "api",
        "{listed}"
    );
    assert!(!listed.to_string().contains(SECRET));
}
