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
        value_name = "NAME",
        value_parser = crate::text::name
    )]
    pub user: String,

    /// Never prompt; fail instead, naming the flag to use (also when CI=true
    /// or without a terminal)
    #[arg(long, global = true)]
    pub no_input: bool,

    /// Do not register secrets with the CI runner's log masking
    /// (`::add-mask::` on GitHub Actions)
    #[arg(long, global = true, env = "TOKVAULT_NO_MASK")]
    pub no_mask: bool,

    /// Give up on a token endpoint that has not answered within this long
    /// (1s to 1h)
    #[arg(
        long,
        global = true,
        env = "TOKVAULT_HTTP_TIMEOUT",
        default_value = "30s",
        value_name = "DURATION",
        value_parser = parse_timeout
    )]
    pub http_timeout: i64,

    /// Give up connecting to a token endpoint after this long (1s to 1h)
    #[arg(
        long,
        global = true,
        env = "TOKVAULT_CONNECT_TIMEOUT",
        default_value = "10s",
        value_name = "DURATION",
        value_parser = parse_timeout
    )]
    pub connect_timeout: i64,
}

/// Each subcommand's arguments are built only when it runs: `get` should
/// not pay for defining twenty other commands.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    Store(StoreArgs),
    Get(GetArgs),
    List(ListArgs),
    Delete(DeleteArgs),
    Refresh(RefreshArgs),
    ExchangeCode(ExchangeCodeArgs),
    ClientCredentials(ClientCredentialsArgs),
    #[command(subcommand)]
    Oauth2(Oauth2Command),
    Run(RunArgs),
    Export(ExportArgs),
    Rekey(RekeyArgs),
    ExportVault(ExportVaultArgs),
    ImportVault(ImportVaultArgs),
    Login(LoginArgs),
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
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The service it belongs to [default: the credential's name when that
    /// is a known provider, else the provider it already has]
    #[arg(long, value_parser = crate::text::name)]
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

    /// When the secret expires: RFC 3339 (2027-01-31T12:00:00Z) or a date
    /// (2027-01-31, midnight UTC) [default: from expires_in, or a JWT's exp
    /// claim]
    #[arg(long, value_name = "TIME", conflicts_with = "expires_in", value_parser = crate::time::parse_time)]
    pub expires_at: Option<i64>,

    /// How long from now until the secret expires (3600, 90m, 1h, 30d)
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true, value_parser = crate::time::parse_duration)]
    pub expires_in: Option<i64>,

    /// Refresh it with this OAuth2 client (name or id); with only
    /// --refresh-token, the first `get` fetches an access token
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: Option<String>,
}

/// Print a credential's secret: the access token, API key or JWT, and a
/// newline, on stdout alone.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// Name of the credential
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// Print the whole record as JSON: token_data, scopes, expires_at,
    /// is_expired, refreshed... (the same as --format json)
    #[arg(long, conflicts_with_all = ["field", "format"])]
    pub json: bool,

    /// How to print it; env, dotenv and github name the variable after the
    /// credential (and field): google.id_token -> GOOGLE_ID_TOKEN
    #[arg(long, value_enum, default_value = "raw")]
    pub format: crate::envfmt::Format,

    /// Print one token_data field, e.g. refresh_token or id_token
    #[arg(long, value_name = "NAME")]
    pub field: Option<String>,

    /// Print an expired secret instead of failing with exit code 4
    #[arg(long)]
    pub allow_expired: bool,

    /// Refresh first when the token expires within this long: seconds, or
    /// with a unit (90s, 5m); never more than half the token's lifetime
    #[arg(long, default_value = "60s", value_name = "DURATION", allow_hyphen_values = true, value_parser = crate::time::parse_duration)]
    pub min_valid: i64,

    /// Never call the network, even for an expired token
    #[arg(long)]
    pub no_refresh: bool,
}

/// Network timeouts: at least a second, at most an hour.
fn parse_timeout(text: &str) -> Result<i64, String> {
    crate::time::parse_duration_in(text, 1, 3600)
}

/// How long `login` waits for a sign-in: at most a day.
fn parse_login_timeout(text: &str) -> Result<i64, String> {
    crate::time::parse_duration_in(text, 0, 86_400)
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
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// Do not ask; required without a terminal
    #[arg(long, short)]
    pub yes: bool,
}

/// Refresh a credential now with its refresh token (or re-run its
/// client_credentials grant).
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Name of the credential
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// Print the refreshed record as JSON (with secrets)
    #[arg(long)]
    pub json: bool,
}

/// Trade an authorization code for tokens and store them.
///
/// The code is POSTed (grant_type=authorization_code) to the client's token
/// endpoint with its auth method. The PKCE verifier kept by
/// `oauth2 authorize-url` is used unless --code-verifier is given.
#[derive(Debug, Args)]
pub struct ExchangeCodeArgs {
    /// Name to store the credential under
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The OAuth2 client (name or id)
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: String,

    /// The authorization code; `-` reads stdin
    #[arg(long, value_name = "CODE|-")]
    pub code: String,

    /// The redirect URI of the authorization request [default: the one
    /// `authorize-url` used, else the client's]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// The PKCE code verifier; `-` reads stdin
    #[arg(long, value_name = "VERIFIER|-")]
    pub code_verifier: Option<String>,

    /// The state of the authorization request, to pick its kept verifier
    #[arg(long)]
    pub state: Option<String>,

    /// Print the stored record as JSON (with secrets)
    #[arg(long)]
    pub json: bool,
}

/// Get a machine token with the client_credentials grant and store it; `get`
/// runs the grant again when it expires.
#[derive(Debug, Args)]
pub struct ClientCredentialsArgs {
    /// Name to store the credential under
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The OAuth2 client (name or id)
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: String,

    /// Scopes to ask for [default: the client's]
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub scopes: Option<Vec<String>>,

    /// Print the stored record as JSON (with secrets)
    #[arg(long)]
    pub json: bool,
}

/// Manage OAuth2 clients: the client id, secret and endpoints used to get and
/// refresh tokens.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Oauth2Command {
    Add(Oauth2AddArgs),
    List(Oauth2ListArgs),
    Show(Oauth2ShowArgs),
    Remove(Oauth2RemoveArgs),
    AuthorizeUrl(AuthorizeUrlArgs),
}

/// Add (or replace) an OAuth2 client. Endpoints come from --provider's
/// preset, from OIDC discovery (--issuer), or are given with --token-url;
/// explicit URLs override the others.
#[derive(Debug, Args)]
pub struct Oauth2AddArgs {
    /// Name of the client; it is also a valid --provider from then on
    #[arg(value_parser = crate::text::name)]
    pub name: String,

    /// A built-in provider whose endpoints and quirks to use
    #[arg(long)]
    pub provider: Option<String>,

    /// OIDC issuer URL: endpoints are read from its
    /// /.well-known/openid-configuration
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,

    /// Token endpoint
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,

    /// Authorization endpoint
    #[arg(long, value_name = "URL")]
    pub auth_url: Option<String>,

    /// Device authorization endpoint (RFC 8628)
    #[arg(long, value_name = "URL")]
    pub device_url: Option<String>,

    /// Microsoft tenant in the endpoint URLs (common, organizations,
    /// consumers, or a tenant id)
    #[arg(long, default_value = "common")]
    pub tenant: String,

    #[arg(long, value_name = "ID")]
    pub client_id: String,

    /// The client secret; `-` reads stdin. Omit it for a public client.
    #[arg(long, value_name = "VALUE|-")]
    pub client_secret: Option<String>,

    /// How the client authenticates at the token endpoint [default: the
    /// preset's, else client_secret_basic, or none without a secret]
    #[arg(long, value_name = "METHOD")]
    pub auth_method: Option<crate::oauth::AuthMethod>,

    /// The redirect URI registered for the client
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// Scopes to ask for by default
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub scopes: Option<Vec<String>>,
}

/// List OAuth2 clients (never their secrets).
#[derive(Debug, Args)]
pub struct Oauth2ListArgs {
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
}

/// Show one OAuth2 client's settings as JSON (never its secret).
#[derive(Debug, Args)]
pub struct Oauth2ShowArgs {
    /// Name or id of the client
    pub name: String,
}

/// Remove an OAuth2 client; refused while credentials use it.
#[derive(Debug, Args)]
pub struct Oauth2RemoveArgs {
    /// Name or id of the client
    pub name: String,

    /// Remove it anyway; its credentials keep their tokens but can no longer
    /// be refreshed through it
    #[arg(long)]
    pub force: bool,
}

/// Print an authorization URL with a random state and a PKCE S256 challenge;
/// the verifier is kept in the vault for ten minutes for `exchange-code`.
#[derive(Debug, Args)]
pub struct AuthorizeUrlArgs {
    /// Name or id of the client
    pub client: String,

    /// Scopes to ask for [default: the client's]
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub scopes: Option<Vec<String>>,

    /// Redirect URI [default: the client's]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
}

/// Run a command with fresh secrets in its environment.
///
/// Every reference is resolved first (refreshing as `get` does); if any is
/// missing or unusable, each is named and the command is not started. The
/// secrets go only into the command's environment, never its command line.
/// tokvault exits with the command's exit code (128+N if a signal N ended
/// it) and passes on INT, TERM, HUP and QUIT sent to it.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: tokvault run -e GH_TOKEN=github -e ID_TOKEN=google.id_token -- ./deploy.sh"
)]
pub struct RunArgs {
    /// Set VAR to a credential's secret, or one of its token_data fields
    /// (NAME.FIELD); repeatable
    #[arg(short = 'e', long = "env", value_name = "VAR=NAME[.FIELD]")]
    pub env: Vec<String>,

    /// Read VAR=NAME[.FIELD] lines from a file (# comments and blank lines
    /// allowed); repeatable
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// The command and its arguments
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// Print secrets as variables: for `eval "$(tokvault export ...)"`,
/// `>> "$GITHUB_ENV"`, or `docker --env-file`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// NAME[.FIELD], named after the credential (google.id_token ->
    /// GOOGLE_ID_TOKEN), or VAR=NAME[.FIELD]
    #[arg(required = true, value_name = "[VAR=]NAME[.FIELD]")]
    pub references: Vec<String>,

    /// env: `export VAR='value'`; dotenv: `VAR=value`; github: for
    /// $GITHUB_ENV (multi-line values as heredocs); json: an object
    #[arg(long, value_enum, default_value = "env")]
    pub format: crate::envfmt::Format,
}

/// Re-encrypt every secret under a new master key, in one transaction.
///
/// The new key is TOKVAULT_NEW_KEY, or the key in --new-key-file, or a new
/// one (written to --new-key-file, or replacing the key file in use). The
/// key itself is printed only with --show-key.
#[derive(Debug, Args)]
pub struct RekeyArgs {
    /// Where the new key is (read if it exists, created 0600 if not)
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,

    /// Print the new key on stdout
    #[arg(long)]
    pub show_key: bool,
}

/// Write every credential and OAuth2 client to an encrypted, portable file.
#[derive(Debug, Args)]
pub struct ExportVaultArgs {
    /// The file to create (0600; it must not exist)
    pub file: PathBuf,

    /// Encrypt it with the key in this file instead of the vault's key
    #[arg(long, value_name = "KEY_FILE")]
    pub to_key: Option<PathBuf>,
}

/// Merge a file from `export-vault` into the vault, reporting each entry.
#[derive(Debug, Args)]
pub struct ImportVaultArgs {
    /// The file `export-vault` wrote
    pub file: PathBuf,

    /// The key it was encrypted with [default: the vault's key]
    #[arg(long, value_name = "KEY_FILE")]
    pub from_key: Option<PathBuf>,

    /// Overwrite credentials and clients that exist (default: skip them)
    #[arg(long)]
    pub replace: bool,
}

/// Sign in with a browser (authorization code with PKCE and a loopback
/// redirect), or with a code entered on another device (--device), and store
/// the tokens as `exchange-code` does.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Name to store the credential under
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The OAuth2 client (name or id)
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: String,

    /// Scopes to ask for [default: the client's]
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub scopes: Option<Vec<String>>,

    /// Port of the loopback redirect on 127.0.0.1 [default: the client's
    /// loopback redirect URI's port, else any free port]
    #[arg(long, conflicts_with = "device")]
    pub port: Option<u16>,

    /// Print the URL instead of opening a browser ($BROWSER, else xdg-open
    /// or open)
    #[arg(long, conflicts_with = "device")]
    pub no_browser: bool,

    /// Use the device authorization grant (RFC 8628): enter a code on
    /// another device; for machines without a browser
    #[arg(long)]
    pub device: bool,

    /// Give up after this long without a sign-in (at most a day)
    #[arg(long, default_value = "300s", value_name = "DURATION", value_parser = parse_login_timeout)]
    pub timeout: i64,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
pub struct CompletionArgs {
    pub shell: clap_complete::Shell,
}
