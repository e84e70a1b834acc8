//! Every input tried as an adversary would: out-of-range numbers, names
//! with control characters, malformed JWTs, blank and NUL-bearing secrets,
//! expiries past year 9999, endless files. Each is refused with one line,
//! a documented exit code, and no change to the vault; what a token
//! endpoint sends is clamped or reported, never crashes.

use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, jwt, refused};
use predicates::prelude::*;
use serde_json::json;

fn vault() -> Home {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "SECRET-one");
    home
}

#[test]
fn any_provider_name_holds_a_key() {
    let home = Home::new();
    home.cmd()
        .args(["store", "stripe", "--provider", "stripe", "--secret", "-"])
        .write_stdin("sk_live_x\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "stored credential 'stripe' (api_key)",
        ));
    home.store(&["dd", "--provider", "datadog", "--secret", "-"], "dd-key");
    assert_eq!(home.get("stripe"), "sk_live_x\n");
    let out = home
        .cmd()
        .args(["list", "--json", "--provider", "datadog"])
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(list[0]["integration_key"], "dd");
    assert_eq!(list.as_array().unwrap().len(), 1);
    // One letter from a preset: a note, never a refusal.
    home.cmd()
        .args(["store", "g", "--provider", "gogle", "--secret", "-"])
        .write_stdin("x")
        .assert()
        .success()
        .stderr(predicate::str::contains("did you mean 'google'?"));
}

#[test]
fn numbers_out_of_range_are_usage_errors() {
    let home = vault();
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            &["--http-timeout", "18446744073709551615", "get", "openai"],
            &[],
            "--http-timeout",
        ),
        (
            &["--http-timeout", "0", "get", "openai"],
            &[],
            "between 1 and 3600",
        ),
        (
            &["get", "openai"],
            &[("TOKVAULT_CONNECT_TIMEOUT", "9223372036854775807")],
            "--connect-timeout",
        ),
        (
            &["get", "openai"],
            &[("TOKVAULT_HTTP_TIMEOUT", "-1")],
            "negative",
        ),
        (&["get", "openai", "--min-valid", "-5"], &[], "negative"),
        (
            &["store", "x", "--expires-in", "-5", "--secret", "-"],
            &[],
            "negative",
        ),
        (
            &["store", "x", "--expires-in", "1e30", "--secret", "-"],
            &[],
            "not a duration",
        ),
        (
            &[
                "store",
                "x",
                "--expires-in",
                "253402300799",
                "--secret",
                "-",
            ],
            &[],
            "at most",
        ),
        (
            &[
                "store",
                "x",
                "--expires-at",
                "9999-12-31T23:59:59Z",
                "--secret",
                "-",
            ],
            &[],
            "at most",
        ),
        (
            &["store", "x", "--expires-at", "10000-01-01", "--secret", "-"],
            &[],
            "--expires-at",
        ),
        (
            &["login", "x", "--oauth2", "c", "--timeout", "2d"],
            &[],
            "between 0 and 86400",
        ),
    ];
    for (args, env, message) in cases {
        refused(&home, args, env, "x", 2, message);
    }
}

#[test]
fn durations_and_dates_read_the_same_everywhere() {
    let home = Home::new();
    let now = crate::common::now();
    home.store(
        &[
            "a",
            "--provider",
            "p",
            "--expires-in",
            "1h",
            "--secret",
            "-",
        ],
        "x",
    );
    home.store(
        &[
            "b",
            "--provider",
            "p",
            "--expires-in",
            "2d",
            "--secret",
            "-",
        ],
        "x",
    );
    home.store(
        &[
            "c",
            "--provider",
            "p",
            "--expires-at",
            "2027-01-01",
            "--secret",
            "-",
        ],
        "x",
    );
    let at = |name: &str| {
        let v = home.get_json(name);
        let text = v["expires_at"].as_str().unwrap().to_string();
        text.parse::<jiff::Timestamp>().unwrap().as_second()
    };
    assert!((at("a") - now - 3600).abs() <= 5);
    assert!((at("b") - now - 172_800).abs() <= 5);
    assert_eq!(home.get_json("c")["expires_at"], "2027-01-01T00:00:00Z");
    home.cmd()
        .args([
            "--http-timeout",
            "1m",
            "--connect-timeout",
            "5s",
            "get",
            "a",
        ])
        .assert()
        .success();
}

#[test]
fn names_and_users_are_printable_and_bounded() {
    let home = vault();
    let long = "n".repeat(129);
    for name in [
        "",
        "a\nb",
        "a\rb",
        "a\tb",
        "a\x1b[2Jb",
        "a\x7fb",
        "a\u{85}b",
        "a\u{2028}b",
        " a",
        &long,
    ] {
        refused(
            &home,
            &["store", name, "--provider", "p", "--secret", "-"],
            &[],
            "x",
            2,
            "name",
        );
        let store = ["store", "x", "--provider", "p", "--secret", "-"];
        let with_user = [&["--user", name][..], &store].concat();
        refused(&home, &with_user, &[], "x", 2, "--user");
        refused(&home, &store, &[("TOKVAULT_USER", name)], "x", 2, "--user");
    }
    // A name with a newline would have forged a row in `list`.
    home.store(&["ok name", "--provider", "p", "--secret", "-"], "x");
    let out = home.cmd().arg("list").assert().success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        3
    );
}

/// `store j --type jwt`, the secret on stdin.
const STORE_JWT: &[&str] = &[
    "store",
    "j",
    "--provider",
    "p",
    "--type",
    "jwt",
    "--secret",
    "-",
];

#[test]
fn jwts_must_be_jwts() {
    let home = vault();
    for bad in [
        "not-a-jwt-at-all",
        "a",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "a.b.c.d.e",
    ] {
        refused(&home, STORE_JWT, &[], bad, 2, "not a JWT");
    }
    for exp in [json!("1"), json!(true), json!(null), json!([1])] {
        let token = jwt(&json!({"sub": "x", "exp": exp}));
        refused(
            &home,
            STORE_JWT,
            &[],
            &token,
            2,
            "exp claim is not a number",
        );
    }
    let far = jwt(&json!({"exp": 1e30}));
    refused(&home, STORE_JWT, &[], &far, 2, "later than");
    let good = jwt(&json!({"sub": "x", "exp": 2_000_000_000}));
    home.store(&STORE_JWT[1..], &good);
    assert_eq!(home.get_json("j")["expires_at"], "2033-05-18T03:33:20Z");
}

#[test]
fn blank_and_nul_secrets_are_refused() {
    let home = vault();
    for body in [
        r#"{"access_token": ""}"#,
        r#"{"access_token": "   "}"#,
        "{\"access_token\": \"a\\u0000b\"}",
    ] {
        refused(
            &home,
            &["store", "x", "--provider", "p", "--from-json", "-"],
            &[],
            body,
            2,
            "--from-json",
        );
    }
    refused(
        &home,
        &["store", "x", "--provider", "p", "--secret", "-"],
        &[],
        "ab\0cd",
        2,
        "NUL",
    );
    refused(
        &home,
        &["store", "x", "--provider", "p", "--secret", "-"],
        &[],
        " \n",
        2,
        "empty",
    );
    for body in [
        r#"{"access_token": "a", "expires_in": 1e30}"#,
        r#"{"access_token": "a", "expires_in": -5}"#,
    ] {
        refused(
            &home,
            &["store", "x", "--provider", "p", "--from-json", "-"],
            &[],
            body,
            2,
            "--from-json: ",
        );
    }
}

/// A token endpoint that answers the code with an expired token and each
/// refresh with `answer`.
fn endpoint(answer: serde_json::Value) -> (Home, Provider) {
    let provider = Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-0"), 0)),
        _ => Reply::json(200, answer.clone()),
    });
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange("x", "idp");
    (home, provider)
}

#[test]
fn a_far_expiry_from_a_provider_is_clamped_with_a_warning() {
    let (home, _p) = endpoint(json!({"access_token": "at-1", "expires_in": 1e30}));
    home.cmd()
        .args(["get", "x"])
        .assert()
        .success()
        .stdout("at-1\n")
        .stderr(
            predicate::str::contains("warning")
                .and(predicate::str::contains("9999-12-30T22:00:00Z")),
        );
    assert_eq!(home.get_json("x")["expires_at"], "9999-12-30T22:00:00Z");
}

#[test]
fn an_expired_answer_is_stored_and_reported_as_sent() {
    let (home, provider) =
        endpoint(json!({"access_token": "at-1", "refresh_token": "rt-1", "expires_in": -3600}));
    home.cmd()
        .args(["get", "x"])
        .assert()
        .code(6)
        .stdout("")
        .stderr(
            predicate::str::contains("expires_in is -3600").and(predicate::str::contains("stored")),
        );
    // The rotated refresh token was kept, and it is what the next refresh sends.
    let out = home
        .cmd()
        .args([
            "get",
            "x",
            "--no-refresh",
            "--allow-expired",
            "--field",
            "refresh_token",
        ])
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), "rt-1\n");
    home.cmd().args(["get", "x"]).assert().code(6);
    let sent = provider.grants("refresh_token");
    assert_eq!(sent[1].param("refresh_token").as_deref(), Some("rt-1"));
}

#[test]
fn a_providers_words_reach_the_terminal_cleaned_and_cut() {
    let description = format!(
        "\x1b[2J\x1b]0;owned\x07line1\r\nline2 {}",
        "x".repeat(500_000)
    );
    let (home, _p) = endpoint(json!({}));
    let provider = Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-0"), 0)),
        _ => Reply::json(
            400,
            json!({"error": "invalid_grant\x1b[31m", "error_description": description}),
        ),
    });
    home.add_public_client("evil", &provider.token_url());
    home.exchange("y", "evil");
    let out = home.cmd().args(["get", "y"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\x07') && !stderr.contains('\r'),
        "{stderr:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.len() < 1500, "{} bytes", stderr.len());
    assert!(stderr.contains("line1  line2"), "{stderr}");
}

#[test]
fn endless_and_huge_files_are_refused_quickly() {
    let home = vault();
    refused(
        &home,
        &["run", "--env-file", "/dev/zero", "--", "true"],
        &[],
        "",
        2,
        "not a regular file",
    );
    refused(
        &home,
        &["import-vault", "/dev/zero"],
        &[],
        "",
        2,
        "not a regular file",
    );
    refused(
        &home,
        &[
            "store",
            "x",
            "--provider",
            "p",
            "--secret-file",
            "/dev/zero",
        ],
        &[],
        "",
        2,
        "not a regular file",
    );
    refused(
        &home,
        &["store", "x", "--provider", "p", "--secret", "-"],
        &[],
        &"x".repeat(2 << 20),
        2,
        "larger than",
    );
    // A huge regular file is read no further than its bound.
    let huge = home.path().join("huge.secret");
    std::fs::write(&huge, "z".repeat(2 << 20)).unwrap();
    refused(
        &home,
        &[
            "store",
            "x",
            "--provider",
            "p",
            "--secret-file",
            huge.to_str().unwrap(),
        ],
        &[],
        "",
        2,
        "larger than",
    );
    let big = home.path().join("big.env");
    std::fs::write(&big, format!("{}\n", "y".repeat(900_000))).unwrap();
    let out = home
        .cmd()
        .args(["run", "--env-file", big.to_str().unwrap(), "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stderr.len() < 1000,
        "the error quoted {} bytes",
        out.stderr.len()
    );
}

#[test]
fn an_import_file_is_checked_like_any_input() {
    let home = vault();
    let file = home.path().join("export.json");
    home.cmd()
        .args(["export-vault", file.to_str().unwrap()])
        .assert()
        .success();
    // Rewrite the first chunk with a forged name, sealed with the vault's own key.
    let key = std::fs::read_to_string(home.key_file()).unwrap();
    let fernet = fernet::Fernet::new(key.trim()).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let plain = fernet.decrypt(&lines[1]).unwrap();
    let mut chunk: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    chunk["credentials"][0]["integration"] = json!("forged\nrow");
    lines[1] = fernet.encrypt(chunk.to_string().as_bytes());
    let forged = home.path().join("forged.json");
    std::fs::write(&forged, lines.join("\n") + "\n").unwrap();
    refused(
        &home,
        &[
            "import-vault",
            forged.to_str().unwrap(),
            "--replace",
            "--strict",
        ],
        &[],
        "",
        2,
        "control characters",
    );
}

#[test]
fn a_directory_or_a_missing_directory_as_the_vault() {
    let home = vault();
    let dir = home.path().join("a-dir");
    std::fs::create_dir(&dir).unwrap();
    let missing = home.path().join("no/such/dir/vault.db");
    refused(
        &home,
        &["--db", missing.to_str().unwrap(), "list"],
        &[],
        "",
        3,
        "does not exist",
    );
    refused(
        &home,
        &["--db", dir.to_str().unwrap(), "list"],
        &[],
        "",
        2,
        "is a directory",
    );
}

#[test]
fn a_rotated_refresh_token_in_an_unusable_answer_is_kept() {
    for answer in [
        json!({"access_token": "at-1", "refresh_token": "rt-1", "expires_in": "soon"}),
        json!({"refresh_token": "rt-1", "token_type": "Bearer"}),
        json!({"access_token": "at-1", "refresh_token": "rt-1", "id_token": ""}),
    ] {
        let (home, provider) = endpoint(answer.clone());
        home.cmd()
            .args(["get", "x"])
            .assert()
            .code(6)
            .stderr(predicate::str::contains(
                "new refresh token in the answer is stored",
            ));
        let out = home
            .cmd()
            .args([
                "get",
                "x",
                "--no-refresh",
                "--allow-expired",
                "--field",
                "refresh_token",
            ])
            .assert()
            .success();
        assert_eq!(
            String::from_utf8_lossy(&out.get_output().stdout),
            "rt-1\n",
            "{answer}"
        );
        // And it is what the next refresh sends.
        home.cmd().args(["get", "x"]).assert().code(6);
        let sent = provider.grants("refresh_token");
        assert_eq!(sent[1].param("refresh_token").as_deref(), Some("rt-1"));
    }
}

#[test]
fn list_counts_like_people_do() {
    let home = Home::new();
    // In the order the vault streams them, file or database alike.
    let sorted = [
        "Key",
        "a",
        "a1b",
        "a1b2",
        "a2",
        "a2x",
        "a10",
        "key1",
        "key2",
        "key10",
        "key100",
        "key99999999999999999999",
        "key100000000000000000000",
        "x-1",
        "x_1",
        "z",
        "é",
        "ключ",
    ];
    let mut shuffled = sorted.to_vec();
    shuffled.reverse();
    shuffled.swap(0, 7);
    for name in shuffled {
        home.store(&[name, "--provider", "p", "--secret", "-"], "x");
    }
    let out = home.cmd().args(["list"]).assert().success();
    let names: Vec<String> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(names, sorted);
    let out = home.cmd().args(["list", "--json"]).assert().success();
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let names: Vec<&str> = json
        .iter()
        .map(|c| c["integration_key"].as_str().unwrap())
        .collect();
    assert_eq!(names, sorted);
}
