
use builtin;
use str;

set edit:completion:arg-completer[tokvault] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tokvault'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tokvault'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand store 'Add or replace a credential'
            cand get 'Print a credential''s secret: the access token, API key or JWT, and a newline, on stdout alone'
            cand list 'List credentials: metadata only, never a secret, never needs the key'
            cand delete 'Delete a credential (asks first on a terminal)'
            cand refresh 'Refresh a credential now with its refresh token (or re-run its client_credentials grant)'
            cand exchange-code 'Trade an authorization code for tokens and store them'
            cand client-credentials 'Get a machine token with the client_credentials grant and store it; `get` runs the grant again when it expires'
            cand oauth2 'Manage OAuth2 clients: the client id, secret and endpoints used to get and refresh tokens'
            cand run 'Run a command with fresh secrets in its environment'
            cand export 'Print secrets as variables: for `eval "$(tokvault export ...)"`, `>> "$GITHUB_ENV"`, or `docker --env-file`'
            cand rekey 'Re-encrypt every secret under a new master key, in one transaction'
            cand export-vault 'Write every credential and OAuth2 client to an encrypted, portable file'
            cand import-vault 'Merge a file from `export-vault` into the vault, reporting each entry'
            cand login 'Sign in with a browser (authorization code with PKCE and a loopback redirect), or with a code entered on another device (--device), and store the tokens as `exchange-code` does'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokvault;store'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --provider 'The service it belongs to [default: the credential''s name when that is a known provider, else the provider it already has]'
            cand --type 'What kind of secret it is [default: api_key for openai and anthropic, oauth2 otherwise, or the type it already has]'
            cand --secret 'The secret (access token, API key or JWT); `-` reads stdin. A value given here is visible to other processes and in shell history'
            cand --secret-file 'Read the secret from a file'
            cand --from-json 'A token response or token_data object as JSON (access_token, refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin'
            cand --refresh-token 'The refresh token; `-` reads stdin'
            cand --scopes 'Granted scopes [default: the JSON''s `scope`]'
            cand --expires-at 'When the secret expires: RFC 3339 (2027-01-31T12:00:00Z) or a date (2027-01-31, midnight UTC) [default: from expires_in, or a JWT''s exp claim]'
            cand --expires-in 'How long from now until the secret expires (3600, 90m, 1h, 30d)'
            cand --oauth2 'Refresh it with this OAuth2 client (name or id); with only --refresh-token, the first `get` fetches an access token'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;get'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --format 'How to print it; env, dotenv and github name the variable after the credential (and field): google.id_token -> GOOGLE_ID_TOKEN'
            cand --field 'Print one token_data field, e.g. refresh_token or id_token'
            cand --min-valid 'Refresh first when the token expires within this long: seconds, or with a unit (90s, 5m); never more than half the token''s lifetime'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --json 'Print the whole record as JSON: token_data, scopes, expires_at, is_expired, refreshed... (the same as --format json)'
            cand --allow-expired 'Print an expired secret instead of failing with exit code 4'
            cand --no-refresh 'Never call the network, even for an expired token'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;list'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --provider 'Only this provider''s credentials'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --json 'Print JSON for scripts'
            cand --expired 'Only expired credentials'
            cand --all-users 'Every user''s credentials, not just --user''s'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;delete'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -y 'Do not ask; required without a terminal'
            cand --yes 'Do not ask; required without a terminal'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;refresh'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --json 'Print the refreshed record as JSON (with secrets)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;exchange-code'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --oauth2 'The OAuth2 client (name or id)'
            cand --code 'The authorization code; `-` reads stdin'
            cand --redirect-uri 'The redirect URI of the authorization request [default: the one `authorize-url` used, else the client''s]'
            cand --code-verifier 'The PKCE code verifier; `-` reads stdin'
            cand --state 'The state of the authorization request, to pick its kept verifier'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --json 'Print the stored record as JSON (with secrets)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;client-credentials'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --oauth2 'The OAuth2 client (name or id)'
            cand --scopes 'Scopes to ask for [default: the client''s]'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --json 'Print the stored record as JSON (with secrets)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;oauth2'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add (or replace) an OAuth2 client. Endpoints come from --provider''s preset, from OIDC discovery (--issuer), or are given with --token-url; explicit URLs override the others'
            cand list 'List OAuth2 clients (never their secrets)'
            cand show 'Show one OAuth2 client''s settings as JSON (never its secret)'
            cand remove 'Remove an OAuth2 client; refused while credentials use it'
            cand authorize-url 'Print an authorization URL with a random state and a PKCE S256 challenge; the verifier is kept in the vault for ten minutes for `exchange-code`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokvault;oauth2;add'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --provider 'A built-in provider whose endpoints and quirks to use'
            cand --issuer 'OIDC issuer URL: endpoints are read from its /.well-known/openid-configuration'
            cand --token-url 'Token endpoint'
            cand --auth-url 'Authorization endpoint'
            cand --device-url 'Device authorization endpoint (RFC 8628)'
            cand --tenant 'Microsoft tenant in the endpoint URLs (common, organizations, consumers, or a tenant id)'
            cand --client-id 'client-id'
            cand --client-secret 'The client secret; `-` reads stdin. Omit it for a public client'
            cand --auth-method 'How the client authenticates at the token endpoint [default: the preset''s, else client_secret_basic, or none without a secret]'
            cand --redirect-uri 'The redirect URI registered for the client'
            cand --scopes 'Scopes to ask for by default'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;oauth2;list'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --json 'Print JSON for scripts'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;oauth2;show'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;oauth2;remove'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --force 'Remove it anyway; its credentials keep their tokens but can no longer be refreshed through it'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;oauth2;authorize-url'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --scopes 'Scopes to ask for [default: the client''s]'
            cand --redirect-uri 'Redirect URI [default: the client''s]'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;oauth2;help'= {
            cand add 'add'
            cand list 'list'
            cand show 'show'
            cand remove 'remove'
            cand authorize-url 'authorize-url'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokvault;oauth2;help;add'= {
        }
        &'tokvault;oauth2;help;list'= {
        }
        &'tokvault;oauth2;help;show'= {
        }
        &'tokvault;oauth2;help;remove'= {
        }
        &'tokvault;oauth2;help;authorize-url'= {
        }
        &'tokvault;oauth2;help;help'= {
        }
        &'tokvault;run'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand -e 'Set VAR to a credential''s secret, or one of its token_data fields (NAME.FIELD); repeatable'
            cand --env 'Set VAR to a credential''s secret, or one of its token_data fields (NAME.FIELD); repeatable'
            cand --env-file 'Read VAR=NAME[.FIELD] lines from a file (# comments and blank lines allowed); repeatable'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;export'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --format 'env: `export VAR=''value''`; dotenv: `VAR=value`; github: for $GITHUB_ENV (multi-line values as heredocs); json: an object'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;rekey'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --new-key-file 'Where the new key is (read if it exists, created 0600 if not)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --show-key 'Print the new key on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;export-vault'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --to-key 'Encrypt it with the key in this file instead of the vault''s key'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;import-vault'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --from-key 'The key it was encrypted with [default: the vault''s key]'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --replace 'Overwrite credentials and clients that exist (default: skip them)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;login'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --oauth2 'The OAuth2 client (name or id)'
            cand --scopes 'Scopes to ask for [default: the client''s]'
            cand --port 'Port of the loopback redirect on 127.0.0.1 [default: the client''s loopback redirect URI''s port, else any free port]'
            cand --timeout 'Give up after this long without a sign-in (at most a day)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand --no-browser 'Print the URL instead of opening a browser ($BROWSER, else xdg-open or open)'
            cand --device 'Use the device authorization grant (RFC 8628): enter a code on another device; for machines without a browser'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;completion'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --http-timeout 'Give up on a token endpoint that has not answered within this long (1s to 1h)'
            cand --connect-timeout 'Give up connecting to a token endpoint after this long (1s to 1h)'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand --no-mask 'Do not register secrets with the CI runner''s log masking (`::add-mask::` on GitHub Actions)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;help'= {
            cand store 'store'
            cand get 'get'
            cand list 'list'
            cand delete 'delete'
            cand refresh 'refresh'
            cand exchange-code 'exchange-code'
            cand client-credentials 'client-credentials'
            cand oauth2 'Manage OAuth2 clients: the client id, secret and endpoints used to get and refresh tokens'
            cand run 'run'
            cand export 'export'
            cand rekey 'rekey'
            cand export-vault 'export-vault'
            cand import-vault 'import-vault'
            cand login 'login'
            cand completion 'completion'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokvault;help;store'= {
        }
        &'tokvault;help;get'= {
        }
        &'tokvault;help;list'= {
        }
        &'tokvault;help;delete'= {
        }
        &'tokvault;help;refresh'= {
        }
        &'tokvault;help;exchange-code'= {
        }
        &'tokvault;help;client-credentials'= {
        }
        &'tokvault;help;oauth2'= {
            cand add 'add'
            cand list 'list'
            cand show 'show'
            cand remove 'remove'
            cand authorize-url 'authorize-url'
        }
        &'tokvault;help;oauth2;add'= {
        }
        &'tokvault;help;oauth2;list'= {
        }
        &'tokvault;help;oauth2;show'= {
        }
        &'tokvault;help;oauth2;remove'= {
        }
        &'tokvault;help;oauth2;authorize-url'= {
        }
        &'tokvault;help;run'= {
        }
        &'tokvault;help;export'= {
        }
        &'tokvault;help;rekey'= {
        }
        &'tokvault;help;export-vault'= {
        }
        &'tokvault;help;import-vault'= {
        }
        &'tokvault;help;login'= {
        }
        &'tokvault;help;completion'= {
        }
        &'tokvault;help;help'= {
        }
    ]
    $completions[$command]
}
