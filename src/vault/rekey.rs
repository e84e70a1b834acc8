//! Re-encrypting every secret under a new key, inside the caller's
//! transaction: until it commits, the old key opens everything.

use super::{Sealer, Tx, clients, credentials};
use crate::token::TokenData;
use anyhow::Result;
use rusqlite::params;

pub struct Rekeyed {
    pub credentials: usize,
    pub clients: usize,
}

impl Tx<'_> {
    pub fn rekey(&self, old: &Sealer, new: &Sealer) -> Result<Rekeyed> {
        let creds = self.sealed_credentials(None)?;
        for (meta, sealed) in &creds {
            let data: TokenData = self.unseal(old, meta, sealed)?;
            let b = credentials::binding(&meta.to_new());
            let resealed = new.seal(&credentials::as_strs(&b), &data)?;
            self.tx
                .execute(
                    "UPDATE credentials SET sealed = ?2 WHERE id = ?1",
                    params![meta.id, resealed],
                )
                .map_err(|e| self.err(e))?;
        }
        let clients_ = self.all_clients()?;
        for (client, sealed) in &clients_ {
            let secrets = self.unseal_client(old, client, sealed)?;
            let resealed = new.seal(&clients::strs(&clients::binding(client)), &secrets)?;
            self.tx
                .execute(
                    "UPDATE oauth2_clients SET sealed = ?2 WHERE id = ?1",
                    params![client.id, resealed],
                )
                .map_err(|e| self.err(e))?;
        }
        // Pending authorizations live ten minutes; they are not worth moving.
        self.tx
            .execute("DELETE FROM pending_authorizations", [])
            .map_err(|e| self.err(e))?;
        self.set_meta("key_check", &new.key_check())?;
        Ok(Rekeyed {
            credentials: creds.len(),
            clients: clients_.len(),
        })
    }
}
