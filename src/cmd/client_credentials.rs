use super::grant::{self, Request};
use crate::Context;
use crate::cli::ClientCredentialsArgs;
use anyhow::Result;

pub fn run(args: &ClientCredentialsArgs, ctx: &Context) -> Result<()> {
    let request = Request::ClientCredentials {
        scopes: args.scopes.clone(),
    };
    grant::run(ctx, &args.integration, &args.oauth2, request, args.json)
}
