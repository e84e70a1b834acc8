//! The audit log's rows: appended in a write transaction, each chained to
//! the one before and sealed, read back one at a time, verified, pruned,
//! and sealed again with a new key by a rekey.
//!
//! Row N's digest is SHA-256 of row N-1's digest and row N's columns; its
//! `mac` is that digest sealed with the audit key (derived from the master
//! key, see `Sealer::seal_digest`). Whoever can write the database but has
//! no key can change a row's columns or its digest, not a seal: an edited
//! row fails its digest or its seal, a removed or moved one breaks the
//! next row's digest and the numbering, and the last row is named by a head
//! sealed apart (in `meta`, rewritten by every append), so a log cut short
//! or emptied shows too. Digests need no key, so where a prune cut the log
//! stays valid across a rekey.

use super::sql::{Row, Val};
use super::{Sealer, Tx, WriteTx};
use crate::error;
use anyhow::Result;
use sha2::{Digest, Sha256};

/// The digest row 1 is chained to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Where a prune cut the log: the last removed row and its digest.
const BASE: &str = "audit_base";
/// The last row, its digest, and that digest sealed apart from the row's
/// own seal ("SEQ DIGEST SEAL"): written by every append, so a log cut
/// short, or emptied, shows.
const HEAD: &str = "audit_head";

/// What the head's seal covers: not a row's, so no row's seal can stand
/// in for it.
fn head_seal(sealer: &Sealer, digest: &str) -> String {
    sealer.seal_digest(format!("head\0{digest}").as_bytes())
}

/// What an entry records; `seq`, the digest and the seal are added when it
/// is appended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub at: i64,
    pub operation: String,
    pub user: Option<String>,
    pub credential: Option<String>,
    /// served, changed, refused or failed.
    pub outcome: String,
    pub exit_code: Option<i64>,
    /// Who asked, as a JSON object (uid, process, host, client).
    pub who: String,
    pub detail: Option<String>,
}

/// One row of the log as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub event: Event,
    pub digest: String,
    pub mac: String,
}

/// Which rows to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub since: Option<i64>,
    pub name: Option<String>,
    pub operation: Option<String>,
}

/// What a good log holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: u64,
    /// The last row and its digest.
    pub head: Option<(i64, String)>,
}

/// What `detail` says of a prune.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pruned {
    through: i64,
    digest: String,
    removed: u64,
}

const COLUMNS: &str =
    r#"seq, at, operation, "user", credential, outcome, exit_code, who, detail, digest, mac"#;

fn entry_from_row(r: &Row<'_>) -> Result<Entry> {
    Ok(Entry {
        seq: r.int(0)?,
        event: Event {
            at: r.int(1)?,
            operation: r.text(2)?,
            user: r.opt_text(3)?,
            credential: r.opt_text(4)?,
            outcome: r.text(5)?,
            exit_code: r.opt_int(6)?,
            who: r.text(7)?,
            detail: r.opt_text(8)?,
        },
        digest: r.text(9)?,
        mac: r.text(10)?,
    })
}

/// Row `seq`'s digest, chained to `prev`: every column but the seal, in one
/// unambiguous encoding.
fn digest(prev: &str, seq: i64, e: &Event) -> String {
    let columns = serde_json::to_vec(&(
        seq,
        e.at,
        &e.operation,
        &e.user,
        &e.credential,
        &e.outcome,
        e.exit_code,
        &e.who,
        &e.detail,
    ))
    .expect("plain values serialize");
    let d = Sha256::new()
        .chain_update(b"tokvault audit v1\0")
        .chain_update(prev.as_bytes())
        .chain_update([0])
        .chain_update(&columns)
        .finalize();
    super::seal::hex(&d)
}

/// A mark kept in `meta` as "SEQ DIGEST".
fn parse_mark(text: &str) -> Option<(i64, String)> {
    let (seq, digest) = text.split_once(' ')?;
    Some((seq.parse().ok()?, digest.to_string()))
}

impl Tx<'_> {
    fn audit_mark(&self, name: &str) -> Result<Option<(i64, String)>> {
        match self.meta(name)? {
            None => Ok(None),
            Some(text) => parse_mark(&text).map(Some).ok_or_else(|| {
                error::vault(format!(
                    "the audit log of {} is damaged: its mark '{name}' is not SEQ DIGEST",
                    self.shown
                ))
            }),
        }
    }

    /// The last row's number and digest, or where a prune left the log.
    fn audit_head(&self) -> Result<(i64, String)> {
        let last = self.query_one(
            "SELECT seq, digest FROM audit ORDER BY seq DESC LIMIT 1",
            &[],
        )?;
        match last {
            Some(r) => Ok((r.int(0)?, r.text(1)?)),
            None => Ok(self.audit_mark(BASE)?.unwrap_or((0, GENESIS.into()))),
        }
    }

    /// The rows `filter` selects, oldest first, one at a time.
    pub fn audit_each(
        &self,
        filter: &Filter,
        mut f: impl FnMut(Entry) -> Result<()>,
    ) -> Result<()> {
        // Only the conditions asked for: PostgreSQL cannot tell the type
        // of a parameter that is only compared with NULL.
        let mut conditions = Vec::new();
        let mut params = Vec::new();
        for (column, value) in [
            ("at >=", filter.since.map(Val::from)),
            ("credential =", filter.name.clone().map(Val::from)),
            ("operation =", filter.operation.clone().map(Val::from)),
        ] {
            if let Some(value) = value {
                params.push(value);
                conditions.push(format!("{column} ?{}", params.len()));
            }
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!("SELECT {COLUMNS} FROM audit{filter} ORDER BY seq");
        self.each(&sql, &params, |r| f(entry_from_row(&r)?))
    }

    /// The sealed head: the last row as the last append left it.
    fn audit_sealed_head(&self) -> Result<Option<(i64, String, String)>> {
        let Some(text) = self.meta(HEAD)? else {
            return Ok(None);
        };
        let mut parts = text.splitn(3, ' ');
        match (parts.next().map(str::parse), parts.next(), parts.next()) {
            (Some(Ok(seq)), Some(digest), Some(seal)) => {
                Ok(Some((seq, digest.to_string(), seal.to_string())))
            }
            _ => Err(error::vault(format!(
                "the audit log of {} is damaged: its mark '{HEAD}' is not SEQ DIGEST SEAL",
                self.shown
            ))),
        }
    }

    /// Checks every row's number, digest and seal, that a prune recorded
    /// where it cut the log, and that the last row is the one the sealed
    /// head names: the first bad row is named in a "tampered" error
    /// (exit 8).
    pub fn verify_audit(&self, sealer: &Sealer) -> Result<Verified> {
        let base = self.audit_mark(BASE)?;
        let head = self.audit_sealed_head()?;
        let (mut seq, mut prev) = base.clone().unwrap_or((0, GENESIS.into()));
        let mut entries = 0u64;
        let mut base_recorded = base.is_none();
        let mut bad: Option<(i64, String)> = None;
        self.audit_each(&Filter::default(), |e| {
            if bad.is_some() {
                return Ok(());
            }
            let why = if e.seq != seq + 1 {
                Some(if e.seq > seq + 1 {
                    format!("entries {} to {} before it are missing", seq + 1, e.seq - 1)
                } else {
                    "it is out of order".to_string()
                })
            } else if digest(&prev, e.seq, &e.event) != e.digest {
                Some("it was edited, or an entry before it was removed or moved".into())
            } else if sealer.seal_digest(e.digest.as_bytes()) != e.mac {
                Some("its seal is not this vault's (edited, or copied from another vault)".into())
            } else {
                None
            };
            if let Some(why) = why {
                bad = Some((e.seq, why));
                return Ok(());
            }
            if e.event.operation == "prune"
                && let Some(p) = e.event.detail.as_deref()
                && let Ok(p) = serde_json::from_str::<Pruned>(p)
                && base.as_ref() == Some(&(p.through, p.digest))
            {
                base_recorded = true;
            }
            entries += 1;
            (seq, prev) = (e.seq, e.digest);
            Ok(())
        })?;
        let broken = |seq: i64, why: &str| {
            error::vault(format!(
                "the audit log of {} is broken at entry {seq}: {why}",
                self.shown
            ))
        };
        if let Some((at, why)) = bad {
            return Err(broken(at, &why));
        }
        if let Some((through, _)) = base.filter(|_| !base_recorded) {
            return Err(broken(
                through + 1,
                &format!("entries up to {through} were removed without a record of a prune"),
            ));
        }
        match head {
            None if entries > 0 => {
                return Err(broken(seq, "the log's sealed end mark is gone"));
            }
            Some((last, ..)) if last > seq => {
                return Err(broken(
                    seq + 1,
                    &format!(
                        "entries {} to {last} are gone: the log was cut short",
                        seq + 1
                    ),
                ));
            }
            Some((last, digest, seal))
                if last != seq || digest != prev || head_seal(sealer, &digest) != seal =>
            {
                return Err(broken(last, "the log's sealed end mark does not match it"));
            }
            _ => {}
        }
        Ok(Verified {
            entries,
            head: (entries > 0).then_some((seq, prev)),
        })
    }
}

impl WriteTx<'_> {
    /// Appends one entry after the last, sealed: inside the caller's write
    /// transaction, so concurrent writers take turns and the chain holds.
    pub fn append_audit(&self, sealer: &Sealer, event: &Event) -> Result<i64> {
        let (last, prev) = self.audit_head()?;
        let seq = last + 1;
        let digest = digest(&prev, seq, event);
        let mac = sealer.seal_digest(digest.as_bytes());
        self.run(
            r#"INSERT INTO audit (seq, at, operation, "user", credential, outcome, exit_code,
                                   who, detail, digest, mac)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"#,
            &[
                seq.into(),
                event.at.into(),
                (&event.operation).into(),
                event.user.clone().into(),
                event.credential.clone().into(),
                (&event.outcome).into(),
                event.exit_code.into(),
                (&event.who).into(),
                event.detail.clone().into(),
                (&digest).into(),
                mac.into(),
            ],
        )?;
        let seal = head_seal(sealer, &digest);
        self.set_meta(HEAD, &format!("{seq} {digest} {seal}"))?;
        Ok(seq)
    }

    /// Removes the entries written before `before`, after checking the
    /// whole log, and appends `event` (a "prune") saying where it cut:
    /// without that entry a removed start shows as tampering. How many
    /// went.
    pub fn prune_audit(&self, sealer: &Sealer, before: i64, mut event: Event) -> Result<u64> {
        self.verify_audit(sealer)?;
        let last = self.query_one(
            "SELECT seq, digest FROM audit WHERE at < ?1 ORDER BY seq DESC LIMIT 1",
            &[before.into()],
        )?;
        let Some(last) = last else {
            return Ok(0);
        };
        let (through, digest) = (last.int(0)?, last.text(1)?);
        let removed = self.run("DELETE FROM audit WHERE seq <= ?1", &[through.into()])?;
        event.detail = Some(serde_json::to_string(&Pruned {
            through,
            digest: digest.clone(),
            removed,
        })?);
        self.set_meta(BASE, &format!("{through} {digest}"))?;
        // With every entry gone the chain goes on from the last removed.
        self.append_audit(sealer, &event)?;
        Ok(removed)
    }

    /// Seals every entry again with the new key (rekey). An entry the old
    /// key does not vouch for keeps its seal, so it still shows as bad:
    /// a rekey never makes a tampered log look whole.
    pub fn reseal_audit(&self, old: &Sealer, new: &Sealer) -> Result<()> {
        // In pages, so that a log of any length takes the memory of one:
        // statements cannot run while rows stream.
        let mut after = 0;
        loop {
            let mut page = Vec::new();
            self.each(
                "SELECT seq, digest, mac FROM audit WHERE seq > ?1 ORDER BY seq LIMIT 1000",
                &[after.into()],
                |r| {
                    page.push((r.int(0)?, r.text(1)?, r.text(2)?));
                    Ok(())
                },
            )?;
            let Some(&(last, _, _)) = page.last() else {
                return self.reseal_audit_head(old, new);
            };
            for (seq, digest, mac) in page {
                if old.seal_digest(digest.as_bytes()) == mac {
                    self.run(
                        "UPDATE audit SET mac = ?1 WHERE seq = ?2",
                        &[new.seal_digest(digest.as_bytes()).into(), seq.into()],
                    )?;
                }
            }
            after = last;
        }
    }

    /// The sealed head, sealed again under the new key when the old one
    /// vouches for it.
    fn reseal_audit_head(&self, old: &Sealer, new: &Sealer) -> Result<()> {
        if let Some((seq, digest, seal)) = self.audit_sealed_head()?
            && head_seal(old, &digest) == seal
        {
            let seal = head_seal(new, &digest);
            self.set_meta(HEAD, &format!("{seq} {digest} {seal}"))?;
        }
        Ok(())
    }
}
