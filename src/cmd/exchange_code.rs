use super::grant::{self, Request};
use crate::Context;
use crate::cli::ExchangeCodeArgs;
use crate::input;
use anyhow::Result;

pub fn run(args: &ExchangeCodeArgs, ctx: &Context) -> Result<()> {
    input::one_stdin([
        ("--code", Some(args.code.as_str())),
        ("--code-verifier", args.code_verifier.as_deref()),
    ])?;
    let request = Request::Code {
        code: input::value_or_stdin(&args.code, "--code")?,
        redirect_uri: args.redirect_uri.clone(),
        verifier: args
            .code_verifier
            .as_deref()
            .map(|v| input::value_or_stdin(v, "--code-verifier"))
            .transpose()?,
        state: args.state.clone(),
    };
    grant::run(ctx, &args.integration, &args.oauth2, request, args.json)
}
