//! `tokvault completion SHELL`: clap's script for the command line, plus a
//! few lines that complete credential, client and provider names too, asked
//! from `tokvault __complete` (vault metadata only; no key is read).

use crate::Context;
use crate::cli::{CompleteArgs, CompleteKind, CompletionArgs};
use crate::providers;
use crate::vault::Vault;
use anyhow::Result;
use clap_complete::Shell;
use std::io::Write;

pub fn run(args: &CompletionArgs) -> Result<()> {
    std::io::stdout().write_all(&script(args.shell))?;
    Ok(())
}

/// The completion script for `shell`, as `completion` prints it and the
/// committed files under completions/ hold it.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::documented(), "tokvault", &mut out);
    match shell {
        Shell::Bash => out.extend_from_slice(BASH.as_bytes()),
        Shell::Fish => out.extend_from_slice(FISH.as_bytes()),
        Shell::Zsh => {
            let text = String::from_utf8_lossy(&out).into_owned();
            out = zsh(&text).into_bytes();
        }
        _ => {}
    }
    out
}

/// `tokvault __complete KIND`: names for the shell, one a line. Names that
/// a terminal would obey (from an older vault) are left out.
pub fn names(args: &CompleteArgs, ctx: &Context) -> Result<()> {
    let vault = Vault::open_existing(&ctx.db).ok().flatten();
    let mut names: Vec<String> = match (&args.kind, &vault) {
        (CompleteKind::Credentials, Some(v)) => v
            .read()
            .list(Some(&ctx.user), None)?
            .into_iter()
            .map(|c| c.integration)
            .collect(),
        (CompleteKind::Clients, Some(v)) => {
            v.read().clients()?.into_iter().map(|c| c.name).collect()
        }
        (CompleteKind::Providers, v) => providers::PROVIDERS
            .iter()
            .map(|p| p.name.to_string())
            .chain(v.iter().flat_map(|v| {
                v.read()
                    .clients()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| c.name)
            }))
            .collect(),
        (_, None) => Vec::new(),
    };
    names.retain(|n| crate::text::check_name(n).is_ok());
    names.sort_by(|a, b| crate::text::natural_cmp(a, b));
    names.dedup();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for name in names {
        writeln!(out, "{name}")?;
    }
    out.flush()?;
    Ok(())
}

/// Credential names after the commands that take one, client names after
/// --oauth2 and the client commands, provider names after --provider; the
/// rest is clap's `_tokvault`. --db and --user on the line are passed on.
const BASH: &str = r#"
_tokvault_names() {
    local kind="$1" i words=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            --db|--user) words+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}") ;;
        esac
    done
    tokvault "${words[@]}" __complete "$kind" 2>/dev/null
}

_tokvault_dynamic() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" kind="" sub="" w
    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case "$w" in
            get|delete|refresh|store|export|exchange-code|client-credentials|login|show|remove|authorize-url)
                sub="$w"; break ;;
        esac
    done
    case "$prev" in
        --oauth2) kind=clients ;;
        --provider) kind=providers ;;
        *)
            if [[ -n "$sub" && "$prev" == "$sub" && "$cur" != -* ]]; then
                case "$sub" in
                    show|remove|authorize-url) kind=clients ;;
                    *) kind=credentials ;;
                esac
            fi ;;
    esac
    if [[ -n "$kind" ]]; then
        local IFS=$'\n'
        COMPREPLY=($(compgen -W "$(_tokvault_names "$kind")" -- "$cur"))
        return 0
    fi
    _tokvault "$@"
}

complete -F _tokvault_dynamic -o bashdefault -o default tokvault
"#;

const FISH: &str = r#"
function __tokvault_names
    tokvault __complete $argv 2>/dev/null
end
complete -c tokvault -n "__fish_seen_subcommand_from get delete refresh store export exchange-code client-credentials login" -f -a "(__tokvault_names credentials)"
complete -c tokvault -n "__fish_seen_subcommand_from show remove authorize-url" -f -a "(__tokvault_names clients)"
complete -c tokvault -l oauth2 -x -a "(__tokvault_names clients)"
complete -c tokvault -l provider -x -a "(__tokvault_names providers)"
"#;

/// clap's zsh script with its plain `_default` completers swapped for name
/// completers where a name goes.
fn zsh(clap: &str) -> String {
    let mut out = String::with_capacity(clap.len() + 1024);
    for line in clap.lines() {
        let completer = if line.starts_with("':integration -- ") {
            Some("_tokvault_credentials")
        } else if line.starts_with("'--oauth2=[")
            || line.starts_with("':client -- ")
            || line.starts_with("':name -- Name or id of the client")
        {
            Some("_tokvault_clients")
        } else if line.starts_with("'--provider=[") {
            Some("_tokvault_providers")
        } else {
            None
        };
        match completer.and_then(|c| {
            line.rsplit_once(":_default'")
                .map(|(head, tail)| (c, head, tail))
        }) {
            Some((c, head, tail)) => out.push_str(&format!("{head}:{c}'{tail}")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.push_str(
        r#"
(( $+functions[_tokvault_names] )) ||
_tokvault_names() {
    local -a names
    names=("${(@f)$(tokvault __complete "$1" 2>/dev/null)}")
    compadd -a names
}
(( $+functions[_tokvault_credentials] )) || _tokvault_credentials() { _tokvault_names credentials }
(( $+functions[_tokvault_clients] )) || _tokvault_clients() { _tokvault_names clients }
(( $+functions[_tokvault_providers] )) || _tokvault_providers() { _tokvault_names providers }
"#,
    );
    out
}
