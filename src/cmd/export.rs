use super::run::resolve_all;
use crate::Context;
use crate::cli::ExportArgs;
use crate::envfmt::{self, Format};
use crate::output;
use crate::refs;
use crate::secret::Secret;
use anyhow::Result;

pub fn run(args: &ExportArgs, ctx: &Context) -> Result<()> {
    if args.format == Format::Raw {
        return Err(crate::error::usage(
            "export writes variables: use --format env, dotenv, github or json (or `tokvault get` for one raw secret)",
        ));
    }
    let bindings = args
        .references
        .iter()
        .map(|spec| refs::parse(spec, true))
        .collect::<Result<Vec<_>>>()?;
    refs::check_unique(&bindings)?;
    let values = resolve_all(ctx, &bindings, args.allow_expired)?;
    for (_, value) in &values {
        ctx.mask.register(value);
    }
    if args.format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .map(|(var, v)| (var.clone(), v.expose().into()))
            .collect();
        return output::json(&map);
    }
    let mut text = String::new();
    for (var, value) in &values {
        text.push_str(envfmt::line(args.format, var, value)?.expose());
    }
    output::raw(&Secret::new(text))
}
