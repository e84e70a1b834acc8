//! `tokvault rekey`: every secret re-encrypted under a new key in one
//! transaction. Killed before it commits, the old key still opens the vault;
//! once committed, only the new one does.

use super::Vault;
use crate::Context;
use crate::audit::{Access, Outcome};
use crate::cli::RekeyArgs;
use crate::error;
use crate::key::{self, KeySource};
use crate::secret::Secret;
use crate::vault::Sealer;
use anyhow::Result;
use std::path::PathBuf;

/// Where the new key ends up.
enum Destination {
    /// A file the user named (created now if it did not exist).
    File(PathBuf),
    /// The key file in use, replaced once the transaction commits.
    Replace(PathBuf),
    /// Only TOKVAULT_NEW_KEY (the caller has it) or stdout (--show-key).
    Nowhere,
}

pub fn run(args: &RekeyArgs, ctx: &Context) -> Result<()> {
    // Set but empty is what `TOKVAULT_NEW_KEY="$(cat missing.key)"` gives:
    // never a random key the caller does not have instead.
    let from_env = match std::env::var("TOKVAULT_NEW_KEY") {
        Ok(v) if v.trim().is_empty() => {
            return Err(error::usage(
                "TOKVAULT_NEW_KEY is set but empty; unset it to generate a key; nothing was changed",
            ));
        }
        Ok(v) => Some(Secret::new(v)),
        Err(std::env::VarError::NotPresent) => None,
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(error::usage(
                "TOKVAULT_NEW_KEY is not valid UTF-8, so it is not a Fernet key; nothing was changed",
            ));
        }
    };
    let mut vault = Vault::open(ctx, "vault to rekey")?;
    if !vault.read().has_key()? {
        return Err(error::usage(
            "the vault holds no secrets yet; there is nothing to re-encrypt",
        ));
    }
    // No refresh may be waiting on a provider while every secret changes
    // key, and no other rekey may run: the lock is held until the new key
    // is in place.
    let _lock =
        vault.lock_all(|| eprintln!("tokvault: waiting for refreshes in progress to finish"))?;
    // A rekey killed earlier (perhaps after this one opened the vault) is
    // finished or undone under this lock, before anything else.
    vault.settle_locked()?;
    let old_key = crate::app::load_key(ctx.key())?;
    let (new_text, destination) = plan(args, ctx, from_env.clone())?;
    let new = Sealer::new(key::parse(&new_text, "the new key")?);
    if let Destination::Replace(path) = &destination {
        refuse_orphans(ctx, path, &old_key)?;
    }

    // Staged next to the key file before the commit, so that a kill right
    // after it leaves the new key on disk, where the next command finds it.
    let staged = match &destination {
        Destination::Replace(_) => {
            let staged = ctx.key().staged().expect("a key file is replaced");
            key::write_new_key_file(&staged, &new_text)?;
            Some(staged)
        }
        _ => None,
    };
    // Shown before the commit: once it commits, a key that was only to be
    // printed must already be in the caller's hands.
    if args.show_key {
        // A closed stdout is reopened on /dev/null when a Rust program
        // starts: the key would vanish without a word.
        let out = nix::sys::stat::fstat(std::io::stdout())?;
        if nix::sys::stat::stat("/dev/null").is_ok_and(|null| null.st_rdev == out.st_rdev)
            && out.st_mode & nix::libc::S_IFMT == nix::libc::S_IFCHR
        {
            return Err(error::usage(
                "--show-key: stdout is /dev/null or closed, so the new key would be lost; nothing was changed",
            ));
        }
        crate::output::secret(&new_text).map_err(|e| {
            anyhow::anyhow!("could not print the new key ({e}); nothing was changed")
        })?;
    }
    let hint = match &destination {
        Destination::File(p) | Destination::Replace(p) => Some(std::path::absolute(p)?),
        Destination::Nowhere => None,
    };
    let done = vault.write(|tx| {
        let old = tx.sealer_for_write(old_key)?;
        let done = tx.rekey(&old, &new)?;
        if let Some(path) = &hint {
            tx.set_key_file_hint(path)?;
        }
        tx.record_with(&new, &Access::vault("rekey", Outcome::Changed))?;
        Ok(done)
    });
    let done = match done {
        Ok(done) => done,
        Err(e) => {
            // Not committed: the old key still opens everything.
            if let Some(staged) = &staged {
                let _ = std::fs::remove_file(staged);
            }
            return Err(e);
        }
    };
    let place = match (&destination, &staged) {
        (Destination::Replace(path), Some(staged)) => {
            key::replace_key_file(staged, path)?;
            format!("the new key replaced {}", path.display())
        }
        (Destination::File(path), _) => {
            let how = match ctx.key().file() {
                Some(old) => format!(
                    "; {} no longer opens it: from now on pass --key-file {} (or set TOKVAULT_KEY_FILE)",
                    old.display(),
                    path.display()
                ),
                None => format!(
                    "; from now on set TOKVAULT_KEY to the key in {} (or pass --key-file {})",
                    path.display(),
                    path.display()
                ),
            };
            format!("the new key is in {}{how}", path.display())
        }
        _ if from_env.is_some() => {
            "the new key is the one in TOKVAULT_NEW_KEY: from now on set TOKVAULT_KEY to it"
                .to_string()
        }
        _ => "the new key is printed on stdout: from now on set TOKVAULT_KEY to it".to_string(),
    };
    eprintln!(
        "tokvault: re-encrypted {} credential(s) and {} OAuth2 client(s); {place}",
        done.credentials, done.clients
    );
    Ok(())
}

/// The new key and where it goes, decided before anything is touched.
fn plan(
    args: &RekeyArgs,
    ctx: &Context,
    from_env: Option<Secret>,
) -> Result<(Secret, Destination)> {
    if let Some(path) = &args.new_key_file {
        if path.exists() {
            if from_env.is_some() {
                return Err(error::usage(format!(
                    "both TOKVAULT_NEW_KEY and an existing {} name a new key; use one",
                    path.display()
                )));
            }
            // Checked like any key file: private, small, and a key.
            let text = key::read_key_file(path)?;
            key::parse(&text, &format!("--new-key-file {}", path.display()))?;
            return Ok((text, Destination::File(path.clone())));
        }
        let text = from_env.unwrap_or_else(|| Secret::new(fernet::Fernet::generate_key()));
        key::parse(&text, "the new key")?;
        key::write_new_key_file(path, &text)?;
        return Ok((text, Destination::File(path.clone())));
    }
    let destination = match ctx.key() {
        KeySource::File(path) | KeySource::Default(path) => Destination::Replace(path.clone()),
        KeySource::Env(_) if from_env.is_some() || args.show_key => Destination::Nowhere,
        KeySource::Env(_) => {
            return Err(error::usage(
                "the key comes from TOKVAULT_KEY, so there is no key file to replace: pass \
                 --new-key-file PATH, --show-key, or the new key in TOKVAULT_NEW_KEY",
            ));
        }
    };
    let text = from_env.unwrap_or_else(|| Secret::new(fernet::Fernet::generate_key()));
    Ok((text, destination))
}

/// Replacing a key file that other vaults are sealed with would leave them
/// with no key that opens them: refused, naming them, before anything is
/// touched. The vaults tokvault recorded beside the key file (every vault
/// file written with it) are checked; one that names another key file as
/// its own (a copied home directory), or that the key no longer opens, does
/// not count, and one that cannot be checked does: better a refusal that
/// names it than a vault nobody can open.
fn refuse_orphans(
    ctx: &Context,
    key_path: &std::path::Path,
    old_key: &key::MasterKey,
) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let id = |p: &std::path::Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    let this = ctx.db().file().and_then(id);
    let old = Sealer::new(old_key.clone());
    let mut others = Vec::new();
    for vault in key::recorded_vaults(key_path) {
        let Some(vault_id) = id(&vault) else {
            continue; // gone
        };
        if Some(vault_id) == this {
            continue;
        }
        if crate::app::depends_on_key(&vault, key_path, &old) {
            others.push(vault.display().to_string());
        }
    }
    if others.is_empty() {
        return Ok(());
    }
    Err(anyhow::anyhow!(
        "{} also opens {}; replacing it would leave no key that opens {}. Give each its own key \
         first (`tokvault --db VAULT rekey --new-key-file VAULT.key`), then rekey this one \
         (a vault you no longer use: remove its line from {}); nothing was changed",
        key_path.display(),
        others.join(", "),
        if others.len() == 1 { "it" } else { "them" },
        key::vaults_file(key_path).display()
    ))
}

/// `tokvault key generate FILE`: a new key, 0600 from the moment it exists,
/// written whole or not at all; an existing file is never touched.
pub fn generate(path: &std::path::Path) -> Result<()> {
    if path.symlink_metadata().is_ok() {
        return Err(error::usage(format!(
            "{} exists; a new key never replaces a file",
            path.display()
        )));
    }
    key::write_new_key_file(path, &Secret::new(fernet::Fernet::generate_key()))?;
    eprintln!(
        "tokvault: wrote a new master key to {} (0600); keep a copy apart from the vault's backups",
        path.display()
    );
    Ok(())
}
