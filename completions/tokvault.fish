# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tokvault_global_optspecs
    string join \n db= key-file= user= no-input no-mask http-timeout= connect-timeout= h/help V/version
end

function __fish_tokvault_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tokvault_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tokvault_using_subcommand
    set -l cmd (__fish_tokvault_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tokvault -n "__fish_tokvault_needs_command" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_needs_command" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_needs_command" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_needs_command" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_needs_command" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_needs_command" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_needs_command" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_needs_command" -s V -l version -d 'Print version'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "store" -d 'Add or replace a credential'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "get" -d 'Print a credential\'s secret: the access token, API key or JWT, and a newline, on stdout alone'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "list" -d 'List credentials: metadata only, never a secret, never needs the key'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "check" -d 'Find credentials that will stop working without a person, before a job does: exit 0 when every one is valid, or renews by itself, for at least --within; 4 when some will not, each listed with why'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "audit" -d 'The audit log: one entry each time a secret left the vault or a credential changed, with who asked (user, process and its parent, host); never a secret or a command line. A table on a terminal, JSON lines otherwise'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "inject" -d 'Fill a template\'s references with fresh secrets: every `{{ tokvault://NAME }}`, `{{ tokvault://NAME/FIELD }}` or `{{ tokvault://USER/NAME/FIELD }}` (parts percent-encoded where they hold `/`, `%`, `{`, `}` or spaces; `\\{{` is a literal `{{`) is replaced by the secret, refreshed first as `get` would. Any reference that cannot be resolved is an error naming its line, and nothing is written'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "delete" -d 'Delete a credential (asks first on a terminal)'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "revoke" -d 'Revoke an OAuth2 credential\'s tokens at its provider (as `delete` does first), and keep it marked revoked: `get` then fails (exit 4) and says so, until a new token is stored under its name'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "refresh" -d 'Refresh a credential now with its refresh token (or re-run its client_credentials grant)'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "exchange-code" -d 'Trade an authorization code for tokens and store them'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "client-credentials" -d 'Get a machine token with the client_credentials grant and store it; `get` runs the grant again when it expires'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "oauth2" -d 'Manage OAuth2 clients: client id, secret and endpoints'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "run" -d 'Run a command with fresh secrets in its environment'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "serve" -d 'Serve tokens to programs, containers and services from a broker in the foreground, the way each cloud\'s SDK asks its platform: aws (the container credential provider), gcp (the metadata server), azure (the managed-identity endpoint); with --tokens-api, the Tokens API over HTTP. Tokens are renewed when due. Only this user (and each --allow-uid) is answered; aws and azure requests also need the token kept in --env-file, Tokens API requests an X-API-Key. Stops on INT or TERM, removing its socket and env file'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "mcp" -d 'A Model Context Protocol server on stdin/stdout for an AI agent: its tools make HTTP requests with a credential attached (only to that credential\'s hosts) and run commands with secrets in their environment, and never return a secret: every answer is masked. Only the credentials named here exist for the agent. Each call is an audit entry'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "export" -d 'Print secrets as variables: for `eval "$(tokvault export ...)"`, `>> "$GITHUB_ENV"`, or `docker --env-file`'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "rekey" -d 'Re-encrypt every secret under a new master key, in one transaction'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "export-vault" -d 'Write every credential, OAuth2 client and helper route to an encrypted, portable file'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "import-vault" -d 'Merge a file from `export-vault` into the vault, reporting each entry'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "import" -d 'Import the credentials another tool keeps in a plaintext file, in one transaction: a file that does not parse changes nothing. Reports what was added, replaced or skipped (and why), never a secret; the file is only read'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "migrate" -d 'Copy every credential, OAuth2 client and helper route into another store: an SQLite file or a PostgreSQL database (`postgres://user@host/db[?vault=NAME]`)'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "login" -d 'Sign in with a browser (authorization code with PKCE and a loopback redirect), or with a code entered on another device (--device), and store the tokens as `exchange-code` does'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "git-credential" -d 'A git credential helper (git-credential(1)): git asks it for a credential whenever it needs one, and gets a token valid for at least a minute, refreshed first if need be'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "docker-credential" -d 'A docker credential helper (docker-credential-helpers\' protocol). docker runs `docker-credential-tokvault ACTION`: link that name to tokvault (`ln -s "$(command -v tokvault)" ~/.local/bin/docker-credential-tokvault`) and set `"credsStore": "tokvault"` or `"credHelpers": {"REGISTRY": "tokvault"}` in ~/.docker/config.json'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "aws-credential" -d 'Print AWS keys for the SDKs\' credential_process'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "kube-credential" -d 'Print a Kubernetes ExecCredential for kubectl\'s exec plugin'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "cargo-credential" -d 'Answer cargo\'s registry token requests: a cargo credential provider'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "key" -d 'Make a master key file'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l provider -d 'The service it belongs to [default: the credential\'s name when that is a known provider, else the provider it already has]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l type -d 'What kind of secret it is [default: api_key for openai and anthropic, oauth2 otherwise, or the type it already has]; github-app and google-service-account keep a private key and mint tokens with it' -r -f -a "oauth2\t'An OAuth2 access token, with or without a refresh token'
api_key\t'An API key: never expires unless told, never refreshed'
jwt\t'A JWT: its exp claim sets the expiry'
github-app\t'A GitHub App installation: `get` mints installation tokens'
google-service-account\t'A Google service account key file: `get` mints access (or ID) tokens'"
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l secret -d 'The secret (access token, API key or JWT); `-` reads stdin. A value given here is visible to other processes and in shell history' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l secret-file -d 'Read the secret from a file' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l from-json -d 'A token response or token_data object as JSON (access_token, refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l refresh-token -d 'The refresh token; `-` reads stdin' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l scopes -d 'Granted scopes [default: the JSON\'s `scope`]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l expires-at -d 'When the secret expires: RFC 3339 (2027-01-31T12:00:00Z) or a date (2027-01-31, midnight UTC) [default: from expires_in, or a JWT\'s exp claim]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l expires-in -d 'How long from now until the secret expires (3600, 90m, 1h, 30d)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l oauth2 -d 'Refresh it with this OAuth2 client (name or id); with only --refresh-token, the first `get` fetches an access token' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l app-id -d 'The GitHub App\'s ID (or client ID)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l installation-id -d 'The installation to mint tokens for (see the app\'s settings, or use --owner)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l owner -d 'Find the installation on this user or organisation' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l private-key-file -d 'The app\'s private key, PEM (PKCS#1 or PKCS#8), as GitHub hands it out' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l private-key -d 'The private key from stdin (`-`)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l repositories -d 'Narrow each token to these repositories (names, without the owner)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l permissions -d 'Narrow each token to these permissions (contents=read,issues=write)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l api-url -d 'GitHub\'s API [default: https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l service-account-file -d 'The service account\'s JSON key file, as Google issues it' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l subject -d 'Act as this user (domain-wide delegation)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l audience -d 'Mint ID tokens for this audience instead of access tokens' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l no-replace -d 'Fail (exit 1) instead of replacing a credential of that name'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l json -d 'Print what was stored as JSON (metadata, never the secret), with "replaced"'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l format -d 'How to print it; env, dotenv and github name the variable after the credential (and field): google.id_token -> GOOGLE_ID_TOKEN' -r -f -a "raw\t'The secret alone and a newline'
json\t'JSON'
env\t'`export VAR=\'value\'` lines for `eval` in sh, bash or zsh'
dotenv\t'`VAR=value` lines, read verbatim by `docker --env-file` (single-line values only)'
github\t'Lines for `>> "$GITHUB_ENV"`: `VAR=value`, or a heredoc for multi-line values'"
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l field -d 'Print one token_data field, e.g. refresh_token or id_token' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l min-valid -d 'Refresh first when the token expires within this long: seconds, or with a unit (90s, 5m); never more than half the token\'s lifetime' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l json -d 'Print the whole record as JSON: token_data, scopes, expires_at, is_expired, refreshed... (the same as --format json)'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l allow-expired -d 'Print an expired secret instead of failing with exit code 4'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l no-refresh -d 'Never call the network, even for an expired token'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l provider -d 'Only this provider\'s credentials' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l expiring -d 'Only credentials that expire within this long (expired ones included), as their expiry says; `check` says which of them renew' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l json -d 'Print JSON for scripts'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l expired -d 'Only expired credentials'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l all-users -d 'Every user\'s credentials, not just --user\'s'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l within -d 'How far ahead to look (0 means: now)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l json -d 'Print JSON for scripts'
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l all-users -d 'Every user\'s credentials, not just --user\'s'
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand check" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l since -d 'Only entries from this time on: RFC 3339, a date, or a DURATION ago (7d)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l name -d 'Only entries about this credential' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l operation -d 'Only this operation (get, run, store, delete, refresh, git, ...)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l agent -d 'Only what an agent did (its `tokvault mcp --agent` label)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l before -d 'With --prune: entries up to the last one written before this time go' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l json -d 'Print JSON lines for scripts (the default when stdout is not a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l verify -d 'Check that no entry was edited, removed, reordered or cut off since the last check, and remember the last entry; exit 8 names the first bad one'
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l prune -d 'Remove the entries written before --before, after checking the whole log; the prune is itself recorded'
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand audit" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -s i -l in-file -d 'The template [default: stdin] (at most 16 MiB)' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -s o -l out-file -d 'Write to this file (created 0600, replaced whole) instead of stdout' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l force -d 'Replace OUT when it exists (its mode kept, never wider than 0600)'
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l allow-multiline -d 'Allow a value that holds a line break'
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand inject" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -s y -l yes -d 'Do not ask; required without a terminal'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l no-revoke -d 'Delete it here only, without revoking its tokens at the provider (they stay valid there until they expire)'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l json -d 'Print what was deleted as JSON (metadata only)'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand revoke" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l json -d 'Print the refreshed record as JSON (with secrets)'
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand refresh" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l oauth2 -d 'The OAuth2 client (name or id)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l code -d 'The authorization code, or the whole URL the browser was sent back to (its code, state and iss are read from it); `-` reads stdin' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l redirect-uri -d 'The redirect URI of the authorization request [default: the one `authorize-url` used, else the client\'s]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l code-verifier -d 'The PKCE code verifier; `-` reads stdin' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l state -d 'The state of the authorization request, to pick its kept verifier' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l no-pkce -d 'The authorization request was made without PKCE: send no verifier'
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l json -d 'Print the stored record as JSON (with secrets)'
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand exchange-code" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l oauth2 -d 'The OAuth2 client (name or id)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l scopes -d 'Scopes to ask for [default: the client\'s]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l json -d 'Print the stored record as JSON (with secrets)'
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand client-credentials" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -f -a "add" -d 'Add (or replace) an OAuth2 client. Endpoints come from --provider\'s preset, from OIDC discovery (--issuer), or are given with --token-url; explicit URLs override the others'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -f -a "list" -d 'List OAuth2 clients (never their secrets)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -f -a "show" -d 'Show one OAuth2 client\'s settings as JSON (never its secret)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -f -a "remove" -d 'Remove an OAuth2 client; refused while credentials use it'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and not __fish_seen_subcommand_from add list show remove authorize-url" -f -a "authorize-url" -d 'Print an authorization URL with a random state and a PKCE S256 challenge; the verifier is kept in the vault for ten minutes for `exchange-code`'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l provider -d 'A built-in provider whose endpoints and quirks to use' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l issuer -d 'OIDC issuer URL: endpoints are read from its /.well-known/openid-configuration' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l token-url -d 'Token endpoint' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l auth-url -d 'Authorization endpoint' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l device-url -d 'Device authorization endpoint (RFC 8628)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l revocation-url -d 'Token revocation endpoint (RFC 7009), where `delete` and `revoke` revoke this client\'s tokens [default: the issuer\'s, when discovered]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l secret-expires-at -d 'When the client secret expires, for `check` (RFC 3339 or a date)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l tenant -d 'Microsoft tenant in the endpoint URLs (common, organizations, consumers, or a tenant id)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l client-id -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l client-secret -d 'The client secret; `-` reads stdin. Omit it for a public client' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l auth-method -d 'How the client authenticates at the token endpoint [default: the preset\'s, else client_secret_basic, or none without a secret]' -r -f -a "client_secret_basic\t'`Authorization: Basic base64(client_id:client_secret)`'
client_secret_post\t'client_id and client_secret in the request body'
none\t'A public client: client_id in the body, no secret (use PKCE)'
private_key_jwt\t'A JWT signed with the client\'s private key (RFC 7523 §2.2)'
client_secret_jwt\t'A JWT signed (HS256) with the client secret'"
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l private-key-file -d 'private_key_jwt: the client\'s private key, PEM (RSA or EC P-256); sealed in the vault' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l key-id -d 'private_key_jwt: the key\'s id (`kid`), as registered with the server' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l alg -d 'private_key_jwt: the signing algorithm [default: RS256 for an RSA key, ES256 for an EC key]' -r -f -a "RS256\t''
PS256\t''
ES256\t''
HS256\t''"
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l assertion-audience -d 'private_key_jwt and client_secret_jwt: the client assertion\'s `aud`: the token endpoint (RFC 7523, what most servers and Authlib require) or the issuer (RFC 7523bis; needs --issuer)' -r -f -a "token-endpoint\t''
issuer\t''"
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l redirect-uri -d 'The redirect URI registered for the client' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l scopes -d 'Scopes to ask for by default' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l json -d 'Print the saved client as JSON (as `oauth2 show`, never its secret)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from add" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l json -d 'Print JSON for scripts'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from list" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from show" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l force -d 'Remove it anyway; its credentials keep their tokens but can no longer be refreshed through it'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask; required without a terminal'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from remove" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l scopes -d 'Scopes to ask for [default: the client\'s]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l redirect-uri -d 'Redirect URI [default: the client\'s]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand oauth2; and __fish_seen_subcommand_from authorize-url" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -s e -l env -d 'Set VAR to a credential\'s secret, or one of its token_data fields (NAME.FIELD); a bare NAME sets the variable `export` would (OPENAI for openai); repeatable' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l env-file -d 'Read VAR=NAME[.FIELD] or VAR=tokvault://... lines from a file (# comments and blank lines allowed, values may be quoted); repeatable. Variables tokvault was started with whose value is a tokvault:// reference are resolved too' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l file -d 'Put a secret in a private file and set VAR to its path; the file is rewritten before the token expires for as long as CMD runs, and removed when it ends; repeatable' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l serve -d 'Hand CMD a credential the way its SDK asks its platform for one, from a broker on 127.0.0.1 for as long as CMD runs: aws (the container credential provider), gcp (the metadata server) or azure (the managed-identity endpoint); renewed when due; repeatable' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l gcp-project -d 'The project the gcp metadata server names (default: a service account\'s own project)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l mask -d 'Replace the secrets (and their base64 and URL-encoded forms) with *** in the command\'s stdout and stderr, which then are pipes, not the terminal'
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l allow-expired -d 'Use secrets that have expired and cannot be refreshed instead of failing with exit code 4'
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand run" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l grant -d 'PROTO=NAME: aws, gcp or azure, and the credential it hands out; repeatable, one per protocol' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l api-key-file -d 'The Tokens API\'s keys, one a line (mode 0600); created with one random key when missing' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l listen -d 'Where to listen: 127.0.0.1:PORT (default: a free port), unix:PATH for a socket, or another address (served with a warning)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l env-file -d 'Write the variables a client needs (VAR=VALUE lines, mode 0600) to FILE, removed when the broker stops; required for aws and azure, whose requests carry a token from it' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l allow-uid -d 'Also answer connections from this uid (a container\'s user); repeatable' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l log -d 'Append one line per request to FILE: time, client, route, credential, status (never a secret)' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l gcp-project -d 'The project the gcp metadata server names (default: a service account\'s own project)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l tokens-api -d 'Also serve the Tokens API (/v2/users/{user_id}/tokens...) to requests with a key from --api-key-file'
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand serve" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l credential -d 'NAME[=HOST[,HOST...]]: a credential the agent may use, and the hosts it may be sent to (api.github.com, *.googleapis.com, 127.0.0.1:8080); a preset supplies its API hosts; repeatable' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l auth-header -d 'NAME=HEADER: send credential NAME\'s secret alone in HEADER (x-api-key) instead of `Authorization: Bearer`' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l agent -d 'The agent\'s name in the audit log' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l allow-run -d 'Offer the run_command tool: a command with secrets in its environment, its output masked'
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l confirm -d 'Ask the person (MCP elicitation) before the first use of each credential; refused where the client cannot ask'
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand mcp" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l format -d 'env: `export VAR=\'value\'`; dotenv: `VAR=value`; github: for $GITHUB_ENV (multi-line values as heredocs); json: an object' -r -f -a "raw\t'The secret alone and a newline'
json\t'JSON'
env\t'`export VAR=\'value\'` lines for `eval` in sh, bash or zsh'
dotenv\t'`VAR=value` lines, read verbatim by `docker --env-file` (single-line values only)'
github\t'Lines for `>> "$GITHUB_ENV"`: `VAR=value`, or a heredoc for multi-line values'"
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l allow-expired -d 'Use a secret that has expired and cannot be refreshed instead of failing with exit code 4'
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand export" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l new-key-file -d 'Where the new key is (read if it exists, created 0600 if not)' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l show-key -d 'Print the new key on stdout'
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand rekey" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l to-key -d 'Encrypt it with the key in this file instead of the vault\'s key (a new key is made there, 0600, when the file does not exist)' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand export-vault" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l from-key -d 'The key it was encrypted with [default: the vault\'s key]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l replace -d 'Overwrite credentials, clients and routes that exist (default: skip them)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l strict -d 'Restore nothing when any entry is refused (default: restore the others, report each refused one, and exit 1)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import-vault" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l prefix -d 'Put this before every credential\'s name' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l dry-run -d 'Say what would be imported, and change nothing'
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l replace -d 'Replace credentials and routes that exist (default: skip them)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l json -d 'Print the report as JSON'
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand import" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l to -d 'The store to fill: a file path or a postgres:// URL' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand migrate" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l oauth2 -d 'The OAuth2 client (name or id)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l scopes -d 'Scopes to ask for [default: the client\'s]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l port -d 'Port of the loopback redirect on 127.0.0.1 [default: the client\'s loopback redirect URI\'s port, else any free port]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l timeout -d 'Give up after this long without a sign-in (at most a day)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l no-browser -d 'Print the URL instead of opening a browser ($BROWSER, else xdg-open or open)'
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l device -d 'Use the device authorization grant (RFC 8628): enter a code on another device; for machines without a browser'
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand login" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l accept-store -d 'Take credentials other helpers hand to `store` (by default they are ignored: tokvault keeps its own)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -f -a "get" -d 'Answer with the credential mapped to the host (called by git)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -f -a "store" -d 'Take a credential git approved (called by git; ignored without --accept-store)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -f -a "erase" -d 'Mark the token git was refused with as stale, so the next get refreshes it; never deletes (called by git)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -f -a "map" -d 'Answer for HOST (host[:port], or host[:port]/path) with credential NAME'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -f -a "unmap" -d 'Stop answering for HOST'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and not __fish_seen_subcommand_from get store erase map unmap list" -f -a "list" -d 'List the mapped hosts'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from get" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from store" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from erase" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l username -d 'The username git is told [default: by host: oauth2 for GitLab, x-token-auth for Bitbucket, x-access-token (GitHub\'s) for others, which take any username with a token]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from map" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from unmap" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand git-credential; and __fish_seen_subcommand_from list" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -f -a "get" -d 'Print the credential for the registry read on stdin (called by docker)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -f -a "store" -d 'Keep the credential docker login sends as JSON on stdin (called by docker)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -f -a "erase" -d 'Forget the registry read on stdin (called by docker logout)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -f -a "list" -d 'Print every registry and its username as JSON (called by docker)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -f -a "version" -d 'Print the version (called by docker)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and not __fish_seen_subcommand_from get store erase list version map" -f -a "map" -d 'Answer for REGISTRY with credential NAME'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from store" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from erase" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from version" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l username -d 'The username docker is told (for a key or token that is not an OAuth2 identity token)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand docker-credential; and __fish_seen_subcommand_from map" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand aws-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand kube-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l cargo-plugin -d 'Speak cargo\'s protocol on stdin and stdout (cargo passes it)'
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand cargo-credential" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and not __fish_seen_subcommand_from generate" -f -a "generate" -d 'Write a new random Fernet key to FILE, created 0600 (never over an existing file); use it with --key-file, TOKVAULT_KEY_FILE, or as `TOKVAULT_NEW_KEY="$(cat FILE)" tokvault rekey`'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand key; and __fish_seen_subcommand_from generate" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l db -d 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l http-timeout -d 'Give up on a token endpoint that has not answered within this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l connect-timeout -d 'Give up connecting to a token endpoint after this long (1s to 1h)' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l no-mask -d 'Do not register secrets with the CI runner\'s log masking (`::add-mask::` on GitHub Actions)'

function __tokvault_names
    tokvault __complete $argv 2>/dev/null
end
complete -c tokvault -n "__fish_seen_subcommand_from get delete refresh store export exchange-code client-credentials login aws-credential kube-credential" -f -a "(__tokvault_names credentials)"
complete -c tokvault -n "__fish_seen_subcommand_from show remove authorize-url" -f -a "(__tokvault_names clients)"
complete -c tokvault -l oauth2 -x -a "(__tokvault_names clients)"
complete -c tokvault -l provider -x -a "(__tokvault_names providers)"
