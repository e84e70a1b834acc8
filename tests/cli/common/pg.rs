//! A throwaway PostgreSQL cluster for one test: initdb into a temporary
//! directory (as the `postgres` user when the tests run as root), started
//! with pg_ctl on 127.0.0.1 and a free port, stopped when dropped. Host
//! connections need a password (scram-sha-256); the role `tv` owns the
//! database `tv`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

pub const PASSWORD: &str = "tv-secret-pw";

fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

impl Cluster {
    /// A running cluster, or None (with the reason printed as SKIPPED).
    pub fn start() -> Option<Cluster> {
        Self::start_with(false)
    }

    /// The same, serving TLS with a self-signed certificate for 127.0.0.1
    /// (`cert()`); None also when openssl(1) cannot make one.
    pub fn start_tls() -> Option<Cluster> {
        Self::start_with(true)
    }

    /// The TLS certificate (and so the CA to trust).
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("server.crt")
    }

    fn start_with(tls: bool) -> Option<Cluster> {
        let Some(bin) = bin_dir() else {
            println!("SKIPPED: PostgreSQL (initdb, pg_ctl) is not installed");
            return None;
        };
        let as_postgres = nix::unistd::getuid().is_root();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::write(dir.path().join("pw"), format!("{PASSWORD}\n")).unwrap();
        let mut ssl = String::new();
        if tls {
            let made = Command::new("openssl")
                .args([
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                ])
                .args([
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                ])
                .args(["-addext", "basicConstraints=critical,CA:FALSE"])
                .arg("-keyout")
                .arg(dir.path().join("server.key"))
                .arg("-out")
                .arg(dir.path().join("server.crt"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if !made.is_ok_and(|s| s.success()) {
                println!("SKIPPED: openssl(1) is needed for a TLS certificate");
                return None;
            }
            std::fs::set_permissions(
                dir.path().join("server.key"),
                std::os::unix::fs::PermissionsExt::from_mode(0o600),
            )
            .unwrap();
            ssl = format!(
                " -c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key",
                dir.path().display()
            );
        }
        if as_postgres {
            let chown = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let port = free_port();
        let cluster = Cluster {
            dir,
            bin,
            port,
            as_postgres,
        };
        let initdb = cluster
            .run("initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .arg(format!(
                "--pwfile={}",
                cluster.dir.path().join("pw").display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            initdb.status.success(),
            "{}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        let started = cluster
            .run("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.path().join("log"))
            .arg("-o")
            .arg(format!(
                "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off{ssl}",
                cluster.dir.path().display()
            ))
            .args(["-w", "start"])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(started.success(), "pg_ctl start failed: {}", cluster.log());
        cluster.psql_super(&format!("CREATE ROLE tv LOGIN PASSWORD '{PASSWORD}'"));
        cluster.psql_super("CREATE DATABASE tv OWNER tv");
        Some(cluster)
    }

    fn run(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// The URL tokvault is given (its password comes from PGPASSWORD).
    pub fn url(&self) -> String {
        format!("postgres://tv@127.0.0.1:{}/tv", self.port)
    }

    /// Runs SQL as the superuser over the unix socket, in database `db`.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .run("psql")
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"])
            .arg("-h")
            .arg(self.dir.path())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs a script (a pg_dump, with COPY data) as the role `tv` in its
    /// database, so that what it creates is tv's.
    pub fn psql_script(&self, script: &str) {
        use std::io::Write;
        let mut child = self
            .run("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", "tv"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"SET ROLE tv;\n").unwrap();
        stdin.write_all(script.as_bytes()).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn psql_super(&self, sql: &str) -> String {
        self.psql("postgres", sql)
    }

    pub fn stop(&self) {
        let _ = self
            .run("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    pub fn restart(&self) {
        let status = self
            .run("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .arg("-l")
            .arg(self.dir.path().join("log"))
            .args(["-m", "immediate", "-w", "restart"])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{}", self.log());
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
