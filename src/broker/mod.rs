//! A local credential broker: tokens handed out the way each cloud's own
//! SDKs ask their platform for them (the AWS container credential
//! provider, Google's metadata server, Azure's managed-identity endpoint),
//! renewed by tokvault when due.
//!
//! Tokens are read through the same `Resolver` as `get` (refresh with its
//! single flight across processes, the audit log), and kept in memory for
//! at most `REVALIDATE`: a request in between is answered from memory, so
//! a busy SDK costs nothing, and a credential changed, deleted or rekeyed
//! in the vault is seen within a second. Nothing here prints: the access
//! log goes to the writer the command hands in.

mod aws;
mod azure;
mod gcp;
mod peer;
pub mod request;
pub mod server;
mod tokens_api;

use crate::error::{self, code};
use crate::grants::{Grant, Proto};
use crate::refresh::{Asked, Fresh};
use crate::resolve::{Freshness, Resolver};
use crate::secret::Secret;
use crate::session::Context;
use anyhow::Result;
use request::Request;
use server::{Peer, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Variables a client reads to find the broker, with their values.
pub type ClientEnv = Vec<(&'static str, Secret)>;

/// A token handed out is renewed first when it expires within this long:
/// the SDKs renew 4 to 15 minutes before the end, and each is handed a
/// token it will not consider expiring at once.
const RENEW_WITHIN: i64 = 900;
/// How long a token read from the vault is answered from memory before it
/// is read again.
const REVALIDATE: Duration = Duration::from_secs(1);
/// The lease on a token that never expires (an AWS key): the SDK asks
/// again this often, and so sees a rotated key.
const LEASE_SECS: i64 = 3600;

/// A token as last read, and when.
struct Cached {
    fresh: Arc<Fresh>,
    read: Instant,
}

pub struct Broker {
    ctx: Context,
    aws: Option<(String, Secret)>,
    gcp: Option<gcp::Grant>,
    azure: Option<(String, Secret)>,
    cache: Mutex<HashMap<String, Cached>>,
    /// One reader of the vault at a time for each token kept: sixteen
    /// clients of an expired token cause one read (and one refresh), not
    /// sixteen, and a slow provider holds up only its own token's clients.
    filling: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    log: Option<Mutex<Box<dyn Write + Send>>>,
    /// The Tokens API's keys, when it is served.
    api_keys: Option<Vec<Secret>>,
}

/// What a broker is told at start.
pub struct Settings {
    pub grants: Vec<Grant>,
    pub gcp_project: Option<String>,
    pub log: Option<Box<dyn Write + Send>>,
    /// Serve the Tokens API to requests with one of these `X-API-Key`s.
    pub api_keys: Option<Vec<Secret>>,
}

impl Broker {
    /// A broker for `grants`, each credential read once now, so that a name
    /// that is missing or of the wrong kind for its protocol fails at start.
    pub fn new(ctx: &Context, settings: Settings) -> Result<Broker> {
        let mut broker = Broker {
            ctx: ctx.clone(),
            aws: None,
            gcp: None,
            azure: None,
            cache: Mutex::new(HashMap::new()),
            filling: Mutex::new(HashMap::new()),
            log: settings.log.map(Mutex::new),
            api_keys: settings.api_keys,
        };
        if broker.api_keys.as_ref().is_some_and(Vec::is_empty) {
            return Err(error::usage("the Tokens API needs at least one API key"));
        }
        for grant in &settings.grants {
            let twice = match grant.proto {
                Proto::Aws => broker.aws.is_some(),
                Proto::Gcp => broker.gcp.is_some(),
                Proto::Azure => broker.azure.is_some(),
            };
            if twice {
                return Err(error::usage(format!(
                    "{} is granted twice: a broker hands out one credential per protocol",
                    grant.proto.as_str()
                )));
            }
            let fresh = broker.fresh(grant.proto, &grant.name)?;
            let kind = match grant.proto {
                Proto::Aws => aws::check(&fresh),
                Proto::Gcp => gcp::check(&fresh),
                Proto::Azure => azure::check(&fresh),
            };
            kind.map_err(|why| {
                error::usage(format!(
                    "--serve {}={}: {why}",
                    grant.proto.as_str(),
                    grant.name
                ))
            })?;
            match grant.proto {
                Proto::Aws => {
                    broker.aws = Some((grant.name.clone(), crate::oauth::pkce::random(32)))
                }
                Proto::Gcp => {
                    broker.gcp = Some(gcp::Grant::new(
                        &grant.name,
                        &fresh,
                        settings.gcp_project.clone(),
                    ));
                }
                Proto::Azure => {
                    broker.azure = Some((grant.name.clone(), crate::oauth::pkce::random(32)))
                }
            }
        }
        if settings.gcp_project.is_some() && broker.gcp.is_none() {
            return Err(error::usage(
                "--gcp-project is for a gcp grant, and there is none",
            ));
        }
        Ok(broker)
    }

    /// The variables a client's SDK reads to find this broker at `address`
    /// (`127.0.0.1:PORT`), with their values.
    pub fn client_env(&self, address: &str) -> ClientEnv {
        let mut env = Vec::new();
        if let Some((_, token)) = &self.aws {
            env.push((
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                Secret::new(format!("http://{address}{}", aws::PATH)),
            ));
            env.push(("AWS_CONTAINER_AUTHORIZATION_TOKEN", token.clone()));
            // The SDKs read ~/.aws/credentials before the container
            // provider: its keys would win over the broker's.
            env.push(("AWS_SHARED_CREDENTIALS_FILE", Secret::new("/dev/null")));
        }
        if self.gcp.is_some() {
            env.push(("GCE_METADATA_HOST", Secret::new(address)));
            env.push(("GCE_METADATA_IP", Secret::new(address)));
        }
        if let Some((_, header)) = &self.azure {
            env.push((
                "IDENTITY_ENDPOINT",
                Secret::new(format!("http://{address}{}", azure::PATH)),
            ));
            env.push(("IDENTITY_HEADER", header.clone()));
        }
        env
    }

    /// Variables that would make a client's SDK look elsewhere before the
    /// broker, for the protocols granted.
    pub fn shadowing_env(&self) -> Vec<&'static str> {
        let mut vars = Vec::new();
        if self.aws.is_some() {
            vars.extend(aws::SHADOWING);
        }
        if self.gcp.is_some() {
            vars.extend(gcp::SHADOWING);
        }
        if self.azure.is_some() {
            vars.extend(azure::SHADOWING);
        }
        vars
    }

    /// The credential behind `proto`, from memory if it was read less than
    /// REVALIDATE ago (or the vault cannot be read now and it is still
    /// valid), else from the vault, refreshed when due.
    fn fresh(&self, proto: Proto, name: &str) -> Result<Arc<Fresh>> {
        self.cached(&format!("{}\0{name}", proto.as_str()), || {
            let ctx = self.context(proto);
            let mut resolver = Resolver::open(&ctx, &format!("credential '{name}'"), freshness())?;
            resolver.credential(name, false)
        })
    }

    /// A context for one read: now is now, and the audit log names the
    /// protocol.
    fn context(&self, proto: Proto) -> Context {
        let mut ctx = self.ctx.at_now();
        ctx.audit.operation = proto.operation();
        ctx
    }

    fn cached(&self, key: &str, read: impl FnOnce() -> Result<Fresh>) -> Result<Arc<Fresh>> {
        let now = jiff::Timestamp::now().as_second();
        let usable = |c: &Cached| {
            c.fresh
                .meta
                .expires_at
                .is_none_or(|at| at - now > RENEW_WITHIN.min(lifetime(&c.fresh) / 2))
        };
        let known = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .get(key)
                .map(|c| (c.fresh.clone(), c.read.elapsed() < REVALIDATE, usable(c)))
        };
        if let Some((fresh, true, true)) = known {
            return Ok(fresh);
        }
        let gate = self
            .filling
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.to_string())
            .or_default()
            .clone();
        let _filling = match known {
            // Still good: one request reads the vault again, the others are
            // answered meanwhile.
            Some((fresh, _, true)) => match gate.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(fresh),
            },
            _ => gate.lock().unwrap_or_else(|e| e.into_inner()),
        };
        // Another request may have read it while this one waited.
        if let Some(c) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            && c.read.elapsed() < REVALIDATE
            && usable(c)
        {
            return Ok(c.fresh.clone());
        }
        let read = read();
        // Kept in memory before the next waiter may look (`_filling` is held
        // to the end): it must find this token, not read another.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        match read {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                cache.insert(
                    key.to_string(),
                    Cached {
                        fresh: fresh.clone(),
                        read: Instant::now(),
                    },
                );
                Ok(fresh)
            }
            Err(e) => {
                // Gone, revoked or expired for good: never served again from
                // memory. A provider or database that failed: the token in
                // memory serves while it is valid, and the next request
                // tries again.
                let gone = matches!(
                    error::exit_code(&e),
                    code::NOT_FOUND | code::EXPIRED | code::KEY
                );
                match cache.get(key) {
                    Some(c) if !gone && usable(c) => Ok(c.fresh.clone()),
                    _ => {
                        cache.remove(key);
                        Err(e)
                    }
                }
            }
        }
    }

    /// A token of the credential behind `proto` of another kind than it
    /// holds (other scopes, an audience), kept in memory until it is due.
    fn another(&self, proto: Proto, name: &str, asked: Asked<'_>) -> Result<Arc<Fresh>> {
        let key = format!("{}\0{name}\0{asked:?}", proto.as_str());
        self.cached(&key, || {
            let ctx = self.context(proto);
            let mut resolver = Resolver::open(&ctx, &format!("credential '{name}'"), freshness())?;
            let fresh = resolver.credential(name, false)?;
            let data = resolver.another_token(&fresh, asked)?;
            let now = jiff::Timestamp::now().as_second();
            let mut meta = fresh.meta.clone();
            meta.expires_at = crate::token::issued_expiry(&data, now).0;
            meta.updated_at = now;
            meta.scopes = match (&data.scope, asked) {
                (Some(scope), _) => scope.split_whitespace().map(String::from).collect(),
                (None, Asked::Scopes(scopes)) => scopes.to_vec(),
                (None, Asked::Audience(_)) => Vec::new(),
            };
            Ok(Fresh {
                meta,
                data,
                refreshed: true,
            })
        })
    }

    /// One line: time, client, route, credential, status, five fields
    /// apart by spaces (a space in a name written %20); a request refused
    /// before it was read has `-` for route and name, and says why after.
    fn write_log(&self, peer: &Peer, route: &str, name: &str, status: u16, why: Option<&str>) {
        if let Some(log) = &self.log {
            let field = |text: &str| match text {
                "" => "-".to_string(),
                text => crate::text::clean(text, 200).replace(' ', "%20"),
            };
            let mut line = format!(
                "{} {peer} {} {} {status}",
                jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ"),
                field(route),
                field(name),
            );
            if let Some(why) = why {
                line.push_str(&format!(" \"{why}\""));
            }
            line.push('\n');
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            let _ = log.write_all(line.as_bytes()).and_then(|()| log.flush());
        }
    }
}

fn freshness() -> Freshness {
    Freshness {
        min_valid: RENEW_WITHIN,
        ..Freshness::default()
    }
}

fn lifetime(fresh: &Fresh) -> i64 {
    fresh
        .meta
        .expires_at
        .map_or(i64::MAX, |at| (at - fresh.meta.updated_at).max(0))
}

/// When a token handed out expires: its own expiry, or a lease for one
/// that never does.
fn expires_at(fresh: &Fresh) -> i64 {
    fresh
        .meta
        .expires_at
        .unwrap_or_else(|| jiff::Timestamp::now().as_second() + LEASE_SECS)
}

/// The status an error of the vault or a provider is answered with.
fn status_of(e: &anyhow::Error) -> u16 {
    match error::exit_code(e) {
        code::NOT_FOUND => 404,
        code::PROVIDER_REFUSED | code::NETWORK => 502,
        code::EXPIRED => 503,
        _ => 500,
    }
}

/// Secrets compared in time that does not depend on where they differ.
fn same_secret(given: Option<&str>, expected: &Secret) -> bool {
    let (a, b) = (given.unwrap_or("").as_bytes(), expected.expose().as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl server::Handler for Broker {
    fn answer(&self, request: &Request, peer: &Peer) -> Response {
        // A protocol's whole prefix checks its token first: without it,
        // no path says more than another.
        let (answer, name) = if request.path.starts_with(aws::PREFIX) && self.aws.is_some() {
            aws::answer(self, request)
        } else if request.path.starts_with(azure::PREFIX) && self.azure.is_some() {
            azure::answer(self, request)
        } else if self.gcp.is_some() && gcp::serves(&request.path) {
            gcp::answer(self, request)
        } else if let Some(keys) = self
            .api_keys
            .as_deref()
            .filter(|_| tokens_api::serves(&request.path))
        {
            tokens_api::answer(self, keys, request)
        } else {
            (Response::text(404, "not found"), String::new())
        };
        self.write_log(peer, &request.path, &name, answer.status, None);
        answer
    }

    fn max_body(&self) -> usize {
        // Token requests carry no body (google-auth's bound-token POST
        // carries a certificate chain); the Tokens API stores up to 1 MiB.
        match self.api_keys {
            Some(_) => tokens_api::MAX_BODY,
            None => 64 * 1024,
        }
    }

    fn refused(&self, peer: &Peer, status: u16, why: &str) {
        self.write_log(peer, "", "", status, Some(why));
    }
}
