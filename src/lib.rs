//! tokvault: an encrypted credential vault that hands out valid tokens.
//!
//! `run` resolves the environment once into a `Context` and dispatches to one
//! module per subcommand under `cmd/`.

pub mod cli;
mod cmd;
mod envfmt;
pub mod error;
mod fsutil;
pub(crate) mod harden;
mod http;
mod input;
pub mod jws;
pub mod key;
mod login;
mod mask;
pub mod mint;
pub mod oauth;
mod output;
mod prompt;
pub mod providers;
mod redact;
mod refresh;
mod refs;
mod resolve;
mod runfiles;
pub mod secret;
pub mod text;
pub mod time;
pub mod token;
pub mod vault;

pub use cmd::completion::script as completion_script;

use anyhow::{Context as _, Result};
use cli::{Cli, Command};
use key::KeySource;
use std::path::PathBuf;
use std::time::Duration;

/// What every command may need, resolved once from flags and environment.
#[derive(Clone)]
pub struct Context {
    pub db: PathBuf,
    /// The vault path was given (--db, TOKVAULT_DB), not the default one.
    pub db_given: bool,
    pub key: KeySource,
    pub user: String,
    pub prompt: prompt::Prompter,
    pub mask: mask::Masker,
    /// Unix seconds, read once so one command sees one "now".
    pub now: i64,
    connect_timeout: Duration,
    timeout: Duration,
}

impl Context {
    fn new(global: &cli::GlobalArgs) -> Result<Context> {
        // Every default path derives from here; tests point HOME or the XDG
        // variables (or --db / --key-file) at a temporary directory.
        let dirs = || {
            directories::ProjectDirs::from("", "", "tokvault").context(
                "cannot find a home directory for the default vault; pass --db and --key-file",
            )
        };
        let db = match &global.db {
            Some(path) => path.clone(),
            None => dirs()?.data_dir().join("vault.db"),
        };
        let key = match (std::env::var("TOKVAULT_KEY"), &global.key_file) {
            (Ok(value), _) if !value.is_empty() => KeySource::Env(value.into()),
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
            connect_timeout: Duration::from_secs(global.connect_timeout.unsigned_abs()),
            timeout: Duration::from_secs(global.http_timeout.unsigned_abs()),
        })
    }

    /// The same context with "now" read again, for a command that goes on
    /// working while time passes (`run --file`).
    pub fn at_now(&self) -> Context {
        Context {
            now: jiff::Timestamp::now().as_second(),
            ..self.clone()
        }
    }

    /// The HTTP client, made only by commands that talk to a provider.
    pub fn http(&self) -> http::Http {
        http::Http::new(self.connect_timeout, self.timeout)
    }
}

pub fn run(cli: Cli) -> Result<()> {
    harden::process();
    if let Command::Completion(args) = &cli.command {
        return cmd::completion::run(args);
    }
    let ctx = Context::new(&cli.global)?;
    dispatch(&cli.command, &ctx).map_err(|e| key_hint(e, &ctx))
}

fn dispatch(command: &Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Store(args) => cmd::store::run(args, ctx),
        Command::Get(args) => cmd::get::run(args, ctx),
        Command::List(args) => cmd::list::run(args, ctx),
        Command::Delete(args) => cmd::delete::run(args, ctx),
        Command::Refresh(args) => cmd::refresh::run(args, ctx),
        Command::ExchangeCode(args) => cmd::exchange_code::run(args, ctx),
        Command::ClientCredentials(args) => cmd::client_credentials::run(args, ctx),
        Command::Oauth2(command) => cmd::oauth2::run(command, ctx),
        Command::Run(args) => cmd::run::run(args, ctx),
        Command::Login(args) => cmd::login::run(args, ctx),
        Command::Export(args) => cmd::export::run(args, ctx),
        Command::Rekey(args) => cmd::rekey::run(args, ctx),
        Command::ExportVault(args) => cmd::backup::export(args, ctx),
        Command::ImportVault(args) => cmd::backup::import(args, ctx),
        Command::Complete(args) => cmd::completion::names(args, ctx),
        Command::GitCredential(args) => cmd::git_credential::run(args, ctx),
        Command::DockerCredential(args) => cmd::docker_credential::run(args, ctx),
        Command::AwsCredential(args) => cmd::exec_credential::aws(args, ctx),
        Command::KubeCredential(args) => cmd::exec_credential::kube(args, ctx),
        Command::CargoCredential(args) => cmd::cargo_credential::run(args, ctx),
        Command::Completion(_) => unreachable!("handled above"),
    }
}

/// A refused key: name the file that holds the right one whenever tokvault
/// wrote that file itself (it records where, in the vault), and a staged key
/// a rekey in progress left beside the key file.
fn key_hint(e: anyhow::Error, ctx: &Context) -> anyhow::Error {
    if error::exit_code(&e) != error::code::KEY {
        return e;
    }
    if let Some(staged) = ctx.key.staged().filter(|p| p.exists()) {
        return error::key(format!(
            "{e:#}; {} exists: a rekey is running or was interrupted, and that file may hold the key",
            staged.display()
        ));
    }
    let Ok(Some(vault)) = vault::Vault::open_existing(&ctx.db) else {
        return e;
    };
    let read = vault.read();
    let (Ok(Some(check)), Ok(Some(hint))) = (read.key_check(), read.key_file_hint()) else {
        return e;
    };
    let hint = PathBuf::from(hint);
    let opens = KeySource::File(hint.clone())
        .load()
        .ok()
        .flatten()
        .is_some_and(|k| vault::Sealer::new(k).opens(&check));
    if !opens || ctx.key.file() == Some(hint.as_path()) {
        return e;
    }
    error::key(format!(
        "{e:#}; the key that opens it is in {}, where tokvault wrote it: pass --key-file {} \
         (or set TOKVAULT_KEY_FILE)",
        hint.display(),
        hint.display()
    ))
}
