//! Log masking on CI runners.
//!
//! On GitHub Actions every secret tokvault prints or injects is first
//! registered with `::add-mask::`. The command goes to stderr: the runner
//! reads workflow commands from both of a step's streams, and stdout must stay
//! clean so that `$(tokvault get x)` is the secret alone. Each line of a
//! multi-line secret is registered on its own, as the runner masks line by
//! line.

use crate::secret::Secret;
use std::io::Write;

#[derive(Clone)]
pub struct Masker {
    enabled: bool,
}

impl Masker {
    pub fn new(no_mask: bool) -> Masker {
        let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
        Masker {
            enabled: github && !no_mask,
        }
    }

    pub fn register(&self, secret: &Secret) {
        if !self.enabled {
            return;
        }
        let mut err = std::io::stderr().lock();
        for line in secret
            .expose()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let _ = writeln!(err, "::add-mask::{line}");
        }
    }
}
