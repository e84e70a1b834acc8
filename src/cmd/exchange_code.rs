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
    let given = input::value_or_stdin(&args.code, "--code")?;
    // A pasted redirect URL carries the code, the state and the issuer.
    let response = crate::oauth::redirect::params_of_url(given.expose())
        .filter(|_| given.expose().contains("://"));
    let url_state = response.as_ref().and_then(|p| p.get("state").cloned());
    if let (Some(flag), Some(url)) = (&args.state, &url_state)
        && flag != url
    {
        return Err(crate::error::usage(
            "--state differs from the state in the redirect URL given as --code",
        ));
    }
    let request = Request::Code {
        code: given,
        response,
        no_pkce: args.no_pkce,
        redirect_uri: args.redirect_uri.clone(),
        verifier: args
            .code_verifier
            .as_deref()
            .map(|v| input::value_or_stdin(v, "--code-verifier"))
            .transpose()?,
        state: args.state.clone().or(url_state),
        own_request: false,
    };
    grant::run(ctx, &args.integration, &args.oauth2, request, args.json)
}
