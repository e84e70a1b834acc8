//! tokvault: an encrypted credential vault that hands out valid tokens.
//!
//! `run` resolves the environment once into a `Context` (`session`, which
//! also opens the vault and loads the key) and dispatches to one module per
//! subcommand under `cmd/`.

pub mod app;
mod audit;
mod broker;
pub mod cli;
mod cmd;
mod envfmt;
pub mod error;
mod fsutil;
mod gitstore;
mod grants;
pub(crate) mod harden;
mod http;
mod import;
mod input;
pub mod jws;
pub mod key;
mod login;
mod mask;
mod mcp;
pub mod mint;
mod notice;
pub mod oauth;
mod output;
mod prompt;
pub mod providers;
mod redact;
mod refresh;
mod refs;
mod resolve;
mod revoke;
mod runfiles;
mod scope;
pub mod secret;
mod session;
mod template;
pub mod text;
pub mod time;
pub mod token;
pub mod vault;

pub use cmd::completion::script as completion_script;
pub use session::Context;

use anyhow::Result;
use cli::{Cli, Command};
use key::KeySource;

pub fn run(cli: Cli) -> Result<()> {
    harden::process();
    match &cli.command {
        Command::Completion(args) => return cmd::completion::run(args),
        Command::Key(cli::KeyCommand::Generate { file }) => return cmd::rekey::generate(file),
        _ => {}
    }
    // A helper run by another program (git, docker, cargo, kubectl, the
    // AWS SDKs) prints no notes: that program shows them on every use.
    let helper = matches!(
        cli.command,
        Command::GitCredential(_)
            | Command::DockerCredential(_)
            | Command::CargoCredential(_)
            | Command::AwsCredential(_)
            | Command::KubeCredential(_)
    );
    notice::install(output::stderr_notices(helper));
    let mut ctx = Context::new(&cli.global, cli.command.path())?;
    ctx.audit.operation = operation(&cli.command);
    dispatch(&cli.command, &ctx).map_err(|e| key_hint(e, &ctx))
}

fn dispatch(command: &Command, ctx: &Context) -> Result<()> {
    match command {
        Command::Store(args) => cmd::store::run(args, ctx),
        Command::Get(args) => cmd::get::run(args, ctx),
        Command::List(args) => cmd::list::run(args, ctx),
        Command::Check(args) => cmd::check::run(args, ctx),
        Command::Audit(args) => cmd::audit::run(args, ctx),
        Command::Delete(args) => cmd::delete::run(args, ctx),
        Command::Revoke(args) => cmd::revoke::run(args, ctx),
        Command::Inject(args) => cmd::inject::run(args, ctx),
        Command::Import(args) => cmd::import::run(args, ctx),
        Command::Refresh(args) => cmd::refresh::run(args, ctx),
        Command::ExchangeCode(args) => cmd::exchange_code::run(args, ctx),
        Command::ClientCredentials(args) => cmd::client_credentials::run(args, ctx),
        Command::Oauth2(command) => cmd::oauth2::run(command, ctx),
        Command::Run(args) => cmd::run::run(args, ctx),
        Command::Serve(args) => cmd::serve::run(args, ctx),
        Command::Mcp(args) => cmd::mcp::run(args, ctx),
        Command::Login(args) => cmd::login::run(args, ctx),
        Command::Export(args) => cmd::export::run(args, ctx),
        Command::Rekey(args) => cmd::rekey::run(args, ctx),
        Command::ExportVault(args) => cmd::backup::export(args, ctx),
        Command::ImportVault(args) => cmd::backup::import(args, ctx),
        Command::Migrate(args) => cmd::backup::migrate(args, ctx),
        Command::Complete(args) => cmd::completion::names(args, ctx),
        Command::GitCredential(args) => cmd::git_credential::run(args, ctx),
        Command::DockerCredential(args) => cmd::docker_credential::run(args, ctx),
        Command::AwsCredential(args) => cmd::exec_credential::aws(args, ctx),
        Command::KubeCredential(args) => cmd::exec_credential::kube(args, ctx),
        Command::CargoCredential(args) => cmd::cargo_credential::run(args, ctx),
        Command::Completion(_) | Command::Key(_) => unreachable!("handled above"),
    }
}

/// What the audit log calls each command: its name, or the program a
/// helper serves.
fn operation(command: &Command) -> &'static str {
    match command {
        Command::Store(_) => "store",
        Command::Get(_) => "get",
        Command::List(_) => "list",
        Command::Check(_) => "check",
        Command::Audit(_) => "audit",
        Command::Delete(_) => "delete",
        Command::Revoke(_) => "revoke",
        Command::Inject(_) => "inject",
        Command::Import(_) => "import",
        Command::Refresh(_) => "refresh",
        Command::ExchangeCode(_) => "exchange-code",
        Command::ClientCredentials(_) => "client-credentials",
        Command::Oauth2(_) => "oauth2",
        Command::Run(_) => "run",
        Command::Serve(_) => "serve",
        Command::Mcp(_) => "mcp",
        Command::Login(_) => "login",
        Command::Export(_) => "export",
        Command::Rekey(_) => "rekey",
        Command::ExportVault(_) => "export-vault",
        Command::ImportVault(_) => "import-vault",
        Command::Migrate(_) => "migrate",
        Command::Complete(_) => "complete",
        Command::GitCredential(_) => "git",
        Command::DockerCredential(_) => "docker",
        Command::AwsCredential(_) => "aws",
        Command::KubeCredential(_) => "kube",
        Command::CargoCredential(_) => "cargo",
        Command::Completion(_) | Command::Key(_) => "",
    }
}

/// A refused key, rendered with its remedy in the command line's words: a
/// staged key a rekey in progress left beside the key file, or the file
/// that holds the right key whenever tokvault wrote that file itself (the
/// vault records where, and the error carries it).
fn key_hint(e: anyhow::Error, ctx: &Context) -> anyhow::Error {
    // Only where the vault's key check refused the key: a key file refused
    // for its mode, or an export another key opens, is not helped by
    // naming the vault's key file.
    let Some(wrong) = e.chain().find_map(|c| match c.downcast_ref() {
        Some(error::Error::WrongKey(w)) => Some(w.clone()),
        _ => None,
    }) else {
        return e;
    };
    if let Some(staged) = ctx.key().staged().filter(|p| p.exists()) {
        return error::key(format!(
            "{e:#}; {} exists: a rekey is running or was interrupted, and that file may hold the key",
            staged.display()
        ));
    }
    let right = wrong.recorded.filter(|(file, check)| {
        ctx.key().file() != Some(file.as_path())
            && KeySource::File(file.clone())
                .load()
                .ok()
                .flatten()
                .is_some_and(|k| vault::Sealer::new(k).opens(check))
    });
    match right {
        Some((file, _)) => error::key(format!(
            "{e:#} (check TOKVAULT_KEY / --key-file); the key that opens it is in {}, where \
             tokvault wrote it: pass --key-file {} \
             (or set TOKVAULT_KEY_FILE)",
            file.display(),
            file.display()
        )),
        None => error::key(format!("{e:#} (check TOKVAULT_KEY / --key-file)")),
    }
}
