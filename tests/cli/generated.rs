//! Completions and man pages are generated from `Cli::command()` and
//! committed; this fails when they are stale. Regenerate with
//! `UPDATE_GENERATED=1 cargo test --test cli generated::`.

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
    [
        (Shell::Bash, "tokvault.bash"),
        (Shell::Zsh, "_tokvault"),
        (Shell::Fish, "tokvault.fish"),
        (Shell::Elvish, "tokvault.elv"),
        (Shell::PowerShell, "_tokvault.ps1"),
    ]
    .into_iter()
    .map(|(shell, file)| (file.to_string(), tokvault::completion_script(shell)))
    .collect()
}

/// Man pages as clap_mangen renders them, with the after-help turned into
/// EXAMPLES (and, for tokvault(1), EXIT STATUS, ENVIRONMENT and FILES)
/// instead of one "EXTRA" section.
fn man_pages() -> BTreeMap<String, Vec<u8>> {
    fn page(cmd: &clap::Command, top: bool, out: &mut BTreeMap<String, Vec<u8>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            page(sub, false, out);
        }
        let man = clap_mangen::Man::new(cmd.clone());
        let mut roff = Vec::new();
        man.render_title(&mut roff).unwrap();
        man.render_name_section(&mut roff).unwrap();
        man.render_synopsis_section(&mut roff).unwrap();
        man.render_description_section(&mut roff).unwrap();
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut roff).unwrap();
        }
        if cmd.has_subcommands() {
            man.render_subcommands_section(&mut roff).unwrap();
        }
        if let Some(after) = cmd.get_after_help() {
            section(&mut roff, "EXAMPLES", &after.to_string());
        }
        if top {
            section(&mut roff, "EXIT STATUS", tokvault::error::EXIT_CODES_HELP);
            section(&mut roff, "ENVIRONMENT", tokvault::cli::ENVIRONMENT_HELP);
            section(&mut roff, "FILES", tokvault::cli::FILES_HELP);
        }
        if cmd.get_version().is_some() {
            man.render_version_section(&mut roff).unwrap();
        }
        out.insert(man.get_filename(), roff);
    }
    let mut out = BTreeMap::new();
    page(&tokvault::cli::documented(), true, &mut out);
    out
}

/// A section of preformatted lines; the text's own first line ("Examples:")
/// is the heading's and is dropped.
fn section(roff: &mut Vec<u8>, title: &str, text: &str) {
    use std::io::Write;
    writeln!(roff, ".SH \"{title}\"\n.nf").unwrap();
    for line in text.lines().skip(1) {
        let line = line.replace('\\', "\\e");
        let line = match line.strip_prefix(['.', '\'']) {
            Some(_) => format!("\\&{line}"),
            None => line,
        };
        writeln!(roff, "{line}").unwrap();
    }
    writeln!(roff, ".fi").unwrap();
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
        "{committed}/ is stale: run `UPDATE_GENERATED=1 cargo test --test cli generated::` and commit"
    );
    for (name, bytes) in &fresh {
        assert!(
            old[name] == *bytes,
            "{committed}/{name} is stale: run `UPDATE_GENERATED=1 cargo test --test cli generated::` and commit"
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
    let top = String::from_utf8_lossy(&pages["tokvault.1"]).into_owned();
    for heading in ["EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(
            top.contains(&format!(".SH \"{heading}\"")),
            "tokvault.1 lacks {heading}"
        );
    }
    assert!(
        !top.contains("EXTRA"),
        "exit codes belong under EXIT STATUS"
    );
    for (name, page) in &pages {
        if name != "tokvault.1" && name != "tokvault-oauth2.1" {
            let page = String::from_utf8_lossy(page);
            assert!(page.contains(".SH \"EXAMPLES\""), "{name} has no examples");
        }
    }
    check("man", pages);
}
