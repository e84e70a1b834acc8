//! The whole command line. Doc comments here are the help text, and the
//! completions and man pages are generated from it.

use crate::error::EXIT_CODES_HELP;
use crate::token::TokenType;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Keep OAuth2 tokens, API keys and JWTs in an encrypted local vault, and get
/// a valid one with a single command.
///
/// Secrets are printed only on stdout and only when asked for; everything
/// else goes to stderr.
#[derive(Debug, Parser)]
#[command(name = "tokvault", version, after_long_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The vault file [default: tokvault/vault.db in the user's data directory]
    #[arg(long, global = true, env = "TOKVAULT_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The master key file, used when TOKVAULT_KEY is not set
    /// [default: tokvault/key in the user's config directory, created on first use]
    #[arg(long, global = true, env = "TOKVAULT_KEY_FILE", value_name = "PATH")]
    pub key_file: Option<PathBuf>,

    /// The namespace credentials live in, so one machine can hold several
    /// accounts of one service
    #[arg(
        long,
        global = true,
        env = "TOKVAULT_USER",
        default_value = "default",
        value_name = "NAME"
    )]
    pub user: String,

    /// Never prompt; fail instead, naming the flag to use (also when CI=true
    /// or without a terminal)
    #[arg(long, global = true)]
    pub no_input: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Store(StoreArgs),
    Get(GetArgs),
    List(ListArgs),
    Delete(DeleteArgs),
    Completion(CompletionArgs),
}

/// Add or replace a credential.
///
/// The secret comes from stdin (`--secret -`), a file, a provider's
/// token-response JSON (`--from-json`), or a hidden prompt on a terminal. At
/// most one input may read stdin. Replacing a credential keeps its creation
/// time.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Name of the credential, e.g. google or openai
    pub integration: String,

    /// The service it belongs to [default: the credential's name when that
    /// is a known provider, else the provider it already has]
    #[arg(long)]
    pub provider: Option<String>,

    /// What kind of secret it is [default: api_key for openai and anthropic,
    /// oauth2 otherwise, or the type it already has]
    #[arg(long = "type", value_name = "TYPE")]
    pub token_type: Option<TokenType>,

    /// The secret (access token, API key or JWT); `-` reads stdin. A value
    /// given here is visible to other processes and in shell history.
    #[arg(long, value_name = "VALUE|-", group = "input")]
    pub secret: Option<String>,

    /// Read the secret from a file
    #[arg(long, value_name = "FILE", group = "input")]
    pub secret_file: Option<PathBuf>,

    /// A token response or token_data object as JSON (access_token,
    /// refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin
    #[arg(long, value_name = "FILE|-", group = "input")]
    pub from_json: Option<String>,

    /// The refresh token; `-` reads stdin
    #[arg(long, value_name = "VALUE|-")]
    pub refresh_token: Option<String>,

    /// Granted scopes [default: the JSON's `scope`]
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub scopes: Option<Vec<String>>,

    /// When the secret expires, as RFC 3339 (2026-01-31T12:00:00Z)
    /// [default: from expires_in, or a JWT's exp claim]
    #[arg(long, value_name = "RFC3339", conflicts_with = "expires_in")]
    pub expires_at: Option<String>,

    /// Seconds from now until the secret expires
    #[arg(long, value_name = "SECONDS")]
    pub expires_in: Option<u64>,
}

/// Print a credential's secret: the access token, API key or JWT, and a
/// newline, on stdout alone.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// Name of the credential
    pub integration: String,

    /// Print the whole record as JSON: token_data, scopes, expires_at,
    /// is_expired, refreshed...
    #[arg(long, conflicts_with = "field")]
    pub json: bool,

    /// Print one token_data field, e.g. refresh_token or id_token
    #[arg(long, value_name = "NAME")]
    pub field: Option<String>,

    /// Print an expired secret instead of failing with exit code 4
    #[arg(long)]
    pub allow_expired: bool,
}

/// List credentials: metadata only, never a secret, never needs the key.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,

    /// Only this provider's credentials
    #[arg(long)]
    pub provider: Option<String>,

    /// Only expired credentials
    #[arg(long)]
    pub expired: bool,

    /// Every user's credentials, not just --user's
    #[arg(long)]
    pub all_users: bool,
}

/// Delete a credential (asks first on a terminal).
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Name of the credential
    pub integration: String,

    /// Do not ask; required without a terminal
    #[arg(long, short)]
    pub yes: bool,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
pub struct CompletionArgs {
    pub shell: clap_complete::Shell,
}
