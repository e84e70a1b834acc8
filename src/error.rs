//! Errors that decide an exit code, and the one function that maps them.
//!
//! Everything else travels as `anyhow::Error` with context; `exit_code` looks
//! through the chain for the first typed `Error`. Messages never carry secrets.

use std::fmt;

/// Exit codes: part of the script contract, documented in `--help`, the man
/// page and README.
pub mod code {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const EXPIRED: u8 = 4;
    pub const PROVIDER_REFUSED: u8 = 5;
    pub const NETWORK: u8 = 6;
    pub const KEY: u8 = 7;
    pub const VAULT: u8 = 8;
}

/// The exit-code table as shown in `--help` and the man page.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  any other failure
  2  usage error, or input needed but no terminal (--no-input, CI=true)
  3  not found: no such credential or OAuth2 client
  4  expired and cannot be refreshed
  5  provider refused: the token or revocation endpoint answered with an error
  6  network failure: connection, DNS, TLS, timeout, unusable answer
  7  master key missing, malformed, or not this vault's key; or an access
     TOKVAULT_AUDIT=required could not record
  8  vault damaged, tampered with (audit --verify), or from a newer tokvault";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Expired(String),
    #[error("{0}")]
    ProviderRefused(Refusal),
    #[error("{0}")]
    Network(String),
    #[error("{0}")]
    Key(String),
    /// The key was read, and it is not the one that opens the vault: the
    /// one error a hint about where the right key is can help with.
    #[error("{0}")]
    WrongKey(WrongKey),
    #[error("{0}")]
    Vault(String),
    /// Exit with this code; whatever there was to say has been said
    /// (`run` passing on its command's exit code, several errors reported).
    #[error("")]
    Exit(u8),
}

/// A key that does not open the vault, and what the vault says of the key
/// that does, so that the message can name it without opening it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongKey {
    /// The vault, as messages show it.
    pub vault: String,
    /// The key file tokvault wrote this vault's key to, with the vault's
    /// key check (which only the right key opens; no secret).
    pub recorded: Option<(std::path::PathBuf, String)>,
}

impl fmt::Display for WrongKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrong master key: it does not open the vault {}",
            self.vault
        )
    }
}

/// An RFC 6749 §5.2 error answer, with a hint on how to recover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: String,
    pub description: Option<String>,
    pub hint: Option<String>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "provider refused: {}", self.error)?;
        if let Some(d) = &self.description {
            write!(f, ": {d}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => code::USAGE,
            Error::NotFound(_) => code::NOT_FOUND,
            Error::Expired(_) => code::EXPIRED,
            Error::ProviderRefused(_) => code::PROVIDER_REFUSED,
            Error::Network(_) => code::NETWORK,
            Error::Key(_) | Error::WrongKey(_) => code::KEY,
            Error::Vault(_) => code::VAULT,
            Error::Exit(code) => *code,
        }
    }
}

/// The exit code for any error: the first typed `Error` in its chain decides.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Error>())
        .map_or(code::FAILURE, Error::exit_code)
}

/// Shorthands so call sites read as the decision they make.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    Error::Usage(msg.into()).into()
}
pub fn not_found(msg: impl Into<String>) -> anyhow::Error {
    Error::NotFound(msg.into()).into()
}
pub fn vault(msg: impl Into<String>) -> anyhow::Error {
    Error::Vault(msg.into()).into()
}
pub fn key(msg: impl Into<String>) -> anyhow::Error {
    Error::Key(msg.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn exit_code_looks_through_context() {
        let err = Err::<(), _>(not_found("no credential 'x'"))
            .context("reading x")
            .unwrap_err();
        assert_eq!(exit_code(&err), code::NOT_FOUND);
        assert_eq!(exit_code(&anyhow::anyhow!("plain")), code::FAILURE);
    }

    #[test]
    fn help_lists_every_code() {
        for c in 0..=code::VAULT {
            assert!(
                EXIT_CODES_HELP.contains(&format!("\n  {c}  ")),
                "code {c} missing from help"
            );
        }
    }
}
