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
    warn_of_refresh_end(ctx, &fresh);
    match format {
        Format::Json => super::print_record(ctx, &fresh.meta, &fresh.data, fresh.refreshed),
        Format::Raw => {
            let value = resolver.value(&fresh, args.field.as_deref())?;
            ctx.mask().register(&value);
            output::secret(&value)
        }
        line_format => {
            let value = resolver.value(&fresh, args.field.as_deref())?;
            ctx.mask().register(&value);
            let var = envfmt::default_var(&args.integration, args.field.as_deref());
            output::raw(&envfmt::line(line_format, &var, &value)?)
        }
    }
}

/// How long before a refresh token's own end `get` starts to say so.
const REFRESH_END_WARNING: i64 = 7 * 86_400;

/// Once a day per credential, a word on stderr that its refresh token ends
/// within a week: then a person must sign in again. The day is kept as a
/// marker file's time in the cache directory (nothing of the credential in
/// its name); without one, every time.
fn warn_of_refresh_end(ctx: &Context, fresh: &crate::refresh::Fresh) {
    let Some(end) = crate::token::refresh_expires_at(&fresh.data)
        .filter(|end| end - ctx.now <= REFRESH_END_WARNING)
        .filter(|_| fresh.data.refresh_token.is_some())
    else {
        return;
    };
    if let Some(dir) = ctx.cache_dir.as_ref().map(|d| d.join("warned")) {
        use sha2::Digest;
        let digest = sha2::Sha256::new()
            .chain_update(fresh.meta.user.as_bytes())
            .chain_update([0])
            .chain_update(fresh.meta.integration.as_bytes())
            .finalize();
        let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        let marker = dir.join(name);
        let recent = std::fs::metadata(&marker)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() < 86_400);
        if recent {
            return;
        }
        let _ = crate::fsutil::create_private_dir(&dir);
        let _ = std::fs::remove_file(&marker);
        let _ = crate::fsutil::create_private_file(&marker);
    }
    eprintln!(
        "tokvault: warning: the refresh token of {} {} at {}; sign in again before then",
        fresh.meta.describe(),
        if end <= ctx.now { "expired" } else { "expires" },
        crate::time::timestamp(end)
    );
}
