//! Single flight per credential, never per vault: a refresh waiting on a
//! provider holds its own credential only, so other writers and other
//! refreshes go on; and parallel writers and readers never see an error.

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// A gate the test opens: requests wait at it until then.
#[derive(Clone, Default)]
struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    fn wait(&self) {
        let (open, cv) = &*self.0;
        let mut open = open.lock().unwrap();
        while !*open {
            open = cv.wait(open).unwrap();
        }
    }

    fn open(&self) {
        let (open, cv) = &*self.0;
        *open.lock().unwrap() = true;
        cv.notify_all();
    }
}

/// A provider whose refreshes wait at `gate`, numbering the tokens.
fn gated_provider(gate: Gate) -> Provider {
    let n = AtomicUsize::new(0);
    Provider::start(move |req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-0"), 0)),
        _ => {
            gate.wait();
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            Reply::json(
                200,
                tokens(&format!("at-{i}"), Some(&format!("rt-{i}")), 3600),
            )
        }
    })
}

fn spawn(home: &Home, args: &[&str]) -> Child {
    home.std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (boundedly) until `f` holds.
fn eventually(what: &str, f: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn finish(child: Child) -> (bool, String, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_hanging_refresh_stalls_no_other_credential() {
    let gate = Gate::default();
    let slow = gated_provider(gate.clone());
    let open = Gate::default();
    open.open();
    let fast = gated_provider(open);
    let home = Home::new();
    home.add_public_client("slow", &slow.token_url());
    home.add_public_client("fast", &fast.token_url());
    home.exchange("a", "slow");
    home.exchange("b", "fast");

    let a = spawn(&home, &["get", "a"]);
    eventually("the refresh of a reached its provider", || {
        !slow.grants("refresh_token").is_empty()
    });
    // With a's refresh waiting on the network: another credential is
    // stored, another is refreshed, and a is read without refreshing.
    home.store(&["c", "--provider", "p", "--secret", "-"], "key-c");
    home.cmd().args(["refresh", "b"]).assert().success();
    assert_eq!(home.get("b"), "at-1\n");
    home.cmd()
        .args(["get", "a", "--no-refresh", "--allow-expired"])
        .assert()
        .success()
        .stdout("at-0\n");
    let mut a = a;
    assert!(
        a.try_wait().unwrap().is_none(),
        "a finished before its provider answered"
    );

    gate.open();
    let (ok, stdout, stderr) = finish(a);
    assert!(ok, "{stderr}");
    assert_eq!(stdout, "at-1\n");
    assert_eq!(slow.grants("refresh_token").len(), 1);
}

#[test]
fn a_waiting_process_says_what_it_waits_for_and_adopts_the_result() {
    let gate = Gate::default();
    let provider = gated_provider(gate.clone());
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    home.exchange("a", "idp");
    let first = spawn(&home, &["get", "a"]);
    eventually("the first refresh reached the provider", || {
        !provider.grants("refresh_token").is_empty()
    });
    let mut second = spawn(&home, &["get", "a"]);
    // The second one waits on the credential's lock and says so.
    let mut stderr = second.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        text
    });
    std::thread::sleep(Duration::from_millis(500));
    assert!(second.try_wait().unwrap().is_none());
    gate.open();
    let (ok, stdout, err) = finish(first);
    assert!(ok, "{err}");
    assert_eq!(stdout, "at-1\n");
    let out = second.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "at-1\n");
    let said = reader.join().unwrap();
    assert!(
        said.contains("waiting for another process that is refreshing or writing credential 'a'"),
        "{said}"
    );
    assert_eq!(provider.grants("refresh_token").len(), 1);
}

#[test]
fn eight_credentials_four_processes_each_one_refresh_apiece() {
    let provider = Provider::start(|req| match req.param("grant_type").as_deref() {
        Some("authorization_code") => Reply::json(200, tokens("at-0", Some("rt-0"), 0)),
        _ => {
            let rt = req.param("refresh_token").unwrap_or_default();
            Reply::json(200, tokens(&format!("new-{rt}"), Some(&rt), 3600))
                .after(Duration::from_millis(500))
        }
    });
    let home = Home::new();
    home.add_public_client("idp", &provider.token_url());
    for i in 0..8 {
        home.exchange(&format!("c{i}"), "idp");
    }
    let children: Vec<_> = (0..32)
        .map(|i| spawn(&home, &["get", &format!("c{}", i % 8)]))
        .collect();
    for child in children {
        let (ok, stdout, stderr) = finish(child);
        assert!(ok, "{stderr}");
        assert_eq!(stdout, "new-rt-0\n");
    }
    assert_eq!(provider.grants("refresh_token").len(), 8);
}

/// 8 writers and 8 readers, 1,000 operations each, every one opening the
/// vault as a command does: not a single error of any kind.
#[test]
fn parallel_writers_and_readers_never_fail() {
    use tokvault::token::{TokenData, TokenType};
    use tokvault::vault::{Location, NewCredential, Vault};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vault.db");
    let key = crate::common::new_key();
    let sealer_key = || tokvault::key::MasterKey::new(&key).unwrap();
    Vault::open_or_create(&Location::File(db.clone()))
        .unwrap()
        .write(|tx| tx.sealer_for_write(sealer_key()).map(|_| ()))
        .unwrap();
    let ops = 1000;
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let (db, errors, key) = (db.clone(), errors.clone(), key.clone());
            std::thread::spawn(move || {
                for i in 0..ops {
                    let result = (|| -> anyhow::Result<()> {
                        let mut vault =
                            Vault::open_existing(&Location::File(db.clone()))?.expect("exists");
                        if t < 8 {
                            let data: TokenData = serde_json::from_value(
                                serde_json::json!({"api_key": format!("k{t}-{i}")}),
                            )?;
                            let new = NewCredential {
                                user: "default".into(),
                                integration: format!("w{t}-{}", i % 50),
                                provider: "p".into(),
                                token_type: TokenType::ApiKey,
                                scopes: vec![],
                                expires_at: None,
                                oauth2_client: None,
                                client_credentials: false,
                            };
                            vault.write(|tx| {
                                let sealer = tx.sealer_for_write(
                                    tokvault::key::MasterKey::new(&key).unwrap(),
                                )?;
                                tx.put(&sealer, &new, &data, 1_800_000_000).map(|_| ())
                            })?;
                        } else {
                            let sealer = tokvault::vault::Sealer::new(
                                tokvault::key::MasterKey::new(&key).unwrap(),
                            );
                            let read = vault.read();
                            if let Some((meta, sealed)) =
                                read.credential("default", &format!("w{}-{}", t - 8, i % 50))?
                            {
                                read.unseal(&sealer, &meta, &sealed)?;
                            }
                            read.list(None, None)?;
                        }
                        Ok(())
                    })();
                    if let Err(e) = result {
                        errors.lock().unwrap().push(format!("{e:#}"));
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let errors = errors.lock().unwrap();
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
}

/// The same across processes, as parallel CI jobs run: 4 writers and 4
/// readers, each a separate `tokvault` per operation, so every open races
/// the others' checkpoints and lock files.
#[test]
fn parallel_writer_and_reader_processes_never_fail() {
    let home = Home::new();
    home.store(&["seed", "--provider", "p", "--secret", "-"], "v");
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let cmd = home.std_cmd();
            let (program, envs): (
                std::path::PathBuf,
                Vec<(std::ffi::OsString, std::ffi::OsString)>,
            ) = (
                cmd.get_program().into(),
                cmd.get_envs()
                    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned())))
                    .collect(),
            );
            std::thread::spawn(move || {
                let mut errors = Vec::new();
                for i in 0..40 {
                    let mut c = std::process::Command::new(&program);
                    c.envs(envs.iter().map(|(k, v)| (k, v)));
                    if !envs.iter().any(|(k, _)| k == "TOKVAULT_DB") {
                        c.env_remove("TOKVAULT_DB");
                    }
                    if w < 4 {
                        c.args([
                            "store",
                            &format!("w{w}-{}", i % 10),
                            "--provider",
                            "p",
                            "--secret",
                            "v",
                        ]);
                    } else {
                        c.args(["get", "seed"]);
                    }
                    let out = c.stdin(Stdio::null()).output().unwrap();
                    if !out.status.success() {
                        errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                errors
            })
        })
        .collect();
    let errors: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
}
