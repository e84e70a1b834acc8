//! `tokvault mcp`: the MCP server for an agent, on stdin/stdout.

use crate::Context;
use crate::cli::McpArgs;
use anyhow::Result;

pub fn run(args: &McpArgs, ctx: &Context) -> Result<()> {
    if let Some(label) = &args.agent {
        crate::text::check_name(label).map_err(|e| crate::error::usage(format!("--agent: {e}")))?;
    }
    crate::mcp::serve(
        ctx,
        crate::mcp::Settings {
            exposed: args.credential.clone(),
            headers: args.auth_header.clone(),
            agent: args.agent.clone(),
            allow_run: args.allow_run,
            confirm: args.confirm,
        },
    )
}
