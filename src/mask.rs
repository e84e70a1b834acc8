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
        self.write(secret, "");
    }

    /// The same while a command writes to the same stderr: the commands
    /// start on a line of their own, so one never lands mid-line, where the
    /// runner would not see it.
    pub fn register_running(&self, secret: &Secret) {
        self.write(secret, "\n");
    }

    /// All of a secret's commands in one write, which no other writer's
    /// output can split.
    fn write(&self, secret: &Secret, before: &str) {
        if !self.enabled {
            return;
        }
        let mut text = String::from(before);
        for line in secret
            .expose()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            text.push_str("::add-mask::");
            text.push_str(&escape_data(line));
            text.push('\n');
        }
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// A workflow command's data as the runner's ActionCommand escapes it: the
/// runner unescapes `%25`, `%0D` and `%0A`, so a secret holding them
/// literally would register another mask than the value printed.
fn escape_data(data: &str) -> String {
    data.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_is_escaped_as_the_runner_unescapes_it() {
        assert_eq!(super::escape_data("a%0Ab%25c\rd%"), "a%250Ab%2525c%0Dd%25");
        assert_eq!(super::escape_data("plain"), "plain");
    }
}
