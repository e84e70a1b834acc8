//! kill -9 at every step of a rekey, then every command run again: no
//! sequence of kills and re-runs may destroy the last copy of the key that
//! opens the vault, or any credential.
//!
//! The kills are real: strace(1) delivers SIGKILL when rekey makes its Nth
//! call of one system call (each file creation, write, sync, rename and
//! lock in turn), for every N until rekey completes.

use crate::common::HomeEnv;

use crate::common::Home;
use std::path::Path;
use std::process::Command;

/// The system calls through which a rekey changes anything on disk.
const STEPS: &[&str] = &[
    "openat",
    "write",
    "pwrite64",
    "fsync",
    "fdatasync",
    "ftruncate",
    "rename",
    "unlink",
    "fcntl",
];

fn strace() -> Option<()> {
    let works = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    works.then_some(())
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            std::fs::set_permissions(&target, entry.metadata().unwrap().permissions()).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `tokvault ARGS` in `home`, killed at the `n`th call of `syscall`.
/// True when the kill landed (rekey did not finish).
fn killed_at(home: &Home, args: &[&str], syscall: &str, n: usize) -> bool {
    let tokvault = home.std_cmd();
    let status = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", &format!("trace={syscall}")])
        .arg("-e")
        .arg(format!("inject={syscall}:signal=KILL:when={n}"))
        .arg(tokvault.get_program())
        .args(args)
        .home_env(home)
        .env_remove("TOKVAULT_KEY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    !status.success()
}

/// After a kill: every command works again, rekey included, and every
/// credential reads back. `first` picks which command runs first: each one
/// must be able to finish an interrupted rekey by itself. Returns what went
/// wrong, if anything.
fn recovers(home: &Home, extra: &[&str], first: usize) -> Result<(), String> {
    let run = |args: &[&str], stdin: &str| {
        let out = home
            .cmd()
            .args(args)
            .args(extra)
            .write_stdin(stdin)
            .output()
            .unwrap();
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    let steps: [&dyn Fn() -> Result<(), String>; 4] = [
        &|| {
            (run(&["get", "a"], "")? == "value-a\n")
                .then_some(())
                .ok_or("a has a wrong value".into())
        },
        &|| {
            run(
                &["store", "c", "--provider", "p", "--secret", "-"],
                "value-c",
            )
            .map(|_| ())
        },
        &|| run(&["rekey"], "").map(|_| ()),
        &|| {
            run(
                &[
                    "export-vault",
                    &format!("{}/e{first}", home.path().display()),
                ],
                "",
            )
            .map(|_| ())
        },
    ];
    for i in 0..steps.len() {
        steps[(first + i) % steps.len()]()?;
    }
    for (name, value) in [("a", "value-a\n"), ("b", "value-b\n"), ("c", "value-c\n")] {
        if run(&["get", name], "")? != value {
            return Err(format!("{name} has a wrong value after rekey"));
        }
    }
    Ok(())
}

#[test]
fn kill_at_every_step_of_rekey_loses_nothing() {
    if strace().is_none() {
        println!("SKIPPED: strace is not installed or cannot trace here (.ci/run installs it)");
        return;
    }
    let template = Home::new();
    template.store(&["a", "--provider", "p", "--secret", "-"], "value-a");
    template.store(&["b", "--provider", "p", "--secret", "-"], "value-b");
    let mut kills = 0;
    let mut failures = Vec::new();
    for syscall in STEPS {
        for n in 1.. {
            let home = Home::new();
            copy_tree(template.path(), home.path());
            if !killed_at(&home, &["rekey"], syscall, n) {
                break;
            }
            kills += 1;
            if let Err(e) = recovers(&home, &[], kills) {
                failures.push(format!("killed at {syscall} #{n}: {e}"));
            }
        }
    }
    println!("{kills} kills during rekey, {} failures", failures.len());
    assert!(kills > 50, "only {kills} kill points: is strace injecting?");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn kill_at_every_step_of_rekey_to_a_new_key_file_names_the_key() {
    if strace().is_none() {
        println!("SKIPPED: strace is not installed or cannot trace here (.ci/run installs it)");
        return;
    }
    let template = Home::new();
    template.store(&["a", "--provider", "p", "--secret", "-"], "value-a");
    template.store(&["b", "--provider", "p", "--secret", "-"], "value-b");
    let mut failures = Vec::new();
    for syscall in ["write", "pwrite64", "fsync", "fdatasync"] {
        for n in 1.. {
            let home = Home::new();
            copy_tree(template.path(), home.path());
            let new = home.path().join("new.key");
            let new_arg = new.to_str().unwrap();
            if !killed_at(&home, &["rekey", "--new-key-file", new_arg], syscall, n) {
                break;
            }
            // Either the old key still opens the vault, or the error says
            // which file does.
            let out = home.cmd().args(["get", "a"]).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let extra: &[&str] = if out.status.success() {
                &[]
            } else if stderr.contains(&format!("pass --key-file {new_arg}")) {
                &["--key-file", new_arg]
            } else {
                failures.push(format!("killed at {syscall} #{n}: {stderr}"));
                continue;
            };
            if let Err(e) = recovers(&home, extra, n) {
                failures.push(format!("killed at {syscall} #{n}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn many_commands_at_once_finish_an_interrupted_rekey_once() {
    if strace().is_none() {
        println!("SKIPPED: strace is not installed or cannot trace here (.ci/run installs it)");
        return;
    }
    for round in 0..5 {
        let home = Home::new();
        home.store(&["a", "--provider", "p", "--secret", "-"], "value-a");
        home.store(&["b", "--provider", "p", "--secret", "-"], "value-b");
        // Killed after its commit, before the new key is moved into place.
        assert!(killed_at(&home, &["rekey"], "rename", 1));
        let staged = home.key_file().with_extension("new");
        assert!(staged.exists(), "round {round}: no staged key");
        let children: Vec<_> = (0..6)
            .map(|i| {
                let args: &[&str] = match i % 3 {
                    0 => &["get", "a"],
                    1 => &["store", "c", "--provider", "p", "--secret", "value-c"],
                    _ => &["rekey"],
                };
                home.std_cmd()
                    .args(args)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(!staged.exists());
        assert_eq!(home.get("a"), "value-a\n");
        assert_eq!(home.get("b"), "value-b\n");
    }
}
