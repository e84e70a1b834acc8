//! Fernet encryption with each blob bound to the row that holds it.
//!
//! Fernet authenticates a ciphertext but not where it is kept, so the
//! plaintext carries the row's identity (its "binding") and opening checks
//! it: a blob edited in place fails Fernet's HMAC, a blob copied into another
//! row fails the binding. Either way the caller reports tampering.

use crate::key::MasterKey;
use anyhow::Result;
use fernet::Fernet;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The key check's plaintext also says how rows are sealed: under v2 every
/// row is sealed with its version and all its columns; under v1 (vaults
/// from before row versions) rows of version 0 have an older, shorter seal.
const KEY_CHECK: &[u8] = b"tokvault key check v2";
const KEY_CHECK_V1: &[u8] = b"tokvault key check v1";

/// What a key check says once the key opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    Current,
    /// Rows of version 0 may still carry the older seal.
    Legacy,
}

/// Stored secrets have no time-to-live, and a clock set back must not make
/// the vault unreadable; Fernet's "issued in the future" check is skipped by
/// deciding with a time that is never earlier than any blob's.
const NO_CLOCK_CHECK: u64 = u64::MAX / 2;

#[derive(Clone)]
pub struct Sealer {
    key: Fernet,
    /// Seals the audit log's digests.
    audit: ring::hmac::Key,
}

#[derive(Serialize)]
struct SealRef<'a, T> {
    bind: &'a [&'a str],
    data: &'a T,
}

#[derive(Deserialize)]
struct Envelope<T> {
    bind: Vec<String>,
    data: T,
}

impl Sealer {
    pub fn new(key: MasterKey) -> Sealer {
        Sealer {
            audit: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.audit()),
            key: key.fernet().clone(),
        }
    }

    /// The seal of an audit entry's digest: only the vault's key makes it.
    pub fn seal_digest(&self, digest: &[u8]) -> String {
        hex(ring::hmac::sign(&self.audit, digest).as_ref())
    }

    fn decrypt(&self, sealed: &str) -> Option<Zeroizing<Vec<u8>>> {
        self.key
            .decrypt_at_time(sealed, None, NO_CLOCK_CHECK)
            .ok()
            .map(Zeroizing::new)
    }

    pub fn key_check(&self) -> String {
        self.key.encrypt(KEY_CHECK)
    }

    /// Whether this key opens a vault's key check.
    pub fn opens(&self, check: &str) -> bool {
        self.decrypt(check)
            .is_some_and(|p| p.as_slice() == KEY_CHECK || p.as_slice() == KEY_CHECK_V1)
    }

    /// Which key check this key opens; None when it is not the vault's key.
    pub fn verify_key_check(&self, check: &str) -> Option<KeyCheck> {
        match self.decrypt(check) {
            Some(plain) if plain.as_slice() == KEY_CHECK => Some(KeyCheck::Current),
            Some(plain) if plain.as_slice() == KEY_CHECK_V1 => Some(KeyCheck::Legacy),
            _ => None,
        }
    }

    pub fn seal<T: Serialize>(&self, binding: &[&str], data: &T) -> Result<String> {
        let plain = Zeroizing::new(serde_json::to_vec(&SealRef {
            bind: binding,
            data,
        })?);
        Ok(self.key.encrypt(&plain))
    }

    /// The data, or `None` when the blob fails authentication or belongs to
    /// another row.
    pub fn open<T: DeserializeOwned>(&self, binding: &[&str], sealed: &str) -> Option<T> {
        let plain = self.decrypt(sealed)?;
        let envelope: Envelope<T> = serde_json::from_slice(&plain).ok()?;
        (envelope.bind == binding).then_some(envelope.data)
    }
}

/// Lower-case hex, as digests are stored.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::new(MasterKey::new(&Fernet::generate_key()).unwrap())
    }

    #[test]
    fn opens_only_in_its_own_row() {
        let s = sealer();
        let blob = s.seal(&["credential", "default", "a"], &"secret").unwrap();
        assert_eq!(
            s.open::<String>(&["credential", "default", "a"], &blob),
            Some("secret".into())
        );
        assert_eq!(
            s.open::<String>(&["credential", "default", "b"], &blob),
            None
        );
        assert_eq!(
            s.open::<String>(&["credential", "default", "a"], &blob[1..]),
            None
        );
        assert_eq!(
            sealer().open::<String>(&["credential", "default", "a"], &blob),
            None
        );
    }

    #[test]
    fn key_check_tells_keys_apart() {
        let s = sealer();
        let check = s.key_check();
        assert_eq!(s.verify_key_check(&check).unwrap(), KeyCheck::Current);
        assert_eq!(sealer().verify_key_check(&check), None);
    }
}
