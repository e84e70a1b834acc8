//! The same CLI over a PostgreSQL vault shared by "hosts" (processes with
//! different homes and one database URL), against a real server started
//! by the test.

#![cfg(feature = "postgres")]

use crate::common::pg::{Cluster, PASSWORD};
use crate::common::provider::{Provider, Reply, tokens};
use crate::common::{Home, new_key};
use predicates::prelude::*;
use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A host: its own home, the shared database and master key.
struct Host {
    home: Home,
    url: String,
    key: String,
}

impl Host {
    fn new(url: &str, key: &str) -> Host {
        Host {
            home: Home::new(),
            url: url.to_string(),
            key: key.to_string(),
        }
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.home.cmd();
        c.env("TOKVAULT_DB", &self.url)
            .env("TOKVAULT_KEY", &self.key)
            .env("PGPASSWORD", PASSWORD);
        c
    }

    fn std_cmd(&self) -> std::process::Command {
        let mut c = self.home.std_cmd();
        c.env("TOKVAULT_DB", &self.url)
            .env("TOKVAULT_KEY", &self.key)
            .env("PGPASSWORD", PASSWORD);
        c
    }

    /// An OAuth2 client "idp" at `idp` and credential `name` from a code
    /// exchange through it.
    fn signed_in(&self, name: &str, idp: &Provider) {
        self.cmd()
            .args(["oauth2", "add", "idp", "--token-url", &idp.token_url()])
            .args(["--client-id", "cid", "--auth-method", "none"])
            .assert()
            .success();
        self.cmd()
            .args(["exchange-code", name, "--oauth2", "idp", "--code", "c"])
            .assert()
            .success();
    }

    fn get(&self, name: &str) -> String {
        let out = self.cmd().args(["get", name]).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}

#[test]
fn every_command_works_over_postgres_and_the_server_sees_no_secret() {
    let Some(pg) = Cluster::start() else { return };
    let key = new_key();
    let host = Host::new(&pg.url(), &key);
    host.cmd()
        .args(["store", "openai", "--secret", "-"])
        .write_stdin("sk-pg-secret-1234")
        .assert()
        .success();
    assert_eq!(host.get("openai"), "sk-pg-secret-1234\n");
    let list = host.cmd().args(["list", "--json"]).assert().success();
    let list: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).unwrap();
    assert_eq!(list[0]["integration_key"], "openai");

    // OAuth2: a client, a code exchange, a refresh.
    let n = AtomicUsize::new(0);
    let idp = Provider::start(move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        Reply::json(200, tokens(&format!("at-{i}"), Some("rt"), 3600))
    });
    host.signed_in("api", &idp);
    host.cmd().args(["refresh", "api"]).assert().success();
    assert_eq!(host.get("api"), "at-1\n");
    let run = host
        .cmd()
        .args(["run", "-e", "T=api", "--", "sh", "-c", "printf %s \"$T\""])
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&run.get_output().stdout), "at-1");
    host.cmd()
        .args(["export", "OPENAI=openai"])
        .assert()
        .success()
        .stdout("export OPENAI='sk-pg-secret-1234'\n");

    // Nothing the server stores is a secret.
    let dump = pg.psql(
        "tv",
        "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM tokvault.credentials) t",
    );
    assert!(
        dump.contains("openai") && !dump.contains("sk-pg-secret"),
        "{dump}"
    );

    // Between stores: export-vault to a file, import into SQLite, back.
    let file = host.home.path().join("all.tokvault");
    host.cmd().arg("export-vault").arg(&file).assert().success();
    let local = Home::new();
    local
        .cmd()
        .env("TOKVAULT_KEY", &key)
        .arg("import-vault")
        .arg(&file)
        .assert()
        .success();
    local
        .cmd()
        .env("TOKVAULT_KEY", &key)
        .args(["get", "openai"])
        .assert()
        .success()
        .stdout("sk-pg-secret-1234\n");

    // One database, several vaults.
    let other = Host::new(&format!("{}?vault=team", pg.url()), &new_key());
    other.cmd().args(["list"]).assert().success();
    other
        .cmd()
        .args(["store", "openai", "--secret", "-"])
        .write_stdin("sk-team")
        .assert()
        .success();
    assert_eq!(other.get("openai"), "sk-team\n");
    assert_eq!(host.get("openai"), "sk-pg-secret-1234\n");

    // A new key for the shared vault.
    let new = new_key();
    host.cmd()
        .arg("rekey")
        .env("TOKVAULT_NEW_KEY", &new)
        .assert()
        .success();
    let rekeyed = Host::new(&pg.url(), &new);
    assert_eq!(rekeyed.get("api"), "at-1\n");
    host.cmd().args(["get", "api"]).assert().code(7);
    rekeyed
        .cmd()
        .args(["delete", "openai", "--yes"])
        .assert()
        .success();
    rekeyed.cmd().args(["get", "openai"]).assert().code(3);
}

#[test]
fn many_processes_on_two_hosts_refresh_once() {
    let Some(pg) = Cluster::start() else { return };
    let key = new_key();
    let a = Host::new(&pg.url(), &key);
    let b = Host::new(&pg.url(), &key);
    let n = AtomicUsize::new(0);
    let idp = Provider::start(move |req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        // The first token lives 2 s; the refreshed one an hour, and comes
        // slowly, so that every process finds the refresh in flight.
        if req.param("grant_type").as_deref() == Some("refresh_token") {
            Reply::json(
                200,
                tokens(&format!("tok-{i}"), Some(&format!("rt-{i}")), 3600),
            )
            .after(Duration::from_millis(300))
        } else {
            Reply::json(
                200,
                tokens(&format!("tok-{i}"), Some(&format!("rt-{i}")), 2),
            )
        }
    });
    a.signed_in("api", &idp);
    std::thread::sleep(Duration::from_millis(2100));
    let children: Vec<_> = (0..32)
        .map(|i| {
            let host = if i % 2 == 0 { &a } else { &b };
            host.std_cmd()
                .args(["get", "api"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut tokens_seen = HashSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        tokens_seen.insert(String::from_utf8(out.stdout).unwrap());
    }
    assert_eq!(idp.grants("refresh_token").len(), 1);
    assert_eq!(tokens_seen, HashSet::from(["tok-1\n".to_string()]));
}

#[test]
fn a_killed_refresher_lets_the_next_one_refresh() {
    let Some(pg) = Cluster::start() else { return };
    let key = new_key();
    let a = Host::new(&pg.url(), &key);
    let b = Host::new(&pg.url(), &key);
    let n = AtomicUsize::new(0);
    let idp = Provider::start(move |req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let reply = Reply::json(200, tokens(&format!("tok-{i}"), Some("rt"), 3600));
        // The first refresh hangs; its process is killed meanwhile.
        if i == 1 && req.param("grant_type").as_deref() == Some("refresh_token") {
            reply.after(Duration::from_secs(20))
        } else {
            reply
        }
    });
    a.signed_in("api", &idp);
    let mut hung = a.std_cmd().args(["refresh", "api"]).spawn().unwrap();
    let started = Instant::now();
    while idp.grants("refresh_token").is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(20));
    }
    hung.kill().unwrap();
    hung.wait().unwrap();
    let started = Instant::now();
    b.cmd().args(["refresh", "api"]).assert().success();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "waited for a dead process's lock"
    );
    assert_eq!(b.get("api"), "tok-2\n");
}

#[test]
fn failures_are_one_line_and_change_nothing() {
    let Some(pg) = Cluster::start() else { return };
    let key = new_key();
    let host = Host::new(&pg.url(), &key);
    host.cmd()
        .args(["store", "k", "--secret", "-"])
        .write_stdin("sk-1")
        .assert()
        .success();
    let one_line = || predicate::function(|s: &str| s.lines().count() == 1);

    // The wrong key.
    Host::new(&pg.url(), &new_key())
        .cmd()
        .args(["get", "k"])
        .assert()
        .code(7)
        .stderr(one_line());

    // A row edited on the server.
    pg.psql(
        "tv",
        "UPDATE tokvault.credentials SET scopes = 'admin' WHERE integration = 'k'",
    );
    host.cmd()
        .args(["get", "k"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains("tampered").and(one_line()));
    pg.psql(
        "tv",
        "UPDATE tokvault.credentials SET scopes = '' WHERE integration = 'k'",
    );
    assert_eq!(host.get("k"), "sk-1\n");

    // No server there: exit 6.
    let nowhere = Host::new("postgres://tv@127.0.0.1:1/tv", &key);
    nowhere
        .cmd()
        .args(["get", "k"])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("cannot reach").and(one_line()));

    // A wrong password; the password never shown.
    host.cmd()
        .args(["get", "k"])
        .env("PGPASSWORD", "nope-not-it")
        .assert()
        .code(7)
        .stderr(
            predicate::str::contains("nope-not-it")
                .not()
                .and(one_line()),
        );
    Host::new(
        &format!("postgres://tv:wrong-pw-in-url@127.0.0.1:{}/tv", pg.port),
        &key,
    )
    .cmd()
    .env_remove("PGPASSWORD")
    .args(["get", "k"])
    .assert()
    .code(7)
    .stderr(predicate::str::contains("wrong-pw-in-url").not());

    // A role without rights to the vault's schema.
    pg.psql_super(&format!("CREATE ROLE ro LOGIN PASSWORD '{PASSWORD}'"));
    Host::new(&format!("postgres://ro@127.0.0.1:{}/tv", pg.port), &key)
        .cmd()
        .args(["get", "k"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("permission denied").and(one_line()));

    // A schema that is not a vault, and a vault from a newer tokvault.
    pg.psql(
        "tv",
        "CREATE SCHEMA tokvault_other AUTHORIZATION tv; CREATE TABLE tokvault_other.t (x int)",
    );
    Host::new(&format!("{}?vault=other", pg.url()), &key)
        .cmd()
        .args(["list"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains("not a tokvault vault"));
    // One with a meta table of another shape.
    pg.psql(
        "tv",
        "CREATE SCHEMA tokvault_odd AUTHORIZATION tv; \
         CREATE TABLE tokvault_odd.meta (name text, value int); \
         INSERT INTO tokvault_odd.meta VALUES ('schema_version', 3); \
         ALTER TABLE tokvault_odd.meta OWNER TO tv",
    );
    Host::new(&format!("{}?vault=odd", pg.url()), &key)
        .cmd()
        .args(["list"])
        .assert()
        .code(8)
        .stderr(one_line());
    let version = pg.psql(
        "tv",
        "SELECT value FROM tokvault.meta WHERE name = 'schema_version'",
    );
    pg.psql(
        "tv",
        "UPDATE tokvault.meta SET value = '99' WHERE name = 'schema_version'",
    );
    host.cmd()
        .args(["get", "k"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains("newer tokvault"));
    pg.psql(
        "tv",
        &format!("UPDATE tokvault.meta SET value = '{version}' WHERE name = 'schema_version'"),
    );

    // A malformed URL.
    Host::new("postgres://tv@127.0.0.1:5432/tv?vault=Bad!", &key)
        .cmd()
        .args(["list"])
        .assert()
        .code(2)
        .stderr(one_line());

    // The server restarts between two commands: the next one reconnects.
    pg.restart();
    assert_eq!(host.get("k"), "sk-1\n");
}

#[test]
fn migrate_moves_a_file_vault_into_postgres_in_one_transaction() {
    let Some(pg) = Cluster::start() else { return };
    let key = new_key();
    let local = Home::new();
    let cmd = || {
        let mut c = local.cmd();
        c.env("TOKVAULT_KEY", &key).env("PGPASSWORD", PASSWORD);
        c
    };
    cmd()
        .args(["store", "a", "--secret", "-"])
        .write_stdin("sk-a")
        .assert()
        .success();
    cmd()
        .args([
            "oauth2",
            "add",
            "idp",
            "--token-url",
            "https://idp.example/token",
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();
    cmd()
        .args([
            "store",
            "b",
            "--oauth2",
            "idp",
            "--secret",
            "-",
            "--expires-in",
            "1h",
        ])
        .write_stdin("at-b")
        .assert()
        .success();
    cmd()
        .args(["git-credential", "map", "git.example", "b"])
        .assert()
        .success();
    cmd()
        .args(["migrate", "--to", &pg.url()])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "migrated 2 credential(s), 1 OAuth2 client(s) and 1 helper route(s)",
        ));
    let host = Host::new(&pg.url(), &key);
    assert_eq!(host.get("a"), "sk-a\n");
    assert_eq!(host.get("b"), "at-b\n");
    host.cmd()
        .args(["git-credential", "get"])
        .write_stdin("protocol=https\nhost=git.example\n\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("password=at-b\n"));
    let show = host
        .cmd()
        .args(["oauth2", "show", "idp"])
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&show.get_output().stdout).contains("https://idp.example/token")
    );
    // A target that holds a vault is refused, and left as it was.
    host.cmd()
        .args(["store", "c", "--secret", "-"])
        .write_stdin("sk-c")
        .assert()
        .success();
    let before = pg.psql("tv", "SELECT count(*) FROM tokvault.credentials");
    cmd()
        .args(["migrate", "--to", &pg.url()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already holds a vault"));
    assert_eq!(
        pg.psql("tv", "SELECT count(*) FROM tokvault.credentials"),
        before
    );
    // The source is untouched.
    cmd().args(["get", "a"]).assert().success().stdout("sk-a\n");
}

#[test]
fn tls_to_the_server_is_verified() {
    let Some(pg) = Cluster::start_tls() else {
        return;
    };
    let key = new_key();
    let url = format!("{}?sslmode=require", pg.url());
    let host = Host::new(&url, &key);
    // Trusting the server's certificate: with sslmode=require the driver
    // fails unless the connection is TLS; it works like any other.
    host.cmd()
        .env("SSL_CERT_FILE", pg.cert())
        .args(["store", "k", "--secret", "-"])
        .write_stdin("sk-tls")
        .assert()
        .success();
    host.cmd()
        .env("SSL_CERT_FILE", pg.cert())
        .args(["get", "k"])
        .assert()
        .success()
        .stdout("sk-tls\n");
    // A certificate nobody vouches for: refused, one line, exit 6.
    host.cmd()
        .env_remove("SSL_CERT_FILE")
        .env("SSL_CERT_FILE", "/nonexistent-ca.pem")
        .args(["get", "k"])
        .assert()
        .code(6)
        .stderr(predicate::str::contains("cannot reach"));
}

#[test]
fn a_connection_lost_mid_refresh_keeps_the_providers_answer() {
    let Some(pg) = Cluster::start() else { return };
    let key = new_key();
    let host = Host::new(&pg.url(), &key);
    // Refreshes answer after 3 s, each with a new (rotated) refresh token;
    // once `unusable`, with no access token beside the rotated one.
    let n = AtomicUsize::new(0);
    let unusable = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let answer_unusable = unusable.clone();
    let idp = Provider::start(move |req| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let reply = if answer_unusable.load(Ordering::SeqCst) {
            Reply::json(
                200,
                serde_json::json!({"token_type": "bearer", "refresh_token": "rt-salvaged"}),
            )
        } else {
            Reply::json(
                200,
                tokens(&format!("tok-{i}"), Some(&format!("rt-{i}")), 3600),
            )
        };
        if req.param("grant_type").as_deref() == Some("refresh_token") {
            reply.after(Duration::from_secs(3))
        } else {
            reply
        }
    });
    host.signed_in("api", &idp);
    let disruptions: [(&str, &dyn Fn()); 2] = [
        ("the server restarts", &|| pg.restart()),
        ("the connection is cut", &|| {
            pg.psql_super(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'tv'",
            );
        }),
    ];
    // A refresh, and `disrupt` once the provider has had `grants` of them.
    let refresh_disrupted = |grants: usize, disrupt: &dyn Fn()| {
        let refresh = host
            .std_cmd()
            .args(["refresh", "api"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while idp.grants("refresh_token").len() < grants {
            assert!(started.elapsed() < Duration::from_secs(10));
            std::thread::sleep(Duration::from_millis(20));
        }
        disrupt();
        refresh.wait_with_output().unwrap()
    };
    for (round, (what, disrupt)) in disruptions.iter().enumerate() {
        let out = refresh_disrupted(round + 1, *disrupt);
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The rotated refresh token in the answer was stored.
        let record = host.cmd().args(["get", "api", "--json"]).assert().success();
        let record: serde_json::Value =
            serde_json::from_slice(&record.get_output().stdout).unwrap();
        assert_eq!(
            record["token_data"]["access_token"],
            format!("tok-{}", round + 1),
            "{what}"
        );
        assert_eq!(
            record["token_data"]["refresh_token"],
            format!("rt-{}", round + 1),
            "{what}"
        );
    }
    // An unusable answer's rotated refresh token is kept across a cut too.
    unusable.store(true, Ordering::SeqCst);
    let (_, cut) = disruptions[1];
    let out = refresh_disrupted(3, cut);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("the new refresh token in the answer is stored"),
        "{stderr}"
    );
    let record = host
        .cmd()
        .args(["get", "api", "--json", "--no-refresh"])
        .assert()
        .success();
    let record: serde_json::Value = serde_json::from_slice(&record.get_output().stdout).unwrap();
    assert_eq!(record["token_data"]["access_token"], "tok-2");
    assert_eq!(record["token_data"]["refresh_token"], "rt-salvaged");
}

#[test]
fn the_password_may_come_from_pgpass() {
    let Some(pg) = Cluster::start() else { return };
    // A password with the two characters .pgpass escapes.
    pg.psql("tv", r"ALTER ROLE tv PASSWORD 'pa:ss\word'");
    let host = Host::new(&pg.url(), &new_key());
    let pgpass = host.home.path().join(".pgpass");
    let lines = format!(
        "# other servers\nelsewhere:5432:*:*:nope\n127.0.0.1:{}:tv:tv:pa\\:ss\\\\word\n",
        pg.port
    );
    // Others may read it: libpq's rule, it is not used.
    std::fs::write(&pgpass, &lines).unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o640)).unwrap();
    host.cmd()
        .env_remove("PGPASSWORD")
        .args(["list"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("others may read it"));
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    host.cmd()
        .env_remove("PGPASSWORD")
        .args(["store", "k", "--secret", "-"])
        .write_stdin("sk-pgpass")
        .assert()
        .success();
    host.cmd()
        .env_remove("PGPASSWORD")
        .args(["get", "k"])
        .assert()
        .success()
        .stdout("sk-pgpass\n");
    // Without it: the server refuses the login (exit 7).
    std::fs::remove_file(&pgpass).unwrap();
    host.cmd()
        .env_remove("PGPASSWORD")
        .args(["get", "k"])
        .assert()
        .code(7);
}

#[test]
fn a_unix_socket_url_works_without_tls() {
    let Some(pg) = Cluster::start() else { return };
    let dir: String =
        form_urlencoded::byte_serialize(pg.dir().to_string_lossy().as_bytes()).collect();
    let url = format!("postgres://tv@{dir}:{}/tv", pg.port);
    let host = Host::new(&url, &new_key());
    host.cmd()
        .args(["store", "s", "--secret", "-"])
        .write_stdin("sk-socket")
        .assert()
        .success();
    assert_eq!(host.get("s"), "sk-socket\n");
}
