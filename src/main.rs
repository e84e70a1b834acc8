use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    // Run as docker-credential-tokvault (a link docker finds on PATH): the
    // docker-credential command.
    if args.first().is_some_and(|a| {
        std::path::Path::new(a)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("docker-credential-"))
    }) {
        args.splice(
            0..1,
            ["tokvault".to_string(), "docker-credential".to_string()],
        );
    }
    // Run by cargo as its credential provider: `PROGRAM --cargo-plugin`,
    // the rest of the configuration inside each request.
    if args.len() == 2 && args[1] == "--cargo-plugin" {
        args.insert(1, "cargo-credential".to_string());
    }
    if let Some(help) = tokvault::cli::help_for(&args) {
        print!("{help}");
        return ExitCode::SUCCESS;
    }
    let cli = match tokvault::cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, &args),
    };
    match tokvault::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`tokvault get x | head -c0`) is not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            if !matches!(err.downcast_ref(), Some(tokvault::error::Error::Exit(_))) {
                // One line, whatever the error quotes (a provider's words, a
                // file's line): no control characters reach the terminal.
                let line = tokvault::text::clean(&format!("{err:#}"), 2000);
                eprintln!("tokvault: error: {line}");
            }
            ExitCode::from(tokvault::error::exit_code(&err))
        }
    }
}

/// Help and version as clap prints them; a usage error as one line, like
/// every other error, with exit code 2.
fn usage_error(e: clap::Error, args: &[String]) -> ExitCode {
    use clap::error::ErrorKind::*;
    if matches!(
        e.kind(),
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    // clap's message ends at its first blank line (tips and usage follow);
    // a value it quotes may itself hold line breaks, which `clean` removes.
    let rendered = tokvault::cli::hide_secrets(args, &e.render().to_string());
    let message = rendered.split("\n\n").next().unwrap_or_default().trim_end();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    // clap indents what it lists on lines of their own: one space each.
    let line = tokvault::text::clean(message, 2000)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // `run -e A=x sh -c ...`: clap sees `sh` as an argument of tokvault's.
    let hint = if e.kind() == UnknownArgument
        && args.iter().any(|a| a == "run")
        && !args.iter().any(|a| a == "--")
    {
        "; put -- before the command: tokvault run -e VAR=NAME -- COMMAND ARGS"
    } else {
        ""
    };
    eprintln!("tokvault: error: {line}{hint} (see --help)");
    ExitCode::from(tokvault::error::code::USAGE)
}
