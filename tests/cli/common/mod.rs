//! A private home for each test: a temporary directory holding the vault and
//! key, with every variable that could point tokvault elsewhere cleared.

#[cfg(feature = "postgres")]
pub mod pg;
pub mod provider;

use assert_cmd::Command;
use base64::Engine;
use std::path::{Path, PathBuf};

pub struct Home {
    pub dir: tempfile::TempDir,
    /// The vault in PostgreSQL when the suite runs against a database
    /// (TOKVAULT_TEST_DB_URL): a vault of its own per home.
    pub remote: Option<String>,
}

impl Home {
    pub fn new() -> Home {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let remote = std::env::var("TOKVAULT_TEST_DB_URL").ok().map(|url| {
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            format!("{url}?vault=t{}_{n}", std::process::id())
        });
        Home {
            dir: tempfile::tempdir().unwrap(),
            remote,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The default vault location under this home.
    pub fn db(&self) -> PathBuf {
        self.path().join("data/tokvault/vault.db")
    }

    pub fn key_file(&self) -> PathBuf {
        self.path().join("config/tokvault/key")
    }

    /// This home's XDG_RUNTIME_DIR (private, as a login session's is):
    /// where `run --file` keeps its files.
    pub fn runtime_dir(&self) -> PathBuf {
        let dir = self.path().join("runtime");
        if !dir.exists() {
            std::fs::create_dir(&dir).unwrap();
            std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))
                .unwrap();
        }
        dir
    }

    /// `tokvault` with no terminal, no CI, and this home.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a std command, for tests that spawn processes.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("tokvault"));
        for var in [
            "TOKVAULT_DB",
            "TOKVAULT_KEY",
            "TOKVAULT_KEY_FILE",
            "TOKVAULT_USER",
            "TOKVAULT_MASK",
            "CI",
            "GITHUB_ACTIONS",
            "NO_COLOR",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.path())
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_RUNTIME_DIR", self.runtime_dir())
            .env("NO_PROXY", "127.0.0.1,localhost");
        if let Some(url) = &self.remote {
            cmd.env("TOKVAULT_DB", url);
        }
        cmd
    }

    /// Stores a credential from stdin, asserting success.
    pub fn store(&self, args: &[&str], stdin: &str) {
        self.cmd()
            .arg("store")
            .args(args)
            .write_stdin(stdin)
            .assert()
            .success();
    }

    /// `tokvault get NAME` stdout, asserting success.
    pub fn get(&self, name: &str) -> String {
        let out = self.cmd().args(["get", name]).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    pub fn get_json(&self, name: &str) -> serde_json::Value {
        let out = self.cmd().args(["get", name, "--json"]).assert().success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    }

    /// A public OAuth2 client (id "cid", no secret) at `token_url`.
    pub fn add_public_client(&self, name: &str, token_url: &str) {
        self.add_public_client_with(name, token_url, &[]);
    }

    /// `add_public_client` with more `oauth2 add` arguments.
    fn add_public_client_with(&self, name: &str, token_url: &str, extra: &[&str]) {
        self.cmd()
            .args(["oauth2", "add", name, "--token-url", token_url])
            .args(["--client-id", "cid", "--auth-method", "none"])
            .args(extra)
            .assert()
            .success();
    }

    /// Two API keys, `openai` and `anthropic`, whose secrets hold "SECRET".
    pub fn with_two() -> Home {
        let home = Home::new();
        home.store(&["openai", "--secret", "-"], "SECRET-one");
        home.store(&["anthropic", "--secret", "-"], "SECRET-two");
        home
    }

    /// `exchange-code NAME --oauth2 CLIENT --code -` with `code` on stdin.
    pub fn exchange_with(
        &self,
        name: &str,
        client: &str,
        code: &str,
    ) -> assert_cmd::assert::Assert {
        self.cmd()
            .args(["exchange-code", name, "--oauth2", client, "--code", "-"])
            .write_stdin(code.to_string())
            .assert()
    }

    /// A public client with an authorization endpoint at idp.example, for
    /// what builds authorization URLs (nothing is ever sent there).
    pub fn add_browser_client(&self, name: &str, extra: &[&str]) {
        let extra: Vec<&str> = ["--auth-url", "https://idp.example/authorize"]
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        self.add_public_client_with(name, "https://idp.example/token", &extra);
    }

    /// Stores credential `name` by exchanging the code "c" as `client`.
    pub fn exchange(&self, name: &str, client: &str) {
        self.cmd()
            .args(["exchange-code", name, "--oauth2", client, "--code", "c"])
            .assert()
            .success();
    }

    /// `snapshot`, or nothing when the vault's directory does not exist yet.
    pub fn snapshot_or_empty(&self) -> Vec<(PathBuf, Vec<u8>)> {
        if self.remote.is_some() || self.db().parent().unwrap().exists() {
            self.snapshot()
        } else {
            Vec::new()
        }
    }

    /// What the vault stores, for comparisons: every file beside it, a
    /// vault as its rows (its write-ahead log included) and any other file
    /// byte for byte. The audit log and its marks in `meta` are left out: a
    /// refused access is recorded there, and changes nothing else (the
    /// lock directory holds only empty lock files, and is left out too).
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        if let Some(url) = &self.remote {
            return remote_snapshot(url);
        }
        let dir = self.db().parent().unwrap().to_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .filter(|p| !is_write_ahead_log(p))
            .map(|p| {
                let bytes = rows_of(&p).unwrap_or_else(|| std::fs::read(&p).unwrap());
                (p, bytes)
            })
            .collect();
        files.sort();
        files
    }
}

/// SQLite's files beside a database: their contents are its rows.
fn is_write_ahead_log(path: &Path) -> bool {
    let name = path.to_string_lossy();
    ["-wal", "-shm"].iter().any(|end| {
        name.strip_suffix(end)
            .is_some_and(|base| Path::new(base).is_file())
    })
}

/// A tokvault vault's versions, schema and rows but the audit log's; None
/// for a file that is not one.
pub fn rows_of(path: &Path) -> Option<Vec<u8>> {
    use rusqlite::{Connection, OpenFlags, types::Value};
    let mut header = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open(path).ok()?, &mut header).ok()?;
    if &header != b"SQLite format 3\0" {
        return None;
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let (app, version): (i64, i64) = conn
        .query_row(
            "SELECT a.application_id, v.user_version FROM pragma_application_id a, pragma_user_version v",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok()?;
    if app != 0x746b_7674 {
        return None;
    }
    let mut out = format!("{app} {version}\n");
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE name != 'audit' ORDER BY name")
        .ok()?;
    let tables: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok()?
        .collect::<Result<_, _>>()
        .ok()?;
    for (name, sql) in tables {
        out.push_str(&format!("{name}: {sql:?}\n"));
        let only_ours = if name == "meta" {
            " WHERE name NOT LIKE 'audit%'"
        } else {
            ""
        };
        let Ok(mut rows) = conn.prepare(&format!("SELECT * FROM \"{name}\"{only_ours}")) else {
            continue; // an index
        };
        let columns = rows.column_count();
        let mut all: Vec<String> = rows
            .query_map([], |r| {
                (0..columns)
                    .map(|i| r.get::<_, Value>(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join("|"))
            })
            .ok()?
            .collect::<Result<_, _>>()
            .ok()?;
        all.sort();
        for row in all {
            out.push_str(&row);
            out.push('\n');
        }
    }
    Some(out.into_bytes())
}

/// A PostgreSQL vault's rows, table by table (one psql session, PGPASSWORD
/// from the suite's environment); nothing for a table not created yet.
fn remote_snapshot(url: &str) -> Vec<(PathBuf, Vec<u8>)> {
    use std::io::Write;
    let (base, vault) = url.split_once("?vault=").unwrap();
    let schema = format!("tokvault_{vault}");
    let tables = [
        "meta",
        "credentials",
        "oauth2_clients",
        "pending_authorizations",
        "routes",
    ];
    let marker = "--snapshot-of-table--";
    // Table names are checked before a query runs: ask first, with \if.
    let script: String = tables
        .iter()
        .map(|table| {
            let only_ours = if *table == "meta" {
                " WHERE name NOT LIKE 'audit%'"
            } else {
                ""
            };
            format!(
                "\\echo {marker}\n\
                 SELECT to_regclass('{schema}.{table}') IS NOT NULL AS exists \\gset\n\
                 \\if :exists\n\
                 SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {schema}.{table} t{only_ours};\n\
                 \\endif\n"
            )
        })
        .collect();
    let mut psql = std::process::Command::new("psql")
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", base])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    psql.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = psql.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let parts: Vec<&str> = text.split(&format!("{marker}\n")).skip(1).collect();
    assert_eq!(parts.len(), tables.len(), "psql: {text}");
    tables
        .iter()
        .zip(parts)
        .map(|(table, rows)| (PathBuf::from(table), rows.as_bytes().to_vec()))
        .collect()
}

/// Whether this test needs the vault to be a file (it reads the file, its
/// permissions or its directory): under TOKVAULT_TEST_DB_URL it says so and
/// is skipped.
pub fn file_vault_only(home: &Home, why: &str) -> bool {
    if home.remote.is_some() {
        println!("SKIPPED with a PostgreSQL vault: {why}");
        return true;
    }
    false
}

/// A fresh Fernet key.
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).unwrap();
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

/// An unsigned JWT with these claims.
pub fn jwt(claims: &serde_json::Value) -> String {
    let e = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.c2ln",
        e(br#"{"alg":"RS256","typ":"JWT"}"#),
        e(claims.to_string().as_bytes())
    )
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Writes a file only its owner may read, as a key file must be.
pub fn write_private(path: &Path, contents: impl AsRef<[u8]>) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .unwrap();
    file.write_all(contents.as_ref()).unwrap();
}

/// Runs `args` (with `env` and `stdin`), asserting the exit code, one line
/// on stderr containing `message` and no secret, and an unchanged vault.
pub fn refused(
    home: &Home,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &str,
    code: i32,
    message: &str,
) {
    let before = home.snapshot();
    let mut cmd = home.cmd();
    cmd.args(args).write_stdin(stdin);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(
        stderr.contains(message),
        "{args:?}: expected {message:?} in {stderr}"
    );
    assert_eq!(
        stderr
            .trim_end()
            .lines()
            .filter(|l| l.contains("error"))
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        !stderr.contains("SECRET") && !stderr.contains("27182818284"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    assert!(home.snapshot() == before, "{args:?} changed the vault");
}

/// Gives another program (a shell, git, kubectl, the AWS SDK) this home's
/// environment: the variables `Home::std_cmd` sets, and the ones it removes
/// (CI, proxies, TOKVAULT_*), so nothing of the test runner's leaks in.
pub trait HomeEnv {
    fn home_env(&mut self, home: &Home) -> &mut Self;

    /// `home_env` for git: tokvault on PATH, and no configuration but the
    /// test's own (no system or global file, never a prompt).
    fn git_env(&mut self, home: &Home) -> &mut Self;
}

impl HomeEnv for std::process::Command {
    fn home_env(&mut self, home: &Home) -> &mut Self {
        for (k, v) in home.std_cmd().get_envs() {
            match v {
                Some(v) => self.env(k, v),
                None => self.env_remove(k),
            };
        }
        self
    }

    fn git_env(&mut self, home: &Home) -> &mut Self {
        let bin_dir = assert_cmd::cargo::cargo_bin("tokvault")
            .parent()
            .unwrap()
            .to_owned();
        self.home_env(home)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin_dir.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_TERMINAL_PROMPT", "0")
    }
}

/// Runs SQL against the vault file itself, as an attacker with the file
/// could.
pub fn sql(home: &Home, statement: &str) {
    let conn = rusqlite::Connection::open(home.db()).unwrap();
    conn.execute_batch(statement).unwrap();
}

/// A file's permission bits.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
