//! `tokvault completion SHELL`: clap's script for the command line, plus a
//! few lines that complete credential, client and provider names too, asked
//! from `tokvault __complete` (vault metadata only; no key is read).

use super::Vault;
use crate::Context;
use crate::cli::{CompleteArgs, CompleteKind, CompletionArgs};
use crate::providers;
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
    let mut offered = offered(crate::cli::documented());
    clap_complete::generate(shell, &mut offered, "tokvault", &mut out);
    match shell {
        Shell::Bash => {
            out.extend_from_slice(valued_flags(&offered).as_bytes());
            out.extend_from_slice(BASH.as_bytes());
        }
        Shell::Fish => out.extend_from_slice(FISH.as_bytes()),
        Shell::Zsh => {
            let text = String::from_utf8_lossy(&out).into_owned();
            out = zsh(&text).into_bytes();
        }
        _ => {}
    }
    out
}

/// The command line as completion offers it: without hidden subcommands
/// (`__complete`), which clap_complete would offer at `tokvault <TAB>`.
fn offered(root: clap::Command) -> clap::Command {
    clap::Command::new("tokvault")
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .args(root.get_arguments().cloned())
        .subcommands(root.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
}

/// Every long flag that takes a value, for bash to step over its value
/// when it looks for the name a command takes (`get --field id_token op`).
fn valued_flags(cmd: &clap::Command) -> String {
    fn walk(cmd: &clap::Command, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if arg.get_action().takes_values()
                && let Some(long) = arg.get_long()
            {
                let flag = format!("--{long}");
                if !out.contains(&flag) {
                    out.push(flag);
                }
                if let Some(short) = arg.get_short() {
                    let flag = format!("-{short}");
                    if !out.contains(&flag) {
                        out.push(flag);
                    }
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, out);
        }
    }
    let mut flags = Vec::new();
    walk(cmd, &mut flags);
    format!("\n_tokvault_valued=\" {} \"\n", flags.join(" "))
}

/// `tokvault __complete KIND`: names for the shell, one a line. Names that
/// a terminal would obey (from an older vault) are left out.
pub fn names(args: &CompleteArgs, ctx: &Context) -> Result<()> {
    let vault = Vault::open_if_exists(ctx).ok().flatten();
    let mut names: Vec<String> = match (&args.kind, &vault) {
        (CompleteKind::Credentials, Some(v)) => v
            .read()
            .list(Some(ctx.user()), None)?
            .into_iter()
            .map(|c| c.integration)
            .collect(),
        (CompleteKind::Clients, Some(v)) => {
            v.read().clients()?.into_iter().map(|c| c.name).collect()
        }
        // Presets, clients, and every provider the vault's credentials name.
        (CompleteKind::Providers, v) => providers::PROVIDERS
            .iter()
            .map(|p| p.name.to_string())
            .chain(v.iter().flat_map(|v| {
                let read = v.read();
                let clients = read
                    .clients()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| c.name);
                let named = read
                    .list(None, None)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| c.provider);
                clients.chain(named).collect::<Vec<_>>()
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
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local kind="" sub="" w i pos=0 prefix=""
    # The subcommand that takes a name, and how many of its positional
    # words come before the cursor (flags and their values stepped over).
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        if [[ -z "$sub" ]]; then
            case "$w" in
                get|delete|refresh|store|export|exchange-code|client-credentials|login|show|remove|authorize-url|map|aws-credential|kube-credential|run)
                    sub="$w" ;;
                --db|--user|--key-file|--http-timeout|--connect-timeout) ((i++)) ;;
            esac
            continue
        fi
        if [[ "$w" == -* ]]; then
            if [[ "$w" != *=* && "$_tokvault_valued" == *" $w "* ]]; then
                # bash splits --flag=value at the `=`: step over both.
                [[ "${COMP_WORDS[i+1]}" == "=" ]] && ((i++))
                ((i++))
            fi
            continue
        fi
        [[ "$w" == "=" ]] && { ((i++)); continue; }
        ((pos++))
    done
    case "$prev" in
        --oauth2) kind=clients ;;
        --provider) kind=providers ;;
        -e|--env|--file)
            # [VAR=]NAME: the name after the `=`, if any.
            if [[ "$cur" == *=* ]]; then
                prefix="${cur%%=*}="
                cur="${cur#*=}"
            fi
            kind=credentials ;;
        =)
            # bash split VAR=NAME at the `=`.
            case "${COMP_WORDS[COMP_CWORD-3]}" in
                -e|--env|--file) kind=credentials ;;
            esac ;;
        *)
            if [[ -n "$sub" && "$cur" != -* && "$_tokvault_valued" != *" $prev "* ]]; then
                case "$sub" in
                    show|remove|authorize-url) ((pos == 0)) && kind=clients ;;
                    map) ((pos == 1)) && kind=credentials ;;
                    run) ;;
                    *) ((pos == 0)) && kind=credentials ;;
                esac
            fi ;;
    esac
    if [[ "$prev" != "=" && "${COMP_WORDS[COMP_CWORD-2]}" =~ ^(-e|--env|--file)$ && "$cur" == "=" ]]; then
        # `-e VAR=` with nothing after it yet.
        kind=credentials cur=""
    fi
    if [[ -n "$kind" ]]; then
        local IFS=$'\n' name
        COMPREPLY=()
        for name in $(_tokvault_names "$kind"); do
            [[ "$name" == "$cur"* ]] && COMPREPLY+=("$prefix$name")
        done
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
complete -c tokvault -n "__fish_seen_subcommand_from get delete refresh store export exchange-code client-credentials login aws-credential kube-credential" -f -a "(__tokvault_names credentials)"
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
