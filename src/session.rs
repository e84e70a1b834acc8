//! A command's session: what it may need, resolved once from flags and
//! environment (vault path, key source, namespace, clock, HTTP limits).
//! Commands start here; `app::Vault` opens the vault from it.

use crate::error;
use crate::key::KeySource;
use crate::{cli, http, mask, prompt};
use anyhow::{Context as _, Result};
use std::path::PathBuf;
use std::time::Duration;

/// What every command may need, resolved once from flags and environment.
#[derive(Clone)]
pub struct Context {
    db: crate::vault::Location,
    /// The vault path was given (--db, TOKVAULT_DB), not the default one.
    db_given: bool,
    key: KeySource,
    user: String,
    prompt: prompt::Prompter,
    mask: mask::Masker,
    /// Unix seconds, read once so one command sees one "now".
    pub now: i64,
    /// Where tokvault keeps what it may forget (when it last warned of a
    /// refresh token's end); None without a home directory.
    pub cache_dir: Option<PathBuf>,
    /// How the audit log is kept (TOKVAULT_AUDIT), and what this command
    /// is called in it.
    pub audit: crate::audit::Settings,
    connect_timeout: Duration,
    timeout: Duration,
    /// The command, and the global options its help shows: the only ones
    /// it may read (checked in debug builds, so the test suite proves the
    /// help right).
    path: &'static str,
    reads: &'static [&'static str],
}

impl Context {
    pub(crate) fn new(global: &cli::GlobalArgs, path: &'static str) -> Result<Context> {
        // Every default path derives from here; tests point HOME or the XDG
        // variables (or --db / --key-file) at a temporary directory.
        let dirs = || {
            directories::ProjectDirs::from("", "", "tokvault").context(
                "cannot find a home directory for the default vault; pass --db and --key-file",
            )
        };
        let db = match &global.db {
            Some(path) => crate::vault::Location::parse(path)?,
            None => crate::vault::Location::File(dirs()?.data_dir().join("vault.db")),
        };
        let key = match (std::env::var("TOKVAULT_KEY"), &global.key_file) {
            (Ok(value), _) if !value.is_empty() => KeySource::Env(value.into()),
            // Never quietly the default key instead of the one meant.
            (Err(std::env::VarError::NotUnicode(_)), _) => {
                return Err(error::key(
                    "TOKVAULT_KEY is not valid UTF-8, so it is not a Fernet key",
                ));
            }
            (_, Some(path)) => KeySource::File(path.clone()),
            _ => KeySource::Default(dirs()?.config_dir().join("key")),
        };
        Ok(Context {
            db,
            db_given: global.db.is_some(),
            key,
            user: global.user.clone(),
            prompt: prompt::Prompter::new(global.no_input),
            mask: mask::Masker::new(global.no_mask),
            now: jiff::Timestamp::now().as_second(),
            cache_dir: dirs().ok().map(|d| d.cache_dir().to_owned()),
            audit: crate::audit::Settings {
                mode: crate::audit::Mode::parse(
                    &std::env::var("TOKVAULT_AUDIT").unwrap_or_default(),
                )
                .map_err(error::usage)?,
                ..Default::default()
            },
            connect_timeout: Duration::from_secs(global.connect_timeout.unsigned_abs()),
            timeout: Duration::from_secs(global.http_timeout.unsigned_abs()),
            path,
            reads: cli::global_options_used(path),
        })
    }

    /// A global option's value is being read: the command's help must show
    /// that option.
    fn reads(&self, option: &str) {
        debug_assert!(
            self.reads.contains(&option),
            "`{}` reads --{}, which cli::global_options_used leaves out of its help",
            self.path,
            option.replace('_', "-")
        );
    }

    /// Where the vault is (--db).
    pub fn db(&self) -> &crate::vault::Location {
        self.reads("db");
        &self.db
    }

    /// The vault's location was given (--db, TOKVAULT_DB), not the default.
    pub fn db_given(&self) -> bool {
        self.reads("db");
        self.db_given
    }

    /// Where the master key comes from (TOKVAULT_KEY, --key-file).
    pub fn key(&self) -> &KeySource {
        self.reads("key_file");
        &self.key
    }

    /// The namespace (--user).
    pub fn user(&self) -> &str {
        self.reads("user");
        &self.user
    }

    /// Whether and how to ask the person (--no-input).
    pub fn prompt(&self) -> &prompt::Prompter {
        self.reads("no_input");
        &self.prompt
    }

    /// Registering secrets for CI log masking (--no-mask).
    pub fn mask(&self) -> &mask::Masker {
        self.reads("no_mask");
        &self.mask
    }

    /// The same context with "now" read again, for a command that goes on
    /// working while time passes (`run --file`).
    pub fn at_now(&self) -> Context {
        Context {
            now: jiff::Timestamp::now().as_second(),
            ..self.clone()
        }
    }

    /// The same context in another namespace (the Tokens API's `user_id`).
    pub fn with_user(&self, user: &str) -> Context {
        Context {
            user: user.to_string(),
            ..self.clone()
        }
    }

    /// The same context for another vault (`migrate`'s target).
    pub fn with_db(&self, db: crate::vault::Location) -> Context {
        Context {
            db,
            db_given: true,
            ..self.clone()
        }
    }

    /// The HTTP client, made only by commands that talk to a provider.
    pub fn http(&self) -> http::Http {
        self.reads("http_timeout");
        self.reads("connect_timeout");
        http::Http::new(self.connect_timeout, self.timeout)
    }
}
