
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tokvault' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tokvault'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tokvault' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Add or replace a credential')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a credential''s secret: the access token, API key or JWT, and a newline, on stdout alone')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List credentials: metadata only, never a secret, never needs the key')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Find credentials that will stop working without a person, before a job does: exit 0 when every one is valid, or renews by itself, for at least --within; 4 when some will not, each listed with why')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit log: one entry each time a secret left the vault or a credential changed, with who asked (user, process and its parent, host); never a secret or a command line. A table on a terminal, JSON lines otherwise')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Fill a template''s references with fresh secrets: every `{{ tokvault://NAME }}`, `{{ tokvault://NAME/FIELD }}` or `{{ tokvault://USER/NAME/FIELD }}` (parts percent-encoded where they hold `/`, `%`, `{`, `}` or spaces; `\{{` is a literal `{{`) is replaced by the secret, refreshed first as `get` would. Any reference that cannot be resolved is an error naming its line, and nothing is written')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a credential (asks first on a terminal)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an OAuth2 credential''s tokens at its provider (as `delete` does first), and keep it marked revoked: `get` then fails (exit 4) and says so, until a new token is stored under its name')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh a credential now with its refresh token (or re-run its client_credentials grant)')
            [CompletionResult]::new('exchange-code', 'exchange-code', [CompletionResultType]::ParameterValue, 'Trade an authorization code for tokens and store them')
            [CompletionResult]::new('client-credentials', 'client-credentials', [CompletionResultType]::ParameterValue, 'Get a machine token with the client_credentials grant and store it; `get` runs the grant again when it expires')
            [CompletionResult]::new('oauth2', 'oauth2', [CompletionResultType]::ParameterValue, 'Manage OAuth2 clients: client id, secret and endpoints')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a command with fresh secrets in its environment')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve tokens to programs, containers and services from a broker in the foreground, the way each cloud''s SDK asks its platform: aws (the container credential provider), gcp (the metadata server), azure (the managed-identity endpoint); with --tokens-api, the Tokens API over HTTP. Tokens are renewed when due. Only this user (and each --allow-uid) is answered; aws and azure requests also need the token kept in --env-file, Tokens API requests an X-API-Key. Stops on INT or TERM, removing its socket and env file')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'A Model Context Protocol server on stdin/stdout for an AI agent: its tools make HTTP requests with a credential attached (only to that credential''s hosts) and run commands with secrets in their environment, and never return a secret: every answer is masked. Only the credentials named here exist for the agent. Each call is an audit entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print secrets as variables: for `eval "$(tokvault export ...)"`, `>> "$GITHUB_ENV"`, or `docker --env-file`')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Re-encrypt every secret under a new master key, in one transaction')
            [CompletionResult]::new('export-vault', 'export-vault', [CompletionResultType]::ParameterValue, 'Write every credential, OAuth2 client and helper route to an encrypted, portable file')
            [CompletionResult]::new('import-vault', 'import-vault', [CompletionResultType]::ParameterValue, 'Merge a file from `export-vault` into the vault, reporting each entry')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import the credentials another tool keeps in a plaintext file, in one transaction: a file that does not parse changes nothing. Reports what was added, replaced or skipped (and why), never a secret; the file is only read')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy every credential, OAuth2 client and helper route into another store: an SQLite file or a PostgreSQL database (`postgres://user@host/db[?vault=NAME]`)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in with a browser (authorization code with PKCE and a loopback redirect), or with a code entered on another device (--device), and store the tokens as `exchange-code` does')
            [CompletionResult]::new('git-credential', 'git-credential', [CompletionResultType]::ParameterValue, 'A git credential helper (git-credential(1)): git asks it for a credential whenever it needs one, and gets a token valid for at least a minute, refreshed first if need be')
            [CompletionResult]::new('docker-credential', 'docker-credential', [CompletionResultType]::ParameterValue, 'A docker credential helper (docker-credential-helpers'' protocol). docker runs `docker-credential-tokvault ACTION`: link that name to tokvault (`ln -s "$(command -v tokvault)" ~/.local/bin/docker-credential-tokvault`) and set `"credsStore": "tokvault"` or `"credHelpers": {"REGISTRY": "tokvault"}` in ~/.docker/config.json')
            [CompletionResult]::new('aws-credential', 'aws-credential', [CompletionResultType]::ParameterValue, 'Print AWS keys for the SDKs'' credential_process')
            [CompletionResult]::new('kube-credential', 'kube-credential', [CompletionResultType]::ParameterValue, 'Print a Kubernetes ExecCredential for kubectl''s exec plugin')
            [CompletionResult]::new('cargo-credential', 'cargo-credential', [CompletionResultType]::ParameterValue, 'Answer cargo''s registry token requests: a cargo credential provider')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Make a master key file')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            break
        }
        'tokvault;store' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The service it belongs to [default: the credential''s name when that is a known provider, else the provider it already has]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'What kind of secret it is [default: api_key for openai and anthropic, oauth2 otherwise, or the type it already has]; github-app and google-service-account keep a private key and mint tokens with it')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The secret (access token, API key or JWT); `-` reads stdin. A value given here is visible to other processes and in shell history')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file')
            [CompletionResult]::new('--from-json', '--from-json', [CompletionResultType]::ParameterName, 'A token response or token_data object as JSON (access_token, refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin')
            [CompletionResult]::new('--refresh-token', '--refresh-token', [CompletionResultType]::ParameterName, 'The refresh token; `-` reads stdin')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Granted scopes [default: the JSON''s `scope`]')
            [CompletionResult]::new('--expires-at', '--expires-at', [CompletionResultType]::ParameterName, 'When the secret expires: RFC 3339 (2027-01-31T12:00:00Z) or a date (2027-01-31, midnight UTC) [default: from expires_in, or a JWT''s exp claim]')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'How long from now until the secret expires (3600, 90m, 1h, 30d)')
            [CompletionResult]::new('--oauth2', '--oauth2', [CompletionResultType]::ParameterName, 'Refresh it with this OAuth2 client (name or id); with only --refresh-token, the first `get` fetches an access token')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'The GitHub App''s ID (or client ID)')
            [CompletionResult]::new('--installation-id', '--installation-id', [CompletionResultType]::ParameterName, 'The installation to mint tokens for (see the app''s settings, or use --owner)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Find the installation on this user or organisation')
            [CompletionResult]::new('--private-key-file', '--private-key-file', [CompletionResultType]::ParameterName, 'The app''s private key, PEM (PKCS#1 or PKCS#8), as GitHub hands it out')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'The private key from stdin (`-`)')
            [CompletionResult]::new('--repositories', '--repositories', [CompletionResultType]::ParameterName, 'Narrow each token to these repositories (names, without the owner)')
            [CompletionResult]::new('--permissions', '--permissions', [CompletionResultType]::ParameterName, 'Narrow each token to these permissions (contents=read,issues=write)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'GitHub''s API [default: https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3]')
            [CompletionResult]::new('--service-account-file', '--service-account-file', [CompletionResultType]::ParameterName, 'The service account''s JSON key file, as Google issues it')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Act as this user (domain-wide delegation)')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Mint ID tokens for this audience instead of access tokens')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-replace', '--no-replace', [CompletionResultType]::ParameterName, 'Fail (exit 1) instead of replacing a credential of that name')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was stored as JSON (metadata, never the secret), with "replaced"')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print it; env, dotenv and github name the variable after the credential (and field): google.id_token -> GOOGLE_ID_TOKEN')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print one token_data field, e.g. refresh_token or id_token')
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh first when the token expires within this long: seconds, or with a unit (90s, 5m); never more than half the token''s lifetime')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the whole record as JSON: token_data, scopes, expires_at, is_expired, refreshed... (the same as --format json)')
            [CompletionResult]::new('--allow-expired', '--allow-expired', [CompletionResultType]::ParameterName, 'Print an expired secret instead of failing with exit code 4')
            [CompletionResult]::new('--no-refresh', '--no-refresh', [CompletionResultType]::ParameterName, 'Never call the network, even for an expired token')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only this provider''s credentials')
            [CompletionResult]::new('--expiring', '--expiring', [CompletionResultType]::ParameterName, 'Only credentials that expire within this long (expired ones included), as their expiry says; `check` says which of them renew')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Only expired credentials')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Every user''s credentials, not just --user''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;check' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--within', '--within', [CompletionResultType]::ParameterName, 'How far ahead to look (0 means: now)')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Every user''s credentials, not just --user''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;audit' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries from this time on: RFC 3339, a date, or a DURATION ago (7d)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only entries about this credential')
            [CompletionResult]::new('--operation', '--operation', [CompletionResultType]::ParameterName, 'Only this operation (get, run, store, delete, refresh, git, ...)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only what an agent did (its `tokvault mcp --agent` label)')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'With --prune: entries up to the last one written before this time go')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON lines for scripts (the default when stdout is not a terminal)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check that no entry was edited, removed, reordered or cut off since the last check, and remember the last entry; exit 8 names the first bad one')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Remove the entries written before --before, after checking the whole log; the prune is itself recorded')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;inject' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The template [default: stdin] (at most 16 MiB)')
            [CompletionResult]::new('--in-file', '--in-file', [CompletionResultType]::ParameterName, 'The template [default: stdin] (at most 16 MiB)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file (created 0600, replaced whole) instead of stdout')
            [CompletionResult]::new('--out-file', '--out-file', [CompletionResultType]::ParameterName, 'Write to this file (created 0600, replaced whole) instead of stdout')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace OUT when it exists (its mode kept, never wider than 0600)')
            [CompletionResult]::new('--allow-multiline', '--allow-multiline', [CompletionResultType]::ParameterName, 'Allow a value that holds a line break')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required without a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required without a terminal')
            [CompletionResult]::new('--no-revoke', '--no-revoke', [CompletionResultType]::ParameterName, 'Delete it here only, without revoking its tokens at the provider (they stay valid there until they expire)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was deleted as JSON (metadata only)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;revoke' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;refresh' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the refreshed record as JSON (with secrets)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;exchange-code' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--oauth2', '--oauth2', [CompletionResultType]::ParameterName, 'The OAuth2 client (name or id)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The authorization code, or the whole URL the browser was sent back to (its code, state and iss are read from it); `-` reads stdin')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'The redirect URI of the authorization request [default: the one `authorize-url` used, else the client''s]')
            [CompletionResult]::new('--code-verifier', '--code-verifier', [CompletionResultType]::ParameterName, 'The PKCE code verifier; `-` reads stdin')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The state of the authorization request, to pick its kept verifier')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--no-pkce', '--no-pkce', [CompletionResultType]::ParameterName, 'The authorization request was made without PKCE: send no verifier')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the stored record as JSON (with secrets)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;client-credentials' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--oauth2', '--oauth2', [CompletionResultType]::ParameterName, 'The OAuth2 client (name or id)')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to ask for [default: the client''s]')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the stored record as JSON (with secrets)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;oauth2' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add (or replace) an OAuth2 client. Endpoints come from --provider''s preset, from OIDC discovery (--issuer), or are given with --token-url; explicit URLs override the others')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List OAuth2 clients (never their secrets)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one OAuth2 client''s settings as JSON (never its secret)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an OAuth2 client; refused while credentials use it')
            [CompletionResult]::new('authorize-url', 'authorize-url', [CompletionResultType]::ParameterValue, 'Print an authorization URL with a random state and a PKCE S256 challenge; the verifier is kept in the vault for ten minutes for `exchange-code`')
            break
        }
        'tokvault;oauth2;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'A built-in provider whose endpoints and quirks to use')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OIDC issuer URL: endpoints are read from its /.well-known/openid-configuration')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'Token endpoint')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Authorization endpoint')
            [CompletionResult]::new('--device-url', '--device-url', [CompletionResultType]::ParameterName, 'Device authorization endpoint (RFC 8628)')
            [CompletionResult]::new('--revocation-url', '--revocation-url', [CompletionResultType]::ParameterName, 'Token revocation endpoint (RFC 7009), where `delete` and `revoke` revoke this client''s tokens [default: the issuer''s, when discovered]')
            [CompletionResult]::new('--secret-expires-at', '--secret-expires-at', [CompletionResultType]::ParameterName, 'When the client secret expires, for `check` (RFC 3339 or a date)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Microsoft tenant in the endpoint URLs (common, organizations, consumers, or a tenant id)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'client-id')
            [CompletionResult]::new('--client-secret', '--client-secret', [CompletionResultType]::ParameterName, 'The client secret; `-` reads stdin. Omit it for a public client')
            [CompletionResult]::new('--auth-method', '--auth-method', [CompletionResultType]::ParameterName, 'How the client authenticates at the token endpoint [default: the preset''s, else client_secret_basic, or none without a secret]')
            [CompletionResult]::new('--private-key-file', '--private-key-file', [CompletionResultType]::ParameterName, 'private_key_jwt: the client''s private key, PEM (RSA or EC P-256); sealed in the vault')
            [CompletionResult]::new('--key-id', '--key-id', [CompletionResultType]::ParameterName, 'private_key_jwt: the key''s id (`kid`), as registered with the server')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'private_key_jwt: the signing algorithm [default: RS256 for an RSA key, ES256 for an EC key]')
            [CompletionResult]::new('--assertion-audience', '--assertion-audience', [CompletionResultType]::ParameterName, 'private_key_jwt and client_secret_jwt: the client assertion''s `aud`: the token endpoint (RFC 7523, what most servers and Authlib require) or the issuer (RFC 7523bis; needs --issuer)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'The redirect URI registered for the client')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to ask for by default')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the saved client as JSON (as `oauth2 show`, never its secret)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;oauth2;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;oauth2;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;oauth2;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove it anyway; its credentials keep their tokens but can no longer be refreshed through it')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required without a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required without a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;oauth2;authorize-url' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to ask for [default: the client''s]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'Redirect URI [default: the client''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;run' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set VAR to a credential''s secret, or one of its token_data fields (NAME.FIELD); a bare NAME sets the variable `export` would (OPENAI for openai); repeatable')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set VAR to a credential''s secret, or one of its token_data fields (NAME.FIELD); a bare NAME sets the variable `export` would (OPENAI for openai); repeatable')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read VAR=NAME[.FIELD] or VAR=tokvault://... lines from a file (# comments and blank lines allowed, values may be quoted); repeatable. Variables tokvault was started with whose value is a tokvault:// reference are resolved too')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Put a secret in a private file and set VAR to its path; the file is rewritten before the token expires for as long as CMD runs, and removed when it ends; repeatable')
            [CompletionResult]::new('--serve', '--serve', [CompletionResultType]::ParameterName, 'Hand CMD a credential the way its SDK asks its platform for one, from a broker on 127.0.0.1 for as long as CMD runs: aws (the container credential provider), gcp (the metadata server) or azure (the managed-identity endpoint); renewed when due; repeatable')
            [CompletionResult]::new('--gcp-project', '--gcp-project', [CompletionResultType]::ParameterName, 'The project the gcp metadata server names (default: a service account''s own project)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--mask', '--mask', [CompletionResultType]::ParameterName, 'Replace the secrets (and their base64 and URL-encoded forms) with *** in the command''s stdout and stderr, which then are pipes, not the terminal')
            [CompletionResult]::new('--allow-expired', '--allow-expired', [CompletionResultType]::ParameterName, 'Use secrets that have expired and cannot be refreshed instead of failing with exit code 4')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;serve' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--grant', '--grant', [CompletionResultType]::ParameterName, 'PROTO=NAME: aws, gcp or azure, and the credential it hands out; repeatable, one per protocol')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'The Tokens API''s keys, one a line (mode 0600); created with one random key when missing')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Where to listen: 127.0.0.1:PORT (default: a free port), unix:PATH for a socket, or another address (served with a warning)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Write the variables a client needs (VAR=VALUE lines, mode 0600) to FILE, removed when the broker stops; required for aws and azure, whose requests carry a token from it')
            [CompletionResult]::new('--allow-uid', '--allow-uid', [CompletionResultType]::ParameterName, 'Also answer connections from this uid (a container''s user); repeatable')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Append one line per request to FILE: time, client, route, credential, status (never a secret)')
            [CompletionResult]::new('--gcp-project', '--gcp-project', [CompletionResultType]::ParameterName, 'The project the gcp metadata server names (default: a service account''s own project)')
            [CompletionResult]::new('--tokens-api', '--tokens-api', [CompletionResultType]::ParameterName, 'Also serve the Tokens API (/v2/users/{user_id}/tokens...) to requests with a key from --api-key-file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;mcp' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--credential', '--credential', [CompletionResultType]::ParameterName, 'NAME[=HOST[,HOST...]]: a credential the agent may use, and the hosts it may be sent to (api.github.com, *.googleapis.com, 127.0.0.1:8080); a preset supplies its API hosts; repeatable')
            [CompletionResult]::new('--auth-header', '--auth-header', [CompletionResultType]::ParameterName, 'NAME=HEADER: send credential NAME''s secret alone in HEADER (x-api-key) instead of `Authorization: Bearer`')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'The agent''s name in the audit log')
            [CompletionResult]::new('--allow-run', '--allow-run', [CompletionResultType]::ParameterName, 'Offer the run_command tool: a command with secrets in its environment, its output masked')
            [CompletionResult]::new('--confirm', '--confirm', [CompletionResultType]::ParameterName, 'Ask the person (MCP elicitation) before the first use of each credential; refused where the client cannot ask')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;export' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'env: `export VAR=''value''`; dotenv: `VAR=value`; github: for $GITHUB_ENV (multi-line values as heredocs); json: an object')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--allow-expired', '--allow-expired', [CompletionResultType]::ParameterName, 'Use a secret that has expired and cannot be refreshed instead of failing with exit code 4')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;rekey' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--new-key-file', '--new-key-file', [CompletionResultType]::ParameterName, 'Where the new key is (read if it exists, created 0600 if not)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--show-key', '--show-key', [CompletionResultType]::ParameterName, 'Print the new key on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;export-vault' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--to-key', '--to-key', [CompletionResultType]::ParameterName, 'Encrypt it with the key in this file instead of the vault''s key (a new key is made there, 0600, when the file does not exist)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;import-vault' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--from-key', '--from-key', [CompletionResultType]::ParameterName, 'The key it was encrypted with [default: the vault''s key]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Overwrite credentials, clients and routes that exist (default: skip them)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Restore nothing when any entry is refused (default: restore the others, report each refused one, and exit 1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;import' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Put this before every credential''s name')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be imported, and change nothing')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace credentials and routes that exist (default: skip them)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;migrate' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The store to fill: a file path or a postgres:// URL')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;login' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--oauth2', '--oauth2', [CompletionResultType]::ParameterName, 'The OAuth2 client (name or id)')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to ask for [default: the client''s]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port of the loopback redirect on 127.0.0.1 [default: the client''s loopback redirect URI''s port, else any free port]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long without a sign-in (at most a day)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the URL instead of opening a browser ($BROWSER, else xdg-open or open)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Use the device authorization grant (RFC 8628): enter a code on another device; for machines without a browser')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;git-credential' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--accept-store', '--accept-store', [CompletionResultType]::ParameterName, 'Take credentials other helpers hand to `store` (by default they are ignored: tokvault keeps its own)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Answer with the credential mapped to the host (called by git)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Take a credential git approved (called by git; ignored without --accept-store)')
            [CompletionResult]::new('erase', 'erase', [CompletionResultType]::ParameterValue, 'Mark the token git was refused with as stale, so the next get refreshes it; never deletes (called by git)')
            [CompletionResult]::new('map', 'map', [CompletionResultType]::ParameterValue, 'Answer for HOST (host[:port], or host[:port]/path) with credential NAME')
            [CompletionResult]::new('unmap', 'unmap', [CompletionResultType]::ParameterValue, 'Stop answering for HOST')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the mapped hosts')
            break
        }
        'tokvault;git-credential;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;git-credential;store' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;git-credential;erase' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;git-credential;map' {
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The username git is told [default: by host: oauth2 for GitLab, x-token-auth for Bitbucket, x-access-token (GitHub''s) for others, which take any username with a token]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;git-credential;unmap' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;git-credential;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;docker-credential' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the credential for the registry read on stdin (called by docker)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Keep the credential docker login sends as JSON on stdin (called by docker)')
            [CompletionResult]::new('erase', 'erase', [CompletionResultType]::ParameterValue, 'Forget the registry read on stdin (called by docker logout)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every registry and its username as JSON (called by docker)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version (called by docker)')
            [CompletionResult]::new('map', 'map', [CompletionResultType]::ParameterValue, 'Answer for REGISTRY with credential NAME')
            break
        }
        'tokvault;docker-credential;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;docker-credential;store' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;docker-credential;erase' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;docker-credential;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;docker-credential;version' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;docker-credential;map' {
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The username docker is told (for a key or token that is not an OAuth2 identity token)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;aws-credential' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tokvault;kube-credential' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tokvault;cargo-credential' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('--cargo-plugin', '--cargo-plugin', [CompletionResultType]::ParameterName, 'Speak cargo''s protocol on stdin and stdout (cargo passes it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            break
        }
        'tokvault;key' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write a new random Fernet key to FILE, created 0600 (never over an existing file); use it with --key-file, TOKVAULT_KEY_FILE, or as `TOKVAULT_NEW_KEY="$(cat FILE)" tokvault rekey`')
            break
        }
        'tokvault;key;generate' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
        'tokvault;completion' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file, or a PostgreSQL database (postgres://user@host/db, with the postgres feature) [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Give up on a token endpoint that has not answered within this long (1s to 1h)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to a token endpoint after this long (1s to 1h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('--no-mask', '--no-mask', [CompletionResultType]::ParameterName, 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
