//! The application layer: the one way commands, helpers, refresh and any
//! program built on tokvault reach credentials.
//!
//! `Vault` owns the opened store and where its key comes from. Opening it
//! always settles an interrupted rekey first. Reads go through `read()`,
//! a view that cannot write. Every change to one credential goes through
//! `update`, which takes the credential's lock, starts the write
//! transaction, reads the row again under both and hands out the sealer
//! checked against the vault's key; work that must wait on the network
//! between reading and writing (a refresh, a code exchange) holds the same
//! lock with `hold` and writes with `write`. Nothing here prints: notes go
//! to `notice`, failures are typed errors.

use crate::audit::{self, Access, Mode, Outcome};
use crate::error;
use crate::key::KeySource;
use crate::session::Context;
use crate::vault::{
    self, Client, ClientSecrets, CredentialLock, CredentialMeta, Location, Sealer, Tx, VaultLock,
    WriteTx, client_not_found,
};
use anyhow::Result;
use std::cell::{Cell, OnceCell};
use std::path::Path;

/// An opened vault and the key that seals it.
pub struct Vault {
    store: vault::Vault,
    key: KeySource,
    /// Where it is, for the key file's record of its vaults.
    db: Location,
    auditor: Auditor,
}

/// Keeps the audit log for one process: who it is (read once), how strict
/// TOKVAULT_AUDIT is, and what it already said.
struct Auditor {
    settings: audit::Settings,
    who: OnceCell<audit::Who>,
    /// A word that accesses go unrecorded was said.
    warned: Cell<bool>,
    /// TOKVAULT_AUDIT=off was itself recorded.
    off_recorded: Cell<bool>,
}

impl Auditor {
    fn event(&self, access: &Access<'_>) -> vault::AuditEvent {
        let who = self
            .who
            .get_or_init(|| audit::Who::this_process(self.settings.agent.as_deref()));
        vault::AuditEvent {
            at: jiff::Timestamp::now().as_second(),
            operation: access.operation.to_string(),
            user: access.credential.map(|_| access.user.to_string()),
            credential: access.credential.map(str::to_string),
            outcome: access.outcome.as_str().to_string(),
            exit_code: access.outcome.exit_code(),
            who: who.json(access.client),
            detail: access.detail.clone(),
        }
    }

    /// Appends `access`, or under TOKVAULT_AUDIT=off only (once) that the
    /// log was turned off.
    fn append(&self, tx: &WriteTx<'_>, sealer: &Sealer, access: &Access<'_>) -> Result<()> {
        if self.settings.mode != Mode::Off {
            return tx.append_audit(sealer, &self.event(access)).map(drop);
        }
        if !self.off_recorded.replace(true) {
            let off = Access {
                detail: Some(format!("TOKVAULT_AUDIT=off for {}", access.operation)),
                ..Access::vault("audit-off", Outcome::Changed)
            };
            // Best effort: turning the log off must not stop the command.
            let _ = tx.append_audit(sealer, &self.event(&off));
        }
        Ok(())
    }

    /// What to do when an access could not be recorded: refuse it under
    /// TOKVAULT_AUDIT=required (exit 7), else say so once and go on.
    fn unrecorded(&self, why: anyhow::Error) -> Result<()> {
        match self.settings.mode {
            Mode::Required => Err(error::key(format!(
                "TOKVAULT_AUDIT=required, and this access cannot be recorded in the audit log: {why:#}"
            ))),
            Mode::Off => Ok(()),
            Mode::On => {
                if !self.warned.replace(true) {
                    crate::notice::warn(format!(
                        "this access was not recorded in the audit log: {why:#}"
                    ));
                }
                Ok(())
            }
        }
    }
}

/// A write transaction with the sealer made only when something is sealed,
/// so that deleting needs no key.
pub struct Writer<'t, 'v> {
    tx: &'t WriteTx<'v>,
    key: &'t KeySource,
    db: &'t Location,
    auditor: &'t Auditor,
    sealer: OnceCell<Sealer>,
}

impl<'v> std::ops::Deref for Writer<'_, 'v> {
    type Target = WriteTx<'v>;
    fn deref(&self) -> &WriteTx<'v> {
        self.tx
    }
}

impl Writer<'_, '_> {
    /// The sealer for writing, checked against the vault's key (the
    /// default key file is created only for a vault that never held a
    /// secret).
    pub fn sealer(&self) -> Result<&Sealer> {
        if let Some(sealer) = self.sealer.get() {
            return Ok(sealer);
        }
        let made = write_sealer(self.key, self.db, self.tx)?;
        Ok(self.sealer.get_or_init(|| made))
    }

    /// Records `access` in the audit log, in this transaction: the change
    /// and its record commit together, or neither does.
    pub fn record(&self, access: &Access<'_>) -> Result<()> {
        // Only TOKVAULT_AUDIT=required lets a failed record undo the change:
        // a refresh's rotated token must not be lost to its audit entry.
        let sealer = self.sealer();
        sealer
            .and_then(|sealer| self.auditor.append(self.tx, sealer, access))
            .or_else(|e| self.auditor.unrecorded(e))
    }

    /// `record`, sealed with `sealer`: the new key, in a rekey's
    /// transaction.
    pub fn record_with(&self, sealer: &Sealer, access: &Access<'_>) -> Result<()> {
        self.auditor.append(self.tx, sealer, access)
    }
}

impl Vault {
    /// The vault, or a "not found" naming `what` there is nothing to read.
    pub fn open(ctx: &Context, what: &str) -> Result<Vault> {
        check_db_dir(ctx)?;
        Self::open_if_exists(ctx)?.ok_or_else(|| {
            error::not_found(format!(
                "no {what}: the vault {} does not exist yet (create it with `tokvault store`)",
                ctx.db().shown()
            ))
        })
    }

    /// The vault, or None when there is none yet: reading never creates one.
    pub fn open_if_exists(ctx: &Context) -> Result<Option<Vault>> {
        let Some(store) = vault::Vault::open_existing(ctx.db())? else {
            return Ok(None);
        };
        Self::settled(ctx, store).map(Some)
    }

    /// The vault, created first if there is none.
    pub fn open_or_create(ctx: &Context) -> Result<Vault> {
        check_db_dir(ctx)?;
        Self::settled(ctx, vault::Vault::open_or_create(ctx.db())?)
    }

    fn settled(ctx: &Context, store: vault::Vault) -> Result<Vault> {
        let vault = Vault {
            store,
            key: ctx.key().clone(),
            db: ctx.db().clone(),
            auditor: Auditor {
                settings: ctx.audit.clone(),
                who: OnceCell::new(),
                warned: Cell::new(false),
                off_recorded: Cell::new(false),
            },
        };
        vault.settle_interrupted_rekey()?;
        Ok(vault)
    }

    /// A rekey killed between its commit and moving the new key into place
    /// leaves `key.new`: the next command finishes (or undoes) it, holding
    /// the whole vault's lock so no rekey runs meanwhile. Costs one `stat`
    /// when there is nothing to do.
    fn settle_interrupted_rekey(&self) -> Result<()> {
        if self.key.staged().is_none_or(|p| !p.exists()) {
            return Ok(());
        }
        let _lock = self.store.lock_all(|| {
            crate::notice::note("waiting for refreshes in progress to finish an interrupted rekey")
        })?;
        self.settle_locked()
    }

    /// `settle_interrupted_rekey` for a caller that holds the vault's lock
    /// (rekey). The key check is read only now, under the lock, so it is
    /// the one the staged key must be judged against.
    pub fn settle_locked(&self) -> Result<()> {
        let Some(staged) = self.key.staged().filter(|p| p.exists()) else {
            return Ok(());
        };
        let Some(check) = self.store.read().key_check()? else {
            return Ok(());
        };
        crate::key::settle_staged(&self.key, &staged, |k| Sealer::new(k.clone()).opens(&check))
    }

    /// A view that reads, one statement at a time.
    pub fn read(&self) -> Tx<'_> {
        self.store.read()
    }

    /// The file, or the database without its password: for messages.
    pub fn shown(&self) -> &str {
        self.store.shown()
    }

    /// What the command is, as the audit log names it.
    pub fn operation(&self) -> &'static str {
        self.auditor.settings.operation
    }

    /// Records `access` in the audit log, in a write transaction of its
    /// own: before a secret is handed out, so that under
    /// TOKVAULT_AUDIT=required nothing leaves unrecorded. `loaded` is the
    /// key the caller already read, if any. A vault this user may only read
    /// serves without a record, and says so once.
    pub fn record(&mut self, access: &Access<'_>, loaded: Option<&Sealer>) -> Result<()> {
        if self.store.read_only() {
            return self.auditor.unrecorded(anyhow::anyhow!(
                "the vault {} is read-only here",
                self.shown()
            ));
        }
        let served = access.outcome == Outcome::Served;
        let sealer = match loaded.cloned().map_or_else(|| self.read_sealer(), Ok) {
            Ok(sealer) => sealer,
            // No key: nothing was served, and the failure says why.
            Err(e) if served => return self.auditor.unrecorded(e),
            Err(_) => return Ok(()),
        };
        let auditor = &self.auditor;
        let record = |tx: &WriteTx<'_>| {
            // Judged inside the transaction: a rekey that committed while
            // this one waited changed the key, and an entry sealed with the
            // old one would read as tampering. A failure under a key that
            // is not the vault's (exit 7) has nothing to seal it with.
            match tx.key_check()? {
                Some(check) if sealer.opens(&check) => auditor.append(tx, &sealer, access),
                Some(_) if served => Err(anyhow::anyhow!(
                    "the vault {} was rekeyed while it was served",
                    tx.shown()
                )),
                None if served => Err(anyhow::anyhow!("the vault {} has no key check", tx.shown())),
                _ => Ok(()),
            }
        };
        // Under TOKVAULT_AUDIT=required the record must outlive a power cut
        // too: written as durably as a credential.
        let result = match auditor.settings.mode {
            Mode::Required => self.store.write(record),
            _ => self.store.append(record),
        };
        result.or_else(|e| self.auditor.unrecorded(e))
    }

    /// The key, checked against the vault's key check: what the audit log
    /// is verified with, where a wrong key must not look like tampering.
    fn checked_sealer(&self) -> Result<Sealer> {
        let sealer = self.read_sealer()?;
        match self.read().key_check()? {
            Some(check) if !sealer.opens(&check) => {
                Err(self.read().diagnose(&sealer, "the audit log"))
            }
            _ => Ok(sealer),
        }
    }

    /// Checks the whole audit log (see `Tx::verify_audit`).
    pub fn verify_audit(&mut self) -> Result<vault::AuditVerified> {
        let sealer = self.checked_sealer()?;
        if self.store.read_only() {
            return self.read().verify_audit(&sealer);
        }
        // In one transaction: a prune committing half-way through the
        // reading would look like entries gone.
        self.store.write(|tx| tx.verify_audit(&sealer))
    }

    /// Removes the audit entries written before `before`, recording that
    /// it did; how many went.
    pub fn prune_audit(&mut self, before: i64) -> Result<u64> {
        let sealer = self.checked_sealer()?;
        let auditor = &self.auditor;
        let event = auditor.event(&Access::vault("prune", Outcome::Changed));
        self.store
            .write(|tx| tx.prune_audit(&sealer, before, event.clone()))
    }

    /// The credential's metadata and sealed blob, or "not found".
    pub fn credential(&self, user: &str, name: &str) -> Result<(CredentialMeta, String)> {
        self.read()
            .credential(user, name)?
            .ok_or_else(|| credential_not_found(user, name))
    }

    /// The key for reading: it must exist; it is checked against the vault
    /// only when a blob fails to open, keeping `get` to one decryption.
    pub fn read_sealer(&self) -> Result<Sealer> {
        load_key(&self.key).map(Sealer::new)
    }

    /// Changes one credential: under its lock and in one write
    /// transaction, `f` gets the row as it is now (read again under both)
    /// and a writer whose sealer is checked against the vault's key. What
    /// `f` returns is committed, with an audit entry (the command's
    /// operation, "changed") when the row changed; an error leaves
    /// everything as it was.
    pub fn update<T>(
        &mut self,
        user: &str,
        name: &str,
        f: impl FnOnce(&Writer<'_, '_>, Option<(CredentialMeta, String)>) -> Result<T>,
    ) -> Result<T> {
        let _lock = self.hold(user, name)?;
        let operation = self.operation();
        self.write(|w| {
            let current = w.credential(user, name)?;
            let version = |c: Option<(CredentialMeta, String)>| c.map(|(m, _)| m.version);
            let before = version(current.clone());
            let out = f(w, current)?;
            // Recorded only when it changed: git echoing a token back, or
            // an erase that matches nothing, is no change.
            if version(w.credential(user, name)?) != before {
                w.record(&Access::to(operation, user, name, Outcome::Changed))?;
            }
            Ok(out)
        })
    }

    /// Holds one credential's lock (and the vault's, shared), waiting for
    /// whoever holds it and saying so: for work that must wait on the
    /// network between reading a credential and writing it.
    pub fn hold(&self, user: &str, name: &str) -> Result<CredentialLock> {
        let what = CredentialMeta::describe_name(user, name);
        self.store.lock_credential(user, name, waiting_for(&what))
    }

    /// One write transaction (BEGIN IMMEDIATE): for what is not one
    /// credential (clients, routes), or under a lock taken with `hold`.
    pub fn write<T>(&mut self, f: impl FnOnce(&Writer<'_, '_>) -> Result<T>) -> Result<T> {
        let (key, db, auditor) = (&self.key, &self.db, &self.auditor);
        self.store.write(|tx| {
            f(&Writer {
                tx,
                key,
                db,
                auditor,
                sealer: OnceCell::new(),
            })
        })
    }

    /// The whole vault, against every credential lock (rekey, import).
    pub fn lock_all(&self, waiting: impl FnOnce()) -> Result<VaultLock> {
        self.store.lock_all(waiting)
    }

    /// Waits until no rekey or import holds the whole vault.
    pub fn wait_for_rekey(&self) -> Result<()> {
        self.store.wait_for_rekey()
    }

    /// Whether a database vault's connection (and the locks held through
    /// it) was lost; never for a file.
    pub fn connection_lost(&self) -> bool {
        self.store.connection_lost()
    }

    /// Connects again after `connection_lost`.
    pub fn reconnect(&mut self) -> Result<()> {
        self.store.reconnect()
    }
}

/// Whether the vault file at `path` depends on the key file `key_file`
/// whose key is `key`: it does unless it names another key file as its own
/// (a copied home directory) or the key no longer opens it. One that cannot
/// be opened to tell does: better a refusal that names it than a vault
/// nobody can open.
pub fn depends_on_key(path: &Path, key_file: &Path, key: &Sealer) -> bool {
    use std::os::unix::fs::MetadataExt;
    let id = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    let Ok(Some(store)) = vault::Vault::open_existing(&Location::File(path.to_owned())) else {
        return true;
    };
    let read = store.read();
    let names_this = read
        .key_file_hint()
        .ok()
        .flatten()
        .is_none_or(|hint| id(Path::new(&hint)) == id(key_file));
    let opens = read
        .key_check()
        .ok()
        .flatten()
        .is_none_or(|check| key.opens(&check));
    names_this && opens
}

/// Says what a lock request is waiting for, once, before it blocks.
pub fn waiting_for(what: &str) -> impl FnOnce(vault::Waiting) + '_ {
    move |waiting| match waiting {
        vault::Waiting::Vault => crate::notice::note(format!(
            "waiting for a rekey or import to finish before using {what}"
        )),
        vault::Waiting::Credential => crate::notice::note(format!(
            "waiting for another process that is refreshing or writing {what}"
        )),
    }
}

fn credential_not_found(user: &str, name: &str) -> anyhow::Error {
    let whose = if user == "default" {
        String::new()
    } else {
        format!(" for user '{user}'")
    };
    error::not_found(format!(
        "no credential '{name}'{whose} (see `tokvault list`)"
    ))
}

/// An OAuth2 client and its secrets, or "not found".
pub fn find_client(tx: &Tx<'_>, sealer: &Sealer, name: &str) -> Result<(Client, ClientSecrets)> {
    let (client, sealed) = tx.client(name)?.ok_or_else(|| client_not_found(name))?;
    let secrets = tx.unseal_client(sealer, &client, &sealed)?;
    Ok((client, secrets))
}

/// A `--db` in a directory that does not exist is refused by every
/// command, reading or writing: a typo in TOKVAULT_DB must neither look
/// like an empty vault nor make a new one somewhere unexpected. The default
/// location's directories are made as needed.
pub fn check_db_dir(ctx: &Context) -> Result<()> {
    let missing_dir = ctx
        .db()
        .file()
        .and_then(Path::parent)
        .filter(|d| ctx.db_given() && !d.as_os_str().is_empty() && !d.exists());
    match missing_dir {
        Some(dir) => Err(error::not_found(format!(
            "no vault at {}: the directory {} does not exist (check --db / TOKVAULT_DB)",
            ctx.db().shown(),
            dir.display()
        ))),
        None => Ok(()),
    }
}

/// The master key.
pub fn load_key(key: &KeySource) -> Result<crate::key::MasterKey> {
    key.load()?.ok_or_else(|| {
        error::key(format!(
            "no master key: {} does not exist and TOKVAULT_KEY is not set",
            key.describe()
        ))
    })
}

/// The sealer for writing, checked against the vault's key. The default key
/// file is created only for a vault that has never held a secret.
///
/// Every vault file written with a key file is recorded beside it, so that
/// `rekey` of that key file knows every vault it would leave behind.
fn write_sealer(key: &KeySource, db: &Location, tx: &WriteTx<'_>) -> Result<Sealer> {
    let first = !tx.has_key()?;
    let fernet = if first {
        let (fernet, created) = key.load_or_create()?;
        if let KeySource::Default(path) = key {
            tx.set_key_file_hint(path)?;
            if created {
                crate::notice::note(format!("created a new master key at {}", path.display()));
            }
        }
        fernet
    } else {
        load_key(key)?
    };
    let sealer = tx.sealer_for_write(fernet)?;
    // Best effort: a key directory this user cannot write (a mounted
    // secret) must not stop every write; rekey then cannot know.
    if let KeySource::Default(path) | KeySource::File(path) = key
        && let Some(file) = db.file()
        && let Err(e) = crate::key::record_vault(path, file)
        && matches!(key, KeySource::Default(_))
    {
        crate::notice::warn(format!("{e:#}; rekey cannot know this vault uses the key"));
    }
    if first {
        let shared = match key {
            KeySource::Default(_) => {
                " (the default key: every vault made without --key-file or TOKVAULT_KEY shares it)"
            }
            _ => "",
        };
        crate::notice::note(format!(
            "the vault {} is sealed with {}{shared}",
            db.shown(),
            key.describe()
        ));
    }
    Ok(sealer)
}
