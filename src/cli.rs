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
#[command(
    name = "tokvault",
    version,
    after_long_help = format!("{EXIT_CODES_HELP}\n\n{ENVIRONMENT_HELP}\n\n{FILES_HELP}")
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Every variable tokvault reads, for `--help` and the man page.
pub const ENVIRONMENT_HELP: &str = "\
Environment:
  TOKVAULT_DB               the vault file, or a postgres:// URL (--db)
  TOKVAULT_KEY              the master key itself; wins over any key file
  TOKVAULT_KEY_FILE         the master key file (--key-file)
  TOKVAULT_NEW_KEY          the new key for `rekey`
  TOKVAULT_USER             the namespace (--user)
  TOKVAULT_NO_MASK          do not register secrets for CI log masking (--no-mask)
  TOKVAULT_HTTP_TIMEOUT     --http-timeout
  TOKVAULT_CONNECT_TIMEOUT  --connect-timeout
  TOKVAULT_MASK             when 1, `run` hides secrets in its command's output
  TOKVAULT_AUDIT            on (default), required (refuse what cannot be
                            recorded, exit 7) or off (record only that it is off)
  PGPASSWORD, PGPASSFILE    the password of a PostgreSQL vault (else ~/.pgpass)
  XDG_RUNTIME_DIR           where `run --file` keeps its files
  CI                        when true, never prompt (as --no-input)
  GITHUB_ACTIONS            when true, secrets are masked with ::add-mask::
  NO_COLOR                  honoured: tokvault prints no colour at all
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY
                            proxies for token endpoints, as curl reads them
  BROWSER                   the browser `login` opens (else xdg-open or open)
  HOME, XDG_DATA_HOME, XDG_CONFIG_HOME
                            where the default vault and key file live";

/// The files tokvault keeps, for `--help` and the man page.
pub const FILES_HELP: &str = "\
Files:
  $XDG_DATA_HOME/tokvault/vault.db        the vault (default; ~/.local/share/...)
  $XDG_DATA_HOME/tokvault/vault.db-locks  lock files: one per credential, and the vault's
  $XDG_CONFIG_HOME/tokvault/key           the master key (default; ~/.config/...), 0600
  <key file>.new                          a new key staged by `rekey`, moved into place
                                          by the next command";

/// The global options each command reads; its help leaves out the others.
/// A command path is its names joined by spaces.
pub fn global_options_used(path: &str) -> &'static [&'static str] {
    const ALL: &[&str] = &[
        "db",
        "key_file",
        "user",
        "no_input",
        "no_mask",
        "http_timeout",
        "connect_timeout",
    ];
    const NETWORK: &[&str] = &[
        "db",
        "key_file",
        "user",
        "no_mask",
        "http_timeout",
        "connect_timeout",
    ];
    match path {
        "completion" => &[],
        // Opening a vault settles an interrupted rekey next to the key file.
        "list" => &["db", "key_file", "user"],
        "check" => &["db", "key_file", "user"],
        "audit" => &["db", "key_file"],
        "revoke" | "inject" => NETWORK,
        "store" => &[
            "db",
            "key_file",
            "user",
            "no_input",
            "http_timeout",
            "connect_timeout",
        ],
        "delete" => &[
            "db",
            "key_file",
            "user",
            "no_input",
            "http_timeout",
            "connect_timeout",
        ],
        "get" | "run" | "export" | "refresh" | "exchange-code" | "client-credentials" | "login" => {
            NETWORK
        }
        // Servers print no secret, so they register none for CI masking.
        "serve" | "mcp" => &["db", "key_file", "user", "http_timeout", "connect_timeout"],
        "oauth2 add" => &[
            "db",
            "key_file",
            "no_input",
            "http_timeout",
            "connect_timeout",
        ],
        "oauth2 list" | "oauth2 show" => &["db", "key_file"],
        "oauth2 remove" => &["db", "key_file", "no_input"],
        "oauth2 authorize-url" => &["db", "key_file"],
        "key" | "key generate" => &[],
        "rekey" => &["db", "key_file", "no_mask"],
        "export-vault" | "import-vault" | "migrate" => &["db", "key_file"],
        "import" => &["db", "key_file", "user"],
        "git-credential"
        | "git-credential get"
        | "git-credential store"
        | "git-credential erase" => NETWORK,
        "cargo-credential" => NETWORK,
        "git-credential map" => &["db", "key_file", "user"],
        "git-credential unmap" | "git-credential list" => &["db", "key_file"],
        _ => ALL,
    }
}

impl Command {
    /// The command's names joined by spaces, as `global_options_used` and
    /// the help know it.
    pub fn path(&self) -> &'static str {
        match self {
            Command::Store(_) => "store",
            Command::Get(_) => "get",
            Command::List(_) => "list",
            Command::Check(_) => "check",
            Command::Audit(_) => "audit",
            Command::Inject(_) => "inject",
            Command::Delete(_) => "delete",
            Command::Revoke(_) => "revoke",
            Command::Refresh(_) => "refresh",
            Command::ExchangeCode(_) => "exchange-code",
            Command::ClientCredentials(_) => "client-credentials",
            Command::Oauth2(command) => match command {
                Oauth2Command::Add(_) => "oauth2 add",
                Oauth2Command::List(_) => "oauth2 list",
                Oauth2Command::Show(_) => "oauth2 show",
                Oauth2Command::Remove(_) => "oauth2 remove",
                Oauth2Command::AuthorizeUrl(_) => "oauth2 authorize-url",
            },
            Command::Run(_) => "run",
            Command::Serve(_) => "serve",
            Command::Mcp(_) => "mcp",
            Command::Export(_) => "export",
            Command::Rekey(_) => "rekey",
            Command::ExportVault(_) => "export-vault",
            Command::ImportVault(_) => "import-vault",
            Command::Import(_) => "import",
            Command::Migrate(_) => "migrate",
            Command::Login(_) => "login",
            Command::GitCredential(args) => match args.action {
                GitCredentialAction::Get => "git-credential get",
                GitCredentialAction::Store => "git-credential store",
                GitCredentialAction::Erase => "git-credential erase",
                GitCredentialAction::Map(_) => "git-credential map",
                GitCredentialAction::Unmap(_) => "git-credential unmap",
                GitCredentialAction::List => "git-credential list",
            },
            Command::DockerCredential(args) => match args.action {
                DockerCredentialAction::Get => "docker-credential get",
                DockerCredentialAction::Store => "docker-credential store",
                DockerCredentialAction::Erase => "docker-credential erase",
                DockerCredentialAction::List => "docker-credential list",
                DockerCredentialAction::Map(_) => "docker-credential map",
                DockerCredentialAction::Version => "docker-credential version",
            },
            Command::AwsCredential(_) => "aws-credential",
            Command::KubeCredential(_) => "kube-credential",
            Command::CargoCredential(_) => "cargo-credential",
            Command::Key(KeyCommand::Generate { .. }) => "key generate",
            Command::Completion(_) => "completion",
            Command::Complete(_) => "__complete",
        }
    }
}

/// The command line as the help and the man pages show it: built, with each
/// subcommand listing only the global options it reads. For display only;
/// parsing uses `Cli` itself, whose subcommands are built lazily.
pub fn documented() -> clap::Command {
    fn hide_unused(cmd: clap::Command, path: &str) -> clap::Command {
        let used = global_options_used(path);
        let mut cmd = cmd;
        for id in [
            "db",
            "key_file",
            "user",
            "no_input",
            "no_mask",
            "http_timeout",
            "connect_timeout",
        ] {
            if !used.contains(&id) && cmd.get_arguments().any(|a| a.get_id() == id) {
                cmd = cmd.mut_arg(id, |a| a.hide(true));
            }
        }
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in names {
            let sub = if path.is_empty() {
                name.clone()
            } else {
                format!("{path} {name}")
            };
            cmd = cmd.mut_subcommand(&name, |s| hide_unused(s, &sub));
        }
        cmd
    }
    let mut cmd = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    cmd.build();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| hide_unused(s, &name));
    }
    cmd
}

/// Flags whose value is a secret: a usage error never quotes what follows
/// them (clap quotes an argument it cannot place, and a PEM key given as
/// `--private-key "$(cat app.pem)"` begins with `--`).
pub const SECRET_FLAGS: &[&str] = &[
    "--secret",
    "--client-secret",
    "--refresh-token",
    "--private-key",
    "--code",
    "--code-verifier",
];

/// `message` with every value given to a secret-bearing flag in `args`
/// replaced by "(value hidden)", whole and line by line.
pub fn hide_secrets(args: &[String], message: &str) -> String {
    let mut values: Vec<&str> = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        for flag in SECRET_FLAGS {
            if arg == flag {
                values.extend(args.get(i + 1).map(String::as_str));
            } else if let Some(v) = arg.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                values.push(v);
            }
        }
    }
    let mut out = message.to_string();
    for value in values.into_iter().filter(|v| !v.is_empty() && *v != "-") {
        let lines = value.lines().map(str::trim).filter(|l| l.len() >= 4);
        for hidden in std::iter::once(value).chain(lines) {
            if hidden.len() >= 4 {
                out = out.replace(hidden, "(value hidden)");
            } else {
                out = out.replace(&format!("'{hidden}'"), "'(value hidden)'");
            }
        }
    }
    out
}

/// `-h` / `--help` / `help ...` rendered from `documented()`, or `None` when
/// the arguments ask for no help.
pub fn help_for(args: &[String]) -> Option<String> {
    let long = args.iter().any(|a| a == "--help");
    let asked = long || args.iter().any(|a| a == "-h") || args.get(1).is_some_and(|a| a == "help");
    if !asked || args.iter().any(|a| a == "--") {
        return None;
    }
    let mut cmd = documented();
    for word in args.iter().skip(1).filter(|a| *a != "help") {
        if word.starts_with('-') {
            continue;
        }
        match cmd.find_subcommand(word) {
            Some(sub) => cmd = sub.clone(),
            None => break,
        }
    }
    let help = if long || args.get(1).is_some_and(|a| a == "help") {
        cmd.render_long_help()
    } else {
        cmd.render_help()
    };
    Some(help.to_string())
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The vault file, or a PostgreSQL database (postgres://user@host/db,
    /// with the postgres feature) [default: tokvault/vault.db in the
    /// user's data directory]
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

    /// Do not register secrets with the CI runner's log masking
    /// (`::add-mask::` on GitHub Actions)
    #[arg(
        long,
        global = true,
        env = "TOKVAULT_NO_MASK",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
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
    /// Add or replace a credential (an API key, a token, a token response)
    Store(Box<StoreArgs>),
    /// Print a credential's secret, refreshing it first when it is about to expire
    Get(GetArgs),
    /// List credentials: metadata only, never a secret
    List(ListArgs),
    /// Find credentials that will stop working without a person
    Check(CheckArgs),
    /// Show who used which credential when; verify or prune the audit log
    Audit(AuditArgs),
    /// Fill a template's {{ tokvault://NAME }} references with fresh secrets
    Inject(InjectArgs),
    /// Delete a credential
    Delete(DeleteArgs),
    /// Revoke a credential's tokens at its provider and keep it, marked revoked
    Revoke(RevokeArgs),
    /// Refresh a credential now
    Refresh(RefreshArgs),
    /// Trade an authorization code for tokens and store them
    ExchangeCode(ExchangeCodeArgs),
    /// Get a machine token with the client_credentials grant
    ClientCredentials(ClientCredentialsArgs),
    /// Manage OAuth2 clients: client id, secret and endpoints
    #[command(subcommand)]
    Oauth2(Oauth2Command),
    /// Run a command with fresh secrets in its environment
    Run(RunArgs),
    /// Serve tokens to programs the way their cloud SDKs ask for them
    Serve(ServeArgs),
    /// Let an AI agent use credentials without seeing them (an MCP server)
    Mcp(McpArgs),
    /// Print secrets as variables for a shell, docker or $GITHUB_ENV
    Export(ExportArgs),
    /// Re-encrypt every secret under a new master key
    Rekey(RekeyArgs),
    /// Write every credential and client to an encrypted file
    ExportVault(ExportVaultArgs),
    /// Merge a file from export-vault into the vault
    ImportVault(ImportVaultArgs),
    /// Import the credentials of gh, aws, docker, netrc, git or a .env file
    Import(ImportArgs),
    /// Copy the whole vault into another store (a file or PostgreSQL)
    Migrate(MigrateArgs),
    /// Sign in with a browser or a device code and store the tokens
    Login(LoginArgs),
    /// Answer git's credential requests with fresh tokens (a git credential helper)
    GitCredential(GitCredentialArgs),
    /// Answer docker's credential requests (run as docker-credential-tokvault)
    DockerCredential(DockerCredentialArgs),
    /// Print AWS keys for the SDKs' credential_process
    ///
    /// Prints `{"Version": 1, "AccessKeyId", "SecretAccessKey",
    /// "SessionToken", "Expiration"}` from a credential stored with those
    /// keys (`tokvault store aws --from-json keys.json`), refreshed first
    /// when it expires within a minute.
    AwsCredential(ExecCredentialArgs),
    /// Print a Kubernetes ExecCredential for kubectl's exec plugin
    ///
    /// Prints a client.authentication.k8s.io ExecCredential with
    /// `status.token` and `status.expirationTimestamp`, in the apiVersion
    /// KUBERNETES_EXEC_INFO asks for, refreshed first when it expires
    /// within a minute.
    KubeCredential(ExecCredentialArgs),
    /// Answer cargo's registry token requests (a cargo credential provider)
    CargoCredential(CargoCredentialArgs),
    /// Make a master key file
    #[command(subcommand, after_help = "Examples:\n  tokvault key generate ~/ci.key")]
    Key(KeyCommand),
    /// Print a shell completion script
    Completion(CompletionArgs),
    /// Names for shell completion (used by the completion scripts)
    #[command(name = "__complete", hide = true)]
    Complete(CompleteArgs),
}

/// Add or replace a credential.
///
/// The secret comes from stdin (`--secret -`), a file, a provider's
/// token-response JSON (`--from-json`), or a hidden prompt on a terminal. At
/// most one input may read stdin. Replacing a credential keeps its creation
/// time.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  echo \"$STRIPE_KEY\" | tokvault store stripe --secret -\n  tokvault store gh --provider github --secret - --expires-in 8h < token.txt\n  curl -s ... | tokvault store google --from-json -\n  tokvault store ci --provider example --type jwt --secret-file token.jwt\n  tokvault store app --type github-app --app-id 123 --owner acme --private-key-file app.pem\n  tokvault store gcp --type google-service-account --service-account-file sa.json --scopes https://www.googleapis.com/auth/cloud-platform"
)]
pub struct StoreArgs {
    /// Name of the credential, e.g. google or openai
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The service it belongs to [default: the credential's name when that
    /// is a known provider, else the provider it already has]
    #[arg(long, value_parser = crate::text::name)]
    pub provider: Option<String>,

    /// What kind of secret it is [default: api_key for openai and anthropic,
    /// oauth2 otherwise, or the type it already has]; github-app and
    /// google-service-account keep a private key and mint tokens with it
    #[arg(long = "type", value_name = "TYPE")]
    pub token_type: Option<StoreType>,

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
    #[arg(long, value_delimiter = ',', value_name = "A,B", value_parser = crate::scope::flag)]
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

    /// Fail (exit 1) instead of replacing a credential of that name
    #[arg(long)]
    pub no_replace: bool,

    /// Print what was stored as JSON (metadata, never the secret), with
    /// "replaced"
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub identity: IdentityArgs,
}

/// What `store --type` accepts: a kind of token, or a machine identity that
/// mints its tokens from a private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreType {
    /// An OAuth2 access token, with or without a refresh token
    #[value(name = "oauth2")]
    Oauth2,
    /// An API key: never expires unless told, never refreshed
    #[value(name = "api_key")]
    ApiKey,
    /// A JWT: its exp claim sets the expiry
    #[value(name = "jwt")]
    Jwt,
    /// A GitHub App installation: `get` mints installation tokens
    #[value(name = "github-app")]
    GithubApp,
    /// A Google service account key file: `get` mints access (or ID) tokens
    #[value(name = "google-service-account")]
    GoogleServiceAccount,
}

impl StoreType {
    /// The kind of token stored; a machine identity's tokens are OAuth2
    /// bearer tokens.
    pub fn token_type(self) -> TokenType {
        match self {
            StoreType::ApiKey => TokenType::ApiKey,
            StoreType::Jwt => TokenType::Jwt,
            StoreType::Oauth2 | StoreType::GithubApp | StoreType::GoogleServiceAccount => {
                TokenType::Oauth2
            }
        }
    }
}

/// `store --type github-app` and `--type google-service-account`.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Machine identities (--type github-app, google-service-account)")]
pub struct IdentityArgs {
    /// The GitHub App's ID (or client ID)
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,

    /// The installation to mint tokens for (see the app's settings, or use
    /// --owner)
    #[arg(long, value_name = "ID")]
    pub installation_id: Option<u64>,

    /// Find the installation on this user or organisation
    #[arg(long, value_name = "LOGIN", conflicts_with = "installation_id")]
    pub owner: Option<String>,

    /// The app's private key, PEM (PKCS#1 or PKCS#8), as GitHub hands it out
    #[arg(long, value_name = "FILE", conflicts_with = "private_key")]
    pub private_key_file: Option<PathBuf>,

    /// The private key from stdin (`-`)
    #[arg(long, value_name = "-")]
    pub private_key: Option<String>,

    /// Narrow each token to these repositories (names, without the owner)
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub repositories: Option<Vec<String>>,

    /// Narrow each token to these permissions (contents=read,issues=write)
    #[arg(long, value_delimiter = ',', value_name = "NAME=LEVEL,...")]
    pub permissions: Option<Vec<String>>,

    /// GitHub's API [default: https://api.github.com; GitHub Enterprise
    /// Server: https://HOST/api/v3]
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,

    /// The service account's JSON key file, as Google issues it
    #[arg(long, value_name = "FILE")]
    pub service_account_file: Option<PathBuf>,

    /// Act as this user (domain-wide delegation)
    #[arg(long, value_name = "EMAIL")]
    pub subject: Option<String>,

    /// Mint ID tokens for this audience instead of access tokens
    #[arg(long, value_name = "AUDIENCE", conflicts_with = "scopes")]
    pub audience: Option<String>,
}

impl IdentityArgs {
    /// The first flag given that `kind` does not take (None: any
    /// machine-identity flag), for a clear refusal.
    pub fn first_not_for(&self, kind: Option<StoreType>) -> Option<&'static str> {
        use StoreType::{GithubApp as G, GoogleServiceAccount as S};
        [
            ("--app-id", self.app_id.is_some(), G),
            ("--installation-id", self.installation_id.is_some(), G),
            ("--owner", self.owner.is_some(), G),
            ("--private-key-file", self.private_key_file.is_some(), G),
            ("--private-key", self.private_key.is_some(), G),
            ("--repositories", self.repositories.is_some(), G),
            ("--permissions", self.permissions.is_some(), G),
            ("--api-url", self.api_url.is_some(), G),
            (
                "--service-account-file",
                self.service_account_file.is_some(),
                S,
            ),
            ("--subject", self.subject.is_some(), S),
            ("--audience", self.audience.is_some(), S),
        ]
        .into_iter()
        .find(|(_, given, owner)| *given && Some(*owner) != kind)
        .map(|(flag, _, _)| flag)
    }
}

/// Print a credential's secret: the access token, API key or JWT, and a
/// newline, on stdout alone.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  curl -H \"Authorization: Bearer $(tokvault get google)\" https://...\n  tokvault get google --field id_token\n  tokvault get google --json --min-valid 5m\n  eval \"$(tokvault get openai --format env)\""
)]
pub struct GetArgs {
    /// Name of the credential
    #[arg(value_name = "NAME")]
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
#[command(
    after_help = "Examples:\n  tokvault list\n  tokvault list --json --expired\n  tokvault list --provider github --all-users"
)]
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

    /// Only credentials that expire within this long (expired ones
    /// included), as their expiry says; `check` says which of them renew
    #[arg(long, value_name = "DURATION", value_parser = crate::time::parse_duration)]
    pub expiring: Option<i64>,
}

/// The audit log: one entry each time a secret left the vault or a
/// credential changed, with who asked (user, process and its parent, host);
/// never a secret or a command line. A table on a terminal, JSON lines
/// otherwise.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tokvault audit --since 7d --name github
  tokvault audit --operation get --json | jq -r .who.parent
  tokvault audit --verify                      # exit 8 names the first bad entry
  tokvault audit --prune --before 2026-01-01")]
pub struct AuditArgs {
    /// Only entries from this time on: RFC 3339, a date, or a DURATION ago (7d)
    #[arg(long, value_name = "TIME", value_parser = since)]
    pub since: Option<Since>,

    /// Only entries about this credential
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Only this operation (get, run, store, delete, refresh, git, ...)
    #[arg(long, value_name = "OP")]
    pub operation: Option<String>,

    /// Only what an agent did (its `tokvault mcp --agent` label)
    #[arg(long, value_name = "LABEL")]
    pub agent: Option<String>,

    /// Print JSON lines for scripts (the default when stdout is not a terminal)
    #[arg(long)]
    pub json: bool,

    /// Check that no entry was edited, removed, reordered or cut off since
    /// the last check, and remember the last entry; exit 8 names the first
    /// bad one
    #[arg(long, conflicts_with_all = ["prune", "since", "name", "operation"])]
    pub verify: bool,

    /// Remove the entries written before --before, after checking the whole
    /// log; the prune is itself recorded
    #[arg(long, requires = "before", conflicts_with_all = ["since", "name", "operation"])]
    pub prune: bool,

    /// With --prune: entries up to the last one written before this time go
    #[arg(long, value_name = "TIME", requires = "prune", value_parser = crate::time::parse_time)]
    pub before: Option<i64>,
}

/// `--since`: a time, or how long ago.
#[derive(Debug, Clone, Copy)]
pub enum Since {
    At(i64),
    Ago(i64),
}

fn since(text: &str) -> Result<Since, String> {
    match crate::time::parse_duration(text) {
        Ok(ago) => Ok(Since::Ago(ago)),
        Err(_) => crate::time::parse_time(text).map(Since::At),
    }
}

/// Find credentials that will stop working without a person, before a job
/// does: exit 0 when every one is valid, or renews by itself, for at least
/// --within; 4 when some will not, each listed with why.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tokvault check --within 7d      # in cron or CI: exit 4 names what needs a person
  tokvault check --json --all-users")]
pub struct CheckArgs {
    /// How far ahead to look (0 means: now)
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = crate::time::parse_duration)]
    pub within: i64,

    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,

    /// Every user's credentials, not just --user's
    #[arg(long)]
    pub all_users: bool,
}

/// Delete a credential (asks first on a terminal).
#[derive(Debug, Args)]
#[command(
    after_help = "An OAuth2 token is revoked at its provider first (RFC 7009, or the provider's own way);\nwhen the provider refuses or cannot be reached, nothing is deleted (exit 5 or 6).\n\nExamples:\n  tokvault delete old-key\n  tokvault delete old-key --yes   # in scripts\n  tokvault delete gh --no-revoke  # here only: the token stays valid at the provider"
)]
pub struct DeleteArgs {
    /// Name of the credential
    #[arg(value_name = "NAME")]
    pub integration: String,

    /// Do not ask; required without a terminal
    #[arg(long, short)]
    pub yes: bool,

    /// Delete it here only, without revoking its tokens at the provider
    /// (they stay valid there until they expire)
    #[arg(long)]
    pub no_revoke: bool,

    /// Print what was deleted as JSON (metadata only)
    #[arg(long)]
    pub json: bool,
}

/// Fill a template's references with fresh secrets: every
/// `{{ tokvault://NAME }}`, `{{ tokvault://NAME/FIELD }}` or
/// `{{ tokvault://USER/NAME/FIELD }}` (parts percent-encoded where they hold
/// `/`, `%`, `{`, `}` or spaces; `\{{` is a literal `{{`) is replaced by the
/// secret, refreshed first as `get` would. Any reference that cannot be
/// resolved is an error naming its line, and nothing is written.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tokvault inject -i config.yml.tpl -o config.yml
  echo 'token={{ tokvault://github }}' | tokvault inject > .npmrc")]
pub struct InjectArgs {
    /// The template [default: stdin] (at most 16 MiB)
    #[arg(short = 'i', long = "in-file", value_name = "TEMPLATE")]
    pub in_file: Option<PathBuf>,

    /// Write to this file (created 0600, replaced whole) instead of stdout
    #[arg(short = 'o', long = "out-file", value_name = "OUT")]
    pub out_file: Option<PathBuf>,

    /// Replace OUT when it exists (its mode kept, never wider than 0600)
    #[arg(long)]
    pub force: bool,

    /// Allow a value that holds a line break
    #[arg(long)]
    pub allow_multiline: bool,
}

/// Revoke an OAuth2 credential's tokens at its provider (as `delete` does
/// first), and keep it marked revoked: `get` then fails (exit 4) and says
/// so, until a new token is stored under its name.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault revoke github   # after a leak: dead at GitHub, kept here as a record"
)]
pub struct RevokeArgs {
    /// Name of the credential
    #[arg(value_name = "NAME")]
    pub integration: String,
}

/// Refresh a credential now with its refresh token (or re-run its
/// client_credentials grant).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  tokvault refresh google\n  tokvault refresh google --json")]
pub struct RefreshArgs {
    /// Name of the credential
    #[arg(value_name = "NAME")]
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
#[command(
    after_help = "Examples:\n  tokvault oauth2 authorize-url corp --scopes openid,offline_access\n  tokvault exchange-code mail --oauth2 corp --code -\n  tokvault exchange-code mail --oauth2 corp --code - --state STATE"
)]
pub struct ExchangeCodeArgs {
    /// Name to store the credential under
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The OAuth2 client (name or id)
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: String,

    /// The authorization code, or the whole URL the browser was sent back
    /// to (its code, state and iss are read from it); `-` reads stdin
    // Codes, verifiers and states are base64url: they may begin with '-'.
    #[arg(long, value_name = "CODE|URL|-", allow_hyphen_values = true)]
    pub code: String,

    /// The redirect URI of the authorization request [default: the one
    /// `authorize-url` used, else the client's]
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// The PKCE code verifier; `-` reads stdin
    #[arg(long, value_name = "VERIFIER|-", allow_hyphen_values = true)]
    pub code_verifier: Option<String>,

    /// The state of the authorization request, to pick its kept verifier
    #[arg(long, allow_hyphen_values = true)]
    pub state: Option<String>,

    /// The authorization request was made without PKCE: send no verifier
    #[arg(long, conflicts_with_all = ["code_verifier", "state"])]
    pub no_pkce: bool,

    /// Print the stored record as JSON (with secrets)
    #[arg(long)]
    pub json: bool,
}

/// Get a machine token with the client_credentials grant and store it; `get`
/// runs the grant again when it expires.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault client-credentials robot --oauth2 corp --scopes api.read\n  tokvault get robot   # runs the grant again once expired"
)]
pub struct ClientCredentialsArgs {
    /// Name to store the credential under
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The OAuth2 client (name or id)
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: String,

    /// Scopes to ask for [default: the client's]
    #[arg(long, value_delimiter = ',', value_name = "A,B", value_parser = crate::scope::flag)]
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
    /// Add or replace an OAuth2 client
    Add(Box<Oauth2AddArgs>),
    /// List OAuth2 clients (never their secrets)
    List(Oauth2ListArgs),
    /// Show one OAuth2 client's settings as JSON
    Show(Oauth2ShowArgs),
    /// Remove an OAuth2 client
    Remove(Oauth2RemoveArgs),
    /// Print an authorization URL with PKCE for exchange-code
    AuthorizeUrl(AuthorizeUrlArgs),
}

/// Add (or replace) an OAuth2 client. Endpoints come from --provider's
/// preset, from OIDC discovery (--issuer), or are given with --token-url;
/// explicit URLs override the others.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault oauth2 add google-app --provider google --client-id ID --client-secret - < secret.txt\n  tokvault oauth2 add corp --issuer https://id.example.com --client-id ID --client-secret -\n  tokvault oauth2 add cli --token-url https://auth.example.com/token --client-id ID --auth-method none"
)]
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

    /// Token revocation endpoint (RFC 7009), where `delete` and `revoke`
    /// revoke this client's tokens [default: the issuer's, when discovered]
    #[arg(long, value_name = "URL")]
    pub revocation_url: Option<String>,

    /// When the client secret expires, for `check` (RFC 3339 or a date)
    #[arg(long, value_name = "TIME", value_parser = crate::time::parse_time)]
    pub secret_expires_at: Option<i64>,

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

    /// private_key_jwt: the client's private key, PEM (RSA or EC P-256);
    /// sealed in the vault
    #[arg(long, value_name = "FILE")]
    pub private_key_file: Option<PathBuf>,

    /// private_key_jwt: the key's id (`kid`), as registered with the server
    #[arg(long, value_name = "KID", requires = "private_key_file")]
    pub key_id: Option<String>,

    /// private_key_jwt: the signing algorithm [default: RS256 for an RSA
    /// key, ES256 for an EC key]
    #[arg(long, value_name = "ALG", requires = "private_key_file")]
    pub alg: Option<crate::jws::Alg>,

    /// private_key_jwt and client_secret_jwt: the client assertion's `aud`:
    /// the token endpoint (RFC 7523, what most servers and Authlib
    /// require) or the issuer (RFC 7523bis; needs --issuer)
    #[arg(long, value_name = "WHO", default_value = "token-endpoint")]
    pub assertion_audience: AssertionAudience,

    /// The redirect URI registered for the client
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,

    /// Scopes to ask for by default
    #[arg(long, value_delimiter = ',', value_name = "A,B", value_parser = crate::scope::flag)]
    pub scopes: Option<Vec<String>>,

    /// Print the saved client as JSON (as `oauth2 show`, never its secret)
    #[arg(long)]
    pub json: bool,
}

/// List OAuth2 clients (never their secrets).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  tokvault oauth2 list\n  tokvault oauth2 list --json")]
pub struct Oauth2ListArgs {
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
}

/// Show one OAuth2 client's settings as JSON (never its secret).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  tokvault oauth2 show corp\n  tokvault oauth2 show 3")]
pub struct Oauth2ShowArgs {
    /// Name or id of the client
    pub name: String,
}

/// Remove an OAuth2 client; refused while credentials use it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault oauth2 remove corp\n  tokvault oauth2 remove corp --force"
)]
pub struct Oauth2RemoveArgs {
    /// Name or id of the client
    pub name: String,

    /// Remove it anyway; its credentials keep their tokens but can no longer
    /// be refreshed through it
    #[arg(long)]
    pub force: bool,

    /// Do not ask; required without a terminal
    #[arg(long, short)]
    pub yes: bool,
}

/// Print an authorization URL with a random state and a PKCE S256 challenge;
/// the verifier is kept in the vault for ten minutes for `exchange-code`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault oauth2 authorize-url corp\n  tokvault oauth2 authorize-url corp --scopes openid,email --redirect-uri http://127.0.0.1:8765/cb"
)]
pub struct AuthorizeUrlArgs {
    /// Name or id of the client
    pub client: String,

    /// Scopes to ask for [default: the client's]
    #[arg(long, value_delimiter = ',', value_name = "A,B", value_parser = crate::scope::flag)]
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
/// it) and passes on INT, TERM, HUP, QUIT, USR1, USR2 and ALRM sent to it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault run -e GH_TOKEN=github -e ID_TOKEN=google.id_token -- ./deploy.sh\n  tokvault run --env-file deploy.tokvault -- make release"
)]
pub struct RunArgs {
    /// Set VAR to a credential's secret, or one of its token_data fields
    /// (NAME.FIELD); a bare NAME sets the variable `export` would (OPENAI
    /// for openai); repeatable
    #[arg(short = 'e', long = "env", value_name = "[VAR=]NAME[.FIELD]")]
    pub env: Vec<String>,

    /// Read VAR=NAME[.FIELD] or VAR=tokvault://... lines from a file (#
    /// comments and blank lines allowed, values may be quoted); repeatable.
    /// Variables tokvault was started with whose value is a tokvault://
    /// reference are resolved too
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// Put a secret in a private file and set VAR to its path; the file is
    /// rewritten before the token expires for as long as CMD runs, and
    /// removed when it ends; repeatable
    #[arg(long, value_name = "VAR=NAME[.FIELD]")]
    pub file: Vec<String>,

    /// Replace the secrets (and their base64 and URL-encoded forms) with ***
    /// in the command's stdout and stderr, which then are pipes, not the
    /// terminal
    #[arg(long, env = "TOKVAULT_MASK", value_parser = clap::builder::BoolishValueParser::new())]
    pub mask: bool,

    /// Use secrets that have expired and cannot be refreshed instead of
    /// failing with exit code 4
    #[arg(long)]
    pub allow_expired: bool,

    /// Hand CMD a credential the way its SDK asks its platform for one,
    /// from a broker on 127.0.0.1 for as long as CMD runs: aws (the
    /// container credential provider), gcp (the metadata server) or azure
    /// (the managed-identity endpoint); renewed when due; repeatable
    #[arg(long = "serve", value_name = "PROTO=NAME", value_parser = crate::grants::parse_grant)]
    pub serve: Vec<crate::grants::Grant>,

    #[command(flatten)]
    pub gcp: GcpArgs,

    /// The command and its arguments
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// Options of the gcp protocol.
#[derive(Debug, Args)]
pub struct GcpArgs {
    /// The project the gcp metadata server names (default: a service
    /// account's own project)
    #[arg(long, value_name = "PROJECT", value_parser = crate::text::name)]
    pub gcp_project: Option<String>,
}

/// Serve tokens to programs, containers and services from a broker in the
/// foreground, the way each cloud's SDK asks its platform: aws (the
/// container credential provider), gcp (the metadata server), azure (the
/// managed-identity endpoint); with --tokens-api, the Tokens API over HTTP.
/// Tokens are renewed when due. Only this user (and each --allow-uid) is
/// answered; aws and azure requests also need the token kept in --env-file,
/// Tokens API requests an X-API-Key. Stops on INT or TERM, removing its
/// socket and env file.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault serve --grant aws=aws-prod --env-file ~/.config/tokvault/broker.env\n  docker run --network host --env-file ~/.config/tokvault/broker.env amazon/aws-cli sts get-caller-identity\n  tokvault serve --listen unix:$XDG_RUNTIME_DIR/tokvault/broker.sock --grant gcp=google\n  tokvault serve --tokens-api --api-key-file ~/.config/tokvault/api-keys --listen 127.0.0.1:8000"
)]
pub struct ServeArgs {
    /// PROTO=NAME: aws, gcp or azure, and the credential it hands out;
    /// repeatable, one per protocol
    #[arg(long, required_unless_present = "tokens_api", value_name = "PROTO=NAME", value_parser = crate::grants::parse_grant)]
    pub grant: Vec<crate::grants::Grant>,

    /// Also serve the Tokens API (/v2/users/{user_id}/tokens...) to
    /// requests with a key from --api-key-file
    #[arg(long, requires = "api_key_file")]
    pub tokens_api: bool,

    /// The Tokens API's keys, one a line (mode 0600); created with one
    /// random key when missing
    #[arg(long, value_name = "FILE", requires = "tokens_api")]
    pub api_key_file: Option<PathBuf>,

    /// Where to listen: 127.0.0.1:PORT (default: a free port), unix:PATH
    /// for a socket, or another address (served with a warning)
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,

    /// Write the variables a client needs (VAR=VALUE lines, mode 0600) to
    /// FILE, removed when the broker stops; required for aws and azure,
    /// whose requests carry a token from it
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,

    /// Also answer connections from this uid (a container's user);
    /// repeatable
    #[arg(long, value_name = "UID")]
    pub allow_uid: Vec<u32>,

    /// Append one line per request to FILE: time, client, route,
    /// credential, status (never a secret)
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,

    #[command(flatten)]
    pub gcp: GcpArgs,
}

/// A Model Context Protocol server on stdin/stdout for an AI agent: its
/// tools make HTTP requests with a credential attached (only to that
/// credential's hosts) and run commands with secrets in their environment,
/// and never return a secret: every answer is masked. Only the credentials
/// named here exist for the agent. Each call is an audit entry.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault mcp --credential github --agent claude-code\n  tokvault mcp --credential gh --credential internal=api.internal.example.com --confirm\n  tokvault mcp --credential anthropic --allow-run"
)]
pub struct McpArgs {
    /// NAME[=HOST[,HOST...]]: a credential the agent may use, and the hosts
    /// it may be sent to (api.github.com, *.googleapis.com,
    /// 127.0.0.1:8080); a preset supplies its API hosts; repeatable
    #[arg(long, required = true, value_name = "NAME[=HOSTS]", value_parser = crate::grants::parse_credential)]
    pub credential: Vec<crate::grants::Exposed>,

    /// NAME=HEADER: send credential NAME's secret alone in HEADER
    /// (x-api-key) instead of `Authorization: Bearer`
    #[arg(long, value_name = "NAME=HEADER", value_parser = crate::grants::parse_auth_header)]
    pub auth_header: Vec<(String, String)>,

    /// The agent's name in the audit log
    #[arg(long, value_name = "LABEL")]
    pub agent: Option<String>,

    /// Offer the run_command tool: a command with secrets in its
    /// environment, its output masked
    #[arg(long)]
    pub allow_run: bool,

    /// Ask the person (MCP elicitation) before the first use of each
    /// credential; refused where the client cannot ask
    #[arg(long)]
    pub confirm: bool,
}

/// Print secrets as variables: for `eval "$(tokvault export ...)"`,
/// `>> "$GITHUB_ENV"`, or `docker --env-file`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  eval \"$(tokvault export github google.id_token)\"\n  tokvault export OPENAI_API_KEY=openai --format dotenv > app.env\n  tokvault export GH_TOKEN=github --format github >> \"$GITHUB_ENV\""
)]
pub struct ExportArgs {
    /// NAME[.FIELD], named after the credential (google.id_token ->
    /// GOOGLE_ID_TOKEN), or VAR=NAME[.FIELD]
    #[arg(required = true, value_name = "[VAR=]NAME[.FIELD]")]
    pub references: Vec<String>,

    /// env: `export VAR='value'`; dotenv: `VAR=value`; github: for
    /// $GITHUB_ENV (multi-line values as heredocs); json: an object
    #[arg(long, value_enum, default_value = "env")]
    pub format: crate::envfmt::Format,

    /// Use a secret that has expired and cannot be refreshed instead of
    /// failing with exit code 4
    #[arg(long)]
    pub allow_expired: bool,
}

/// Re-encrypt every secret under a new master key, in one transaction.
///
/// The new key is TOKVAULT_NEW_KEY, or the key in --new-key-file, or a new
/// one (written to --new-key-file, or replacing the key file in use). The
/// key itself is printed only with --show-key.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault rekey\n  tokvault rekey --new-key-file ~/new.key\n  TOKVAULT_NEW_KEY=\"$(cat my.key)\" tokvault rekey"
)]
pub struct RekeyArgs {
    /// Where the new key is (read if it exists, created 0600 if not)
    #[arg(long, value_name = "PATH")]
    pub new_key_file: Option<PathBuf>,

    /// Print the new key on stdout
    #[arg(long)]
    pub show_key: bool,
}

/// Write every credential, OAuth2 client and helper route to an encrypted, portable file.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault export-vault backup.tokvault\n  tokvault export-vault ci/vault.tokvault --to-key ci.key"
)]
pub struct ExportVaultArgs {
    /// The file to create (0600; it must not exist)
    pub file: PathBuf,

    /// Encrypt it with the key in this file instead of the vault's key (a
    /// new key is made there, 0600, when the file does not exist)
    #[arg(long, value_name = "KEY_FILE")]
    pub to_key: Option<PathBuf>,
}

/// Merge a file from `export-vault` into the vault, reporting each entry.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault import-vault backup.tokvault\n  tokvault import-vault ci/vault.tokvault --from-key ci.key --replace"
)]
pub struct ImportVaultArgs {
    /// The file `export-vault` wrote
    pub file: PathBuf,

    /// The key it was encrypted with [default: the vault's key]
    #[arg(long, value_name = "KEY_FILE")]
    pub from_key: Option<PathBuf>,

    /// Overwrite credentials, clients and routes that exist (default: skip them)
    #[arg(long)]
    pub replace: bool,

    /// Restore nothing when any entry is refused (default: restore the
    /// others, report each refused one, and exit 1)
    #[arg(long)]
    pub strict: bool,
}

/// Import the credentials another tool keeps in a plaintext file, in one
/// transaction: a file that does not parse changes nothing. Reports what
/// was added, replaced or skipped (and why), never a secret; the file is
/// only read.
///
/// dotenv: each KEY=VALUE an API key named by the lower-cased KEY. gh:
/// hosts.yml, each account's token (the active one named `github`, or the
/// host) with a git route. aws: the credentials and config files, each
/// profile with keys as `aws-PROFILE` for aws-credential. docker:
/// config.json's logins as docker login keeps them (`docker:REGISTRY`).
/// netrc: each machine an API key with a git route. git-credentials: each
/// URL an API key with a git route. tokens-api: a JSON array of the Tokens
/// API's store requests.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  tokvault import gh
  tokvault import aws --dry-run
  tokvault import dotenv .env --prefix myapp-
  tokvault import git-credentials ~/.git-credentials --json")]
pub struct ImportArgs {
    /// The format of FILE
    #[arg(value_enum)]
    pub format: ImportFormat,

    /// The file (- for stdin) [default: where the tool keeps it: .env,
    /// $GH_CONFIG_DIR/hosts.yml, ~/.aws/credentials and config,
    /// $DOCKER_CONFIG/config.json, $NETRC or ~/.netrc, ~/.git-credentials]
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Say what would be imported, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Replace credentials and routes that exist (default: skip them)
    #[arg(long)]
    pub replace: bool,

    /// Put this before every credential's name
    #[arg(long, default_value = "", value_name = "PREFIX")]
    pub prefix: String,

    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// What `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    Dotenv,
    Gh,
    Aws,
    Docker,
    Netrc,
    GitCredentials,
    TokensApi,
}

/// Sign in with a browser (authorization code with PKCE and a loopback
/// redirect), or with a code entered on another device (--device), and store
/// the tokens as `exchange-code` does.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault login google --oauth2 google-app --scopes openid,email\n  tokvault login google --oauth2 google-app --no-browser\n  tokvault login tv --oauth2 google-app --device"
)]
pub struct LoginArgs {
    /// Name to store the credential under
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub integration: String,

    /// The OAuth2 client (name or id)
    #[arg(long, value_name = "CLIENT")]
    pub oauth2: String,

    /// Scopes to ask for [default: the client's]
    #[arg(long, value_delimiter = ',', value_name = "A,B", value_parser = crate::scope::flag)]
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

/// A git credential helper (git-credential(1)): git asks it for a
/// credential whenever it needs one, and gets a token valid for at least a
/// minute, refreshed first if need be.
///
/// Configure git with `git config --global credential.helper '!tokvault
/// git-credential'` (after any other helper if tokvault should answer only
/// for mapped hosts), and say which credential answers for which host with
/// `map`. With credential.useHttpPath, `map HOST/PATH` picks by repository
/// too. Tokens go only to https, or http on loopback.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault git-credential map github.com gh\n  tokvault git-credential map gitlab.com gl --username oauth2\n  git config --global credential.helper '!tokvault git-credential'\n  git config --global --add credential.helper '!tokvault git-credential --accept-store'"
)]
pub struct GitCredentialArgs {
    /// Take credentials other helpers hand to `store` (by default they are
    /// ignored: tokvault keeps its own)
    #[arg(long)]
    pub accept_store: bool,

    #[command(subcommand)]
    pub action: GitCredentialAction,
}

#[derive(Debug, Subcommand)]
pub enum GitCredentialAction {
    /// Answer with the credential mapped to the host (called by git)
    #[command(
        after_help = "Examples:\n  printf 'protocol=https\\nhost=github.com\\n\\n' | tokvault git-credential get"
    )]
    Get,
    /// Take a credential git approved (called by git; ignored without
    /// --accept-store)
    #[command(
        after_help = "Examples:\n  git config --global --add credential.helper '!tokvault git-credential --accept-store'"
    )]
    Store,
    /// Mark the token git was refused with as stale, so the next get
    /// refreshes it; never deletes (called by git)
    #[command(
        after_help = "Examples:\n  printf 'protocol=https\\nhost=github.com\\npassword=OLD\\n\\n' | tokvault git-credential erase"
    )]
    Erase,
    /// Answer for HOST (host[:port], or host[:port]/path) with credential NAME
    #[command(
        after_help = "Examples:\n  tokvault git-credential map github.com gh\n  tokvault git-credential map gitlab.com/group/repo gl --username oauth2"
    )]
    Map(GitMapArgs),
    /// Stop answering for HOST
    #[command(after_help = "Examples:\n  tokvault git-credential unmap github.com")]
    Unmap(GitUnmapArgs),
    /// List the mapped hosts
    #[command(after_help = "Examples:\n  tokvault git-credential list")]
    List,
}

#[derive(Debug, Args)]
pub struct GitMapArgs {
    /// host[:port], or host[:port]/path with credential.useHttpPath
    pub host: String,
    /// The credential to answer with
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The username git is told [default: by host: oauth2 for GitLab,
    /// x-token-auth for Bitbucket, x-access-token (GitHub's) for others,
    /// which take any username with a token]
    #[arg(long)]
    pub username: Option<String>,
}

#[derive(Debug, Args)]
pub struct GitUnmapArgs {
    pub host: String,
}

/// A docker credential helper (docker-credential-helpers' protocol). docker
/// runs `docker-credential-tokvault ACTION`: link that name to tokvault
/// (`ln -s "$(command -v tokvault)" ~/.local/bin/docker-credential-tokvault`)
/// and set `"credsStore": "tokvault"` or `"credHelpers": {"REGISTRY":
/// "tokvault"}` in ~/.docker/config.json.
///
/// `docker login` stores into a credential named `docker:REGISTRY`; `map`
/// answers for a registry with a credential tokvault already keeps (and
/// refreshes), sent as an identity token when it is an OAuth2 token.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ln -s \"$(command -v tokvault)\" ~/.local/bin/docker-credential-tokvault\n  tokvault docker-credential map ghcr.io gh --username me\n  echo ghcr.io | docker-credential-tokvault get"
)]
pub struct DockerCredentialArgs {
    #[command(subcommand)]
    pub action: DockerCredentialAction,
}

#[derive(Debug, Subcommand)]
pub enum DockerCredentialAction {
    /// Print the credential for the registry read on stdin (called by docker)
    #[command(after_help = "Examples:\n  echo ghcr.io | docker-credential-tokvault get")]
    Get,
    /// Keep the credential docker login sends as JSON on stdin (called by docker)
    #[command(after_help = "Examples:\n  docker login ghcr.io")]
    Store,
    /// Forget the registry read on stdin (called by docker logout)
    #[command(after_help = "Examples:\n  docker logout ghcr.io")]
    Erase,
    /// Print every registry and its username as JSON (called by docker)
    #[command(after_help = "Examples:\n  docker-credential-tokvault list")]
    List,
    /// Print the version (called by docker)
    #[command(after_help = "Examples:\n  docker-credential-tokvault version")]
    Version,
    /// Answer for REGISTRY with credential NAME
    #[command(after_help = "Examples:\n  tokvault docker-credential map ghcr.io gh --username me")]
    Map(DockerMapArgs),
}

#[derive(Debug, Args)]
pub struct DockerMapArgs {
    /// The registry as docker names it (ghcr.io, 127.0.0.1:5000,
    /// https://index.docker.io/v1/)
    pub registry: String,
    /// The credential to answer with
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The username docker is told (for a key or token that is not an
    /// OAuth2 identity token)
    #[arg(long, default_value = "tokvault")]
    pub username: String,
}

// The arguments of the exec-style helpers (aws-credential,
// kube-credential); each variant above says what it prints.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # ~/.aws/config\n  [profile prod]\n  credential_process = tokvault aws-credential aws-prod\n\n  # a kubeconfig user\n  exec:\n    apiVersion: client.authentication.k8s.io/v1\n    command: tokvault\n    args: [kube-credential, cluster-token]\n    interactiveMode: Never"
)]
pub struct ExecCredentialArgs {
    /// Name of the credential
    #[arg(value_name = "NAME")]
    pub integration: String,
}

/// Print names for shell completion, one a line, from the vault's
/// metadata (no key is read).
#[derive(Debug, Args)]
pub struct CompleteArgs {
    pub kind: CompleteKind,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CompleteKind {
    Credentials,
    Clients,
    Providers,
}

/// Whom a client assertion is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AssertionAudience {
    TokenEndpoint,
    Issuer,
}

/// Master key files.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Write a new random Fernet key to FILE, created 0600 (never over an
    /// existing file); use it with --key-file, TOKVAULT_KEY_FILE, or as
    /// `TOKVAULT_NEW_KEY="$(cat FILE)" tokvault rekey`
    #[command(
        after_help = "Examples:\n  tokvault key generate ~/ci.key\n  tokvault --key-file ~/ci.key store api --secret -"
    )]
    Generate {
        /// Where the key goes; it must not exist yet
        file: PathBuf,
    },
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  mkdir -p ~/.local/share/bash-completion/completions\n  tokvault completion bash > ~/.local/share/bash-completion/completions/tokvault\n  tokvault completion zsh > \"${fpath[1]}/_tokvault\"\n  tokvault completion fish > ~/.config/fish/completions/tokvault.fish"
)]
pub struct CompletionArgs {
    pub shell: clap_complete::Shell,
}

/// Answer cargo's registry token requests: a cargo credential provider.
///
/// cargo runs its provider as `tokvault --cargo-plugin` and passes the rest
/// of `credential-provider` in each request. For a registry, set in
/// .cargo/config.toml `credential-provider = ["tokvault", "cargo-credential",
/// "NAME"]` to answer with credential NAME (without NAME: `cargo:REGISTRY`).
/// `get` answers with a token valid for at least a minute, refreshed as `get`
/// refreshes, and tells cargo to keep it until it expires. `cargo login`
/// stores its token as an api key under that name; `cargo logout` removes
/// only a token cargo login stored.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cargo login --registry my-registry < token.txt\n  cargo logout --registry my-registry"
)]
pub struct CargoCredentialArgs {
    /// The credential that holds the registry's token
    #[arg(value_name = "NAME", value_parser = crate::text::name)]
    pub name: Option<String>,

    /// Speak cargo's protocol on stdin and stdout (cargo passes it)
    #[arg(long)]
    pub cargo_plugin: bool,
}

/// Copy every credential, OAuth2 client and helper route into another store: an SQLite
/// file or a PostgreSQL database (`postgres://user@host/db[?vault=NAME]`).
///
/// One transaction in the target, under the same master key; the target
/// must hold no vault data yet, and the source is left as it is. Then point
/// --db / TOKVAULT_DB at the target.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  tokvault migrate --to postgres://tokvault@db.internal/vaults\n  tokvault migrate --to ~/backup/vault.db"
)]
pub struct MigrateArgs {
    /// The store to fill: a file path or a postgres:// URL
    #[arg(long, value_name = "DB")]
    pub to: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every flag whose value is a secret, found by the value names the
    /// secret flags share, in every subcommand.
    fn secret_flags(cmd: &clap::Command, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let names = arg.get_value_names().unwrap_or_default();
            if names.iter().any(|n| {
                let n = n.as_str();
                n == "VALUE|-" || n == "-" || n.starts_with("CODE") || n.starts_with("VERIFIER")
            }) && let Some(long) = arg.get_long()
            {
                out.push(format!("--{long}"));
            }
        }
        for sub in cmd.get_subcommands() {
            secret_flags(sub, out);
        }
    }

    #[test]
    fn every_secret_flag_is_hidden_in_usage_errors() {
        let mut found = Vec::new();
        let mut cmd = Cli::command();
        cmd.build();
        secret_flags(&cmd, &mut found);
        for flag in &found {
            assert!(
                SECRET_FLAGS.contains(&flag.as_str()),
                "{flag} is not in SECRET_FLAGS"
            );
        }
        for flag in SECRET_FLAGS {
            assert!(found.iter().any(|f| f == flag), "{flag} is no secret flag");
        }
    }

    #[test]
    fn hidden_values() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        let args: Vec<String> = [
            "tokvault",
            "store",
            "a",
            "--private-key",
            pem,
            "--secret=hunter22",
        ]
        .map(String::from)
        .to_vec();
        let message = format!(
            "unexpected argument '{pem}' found; also 'hunter22' and MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
        );
        let shown = hide_secrets(&args, &message);
        assert!(
            !shown.contains("MIIE") && !shown.contains("hunter22") && !shown.contains("BEGIN"),
            "{shown}"
        );
        assert!(
            shown.starts_with("unexpected argument '(value hidden)' found"),
            "{shown}"
        );
    }
}
