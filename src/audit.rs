//! What goes into the audit log besides the credential: who asked, how the
//! access ended, and how strictly the log is kept (TOKVAULT_AUDIT). The
//! rows themselves, their chain and seals are `vault::audit`'s; the app
//! layer records.
//!
//! Who is the process and its surroundings, never its command line: that
//! may hold a secret (`curl -H "Authorization: ..."`).

use serde::Serialize;

/// How strictly accesses are recorded (TOKVAULT_AUDIT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Every access a vault can record is; one that cannot be (a vault this
    /// user may only read) is served with a note.
    #[default]
    On,
    /// An access that cannot be recorded is refused (exit 7).
    Required,
    /// Nothing is recorded but that the log was turned off.
    Off,
}

impl Mode {
    /// TOKVAULT_AUDIT's value: unset or empty is `on`.
    pub fn parse(value: &str) -> Result<Mode, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "on" => Ok(Mode::On),
            "required" => Ok(Mode::Required),
            "off" => Ok(Mode::Off),
            _ => Err(format!(
                "TOKVAULT_AUDIT is '{}'; it is on, required or off",
                crate::text::excerpt(value)
            )),
        }
    }
}

/// How the audit log is kept for one command.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub mode: Mode,
    /// What the command is, as the log names it (get, run, git, ...).
    pub operation: &'static str,
    /// The label of the agent a server works for (`mcp --agent`).
    pub agent: Option<String>,
}

/// How an access ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A secret left the vault.
    Served,
    /// A credential (or the vault) was written.
    Changed,
    /// Turned away before the vault was asked (a host not allowed).
    Refused(u8),
    /// It failed, with this exit code.
    Failed(u8),
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Served => "served",
            Outcome::Changed => "changed",
            Outcome::Refused(_) => "refused",
            Outcome::Failed(_) => "failed",
        }
    }

    pub fn exit_code(self) -> Option<i64> {
        match self {
            Outcome::Served | Outcome::Changed => None,
            Outcome::Refused(code) | Outcome::Failed(code) => Some(i64::from(code)),
        }
    }

    /// A failure as its exit code says.
    pub fn of_error(e: &anyhow::Error) -> Outcome {
        Outcome::Failed(crate::error::exit_code(e))
    }
}

/// One access to record.
#[derive(Debug, Clone)]
pub struct Access<'a> {
    pub operation: &'a str,
    pub user: &'a str,
    pub credential: Option<&'a str>,
    pub outcome: Outcome,
    /// For a served request: who it was served to (grant, address).
    pub client: Option<&'a str>,
    pub detail: Option<String>,
}

impl<'a> Access<'a> {
    /// An access to one credential.
    pub fn to(operation: &'a str, user: &'a str, name: &'a str, outcome: Outcome) -> Access<'a> {
        Access {
            operation,
            user,
            credential: Some(name),
            outcome,
            client: None,
            detail: None,
        }
    }

    /// What is done to the whole vault (rekey, import, a prune).
    pub fn vault(operation: &'a str, outcome: Outcome) -> Access<'a> {
        Access {
            operation,
            user: "",
            credential: None,
            outcome,
            client: None,
            detail: None,
        }
    }
}

/// Who asked: this process, the one that started it, where it runs.
#[derive(Debug, Clone, Serialize)]
pub struct Who {
    pub uid: u32,
    pub user: Option<String>,
    pub pid: u32,
    pub process: Option<String>,
    pub parent_pid: Option<i32>,
    pub parent: Option<String>,
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
}

impl Who {
    /// This process as the kernel describes it; what cannot be read is
    /// left out rather than guessed.
    pub fn this_process(agent: Option<&str>) -> Who {
        let uid = nix::unistd::getuid();
        let parent_pid = nix::unistd::getppid().as_raw();
        let name = |path: String| {
            std::fs::read_to_string(path)
                .ok()
                .map(|n| crate::text::clean(n.trim_end_matches('\n'), 64))
                .filter(|n| !n.is_empty())
        };
        Who {
            uid: uid.as_raw(),
            user: user_name(uid.as_raw()),
            pid: std::process::id(),
            process: name("/proc/self/comm".into()),
            parent_pid: (parent_pid > 0).then_some(parent_pid),
            parent: (parent_pid > 0)
                .then(|| name(format!("/proc/{parent_pid}/comm")))
                .flatten(),
            host: name("/proc/sys/kernel/hostname".into()),
            agent: agent.map(|a| crate::text::clean(a, 128)),
            client: None,
        }
    }

    /// As stored: one JSON object, with the client of this access.
    pub fn json(&self, client: Option<&str>) -> String {
        let who = Who {
            client: client.map(|c| crate::text::clean(c, 256)),
            ..self.clone()
        };
        serde_json::to_string(&who).expect("plain values serialize")
    }
}

/// The name /etc/passwd gives `uid`: read directly, since the C library's
/// lookup loads name-service modules, which costs `get` more than all the
/// rest of its record.
fn user_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.parse() == Ok(uid)).then(|| crate::text::clean(name, 64))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for (text, mode) in [
            ("", Mode::On),
            ("on", Mode::On),
            ("Required", Mode::Required),
            (" off ", Mode::Off),
        ] {
            assert_eq!(Mode::parse(text), Ok(mode), "{text:?}");
        }
        for bad in ["yes", "1", "of", "required\u{1b}[2J"] {
            let e = Mode::parse(bad).unwrap_err();
            assert!(!e.contains('\u{1b}'), "{e}");
        }
    }

    #[test]
    fn who_is_this_process() {
        let who = Who::this_process(Some("agent\u{7}"));
        assert_eq!(who.pid, std::process::id());
        assert_eq!(who.uid, nix::unistd::getuid().as_raw());
        assert_eq!(who.agent.as_deref(), Some("agent\u{fffd}"));
        let json: serde_json::Value =
            serde_json::from_str(&who.json(Some("aws 127.0.0.1:1"))).unwrap();
        assert_eq!(json["client"], "aws 127.0.0.1:1");
        assert!(json["process"].is_string());
    }
}
