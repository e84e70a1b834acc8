# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tokvault_global_optspecs
    string join \n db= key-file= user= no-input h/help V/version
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

complete -c tokvault -n "__fish_tokvault_needs_command" -l db -d 'The vault file [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_needs_command" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_needs_command" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_needs_command" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_needs_command" -s V -l version -d 'Print version'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "store" -d 'Add or replace a credential'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "get" -d 'Print a credential\'s secret: the access token, API key or JWT, and a newline, on stdout alone'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "list" -d 'List credentials: metadata only, never a secret, never needs the key'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "delete" -d 'Delete a credential (asks first on a terminal)'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c tokvault -n "__fish_tokvault_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l provider -d 'The service it belongs to [default: the credential\'s name when that is a known provider, else the provider it already has]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l type -d 'What kind of secret it is [default: api_key for openai and anthropic, oauth2 otherwise, or the type it already has]' -r -f -a "oauth2\t'An OAuth2 access token, with or without a refresh token'
api_key\t'An API key: never expires unless told, never refreshed'
jwt\t'A JWT: its `exp` claim sets the expiry'"
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l secret -d 'The secret (access token, API key or JWT); `-` reads stdin. A value given here is visible to other processes and in shell history' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l secret-file -d 'Read the secret from a file' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l from-json -d 'A token response or token_data object as JSON (access_token, refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l refresh-token -d 'The refresh token; `-` reads stdin' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l scopes -d 'Granted scopes [default: the JSON\'s `scope`]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l expires-at -d 'When the secret expires, as RFC 3339 (2026-01-31T12:00:00Z) [default: from expires_in, or a JWT\'s exp claim]' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l expires-in -d 'Seconds from now until the secret expires' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l db -d 'The vault file [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand store" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l field -d 'Print one token_data field, e.g. refresh_token or id_token' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l db -d 'The vault file [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l json -d 'Print the whole record as JSON: token_data, scopes, expires_at, is_expired, refreshed...'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l allow-expired -d 'Print an expired secret instead of failing with exit code 4'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand get" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l provider -d 'Only this provider\'s credentials' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l db -d 'The vault file [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l json -d 'Print JSON for scripts'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l expired -d 'Only expired credentials'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l all-users -d 'Every user\'s credentials, not just --user\'s'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand list" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l db -d 'The vault file [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -s y -l yes -d 'Do not ask; required without a terminal'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand delete" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l db -d 'The vault file [default: tokvault/vault.db in the user\'s data directory]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l key-file -d 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user\'s config directory, created on first use]' -r -F
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l user -d 'The namespace credentials live in, so one machine can hold several accounts of one service' -r
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -l no-input -d 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand completion" -s h -l help -d 'Print help'
complete -c tokvault -n "__fish_tokvault_using_subcommand help; and not __fish_seen_subcommand_from store get list delete completion help" -f -a "store" -d 'Add or replace a credential'
complete -c tokvault -n "__fish_tokvault_using_subcommand help; and not __fish_seen_subcommand_from store get list delete completion help" -f -a "get" -d 'Print a credential\'s secret: the access token, API key or JWT, and a newline, on stdout alone'
complete -c tokvault -n "__fish_tokvault_using_subcommand help; and not __fish_seen_subcommand_from store get list delete completion help" -f -a "list" -d 'List credentials: metadata only, never a secret, never needs the key'
complete -c tokvault -n "__fish_tokvault_using_subcommand help; and not __fish_seen_subcommand_from store get list delete completion help" -f -a "delete" -d 'Delete a credential (asks first on a terminal)'
complete -c tokvault -n "__fish_tokvault_using_subcommand help; and not __fish_seen_subcommand_from store get list delete completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c tokvault -n "__fish_tokvault_using_subcommand help; and not __fish_seen_subcommand_from store get list delete completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
