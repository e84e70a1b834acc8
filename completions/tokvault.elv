
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
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand store 'Add or replace a credential'
            cand get 'Print a credential''s secret: the access token, API key or JWT, and a newline, on stdout alone'
            cand list 'List credentials: metadata only, never a secret, never needs the key'
            cand delete 'Delete a credential (asks first on a terminal)'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokvault;store'= {
            cand --provider 'The service it belongs to [default: the credential''s name when that is a known provider, else the provider it already has]'
            cand --type 'What kind of secret it is [default: api_key for openai and anthropic, oauth2 otherwise, or the type it already has]'
            cand --secret 'The secret (access token, API key or JWT); `-` reads stdin. A value given here is visible to other processes and in shell history'
            cand --secret-file 'Read the secret from a file'
            cand --from-json 'A token response or token_data object as JSON (access_token, refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin'
            cand --refresh-token 'The refresh token; `-` reads stdin'
            cand --scopes 'Granted scopes [default: the JSON''s `scope`]'
            cand --expires-at 'When the secret expires, as RFC 3339 (2026-01-31T12:00:00Z) [default: from expires_in, or a JWT''s exp claim]'
            cand --expires-in 'Seconds from now until the secret expires'
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'tokvault;get'= {
            cand --field 'Print one token_data field, e.g. refresh_token or id_token'
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --json 'Print the whole record as JSON: token_data, scopes, expires_at, is_expired, refreshed...'
            cand --allow-expired 'Print an expired secret instead of failing with exit code 4'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;list'= {
            cand --provider 'Only this provider''s credentials'
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --json 'Print JSON for scripts'
            cand --expired 'Only expired credentials'
            cand --all-users 'Every user''s credentials, not just --user''s'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;delete'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand -y 'Do not ask; required without a terminal'
            cand --yes 'Do not ask; required without a terminal'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;completion'= {
            cand --db 'The vault file [default: tokvault/vault.db in the user''s data directory]'
            cand --key-file 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]'
            cand --user 'The namespace credentials live in, so one machine can hold several accounts of one service'
            cand --no-input 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'tokvault;help'= {
            cand store 'Add or replace a credential'
            cand get 'Print a credential''s secret: the access token, API key or JWT, and a newline, on stdout alone'
            cand list 'List credentials: metadata only, never a secret, never needs the key'
            cand delete 'Delete a credential (asks first on a terminal)'
            cand completion 'Print a shell completion script'
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
        &'tokvault;help;completion'= {
        }
        &'tokvault;help;help'= {
        }
    ]
    $completions[$command]
}
