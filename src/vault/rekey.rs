//! Re-encrypting every secret under a new key, inside the caller's
//! transaction: until it commits, the old key opens everything.

use super::{Sealer, WriteTx};
use crate::token::TokenData;
use anyhow::Result;

pub struct Rekeyed {
    pub credentials: usize,
    pub clients: usize,
}

impl WriteTx<'_> {
    pub fn rekey(&self, old: &Sealer, new: &Sealer) -> Result<Rekeyed> {
        let creds = self.sealed_credentials(None)?;
        for (meta, sealed) in &creds {
            let data: TokenData = self.unseal(old, meta, sealed)?;
            self.reseal(new, meta, &data)?;
        }
        let clients_ = self.all_clients()?;
        for (client, sealed) in &clients_ {
            let secrets = self.unseal_client(old, client, sealed)?;
            self.reseal_client(new, client, &secrets)?;
        }
        for kind in super::RouteKind::ALL {
            for route in self.routes(kind)? {
                self.route(old, kind, &route.pattern)?;
                self.put_route(new, &route)?;
            }
        }
        self.reseal_audit(old, new)?;
        // Pending authorizations live ten minutes; they are not worth moving.
        self.run("DELETE FROM pending_authorizations", &[])?;
        self.set_meta("key_check", &new.key_check())?;
        Ok(Rekeyed {
            credentials: creds.len(),
            clients: clients_.len(),
        })
    }
}
