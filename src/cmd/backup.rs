//! `export-vault` / `import-vault`: every credential, OAuth2 client and
//! helper route in one encrypted, portable file, and merging such a file
//! back; `migrate`: the same into another store.

use super::Vault;
use crate::Context;
use crate::app::Writer;
use crate::audit::{Access, Outcome};
use crate::cli::{ExportVaultArgs, ImportVaultArgs, MigrateArgs};
use crate::error;
use crate::key;
use crate::oauth::AuthMethod;
use crate::secret::Secret;
use crate::token::{TokenData, TokenType};
use crate::vault::{Client, ClientSecrets, NewCredential, Route, RouteKind};
use anyhow::{Context as _, Result};
use fernet::Fernet;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

const FORMAT: &str = "tokvault-export";
/// 1: one Fernet token holding everything. 2: a header line, then a Fernet
/// token a line, each a numbered chunk of the same export, the last
/// marked: written and read in the memory of one chunk.
const VERSION: u32 = 2;

/// Records in a chunk of a version 2 export.
const CHUNK: usize = 256;

/// The longest line of a version 2 export read: a chunk of large
/// credentials, and a bound on what a wrong file can take.
const MAX_LINE: u64 = 64 << 20;

/// The first line of a version 2 export.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    exported_at: i64,
    /// Random, in every chunk: chunks of another export are refused.
    export: String,
}

/// What each line of a version 2 export seals.
#[derive(Serialize)]
struct Chunk<'a> {
    export: &'a str,
    seq: u64,
    last: bool,
    clients: &'a [ClientRecord],
    credentials: &'a [CredentialRecord],
    routes: &'a [Route],
}

/// A chunk as read back, each entry still JSON (see `RawPayload`).
#[derive(Deserialize)]
struct RawChunk {
    export: String,
    seq: u64,
    last: bool,
    #[serde(flatten)]
    payload: RawPayload,
}

/// The file: a readable envelope around one Fernet token.
#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    exported_at: i64,
    payload: String,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    credentials: Vec<CredentialRecord>,
    clients: Vec<ClientRecord>,
    /// Which credential git and docker are answered with (absent from
    /// files written before routes were exported).
    #[serde(default)]
    routes: Vec<Route>,
}

/// `Debug` shows no secret: `TokenData` prints its field names only.
#[derive(Debug, Serialize, Deserialize)]
struct CredentialRecord {
    user: String,
    integration: String,
    provider: String,
    token_type: TokenType,
    scopes: Vec<String>,
    expires_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    /// The linked client, by name: ids are local to a vault.
    oauth2_client: Option<String>,
    client_credentials: bool,
    token_data: TokenData,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoked_at: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct ClientRecord {
    name: String,
    provider: Option<String>,
    token_url: String,
    auth_url: Option<String>,
    device_url: Option<String>,
    client_id: String,
    auth_method: AuthMethod,
    redirect_uri: Option<String>,
    scopes: Vec<String>,
    created_at: i64,
    updated_at: i64,
    /// client_secret, and a private_key_jwt client's key.
    #[serde(flatten)]
    secrets: ClientSecrets,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issuer: Option<String>,
    #[serde(default)]
    iss_required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revocation_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret_expires_at: Option<i64>,
}

/// A payload as read back: each entry still JSON, so that one entry this
/// tokvault refuses (or cannot read) never stops the others.
#[derive(Deserialize, Default)]
struct RawPayload {
    #[serde(default)]
    credentials: Vec<serde_json::Value>,
    #[serde(default)]
    clients: Vec<serde_json::Value>,
    #[serde(default)]
    routes: Vec<serde_json::Value>,
}

/// An entry of an export refused, with why (no value quoted).
type Refused = String;

/// Times in a record: none later than RFC 3339 can write.
fn check_time(t: i64) -> std::result::Result<(), String> {
    (t <= crate::time::MAX_EXPIRY)
        .then_some(())
        .ok_or_else(|| format!("a time later than {}", crate::time::MAX_EXPIRY_TEXT))
}

impl RawPayload {
    /// The entries `store`, `oauth2 add` and `map` would accept, and a line
    /// for each they would refuse. The file may come from anywhere.
    fn sort(self) -> (Payload, Vec<Refused>) {
        self.sort_with(&mut Vec::new())
    }

    /// `sort`, remembering in `refused_clients` the clients refused so far
    /// (a chunk's credentials may name a client of an earlier chunk).
    fn sort_with(self, refused_clients: &mut Vec<String>) -> (Payload, Vec<Refused>) {
        let mut refused = Vec::new();
        let mut payload = Payload {
            credentials: Vec::new(),
            clients: Vec::new(),
            routes: Vec::new(),
        };
        let label = |v: &serde_json::Value, field: &str| {
            v.get(field)
                .and_then(serde_json::Value::as_str)
                .map_or_else(|| "(unnamed)".to_string(), crate::text::excerpt)
        };
        for v in self.clients {
            let name = label(&v, "name");
            let what = format!("OAuth2 client '{name}'");
            match read_entry::<ClientRecord>(v).and_then(|c| c.check().map(|()| c)) {
                Ok(c) => payload.clients.push(c),
                Err(e) => {
                    refused.push(format!("refused {what}: {e}"));
                    refused_clients.push(name);
                }
            }
        }
        for v in self.credentials {
            let what = format!(
                "credential '{}' of user '{}'",
                label(&v, "integration"),
                label(&v, "user")
            );
            // Never linked to another client of the same name, nor to none.
            let client_refused = |c: &CredentialRecord| match &c.oauth2_client {
                Some(n) if refused_clients.contains(&crate::text::excerpt(n)) => Err(format!(
                    "its OAuth2 client '{}' was refused",
                    crate::text::excerpt(n)
                )),
                _ => Ok(()),
            };
            match read_entry::<CredentialRecord>(v)
                .and_then(|c| c.check().and_then(|()| client_refused(&c)).map(|()| c))
            {
                Ok(c) => payload.credentials.push(c),
                Err(e) => refused.push(format!("refused {what}: {e}")),
            }
        }
        for v in self.routes {
            let what = format!("route for '{}'", label(&v, "pattern"));
            match read_entry::<Route>(v).and_then(|r| r.check().map(|()| r)) {
                Ok(r) => payload.routes.push(r),
                Err(e) => refused.push(format!("refused {what}: {e}")),
            }
        }
        (payload, refused)
    }
}

fn read_entry<T: serde::de::DeserializeOwned>(
    v: serde_json::Value,
) -> std::result::Result<T, String> {
    serde_json::from_value(v).map_err(|e| crate::token::json_error(&e))
}

impl CredentialRecord {
    fn new_credential(&self, client: Option<i64>) -> NewCredential {
        NewCredential {
            oauth2_client: client,
            user: self.user.clone(),
            integration: self.integration.clone(),
            provider: self.provider.clone(),
            token_type: self.token_type,
            scopes: self.scopes.clone(),
            expires_at: self.expires_at,
            client_credentials: self.client_credentials,
        }
    }

    /// What `store` would refuse.
    fn check(&self) -> std::result::Result<(), String> {
        self.new_credential(None).check(&self.token_data)?;
        [self.created_at, self.updated_at]
            .into_iter()
            .try_for_each(check_time)
    }
}

impl ClientRecord {
    fn client(&self) -> Client {
        Client {
            id: 0,
            name: self.name.clone(),
            provider: self.provider.clone(),
            token_url: self.token_url.clone(),
            auth_url: self.auth_url.clone(),
            device_url: self.device_url.clone(),
            client_id: self.client_id.clone(),
            auth_method: self.auth_method,
            redirect_uri: self.redirect_uri.clone(),
            scopes: self.scopes.clone(),
            created_at: 0,
            updated_at: 0,
            version: 0,
            issuer: self.issuer.clone(),
            iss_required: self.iss_required,
            revocation_url: self.revocation_url.clone(),
            secret_expires_at: self.secret_expires_at,
        }
    }

    /// What `oauth2 add` would refuse.
    fn check(&self) -> std::result::Result<(), String> {
        self.client().check()?;
        [self.created_at, self.updated_at]
            .into_iter()
            .try_for_each(check_time)
    }
}

/// The key an export is encrypted with: the vault's own, the one in
/// `--to-key`, or a new one written there (0600) when that file does not
/// exist yet.
fn export_key(ctx: &Context, vault: &Vault, to_key: Option<&Path>) -> Result<key::MasterKey> {
    if let Some(path) = to_key
        && !path.exists()
    {
        let text = Secret::new(Fernet::generate_key());
        key::write_new_key_file(path, &text)?;
        eprintln!(
            "tokvault: created a new key in {} for this export; import it with --from-key {}",
            path.display(),
            path.display()
        );
        return key::parse(&text, "the new key");
    }
    file_key(ctx, Some(vault), to_key)
}

/// The key for the file: the vault's own, or the one in `path`.
fn file_key(ctx: &Context, vault: Option<&Vault>, path: Option<&Path>) -> Result<key::MasterKey> {
    match path {
        Some(p) => key::KeySource::File(p.to_owned())
            .load()?
            .ok_or_else(|| error::key(format!("key file {} does not exist", p.display()))),
        None => match vault {
            Some(_) => crate::app::load_key(ctx.key()),
            None => ctx.key().load()?.ok_or_else(|| {
                error::key(format!(
                    "no master key: {} does not exist",
                    ctx.key().describe()
                ))
            }),
        },
    }
}

pub fn export(args: &ExportVaultArgs, ctx: &Context) -> Result<()> {
    let mut vault = Vault::open(ctx, "vault to export")?;
    // No refresh in flight may commit a rotated token after the copy.
    let lock =
        vault.lock_all(|| eprintln!("tokvault: waiting for refreshes in progress to finish"))?;
    let key = export_key(ctx, &vault, args.to_key.as_deref())?;
    let file = crate::fsutil::create_private_file(&args.file)
        .with_context(|| format!("creating {} (it must not exist yet)", args.file.display()))?;
    let mut out = Exporter::new(file, key.fernet().clone(), ctx.now)?;
    let operation = vault.operation();
    let written = vault
        .write(|tx| {
            tx.record(&Access::vault(operation, Outcome::Served))?;
            read_records(tx, &mut |record| out.push(record))
        })
        .and_then(|()| out.finish());
    drop(lock);
    let counts = match written {
        Ok(counts) => counts,
        Err(e) => {
            // Never half an export: a file without its last chunk is refused anyway.
            let _ = std::fs::remove_file(&args.file);
            return Err(e);
        }
    };
    eprintln!("tokvault: exported {counts} to {}", args.file.display());
    Ok(())
}

/// Writes a version 2 export: the header, then a sealed chunk a line.
struct Exporter {
    out: std::io::BufWriter<std::fs::File>,
    fernet: Fernet,
    id: String,
    seq: u64,
    pending: Payload,
    counts: [usize; 3],
}

impl Exporter {
    fn new(file: std::fs::File, fernet: Fernet, now: i64) -> Result<Exporter> {
        let mut id = [0u8; 16];
        getrandom::getrandom(&mut id).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let mut out = std::io::BufWriter::new(file);
        serde_json::to_writer(
            &mut out,
            &Header {
                format: FORMAT.into(),
                version: VERSION,
                exported_at: now,
                export: id.clone(),
            },
        )?;
        out.write_all(b"\n")?;
        Ok(Exporter {
            out,
            fernet,
            id,
            seq: 0,
            pending: Payload {
                credentials: Vec::new(),
                clients: Vec::new(),
                routes: Vec::new(),
            },
            counts: [0; 3],
        })
    }

    fn push(&mut self, record: Record) -> Result<()> {
        let p = &mut self.pending;
        match record {
            Record::Client(c) => p.clients.push(c),
            Record::Credential(c) => p.credentials.push(c),
            Record::Route(r) => p.routes.push(r),
        }
        if p.clients.len() + p.credentials.len() + p.routes.len() >= CHUNK {
            self.seal(false)?;
        }
        Ok(())
    }

    fn seal(&mut self, last: bool) -> Result<()> {
        let p = &self.pending;
        let plain = Zeroizing::new(serde_json::to_vec(&Chunk {
            export: &self.id,
            seq: self.seq,
            last,
            clients: &p.clients,
            credentials: &p.credentials,
            routes: &p.routes,
        })?);
        self.out.write_all(self.fernet.encrypt(&plain).as_bytes())?;
        self.out.write_all(b"\n")?;
        for (count, n) in
            self.counts
                .iter_mut()
                .zip([p.credentials.len(), p.clients.len(), p.routes.len()])
        {
            *count += n;
        }
        self.seq += 1;
        self.pending.clients.clear();
        self.pending.credentials.clear();
        self.pending.routes.clear();
        Ok(())
    }

    /// The last chunk, synced; what was written, for people.
    fn finish(&mut self) -> Result<String> {
        self.seal(true)?;
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        let [credentials, clients, routes] = self.counts;
        Ok(format!(
            "{credentials} credential(s), {clients} OAuth2 client(s) and {routes} helper route(s)"
        ))
    }
}

/// `tokvault migrate --to DB`: every credential and client into another
/// store (SQLite file or PostgreSQL) in one transaction there, under the
/// same key. The target must hold no vault data; the source is left as
/// it is.
pub fn migrate(args: &MigrateArgs, ctx: &Context) -> Result<()> {
    let to = crate::vault::Location::parse(&args.to)?;
    // The same file under another spelling (./vault.db, a link) too: its
    // lock, held for the source, would wait for itself for ever.
    let same_file = || {
        let real = |p: &Path| std::fs::canonicalize(p).ok();
        match (to.file(), ctx.db().file()) {
            (Some(to), Some(from)) => real(to).is_some() && real(to) == real(from),
            _ => false,
        }
    };
    if to == *ctx.db() || same_file() {
        return Err(error::usage("--to names the vault being migrated"));
    }
    let mut source = Vault::open(ctx, "vault to migrate")?;
    // Held until the copy is committed: no refresh of the source may
    // rotate a token the target then holds a dead copy of.
    let _source_lock =
        source.lock_all(|| eprintln!("tokvault: waiting for refreshes in progress to finish"))?;
    let target_ctx = ctx.with_db(to.clone());
    let mut target = Vault::open_or_create(&target_ctx)?;
    let _lock =
        target.lock_all(|| eprintln!("tokvault: waiting for the target vault's refreshes"))?;
    // Each record goes straight into the target's transaction: a vault of
    // any size is copied in the memory of one page.
    let operation = source.operation();
    let counts = source.write(|from| {
        from.record(&Access::vault(operation, Outcome::Served))?;
        target.write(|tx| {
            if tx.has_key()? {
                return Err(anyhow::anyhow!(
                    "{} already holds a vault; migrate only fills an empty one (merge with export-vault and import-vault)",
                    to.shown()
                ));
            }
            let (mut clients, mut credentials, mut routes) = (0, 0, 0);
            let mut merge = Merge::new(tx, false, |_| {})?;
            read_records(from, &mut |record| match record {
                Record::Client(r) => {
                    clients += 1;
                    merge.client(tx, r)
                }
                Record::Credential(r) => {
                    credentials += 1;
                    merge.credential(tx, r)
                }
                Record::Route(r) => {
                    routes += 1;
                    merge.route(tx, r)
                }
            })?;
            let counts = format!(
                "{credentials} credential(s), {clients} OAuth2 client(s) and {routes} helper route(s)"
            );
            tx.record(&Access {
                detail: Some(format!("{counts} from {}", ctx.db().shown())),
                ..Access::vault("migrate", Outcome::Changed)
            })?;
            Ok(counts)
        })
    })?;
    eprintln!(
        "tokvault: migrated {counts} from {} to {}; \
         point --db / TOKVAULT_DB at it",
        ctx.db().shown(),
        to.shown()
    );
    Ok(())
}

/// One entry of a vault, with its secrets.
enum Record {
    Client(ClientRecord),
    Credential(CredentialRecord),
    Route(Route),
}

/// How many credentials are opened at a time.
const PAGE: i64 = 256;

/// Every client, then every credential (a page at a time: a vault of any
/// size is read in the memory of one page), then every route, opened with
/// their secrets and handed to `f`, which may write elsewhere.
fn read_records(tx: &Writer<'_, '_>, f: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
    let sealer = tx.sealer()?;
    let clients = tx.all_clients()?;
    let names: HashMap<i64, String> = clients
        .iter()
        .map(|(c, _)| (c.id, c.name.clone()))
        .collect();
    for (c, sealed) in clients {
        let secrets = tx.unseal_client(sealer, &c, &sealed)?;
        f(Record::Client(ClientRecord {
            name: c.name,
            provider: c.provider,
            token_url: c.token_url,
            auth_url: c.auth_url,
            device_url: c.device_url,
            client_id: c.client_id,
            auth_method: c.auth_method,
            redirect_uri: c.redirect_uri,
            scopes: c.scopes,
            created_at: c.created_at,
            updated_at: c.updated_at,
            secrets: secrets.clone(),
            issuer: c.issuer,
            iss_required: c.iss_required,
            revocation_url: c.revocation_url,
            secret_expires_at: c.secret_expires_at,
        }))?;
    }
    let mut after: Option<(String, String)> = None;
    loop {
        let page = tx.sealed_page(after.as_ref().map(|(u, n)| (u.as_str(), n.as_str())), PAGE)?;
        let Some((last, _)) = page.last() else { break };
        after = Some((last.user.clone(), last.integration.clone()));
        for (meta, sealed) in page {
            let token_data = tx.unseal(sealer, &meta, &sealed)?;
            f(Record::Credential(CredentialRecord {
                oauth2_client: meta.oauth2_client.and_then(|id| names.get(&id).cloned()),
                user: meta.user,
                integration: meta.integration,
                provider: meta.provider,
                token_type: meta.token_type,
                scopes: meta.scopes,
                expires_at: meta.expires_at,
                created_at: meta.created_at,
                updated_at: meta.updated_at,
                client_credentials: meta.client_credentials,
                revoked_at: meta.revoked_at,
                token_data,
            }))?;
        }
    }
    for kind in RouteKind::ALL {
        for route in tx.routes(kind)? {
            // Each route's seal is checked before it is carried over.
            if let Some(route) = tx.route(sealer, kind, &route.pattern)? {
                f(Record::Route(route))?;
            }
        }
    }
    Ok(())
}

/// The largest export file import-vault reads: room for about 200,000
/// credentials, and a bound on the memory a wrong path can take.
const MAX_EXPORT: u64 = 256 << 20;

pub fn import(args: &ImportVaultArgs, ctx: &Context) -> Result<()> {
    let shown = crate::text::clean(&args.file.display().to_string(), 300);
    let bad = |why: &str| error::usage(format!("{shown} is not a tokvault export: {why}"));
    let mut reader = open_export(&args.file)?;
    let first = read_line(&mut reader, 64 << 10).map_err(|e| match e {
        LineError::Long => bad("its first line is too long"),
        LineError::Io(e) => anyhow::Error::new(e).context(format!("reading {shown}")),
    })?;
    // Version 1 is one JSON document; 2 starts with a header line.
    let header = serde_json::from_slice::<Header>(&first)
        .ok()
        .filter(|h| h.version >= 2);
    let Some(header) = header else {
        drop(reader);
        return import_whole(args, ctx, &shown);
    };
    if header.format != FORMAT {
        return Err(bad("unknown format"));
    }
    if header.version > VERSION {
        return Err(bad(&format!(
            "version {} is newer than this tokvault knows",
            header.version
        )));
    }
    let existing = Vault::open_if_exists(ctx)?;
    let key = file_key(ctx, existing.as_ref(), args.from_key.as_deref())?;
    let mut chunks = Chunks {
        reader,
        fernet: key.fernet().clone(),
        export: header.export,
        seq: 0,
        done: false,
        shown: &shown,
    };
    // Into a new vault only what reads whole: a file cut short, or refused
    // under --strict, leaves no vault behind (a vault that exists rolls back).
    let mut first = Some(chunks.next_chunk()?);
    if existing.is_none() {
        let mut refused_clients = Vec::new();
        let mut check = Chunks {
            reader: open_export(&args.file)?,
            fernet: key.fernet().clone(),
            export: chunks.export.clone(),
            seq: 0,
            done: false,
            shown: &shown,
        };
        read_line(&mut check.reader, 64 << 10).ok();
        while !check.done {
            let (_, refused) = check.next_chunk()?.sort_with(&mut refused_clients);
            if args.strict && !refused.is_empty() {
                return Err(strict(&shown, &refused[0]));
            }
        }
    }
    let mut vault = match existing {
        Some(vault) => vault,
        None => Vault::open_or_create(ctx)?,
    };
    let _lock =
        vault.lock_all(|| eprintln!("tokvault: waiting for refreshes in progress to finish"))?;
    let report = std::cell::RefCell::new(Report::default());
    vault.write(|tx| {
        let mut merge = Merge::new(tx, args.replace, |line| report.borrow_mut().line(line))?;
        let mut refused_clients = Vec::new();
        loop {
            let raw = match first.take() {
                Some(raw) => raw,
                None if chunks.done => break,
                None => chunks.next_chunk()?,
            };
            let (payload, refused) = raw.sort_with(&mut refused_clients);
            if args.strict && !refused.is_empty() {
                return Err(strict(&shown, &refused[0]));
            }
            for r in payload.clients {
                merge.client(tx, r)?;
            }
            for r in payload.credentials {
                merge.credential(tx, r)?;
            }
            for r in payload.routes {
                merge.route(tx, r)?;
            }
            for line in refused {
                report.borrow_mut().refused(line);
            }
        }
        tx.record(&Access {
            detail: Some(format!("from {shown}")),
            ..Access::vault("import-vault", Outcome::Changed)
        })
    })?;
    report.into_inner().finish(&shown)
}

fn strict(shown: &str, first: &str) -> anyhow::Error {
    error::usage(format!("{shown}: {first}; nothing was imported (--strict)"))
}

fn open_export(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    let file = crate::fsutil::open_regular(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => error::usage(format!(
            "export file {} is not a regular file",
            path.display()
        )),
        _ => anyhow::Error::new(e).context(format!("reading export file {}", path.display())),
    })?;
    Ok(std::io::BufReader::new(file))
}

enum LineError {
    Long,
    Io(std::io::Error),
}

/// One line, without its line break, of at most `limit` bytes.
fn read_line(
    reader: &mut impl std::io::BufRead,
    limit: u64,
) -> std::result::Result<Zeroizing<Vec<u8>>, LineError> {
    use std::io::{BufRead, Read};
    let mut line = Zeroizing::new(Vec::new());
    reader
        .take(limit + 1)
        .read_until(b'\n', &mut line)
        .map_err(LineError::Io)?;
    if line.len() as u64 > limit {
        return Err(LineError::Long);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    Ok(line)
}

/// The chunks of a version 2 export, in order, each checked to be the
/// next one of this export.
struct Chunks<'a> {
    reader: std::io::BufReader<std::fs::File>,
    fernet: Fernet,
    export: String,
    seq: u64,
    done: bool,
    shown: &'a str,
}

impl Chunks<'_> {
    fn next_chunk(&mut self) -> Result<RawPayload> {
        let shown = self.shown;
        let bad = |why: &str| error::usage(format!("{shown} is not a tokvault export: {why}"));
        if self.done {
            return Err(bad("it goes on after its last chunk"));
        }
        let line = read_line(&mut self.reader, MAX_LINE).map_err(|e| match e {
            LineError::Long => bad(&format!("chunk {} is too long", self.seq + 1)),
            LineError::Io(e) => anyhow::Error::new(e).context(format!("reading {shown}")),
        })?;
        if line.is_empty() {
            return Err(bad(&format!(
                "it ends after {} chunk(s), before its last: the file was cut short",
                self.seq
            )));
        }
        let token = std::str::from_utf8(&line).map_err(|_| bad("a line is not text"))?;
        let plain = Zeroizing::new(
            self.fernet
                .decrypt_at_time(token, None, u64::MAX / 2)
                .map_err(|_| {
                    error::key(format!(
                        "the key does not open {shown} (or it was altered); pass the key it was \
                         exported with as --from-key"
                    ))
                })?,
        );
        let chunk: RawChunk =
            serde_json::from_slice(&plain).map_err(|e| bad(&crate::token::json_error(&e)))?;
        if chunk.export != self.export || chunk.seq != self.seq {
            return Err(bad(&format!(
                "chunk {} is not the next of this export (moved, or from another)",
                self.seq + 1
            )));
        }
        self.seq += 1;
        self.done = chunk.last;
        if self.done {
            // Nothing may follow the last chunk but the end.
            let rest = read_line(&mut self.reader, 16)
                .map_err(|_| bad("it goes on after its last chunk"))?;
            if !rest.is_empty() {
                return Err(bad("it goes on after its last chunk"));
            }
        }
        Ok(chunk.payload)
    }
}

/// What import-vault says: a line per entry, up to a bound, then counts,
/// so that a file of any size is reported in bounded memory.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    more: usize,
    refused: Vec<String>,
    more_refused: usize,
}

impl Report {
    const SHOWN: usize = 200;

    fn line(&mut self, line: String) {
        if self.lines.len() < Self::SHOWN {
            self.lines.push(line);
        } else {
            self.more += 1;
        }
    }

    fn refused(&mut self, line: String) {
        if self.refused.len() < Self::SHOWN {
            self.refused.push(line);
        } else {
            self.more_refused += 1;
        }
    }

    fn finish(self, shown: &str) -> Result<()> {
        for line in self.lines.iter().chain(&self.refused) {
            eprintln!("tokvault: {line}");
        }
        if self.more > 0 {
            eprintln!("tokvault: ... and {} more entries", self.more);
        }
        let refused = self.refused.len() + self.more_refused;
        if refused > 0 {
            eprintln!(
                "tokvault: error: {refused} entr{} of {shown} refused; the others were imported",
                if refused == 1 { "y" } else { "ies" },
            );
            return Err(error::Error::Exit(error::code::FAILURE).into());
        }
        Ok(())
    }
}

/// A version 1 export: one Fernet token, read whole.
fn import_whole(args: &ImportVaultArgs, ctx: &Context, shown: &str) -> Result<()> {
    let text = crate::input::text_file(&args.file, MAX_EXPORT, "export file")?;
    let bad = |why: &str| error::usage(format!("{shown} is not a tokvault export: {why}"));
    let envelope: Envelope =
        serde_json::from_str(&text).map_err(|e| bad(&crate::token::json_error(&e)))?;
    if envelope.format != FORMAT {
        return Err(bad("unknown format"));
    }
    if envelope.version > 1 {
        return Err(bad(&format!(
            "version {} is newer than this tokvault knows",
            envelope.version
        )));
    }
    let existing = Vault::open_if_exists(ctx)?;
    let key = file_key(ctx, existing.as_ref(), args.from_key.as_deref())?;
    let plain = Zeroizing::new(key.fernet().decrypt_at_time(&envelope.payload, None, u64::MAX / 2).map_err(|_| {
        error::key(format!(
            "the key does not open {shown} (or it was altered); pass the key it was exported with as --from-key",
        ))
    })?);
    let raw: RawPayload =
        serde_json::from_slice(&plain).map_err(|e| bad(&crate::token::json_error(&e)))?;
    let (payload, refused) = raw.sort();
    if args.strict && !refused.is_empty() {
        return Err(strict(shown, &refused[0]));
    }
    let mut vault = match existing {
        Some(vault) => vault,
        None => Vault::open_or_create(ctx)?,
    };
    let _lock =
        vault.lock_all(|| eprintln!("tokvault: waiting for refreshes in progress to finish"))?;
    let mut report = Report::default();
    vault.write(|tx| {
        write_payload(tx, payload, args.replace, &mut |line| report.line(line))?;
        tx.record(&Access {
            detail: Some(format!("from {shown}")),
            ..Access::vault("import-vault", Outcome::Changed)
        })
    })?;
    for line in refused {
        report.refused(line);
    }
    report.finish(shown)
}

/// Writes `payload` into the vault of `tx`; what exists is kept unless
/// `replace`. Says a line per record to `report`.
fn write_payload(
    tx: &Writer<'_, '_>,
    payload: Payload,
    replace: bool,
    report: &mut dyn FnMut(String),
) -> Result<()> {
    let mut merge = Merge::new(tx, replace, report)?;
    for r in payload.clients {
        merge.client(tx, r)?;
    }
    for r in payload.credentials {
        merge.credential(tx, r)?;
    }
    for r in payload.routes {
        merge.route(tx, r)?;
    }
    Ok(())
}

/// Records merged into a vault one at a time (clients first: credentials
/// name theirs), each reported in a line.
struct Merge<F: FnMut(String)> {
    ids: HashMap<String, i64>,
    replace: bool,
    report: F,
}

impl<F: FnMut(String)> Merge<F> {
    fn new(tx: &Writer<'_, '_>, replace: bool, report: F) -> Result<Self> {
        let ids = tx
            .all_clients()?
            .into_iter()
            .map(|(c, _)| (c.name.clone(), c.id))
            .collect();
        Ok(Merge {
            ids,
            replace,
            report,
        })
    }

    fn verb(replacing: bool) -> &'static str {
        if replacing { "replaced" } else { "imported" }
    }

    fn client(&mut self, tx: &Writer<'_, '_>, r: ClientRecord) -> Result<()> {
        let replacing = self.ids.contains_key(&r.name);
        if replacing && !self.replace {
            (self.report)(format!(
                "skipped OAuth2 client '{}': it exists (--replace overwrites)",
                r.name
            ));
            return Ok(());
        }
        let stored = tx.put_client_with_times(
            tx.sealer()?,
            &r.client(),
            &r.secrets,
            Some(r.created_at),
            r.updated_at,
        )?;
        self.ids.insert(r.name.clone(), stored.id);
        (self.report)(format!(
            "{} OAuth2 client '{}'",
            Self::verb(replacing),
            r.name
        ));
        Ok(())
    }

    fn credential(&mut self, tx: &Writer<'_, '_>, r: CredentialRecord) -> Result<()> {
        let sealer = tx.sealer()?;
        let what = format!("credential '{}' of user '{}'", r.integration, r.user);
        let replacing = tx.credential(&r.user, &r.integration)?.is_some();
        if replacing && !self.replace {
            (self.report)(format!("skipped {what}: it exists (--replace overwrites)"));
            return Ok(());
        }
        let client = r
            .oauth2_client
            .as_ref()
            .and_then(|n| self.ids.get(n).copied());
        let meta = tx.put_with_times(
            sealer,
            &r.new_credential(client),
            &r.token_data,
            Some(r.created_at),
            r.updated_at,
        )?;
        if let Some(at) = r.revoked_at {
            let (meta, sealed) = tx
                .credential(&meta.user, &meta.integration)?
                .ok_or_else(|| anyhow::anyhow!("{what} vanished while imported"))?;
            tx.mark_revoked(sealer, &meta, &sealed, at)?;
        }
        (self.report)(format!("{} {what}", Self::verb(replacing)));
        Ok(())
    }

    fn route(&mut self, tx: &Writer<'_, '_>, route: Route) -> Result<()> {
        let sealer = tx.sealer()?;
        let what = format!("{} route for {}", route.kind.as_str(), route.pattern);
        let replacing = tx.route(sealer, route.kind, &route.pattern)?.is_some();
        if replacing && !self.replace {
            (self.report)(format!("skipped {what}: it exists (--replace overwrites)"));
            return Ok(());
        }
        // As `map` does: a route only to a credential there is.
        if tx.credential(&route.user, &route.credential)?.is_none() {
            (self.report)(format!(
                "skipped {what}: credential '{}' of user '{}' is not in the vault",
                route.credential, route.user
            ));
            return Ok(());
        }
        tx.put_route(sealer, &route)?;
        (self.report)(format!("{} {what}", Self::verb(replacing)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn credential() -> impl Strategy<Value = CredentialRecord> {
        (
            "[a-z][a-z0-9.-]{0,20}",
            "[a-z]{1,8}",
            proptest::option::of(0i64..=crate::time::MAX_EXPIRY),
            0i64..4_000_000_000,
            "[!-~][ -~]{0,39}",
            proptest::option::of("[!-~][ -~]{0,39}"),
        )
            .prop_map(
                |(integration, provider, expires_at, created_at, secret, refresh)| {
                    let token_data = serde_json::from_value(serde_json::json!({
                        "access_token": secret,
                        "refresh_token": refresh,
                    }))
                    .unwrap();
                    CredentialRecord {
                        user: "default".into(),
                        integration,
                        provider,
                        token_type: TokenType::Oauth2,
                        scopes: vec!["a".into()],
                        expires_at,
                        created_at,
                        updated_at: created_at,
                        oauth2_client: None,
                        client_credentials: false,
                        token_data,
                        revoked_at: None,
                    }
                },
            )
    }

    fn route() -> impl Strategy<Value = Route> {
        (
            prop_oneof![Just(RouteKind::Git), Just(RouteKind::Docker)],
            "[a-z0-9.-]{1,30}(/[a-z0-9]{1,10})?",
            "[a-z][a-z0-9.-]{0,20}",
        )
            .prop_map(|(kind, pattern, credential)| Route {
                kind,
                pattern,
                user: "default".into(),
                credential,
                username: "x-access-token".into(),
            })
    }

    #[test]
    fn routes_map_would_refuse_are_refused() {
        let ok = Route {
            kind: RouteKind::Git,
            pattern: "github.com".into(),
            user: "default".into(),
            credential: "gh".into(),
            username: "x-access-token".into(),
        };
        let bad = [
            Route {
                pattern: "evil\x1b[2J.com".into(),
                ..ok.clone()
            },
            Route {
                pattern: "https://github.com".into(),
                ..ok.clone()
            },
            Route {
                pattern: String::new(),
                ..ok.clone()
            },
            Route {
                kind: RouteKind::Docker,
                pattern: "r".repeat(1025),
                ..ok.clone()
            },
            Route {
                credential: "a\nb".into(),
                ..ok.clone()
            },
            Route {
                username: " x".into(),
                ..ok.clone()
            },
        ];
        let sort = |routes: Vec<Route>| {
            RawPayload {
                credentials: vec![],
                clients: vec![],
                routes: routes
                    .iter()
                    .map(|r| serde_json::to_value(r).unwrap())
                    .collect(),
            }
            .sort()
        };
        let (kept, refused) = sort(vec![ok.clone()]);
        assert_eq!((kept.routes, refused.len()), (vec![ok.clone()], 0));
        for route in bad {
            let shown = format!("{route:?}");
            let (kept, refused) = sort(vec![ok.clone(), route]);
            assert_eq!(kept.routes, vec![ok.clone()], "{shown}");
            assert_eq!(refused.len(), 1, "{shown}");
            assert!(
                !refused[0].contains('\x1b') && !refused[0].contains('\n'),
                "{shown}: {refused:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn exports_read_back(
            credentials in prop::collection::vec(credential(), 0..5),
            routes in prop::collection::vec(route(), 0..3),
        ) {
            let payload = Payload { credentials, clients: vec![], routes };
            let text = serde_json::to_vec(&payload).unwrap();
            let (back, refused) = serde_json::from_slice::<RawPayload>(&text).unwrap().sort();
            prop_assert!(refused.is_empty(), "{:?}", refused);
            prop_assert_eq!(serde_json::to_vec(&back).unwrap(), text);
        }
    }
}
