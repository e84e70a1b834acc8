use crate::Context;
use crate::cli::GetArgs;
use crate::envfmt::{self, Format};
use crate::output;
use crate::resolve::{Freshness, Resolver};
use anyhow::Result;

pub fn run(args: &GetArgs, ctx: &Context) -> Result<()> {
    let format = if args.json { Format::Json } else { args.format };
    let freshness = Freshness {
        min_valid: args.min_valid,
        no_refresh: args.no_refresh,
        allow_expired: args.allow_expired,
    };
    let mut resolver = Resolver::open(
        ctx,
        &format!("credential '{}'", args.integration),
        freshness,
    )?;
    let prints_token = args.field.is_none() && format != Format::Json;
    let fresh = resolver.credential(&args.integration, prints_token)?;
    match format {
        Format::Json => super::print_record(ctx, &fresh.meta, &fresh.data, fresh.refreshed),
        Format::Raw => {
            let value = resolver.value(&fresh, args.field.as_deref())?;
            ctx.mask.register(&value);
            output::secret(&value)
        }
        line_format => {
            let value = resolver.value(&fresh, args.field.as_deref())?;
            ctx.mask.register(&value);
            let var = envfmt::default_var(&args.integration, args.field.as_deref());
            output::raw(&envfmt::line(line_format, &var, &value)?)
        }
    }
}
