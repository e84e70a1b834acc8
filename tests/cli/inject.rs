//! `tokvault inject`: templates filled with fresh secrets, written whole
//! and private, or not at all.

use crate::common::{Home, mode, refused};

fn home() -> Home {
    let home = Home::new();
    home.store(
        &["gh", "--provider", "github", "--secret", "-"],
        "SECRET-gh",
    );
    home.cmd()
        .args(["--user", "ci", "store", "team/api key", "--secret", "-"])
        .write_stdin("SECRET-ci")
        .assert()
        .success();
    home
}

const TEMPLATE: &str = "\
registry=https://npm.example.com/
token={{ tokvault://gh }}
again={{tokvault://gh}}
ci: {{ tokvault://ci/team%2Fapi%20key/ }}
literal: \\{{ tokvault://gh }} and {{ .Values.x }}
";

const FILLED: &str = "\
registry=https://npm.example.com/
token=SECRET-gh
again=SECRET-gh
ci: SECRET-ci
literal: {{ tokvault://gh }} and {{ .Values.x }}
";

#[test]
fn inject_fills_every_reference_from_stdin_or_a_file() {
    let home = home();
    home.cmd()
        .arg("inject")
        .write_stdin(TEMPLATE)
        .assert()
        .success()
        .stdout(FILLED);
    let tpl = home.path().join("npmrc.tpl");
    std::fs::write(&tpl, TEMPLATE).unwrap();
    let out = home.path().join(".npmrc");
    home.cmd()
        .args(["inject", "-i"])
        .arg(&tpl)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), FILLED);
    assert_eq!(mode(&out), 0o600);
    // An existing file only with --force, its mode kept no wider than 0600.
    refused(
        &home,
        &[
            "inject",
            "-i",
            tpl.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
        "",
        2,
        "--force",
    );
    std::fs::set_permissions(&out, std::os::unix::fs::PermissionsExt::from_mode(0o444)).unwrap();
    home.cmd()
        .args(["inject", "--force", "-i"])
        .arg(&tpl)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(mode(&out), 0o400);
    // Each value served is on record.
    let audit = home
        .cmd()
        .args(["audit", "--operation", "inject", "--json"])
        .assert()
        .success();
    let lines = String::from_utf8_lossy(&audit.get_output().stdout)
        .lines()
        .count();
    assert_eq!(lines, 6, "two credentials, each once, in three runs");
}

#[test]
fn a_reference_that_cannot_be_resolved_writes_nothing() {
    let home = home();
    let out = home.path().join("out.yml");
    let o = out.to_str().unwrap();
    for (template, code, message) in [
        (
            "a: 1\nb: {{ tokvault://nope }}\n",
            3,
            "line 2: tokvault://nope",
        ),
        ("a: {{ tokvault://gh/no_such_field }}\n", 3, "line 1"),
        ("\n\nx {{ tokvault://a/b/c/d }}", 2, "line 3"),
        ("x {{ tokvault://gh\n}}", 2, "no }} on its line"),
        ("x {{ tokvault://g%zz }}", 2, "hex digits"),
    ] {
        refused(&home, &["inject", "-o", o], &[], template, code, message);
        assert!(!out.exists());
    }
}

#[test]
fn a_value_with_a_line_break_needs_allow_multiline() {
    let home = home();
    home.store(
        &["pem", "--secret", "-"],
        "-----BEGIN-----\nabc\n-----END-----",
    );
    refused(
        &home,
        &["inject"],
        &[],
        "key: {{ tokvault://pem }}",
        2,
        "--allow-multiline",
    );
    home.cmd()
        .args(["inject", "--allow-multiline"])
        .write_stdin("key: {{ tokvault://pem }}")
        .assert()
        .success()
        .stdout("key: -----BEGIN-----\nabc\n-----END-----");
}

#[test]
fn an_endless_or_huge_template_is_refused() {
    let home = home();
    refused(
        &home,
        &["inject", "-i", "/dev/zero"],
        &[],
        "",
        2,
        "not a regular file",
    );
    let big = "x".repeat((16 << 20) + 1);
    refused(&home, &["inject"], &[], &big, 2, "larger than 16 MiB");
}

#[test]
fn an_out_that_is_a_link_or_in_a_shared_directory() {
    use std::os::unix::fs::PermissionsExt;
    let home = home();
    // A link is refused, with or without --force, and its target untouched.
    let target = home.path().join("target.conf");
    std::fs::write(&target, "theirs").unwrap();
    let link = home.path().join("out.conf");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for force in [false, true] {
        let mut args = vec!["inject", "-o", link.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        refused(
            &home,
            &args,
            &[],
            "t={{ tokvault://gh }}",
            2,
            "symbolic link",
        );
    }
    let dangling = home.path().join("dangling.conf");
    std::os::unix::fs::symlink(home.path().join("nowhere"), &dangling).unwrap();
    refused(
        &home,
        &["inject", "-o", dangling.to_str().unwrap()],
        &[],
        "t={{ tokvault://gh }}",
        2,
        "symbolic link",
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
    assert!(!home.path().join("nowhere").exists());
    // A directory others may write into: written, with a warning naming it.
    let shared = home.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = shared.join("app.conf");
    home.cmd()
        .args(["inject", "-o"])
        .arg(&out)
        .write_stdin("t={{ tokvault://gh }}")
        .assert()
        .success()
        .stderr(predicates::str::contains("can be written by others"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "t=SECRET-gh");
    assert_eq!(mode(&out), 0o600);
}

#[test]
fn run_resolves_references_in_env_files_and_in_its_environment() {
    let home = home();
    let env_file = home.path().join(".env");
    std::fs::write(
        &env_file,
        "# checked in: references, not secrets\nGH=\"tokvault://gh\"\nexport CI_KEY='tokvault://ci/team%2Fapi%20key/'\n",
    )
    .unwrap();
    let script = "echo \"$GH $CI_KEY $FROM_ENV\"";
    home.cmd()
        .env("FROM_ENV", "tokvault://gh")
        .args(["run", "--env-file"])
        .arg(&env_file)
        .args(["--", "sh", "-c", script])
        .assert()
        .success()
        .stdout("SECRET-gh SECRET-ci SECRET-gh\n");
    home.cmd()
        .env("FROM_ENV", "tokvault://gh")
        .args(["run", "--mask", "--env-file"])
        .arg(&env_file)
        .args(["--", "sh", "-c", script])
        .assert()
        .success()
        .stdout("*** *** ***\n");
    // A reference that cannot be resolved stops the command before it starts.
    let marker = home.path().join("started");
    let touch = format!("touch '{}'", marker.display());
    home.cmd()
        .env("FROM_ENV", "tokvault://nope")
        .args(["run", "--env-file"])
        .arg(&env_file)
        .args(["--", "sh", "-c", &touch])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("FROM_ENV=tokvault://nope"));
    assert!(!marker.exists());
}

#[test]
fn a_copy_a_killed_inject_left_behind_is_removed() {
    let home = home();
    let out = home.path().join("app.env");
    // The id of a process that has exited.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let stale = home
        .path()
        .join(format!("app.env.tokvault-inject-{}", gone.id()));
    std::fs::write(&stale, "token=SECRET-gh").unwrap();
    home.cmd()
        .args(["inject", "-o"])
        .arg(&out)
        .write_stdin("x")
        .assert()
        .success();
    assert!(!stale.exists(), "a stale copy with secrets was left");
}
