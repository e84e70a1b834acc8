//! `tokvault audit`: the log shown, verified or pruned.

use super::Vault;
use crate::Context;
use crate::cli::{AuditArgs, Since};
use crate::vault::{AuditEntry, AuditFilter};
use anyhow::Result;
use serde::Serialize;
use std::io::{IsTerminal, Write};

pub fn run(args: &AuditArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, "audit log")?;
    if args.verify {
        let verified = vault.verify_audit()?;
        let head = verified.head.as_ref();
        if args.json {
            return crate::output::json(&serde_json::json!({
                "entries": verified.entries,
                "head": head.map(|(seq, digest)| serde_json::json!({"seq": seq, "digest": digest})),
            }));
        }
        match head {
            Some((seq, digest)) => println!(
                "the audit log of {} is whole: {} entries, the last is entry {seq} (digest {digest})",
                vault.shown(),
                verified.entries
            ),
            None => println!("the audit log of {} is empty", vault.shown()),
        }
        return Ok(());
    }
    if let Some(before) = args.before.filter(|_| args.prune) {
        let removed = vault.prune_audit(before)?;
        eprintln!(
            "tokvault: removed {removed} audit entries written before {}; the prune is recorded",
            crate::time::timestamp(before)
        );
        return Ok(());
    }
    let filter = AuditFilter {
        since: args.since.map(|s| match s {
            Since::At(t) => t,
            Since::Ago(ago) => ctx.now.saturating_sub(ago),
        }),
        name: args.name.clone(),
        operation: args.operation.clone(),
    };
    // The agent's label is in who it was: read from each entry.
    let by_agent = |e: &AuditEntry| {
        args.agent.as_deref().is_none_or(|label| {
            serde_json::from_str::<serde_json::Value>(&e.event.who)
                .is_ok_and(|who| who["agent"].as_str() == Some(label))
        })
    };
    if args.json || !std::io::stdout().is_terminal() {
        // One line per entry as it is read: a log of any length streams.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        vault.read().audit_each(&filter, |e| {
            if !by_agent(&e) {
                return Ok(());
            }
            serde_json::to_writer(&mut out, &EntryJson::new(&e))?;
            out.write_all(b"\n")?;
            Ok(())
        })?;
        out.flush()?;
        return Ok(());
    }
    let mut rows = Vec::new();
    vault.read().audit_each(&filter, |e| {
        if !by_agent(&e) {
            return Ok(());
        }
        let outcome = match e.event.exit_code {
            Some(code) => format!("{} ({code})", e.event.outcome),
            None => e.event.outcome.clone(),
        };
        rows.push(vec![
            e.seq.to_string(),
            crate::time::timestamp(e.event.at),
            e.event.operation.clone(),
            e.event.credential.clone().unwrap_or_default(),
            outcome,
            who_shown(&e.event.who),
        ]);
        Ok(())
    })?;
    crate::output::table(
        &["SEQ", "TIME", "OPERATION", "CREDENTIAL", "OUTCOME", "WHO"],
        rows,
    )
}

/// `user@host parent>process[pid]`, and the client when there is one.
fn who_shown(who: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(who).unwrap_or_default();
    let text = |k: &str| v[k].as_str().unwrap_or("?").to_string();
    let mut shown = format!(
        "{}@{} {}>{}[{}]",
        text("user"),
        text("host"),
        text("parent"),
        text("process"),
        v["pid"]
    );
    for extra in ["agent", "client"] {
        if let Some(x) = v[extra].as_str() {
            shown.push_str(&format!(" {extra}={x}"));
        }
    }
    shown
}

/// One entry as a JSON line.
#[derive(Serialize)]
struct EntryJson<'a> {
    seq: i64,
    at: String,
    operation: &'a str,
    user: Option<&'a str>,
    credential: Option<&'a str>,
    outcome: &'a str,
    exit_code: Option<i64>,
    who: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<serde_json::Value>,
    digest: &'a str,
}

impl<'a> EntryJson<'a> {
    fn new(e: &'a AuditEntry) -> EntryJson<'a> {
        EntryJson {
            seq: e.seq,
            at: crate::time::timestamp(e.event.at),
            operation: &e.event.operation,
            user: e.event.user.as_deref(),
            credential: e.event.credential.as_deref(),
            outcome: &e.event.outcome,
            exit_code: e.event.exit_code,
            who: serde_json::from_str(&e.event.who).unwrap_or_default(),
            detail: e.event.detail.as_deref().map(|d| {
                serde_json::from_str(d).unwrap_or_else(|_| serde_json::Value::String(d.into()))
            }),
            digest: &e.digest,
        }
    }
}
