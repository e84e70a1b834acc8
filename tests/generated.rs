//! Completions and man pages are generated from `Cli::command()` and
//! committed; this fails when they are stale. Regenerate with
//! `UPDATE_GENERATED=1 cargo test --test generated`.

use clap::CommandFactory;
use clap_complete::Shell;
use std::collections::BTreeMap;
use std::path::Path;
use tokvault::cli::Cli;

#[test]
fn cli_definition_is_consistent() {
    Cli::command().debug_assert();
}

fn completions() -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        clap_complete::generate_to(shell, &mut Cli::command(), "tokvault", dir.path()).unwrap();
    }
    read_dir(dir.path())
}

fn man_pages() -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(Cli::command(), dir.path()).unwrap();
    read_dir(dir.path())
}

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn check(committed: &str, fresh: BTreeMap<String, Vec<u8>>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(committed);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &fresh {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        return;
    }
    let old = read_dir(&dir);
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&old),
        names(&fresh),
        "{committed}/ is stale: run `UPDATE_GENERATED=1 cargo test --test generated` and commit"
    );
    for (name, bytes) in &fresh {
        assert!(
            old[name] == *bytes,
            "{committed}/{name} is stale: run `UPDATE_GENERATED=1 cargo test --test generated` and commit"
        );
    }
}

#[test]
fn completions_are_current() {
    check("completions", completions());
}

#[test]
fn man_pages_are_current() {
    let pages = man_pages();
    for page in [
        "tokvault.1",
        "tokvault-store.1",
        "tokvault-get.1",
        "tokvault-list.1",
        "tokvault-delete.1",
    ] {
        assert!(pages.contains_key(page), "{page} not generated");
    }
    assert!(
        String::from_utf8_lossy(&pages["tokvault.1"]).contains("Exit codes"),
        "the man page must document exit codes"
    );
    check("man", pages);
}
