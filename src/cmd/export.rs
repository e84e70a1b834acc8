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
    let values = super::resolve_bindings(ctx, &bindings, args.allow_expired)?;
    for resolved in &values {
        ctx.mask().register(&resolved.value);
    }
    if args.format == Format::Json {
        let map: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .map(|r| (r.var.clone(), r.value.expose().into()))
            .collect();
        return output::json(&map);
    }
    let mut text = String::new();
    for r in &values {
        text.push_str(envfmt::line(args.format, &r.var, &r.value)?.expose());
    }
    output::raw(&Secret::new(text))
}
