use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tokvault::cli::Cli::parse();
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
                eprintln!("tokvault: error: {err:#}");
            }
            ExitCode::from(tokvault::error::exit_code(&err))
        }
    }
}
