//! What the benchmarks share: a vault of any size, made fast.

use std::path::Path;
use tokvault::token::{TokenData, TokenType};
use tokvault::vault::{Location, NewCredential, Vault};

/// A vault of `size` api_key credentials, written in one transaction.
pub fn fill(db: &Path, key: &str, size: usize) {
    let mut vault = Vault::open_or_create(&Location::File(db.to_owned())).unwrap();
    vault
        .write(|tx| {
            let sealer = tx.sealer_for_write(tokvault::key::MasterKey::new(key).unwrap())?;
            for i in 0..size {
                let data = TokenData {
                    api_key: Some(format!("sk-bench-{i:08}-{}", "x".repeat(40)).into()),
                    ..TokenData::default()
                };
                let new = NewCredential {
                    user: "default".into(),
                    integration: format!("cred{i}"),
                    provider: "openai".into(),
                    token_type: TokenType::ApiKey,
                    scopes: vec![],
                    expires_at: None,
                    oauth2_client: None,
                    client_credentials: false,
                };
                tx.put(&sealer, &new, &data, 1_700_000_000)?;
            }
            Ok(())
        })
        .unwrap();
}
