//! The PostgreSQL store: one vault per schema of a database that many
//! machines share (`--db postgres://user@host/db[?vault=NAME]`).
//!
//! Secrets are sealed on the client exactly as in SQLite; the server sees
//! only metadata and Fernet blobs. Writers are serialised by a
//! transaction-level advisory lock (as SQLite's BEGIN IMMEDIATE does);
//! a credential's refresh lock is a session-level advisory lock, held
//! across the token request and released by the server the moment the
//! connection drops, however its process ends. One connection per process:
//! a fleet's processes, not twice as many, count against the server's
//! connection limit.

use super::backend::{Backend, Held, Lock};
use super::lock::Waiting;
use super::schema::{CURRENT, MIGRATIONS};
use super::sql::{Sql, Val};
use crate::error;
use anyhow::Result;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

/// How long a process waits for a lock another one holds (a refresh's
/// round trip, a rekey) before giving up.
const LOCK_TIMEOUT: &str = "60s";

/// Where a vault lives: the connection settings (password never shown)
/// and its schema.
#[derive(Clone)]
pub struct Location {
    config: postgres::Config,
    pub schema: String,
    /// The URL without its password, for messages.
    pub shown: String,
}

impl Location {
    /// A libpq-style URL; `vault=NAME` picks the schema `tokvault_NAME`
    /// (default `tokvault`). A password comes from the URL, PGPASSWORD or
    /// ~/.pgpass, as with libpq.
    pub fn parse(url: &str) -> Result<Location> {
        let bad = |why: &str| error::usage(format!("--db: not a PostgreSQL URL ({why})"));
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut kept = Vec::new();
        let mut vault = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("vault", name)) => vault = Some(name.to_string()),
                _ => kept.push(pair),
            }
        }
        let schema = match vault {
            None => "tokvault".to_string(),
            Some(name)
                if !name.is_empty()
                    && name.len() <= 40
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') =>
            {
                format!("tokvault_{name}")
            }
            Some(_) => return Err(bad("vault= takes lower-case letters, digits and _")),
        };
        let rebuilt = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config: postgres::Config = rebuilt
            .parse()
            .map_err(|e: postgres::Error| bad(&crate::text::excerpt(&e.to_string())))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        // libpq's default, `prefer`, lets whoever sits between this machine
        // and another one refuse TLS and then ask for the password in the
        // clear. Off this machine, TLS is required unless the URL says
        // otherwise.
        let mode_given = kept.iter().any(|p| p.starts_with("sslmode="));
        let remote = config.get_hosts().iter().any(|h| match h {
            postgres::config::Host::Tcp(name) => !crate::http::is_loopback(name),
            postgres::config::Host::Unix(_) => false,
        });
        if remote && !mode_given {
            config.ssl_mode(postgres::config::SslMode::Require);
        }
        // And on ours: a server that vanished is noticed.
        config.keepalives_idle(Duration::from_secs(15));
        if config.get_password().is_none() {
            if let Some(pw) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
                config.password(pw.to_string_lossy().as_bytes());
            } else if let Some(pw) = pgpass(&config) {
                config.password(pw.as_bytes());
            }
        }
        let shown = super::Location::Database(url.to_string()).shown();
        Ok(Location {
            config,
            schema,
            shown,
        })
    }

    /// Connects: over TLS verified against the system's roots (and
    /// SSL_CERT_FILE) unless `sslmode=disable`; `require` (the default for
    /// another machine) insists on it, `prefer` (the default on this one)
    /// uses it when the server offers it. A unix socket never uses TLS, as
    /// with libpq.
    pub fn connect(&self) -> Result<Client> {
        let local = self
            .config
            .get_hosts()
            .iter()
            .all(|h| matches!(h, postgres::config::Host::Unix(_)));
        let connected = match self.config.get_ssl_mode() {
            postgres::config::SslMode::Disable => self.config.connect(NoTls),
            _ if local => self.config.connect(NoTls),
            _ => self.config.connect(tls()?),
        };
        let mut client = connected.map_err(|e| connect_error(&self.shown, &e))?;
        // Keepalives on the server's side: a machine that drops off the
        // network loses its locks within about 30 s, not the system's 2 h.
        client
            .batch_execute(&format!(
                "SET lock_timeout = '{LOCK_TIMEOUT}'; SET search_path = \"{}\"; \
                 SET tcp_keepalives_idle = 15; SET tcp_keepalives_interval = 5; \
                 SET tcp_keepalives_count = 3",
                self.schema
            ))
            .map_err(|e| pg_error(&self.shown, e))?;
        Ok(client)
    }

    /// An advisory-lock key for `parts` in this vault.
    pub fn lock_key(&self, parts: &[&str]) -> i64 {
        let mut hash = Sha256::new();
        hash.update(self.schema.as_bytes());
        for p in parts {
            hash.update([0]);
            hash.update(p.as_bytes());
        }
        let digest = hash.finalize();
        i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
    }
}

fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| anyhow::anyhow!("setting up TLS for the vault database: {e}"))?
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The password for this connection in ~/.pgpass (or PGPASSFILE), whose
/// lines are `host:port:database:user:password` with `*` for any, as with
/// libpq: ignored (with a warning) when others may read it.
fn pgpass(config: &postgres::Config) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".pgpass"))
        })?;
    let mode = std::fs::metadata(&path).ok()?.permissions().mode();
    if mode & 0o077 != 0 {
        crate::notice::warn(format!(
            "{} is not used: others may read it (chmod 600 it)",
            path.display()
        ));
        return None;
    }
    let text = crate::input::text_file(&path, 64 << 10, "password file").ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let db = config.get_dbname().unwrap_or(&user).to_string();
    password_for(&text, [&host, &port, &db, &user])
}

/// The password of the first `.pgpass` line whose host, port, database and
/// user match `want` (`*` matches anything); `\` escapes `:` and `\`.
fn password_for(text: &str, want: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            let [h, p, d, u, pw] = fields.as_slice() else {
                return None;
            };
            let matches = |field: &(String, bool), want: &str| {
                (field.0 == "*" && !field.1) || field.0 == want
            };
            (matches(h, want[0])
                && matches(p, want[1])
                && matches(d, want[2])
                && matches(u, want[3]))
            .then(|| pw.0.clone())
        })
}

/// A `.pgpass` line's fields, unescaped: the first four split at unescaped
/// colons, the password the rest of the line. With each, whether it held
/// an escape (an escaped `\*` is a literal star, not "any").
fn pgpass_fields(line: &str) -> Vec<(String, bool)> {
    let mut fields = vec![(String::new(), false)];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == ':' && fields.len() < 5 {
            fields.push((String::new(), false));
            continue;
        }
        let field = fields.last_mut().expect("never empty");
        if c == '\\' {
            field.1 = true;
            field.0.extend(chars.next());
        } else {
            field.0.push(c);
        }
    }
    fields
}

fn connect_error(shown: &str, e: &postgres::Error) -> anyhow::Error {
    if let Some(db) = e.as_db_error() {
        let message = crate::text::excerpt(db.message());
        // Class 28: the role or its password (a key, as the master key is).
        if db.code().code().starts_with("28") {
            return error::key(format!(
                "the vault database {shown} refused the login: {message}"
            ));
        }
        return error::Error::Network(format!(
            "network: the vault database {shown} refused the connection: {message}"
        ))
        .into();
    }
    // The TLS or I/O cause is in the source chain, not in the message.
    let mut why = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        why.push_str(": ");
        why.push_str(&cause.to_string());
        source = cause.source();
    }
    // The driver's only word for it: the server asked for a password and
    // none was given.
    if why.contains("password missing") {
        return error::key(format!(
            "the vault database {shown} asks for a password: set PGPASSWORD or add it to ~/.pgpass"
        ));
    }
    error::Error::Network(format!(
        "network: cannot reach the vault database {shown}: {}",
        crate::text::excerpt(&why)
    ))
    .into()
}

/// A failed statement, as an exit code and one line.
pub fn pg_error(shown: &str, e: postgres::Error) -> anyhow::Error {
    use postgres::error::SqlState;
    if e.is_closed() || e.as_db_error().is_none() && e.code().is_none() {
        return error::Error::Network(format!(
            "network: the connection to the vault database {shown} was lost ({})",
            crate::text::excerpt(&e.to_string())
        ))
        .into();
    }
    let message = e
        .as_db_error()
        .map(|d| crate::text::excerpt(d.message()))
        .unwrap_or_else(|| crate::text::excerpt(&e.to_string()));
    let class = e.code().map(|c| c.code().to_string()).unwrap_or_default();
    // Connection trouble, a server shutting down, no resources: the network.
    if class.starts_with("08") || class.starts_with("57P") || class.starts_with("53") {
        return error::Error::Network(format!("network: the vault database {shown}: {message}"))
            .into();
    }
    match e.code() {
        Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => anyhow::anyhow!(
            "the vault database {shown} refused: {message} (the role needs to use the vault's schema)"
        ),
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::QUERY_CANCELED => {
            anyhow::anyhow!("the vault {shown} stayed locked by another process ({message})")
        }
        Some(c)
            if *c == SqlState::UNDEFINED_TABLE
                || *c == SqlState::UNDEFINED_COLUMN
                || *c == SqlState::DATATYPE_MISMATCH =>
        {
            error::vault(format!(
                "the vault {shown} is damaged: its schema is not what this tokvault wrote ({message})"
            ))
        }
        _ => anyhow::anyhow!("the vault database {shown}: {message}"),
    }
}

/// One connection to a vault's schema, with its prepared statements.
pub struct PgStore {
    pub client: Rc<RefCell<Client>>,
    statements: RefCell<HashMap<String, Statement>>,
    pub location: Location,
}

impl PgStore {
    /// Connects; `Ok(None)` when the database holds no vault of that name
    /// and `create` is false.
    pub fn open(location: Location, create: bool) -> Result<Option<PgStore>> {
        let mut client = location.connect()?;
        let shown = location.shown.clone();
        let err = |e| pg_error(&shown, e);
        let exists = schema_exists(&mut client, &location.schema).map_err(err)?;
        if !exists && !create {
            return Ok(None);
        }
        let store = PgStore {
            client: Rc::new(RefCell::new(client)),
            statements: RefCell::default(),
            location,
        };
        store.ensure_schema()?;
        Ok(Some(store))
    }

    /// Creates the schema, or migrates it to this tokvault's version (once,
    /// whoever races: under an advisory lock, the version read again).
    fn ensure_schema(&self) -> Result<()> {
        let shown = &self.location.shown;
        let schema = &self.location.schema;
        let err = |e| pg_error(shown, e);
        let mut client = self.client.borrow_mut();
        if schema_exists(&mut *client, schema).map_err(err)? {
            let usable = client
                .query_one("SELECT has_schema_privilege($1, 'USAGE')", &[schema])
                .map_err(err)?
                .get::<_, bool>(0);
            if !usable {
                return Err(anyhow::anyhow!(
                    "the vault database {shown} refused: permission denied for schema {schema} \
                     (grant the role USAGE on it and rights on its tables)"
                ));
            }
            if check_version(shown, version(&mut *client, schema).map_err(err)?)? == CURRENT {
                return Ok(());
            }
        }
        let mut tx = client.transaction().map_err(err)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[&self.location.lock_key(&["schema"])],
        )
        .map_err(err)?;
        let from = if schema_exists(&mut tx, schema).map_err(err)? {
            check_version(shown, version(&mut tx, schema).map_err(err)?)?
        } else {
            tx.batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
                .map_err(err)?;
            0
        };
        tx.batch_execute(&format!("SET LOCAL search_path = \"{schema}\""))
            .map_err(err)?;
        for migration in &MIGRATIONS[from as usize..] {
            tx.batch_execute(migration.postgres).map_err(err)?;
        }
        tx.execute(
            "INSERT INTO meta (name, value) VALUES ('schema_version', $1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &[&CURRENT.to_string()],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// Runs `f` in a transaction that holds the vault's write lock.
    fn transaction<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let shown = &self.location.shown;
        self.client
            .borrow_mut()
            .execute("BEGIN ISOLATION LEVEL READ COMMITTED", &[])
            .map_err(|e| pg_error(shown, e))?;
        let locked = self
            .client
            .borrow_mut()
            .execute(
                "SELECT pg_advisory_xact_lock($1)",
                &[&self.location.lock_key(&["write"])],
            )
            .map_err(|e| pg_error(shown, e));
        let result = locked.and_then(|_| f());
        match result {
            Ok(value) => {
                self.client
                    .borrow_mut()
                    .execute("COMMIT", &[])
                    .map_err(|e| pg_error(shown, e))?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.client.borrow_mut().execute("ROLLBACK", &[]);
                Err(e)
            }
        }
    }

    fn statement(&self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let translated = numbered(sql);
        let stmt = self.client.borrow_mut().prepare(&translated)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    fn params(stmt: &Statement, params: &[Val]) -> Vec<Box<dyn ToSql + Sync>> {
        params
            .iter()
            .zip(stmt.params())
            .map(|(v, ty)| -> Box<dyn ToSql + Sync> {
                let int = *ty == Type::INT8 || *ty == Type::INT4 || *ty == Type::INT2;
                match (v, int) {
                    (Val::Int(i), true) if *ty == Type::INT4 => Box::new(*i as i32),
                    (Val::Int(i), true) if *ty == Type::INT2 => Box::new(*i as i16),
                    (Val::Int(i), true) => Box::new(*i),
                    (Val::Int(i), false) => Box::new(i.to_string()),
                    (Val::Text(t), false) => Box::new(t.clone()),
                    (Val::Text(t), true) => Box::new(t.parse::<i64>().ok()),
                    (Val::Null | Val::Other, true) => Box::new(None::<i64>),
                    (Val::Null | Val::Other, false) => Box::new(None::<String>),
                }
            })
            .collect()
    }
}

fn schema_exists(
    client: &mut impl postgres::GenericClient,
    schema: &str,
) -> Result<bool, postgres::Error> {
    let row = client.query_one(
        "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = $1",
        &[&schema],
    )?;
    Ok(row.get::<_, i64>(0) > 0)
}

/// The schema version a vault's `meta` table records: None when there is
/// no such table or no readable number in it (not a vault of ours).
fn version(
    client: &mut impl postgres::GenericClient,
    schema: &str,
) -> Result<Option<i64>, postgres::Error> {
    let has_meta = client
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'meta'",
            &[&schema],
        )?
        .get::<_, i64>(0)
        > 0;
    if !has_meta {
        return Ok(None);
    }
    let row = client.query_opt(
        &format!("SELECT value FROM \"{schema}\".meta WHERE name = 'schema_version'"),
        &[],
    )?;
    // A table of someone else's may hold anything there: never `get`,
    // which panics on a type it did not expect.
    Ok(row.and_then(|r| r.try_get::<_, String>(0).ok()?.parse().ok()))
}

/// A version this tokvault can use or migrate from.
fn check_version(shown: &str, version: Option<i64>) -> Result<i64> {
    match version {
        Some(v) if v > CURRENT => Err(error::vault(format!(
            "the vault {shown} was written by a newer tokvault (schema {v}; this one knows up to \
             {CURRENT}); upgrade tokvault to use it"
        ))),
        Some(v) if v >= 1 => Ok(v),
        _ => Err(error::vault(format!(
            "the schema of {shown} is not a tokvault vault (it has no schema version); refusing to touch it"
        ))),
    }
}

/// `?1` → `$1`: statements are written once for both stores.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

impl Sql for PgStore {
    fn each(
        &self,
        sql: &str,
        params: &[Val],
        each: &mut dyn FnMut(Vec<Val>) -> Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let shown = &self.location.shown;
        let stmt = self.statement(sql).map_err(|e| pg_error(shown, e))?;
        let boxed = Self::params(&stmt, params);
        let mut client = self.client.borrow_mut();
        // Streamed from the server as they come, not collected first.
        let mut rows = client
            .query_raw(&stmt, boxed.iter().map(|b| b.as_ref() as &dyn ToSql))
            .map_err(|e| pg_error(shown, e))?;
        while let Some(row) = rows.next().map_err(|e| pg_error(shown, e))? {
            each(value_row(&row))?;
        }
        Ok(())
    }

    fn execute(&self, sql: &str, params: &[Val]) -> Result<u64> {
        let shown = &self.location.shown;
        let stmt = self.statement(sql).map_err(|e| pg_error(shown, e))?;
        let boxed = Self::params(&stmt, params);
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
        self.client
            .borrow_mut()
            .execute(&stmt, &refs)
            .map_err(|e| pg_error(shown, e))
    }

    /// A key that compares as `text::natural_cmp` in byte order: each run
    /// of digits as its length (four digits) and its digits without
    /// leading zeros; a digit still meets any other character as a digit.
    fn natural(&self, column: &str) -> String {
        format!(
            "(SELECT coalesce(string_agg(CASE WHEN r.m[1] ~ '^[0-9]' \
               THEN lpad(length(ltrim(r.m[1], '0'))::text, 4, '0') || ltrim(r.m[1], '0') \
               ELSE r.m[1] END, '' ORDER BY r.n), '') \
             FROM regexp_matches({column}, '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS r(m, n)) \
             COLLATE \"C\""
        )
    }
}

/// A row in the few types the schema uses; anything else is `Other`.
fn value_row(row: &postgres::Row) -> Vec<Val> {
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            if *ty == Type::INT8 {
                row.get::<_, Option<i64>>(i).map_or(Val::Null, Val::Int)
            } else if *ty == Type::INT4 {
                row.get::<_, Option<i32>>(i)
                    .map_or(Val::Null, |v| Val::Int(v.into()))
            } else if *ty == Type::BOOL {
                row.get::<_, Option<bool>>(i).map_or(Val::Null, Val::from)
            } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                row.get::<_, Option<String>>(i).map_or(Val::Null, Val::Text)
            } else {
                Val::Other
            }
        })
        .collect()
}

impl Backend for PgStore {
    fn sql(&self) -> &dyn Sql {
        self
    }

    fn write(&mut self, f: &mut dyn FnMut(&dyn Sql) -> Result<()>) -> Result<()> {
        let this: &PgStore = self;
        this.transaction(|| f(this))
    }

    fn lock(&self, what: Lock<'_>, waiting: &mut dyn FnMut(Waiting)) -> Result<Held> {
        let l = &self.location;
        let vault = [l.lock_key(&["vault"])];
        let held = match what {
            Lock::Credential { user, name } => lock(
                self,
                &vault,
                &[l.lock_key(&["credential", user, name])],
                || waiting(Waiting::Credential),
            )?,
            Lock::Vault => lock(self, &[], &vault, || waiting(Waiting::Vault))?,
            Lock::NoRekey => lock(self, &vault, &[], || waiting(Waiting::Vault))?,
        };
        Ok(Box::new(held))
    }

    fn connection_lost(&self) -> bool {
        self.client.borrow().is_closed()
    }

    fn reconnect(&mut self) -> Result<()> {
        *self = PgStore::open(self.location.clone(), false)?
            .ok_or_else(|| error::vault(format!("the vault {} is gone", self.location.shown)))?;
        Ok(())
    }
}

/// Held advisory locks (key, shared), released on drop (or by the server
/// when the connection drops first).
pub struct PgLock {
    client: Rc<RefCell<Client>>,
    held: Vec<(i64, bool)>,
}

impl Drop for PgLock {
    fn drop(&mut self) {
        let mut client = self.client.borrow_mut();
        for (key, shared) in self.held.iter().rev() {
            let sql = if *shared {
                "SELECT pg_advisory_unlock_shared($1)"
            } else {
                "SELECT pg_advisory_unlock($1)"
            };
            let _ = client.execute(sql, &[key]);
        }
    }
}

/// Takes advisory locks on the store's connection: `shared` keys in
/// shared mode, `exclusive` ones exclusively. `waiting` is called before
/// blocking, if the locks are not free at once.
pub fn lock(
    store: &PgStore,
    shared: &[i64],
    exclusive: &[i64],
    waiting: impl FnOnce(),
) -> Result<PgLock> {
    if let Some(held) = take(store, shared, exclusive, false)? {
        return Ok(held);
    }
    waiting();
    take(store, shared, exclusive, true)?
        .ok_or_else(|| anyhow::anyhow!("a blocking advisory lock was not taken"))
}

/// Takes every lock in order, waiting for each when `wait`; otherwise
/// None (what was taken given back) as soon as one is busy.
fn take(store: &PgStore, shared: &[i64], exclusive: &[i64], wait: bool) -> Result<Option<PgLock>> {
    let shown = &store.location.shown;
    let mut lock = PgLock {
        client: store.client.clone(),
        held: Vec::new(),
    };
    let keys = shared.iter().map(|k| (*k, true));
    for (key, is_shared) in keys.chain(exclusive.iter().map(|k| (*k, false))) {
        let sql = match (is_shared, wait) {
            (true, false) => "SELECT pg_try_advisory_lock_shared($1)",
            (false, false) => "SELECT pg_try_advisory_lock($1)",
            (true, true) => "SELECT true FROM pg_advisory_lock_shared($1)",
            (false, true) => "SELECT true FROM pg_advisory_lock($1)",
        };
        let got: bool = store
            .client
            .borrow_mut()
            .query_one(sql, &[&key])
            .map_err(|e| pg_error(shown, e))?
            .get(0);
        if !got {
            return Ok(None);
        }
        lock.held.push((key, is_shared));
    }
    Ok(Some(lock))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tls_is_required_off_this_machine_unless_the_url_says_otherwise() {
        use postgres::config::SslMode;
        for (url, mode) in [
            ("postgres://me@db.example/x", SslMode::Require),
            ("postgres://me@10.0.0.5:5433/x?vault=ci", SslMode::Require),
            (
                "postgres://me@db.example/x?sslmode=disable",
                SslMode::Disable,
            ),
            ("postgres://me@db.example/x?sslmode=prefer", SslMode::Prefer),
            ("postgres://me@127.0.0.1/x", SslMode::Prefer),
            ("postgres://me@localhost/x", SslMode::Prefer),
            ("postgres://me@[::1]/x", SslMode::Prefer),
            ("postgres://me@%2Frun%2Fpostgresql/x", SslMode::Prefer),
        ] {
            let l = Location::parse(url).unwrap();
            assert_eq!(l.config.get_ssl_mode(), mode, "{url}");
        }
    }

    #[test]
    fn pgpass_lines() {
        let want = ["db.example", "5432", "tv", "me"];
        let file = "# comment\n\
                    other:5432:tv:me:no\n\
                    db.example:*:tv:me:pa\\:ss\\\\word:with:colons\n";
        assert_eq!(
            password_for(file, want).as_deref(),
            Some("pa:ss\\word:with:colons")
        );
        // An escaped star is a star, not "any".
        assert_eq!(password_for("\\*:*:*:*:x\n", want), None);
        assert_eq!(password_for("*:*:*:*:x", want).as_deref(), Some("x"));
        // Too few fields: no line matches.
        assert_eq!(password_for("db.example:5432:tv:me\n", want), None);
        assert_eq!(password_for("", want), None);
    }

    proptest! {
        #[test]
        fn a_password_in_a_url_is_never_shown(
            password in "[!-~]{8,30}",
            query in "(\\?sslmode=require)?",
        ) {
            let url = format!("postgres://me:{password}@db.example:5432/team{query}");
            let shown = super::super::Location::Database(url.clone()).shown();
            prop_assert_eq!(shown, format!("postgres://me@db.example:5432/team{query}"));
        }

        #[test]
        fn pgpass_escapes_read_back(fields in prop::array::uniform5("[ -~]{0,12}")) {
            let escape = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
            let line = fields.iter().map(|f| escape(f)).collect::<Vec<_>>().join(":");
            let back: Vec<String> = pgpass_fields(&line).into_iter().map(|f| f.0).collect();
            prop_assert_eq!(back, fields.to_vec());
        }
    }

    #[test]
    fn urls() {
        let l =
            Location::parse("postgres://me:secret@db.example:5433/team?vault=ci&sslmode=disable")
                .unwrap();
        assert_eq!(l.schema, "tokvault_ci");
        assert!(!l.shown.contains("secret"), "{}", l.shown);
        assert!(l.shown.contains("vault=ci"));
        assert_eq!(
            Location::parse("postgres://me@h/db").unwrap().schema,
            "tokvault"
        );
        assert!(Location::parse("postgres://me@h/db?vault=Bad-Name").is_err());
        assert!(Location::parse("postgres://me@h/db?nonsense=1").is_err());
        let l = Location::parse("postgres://me@h/db?password=hunter2&sslmode=disable").unwrap();
        assert!(
            !l.shown.contains("hunter2") && l.shown.contains("sslmode"),
            "{}",
            l.shown
        );
        let shown =
            super::super::Location::Database("postgres://me:pw1@h/db?PASSWORD=pw2".into()).shown();
        assert!(!shown.contains("pw1") && !shown.contains("pw2"), "{shown}");
        // Passwords with `/` or `@` in them, as generated ones have.
        for (url, expected) in [
            ("postgres://me:ab/cd@db/team", "postgres://me@db/team"),
            ("postgres://me:p@ss@h/db", "postgres://me@h/db"),
            (
                "postgres://me:a/b@c@h:5433/db?vault=x",
                "postgres://me@h:5433/db?vault=x",
            ),
            (
                "postgres://me@h/db?application_name=a@b",
                "postgres://me@h/db?application_name=a@b",
            ),
            ("postgres://h/db", "postgres://h/db"),
        ] {
            assert_eq!(
                super::super::Location::Database(url.to_string()).shown(),
                expected
            );
        }
        assert_eq!(
            numbered("a = ?1 AND b = ?12 OR ?"),
            "a = $1 AND b = $12 OR ?"
        );
    }
}
