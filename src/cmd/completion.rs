use crate::cli::{Cli, CompletionArgs};
use anyhow::Result;
use clap::CommandFactory;

pub fn run(args: &CompletionArgs) -> Result<()> {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "tokvault",
        &mut std::io::stdout(),
    );
    Ok(())
}
