//! File modes, and secrets kept out of every place they must not reach.

use crate::common::{Home, mode};

#[test]
fn vault_and_key_are_private() {
    let home = Home::new();
    home.store(&["openai", "--secret", "-"], "k");
    assert_eq!(mode(&home.db()), 0o600);
    assert_eq!(mode(home.db().parent().unwrap()), 0o700);
    assert_eq!(mode(&home.key_file()), 0o600);
    assert_eq!(mode(home.key_file().parent().unwrap()), 0o700);
    // Nothing else is left next to the vault.
    let names: Vec<_> = home.snapshot().into_iter().map(|(p, _)| p).collect();
    assert_eq!(names, [home.db()]);
}

#[test]
fn private_inside_an_existing_directory() {
    let home = Home::new();
    let dir = home.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("v.db");
    home.cmd()
        .args(["store", "openai", "--secret", "-", "--db"])
        .arg(&db)
        .write_stdin("k")
        .assert()
        .success();
    assert_eq!(mode(&db), 0o600);
}

#[test]
fn no_secret_in_the_vault_file_or_in_errors() {
    let home = Home::new();
    home.store(
        &[
            "gh",
            "--provider",
            "github",
            "--secret",
            "-",
            "--refresh-token",
            "SECRET-refresh",
        ],
        "SECRET-access",
    );
    let bytes = std::fs::read(home.db()).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("SECRET"),
        "plaintext secret in the vault file"
    );

    // Errors that mention the credential never show its data.
    let out = home
        .cmd()
        .args(["get", "gh", "--field", "nope"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("SECRET"));
}
