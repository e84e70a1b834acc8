
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
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Add or replace a credential')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a credential''s secret: the access token, API key or JWT, and a newline, on stdout alone')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List credentials: metadata only, never a secret, never needs the key')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a credential (asks first on a terminal)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tokvault;store' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The service it belongs to [default: the credential''s name when that is a known provider, else the provider it already has]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'What kind of secret it is [default: api_key for openai and anthropic, oauth2 otherwise, or the type it already has]')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The secret (access token, API key or JWT); `-` reads stdin. A value given here is visible to other processes and in shell history')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file')
            [CompletionResult]::new('--from-json', '--from-json', [CompletionResultType]::ParameterName, 'A token response or token_data object as JSON (access_token, refresh_token, expires_in, scope, id_token, api_key...); `-` reads stdin')
            [CompletionResult]::new('--refresh-token', '--refresh-token', [CompletionResultType]::ParameterName, 'The refresh token; `-` reads stdin')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Granted scopes [default: the JSON''s `scope`]')
            [CompletionResult]::new('--expires-at', '--expires-at', [CompletionResultType]::ParameterName, 'When the secret expires, as RFC 3339 (2026-01-31T12:00:00Z) [default: from expires_in, or a JWT''s exp claim]')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Seconds from now until the secret expires')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'tokvault;get' {
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Print one token_data field, e.g. refresh_token or id_token')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the whole record as JSON: token_data, scopes, expires_at, is_expired, refreshed...')
            [CompletionResult]::new('--allow-expired', '--allow-expired', [CompletionResultType]::ParameterName, 'Print an expired secret instead of failing with exit code 4')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;list' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only this provider''s credentials')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON for scripts')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Only expired credentials')
            [CompletionResult]::new('--all-users', '--all-users', [CompletionResultType]::ParameterName, 'Every user''s credentials, not just --user''s')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required without a terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required without a terminal')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;completion' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The vault file [default: tokvault/vault.db in the user''s data directory]')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The master key file, used when TOKVAULT_KEY is not set [default: tokvault/key in the user''s config directory, created on first use]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The namespace credentials live in, so one machine can hold several accounts of one service')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead, naming the flag to use (also when CI=true or without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'tokvault;help' {
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Add or replace a credential')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a credential''s secret: the access token, API key or JWT, and a newline, on stdout alone')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List credentials: metadata only, never a secret, never needs the key')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a credential (asks first on a terminal)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tokvault;help;store' {
            break
        }
        'tokvault;help;get' {
            break
        }
        'tokvault;help;list' {
            break
        }
        'tokvault;help;delete' {
            break
        }
        'tokvault;help;completion' {
            break
        }
        'tokvault;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
