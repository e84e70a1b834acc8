//! `tokvault mcp`: a Model Context Protocol server over stdio whose tools
//! use a credential without returning it. Only the credentials named at
//! start exist for the agent; each goes only to its allowed hosts; every
//! answer is masked with the credential's secrets in every encoding
//! `run --mask` knows; each call is an audit entry with the agent's label.
//!
//! Built on the official Rust SDK (rmcp) on a single-threaded runtime;
//! each tool's work (vault, provider, the request, a command) runs on a
//! blocking thread through the same application layer as the CLI.

mod http_tool;
pub mod policy;
mod run_tool;

use crate::app::Vault;
use crate::audit::{Access, Outcome};
use crate::error::{self, code};
use crate::grants::{Exposed, HostPattern};
use crate::session::Context;
use anyhow::Result;
use policy::Header;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::RequestContext;
use rmcp::{
    Json, RoleServer, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the server is told at start.
pub struct Settings {
    pub exposed: Vec<Exposed>,
    /// `--auth-header NAME=HEADER`: the secret alone in HEADER.
    pub headers: Vec<(String, String)>,
    pub agent: Option<String>,
    pub allow_run: bool,
    pub confirm: bool,
}

/// A credential as the agent may use it: never its secret.
#[derive(Debug, Clone)]
struct Allowed {
    name: String,
    provider: String,
    token_type: String,
    scopes: Vec<String>,
    expires_at: Option<i64>,
    hosts: Vec<HostPattern>,
    header: Header,
}

struct Inner {
    ctx: Context,
    allowed: Vec<Allowed>,
    confirm: bool,
    /// Credentials the person confirmed on this connection.
    confirmed: Mutex<HashSet<String>>,
    /// The process groups of commands running for the agent: killed when
    /// the session ends under them (stdin closed mid-call).
    running: Mutex<HashSet<i32>>,
}

/// Runs the server on stdin/stdout until the client closes stdin.
pub fn serve(ctx: &Context, settings: Settings) -> Result<()> {
    let allowed = allowed(ctx, &settings)?;
    let mut ctx = ctx.clone();
    ctx.audit.agent = settings.agent.clone();
    let mut tool_router = Agent::tool_router();
    if !settings.allow_run {
        tool_router.remove_route("run_command");
    }
    let agent = Agent {
        inner: Arc::new(Inner {
            ctx,
            allowed,
            confirm: settings.confirm,
            confirmed: Mutex::new(HashSet::new()),
            running: Mutex::new(HashSet::new()),
        }),
        tool_router,
    };
    let inner = agent.inner.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let service = agent
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| anyhow::anyhow!("the MCP session could not start: {e}"))?;
        // A client that goes away (stdin closed) ends the session.
        let _ = service.waiting().await;
        Ok::<(), anyhow::Error>(())
    })?;
    // Tool calls still running on blocking threads are abandoned, and
    // the commands they started with them.
    runtime.shutdown_background();
    for group in inner
        .running
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .drain()
    {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(-group),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    Ok(())
}

/// Each `--credential` checked against the vault (it exists, it has hosts
/// to go to), without opening any secret.
fn allowed(ctx: &Context, settings: &Settings) -> Result<Vec<Allowed>> {
    if settings.exposed.is_empty() {
        return Err(error::usage(
            "name the credentials the agent may use: --credential NAME[=HOST,...]",
        ));
    }
    let vault = Vault::open(ctx, "credential for the agent")?;
    let mut seen = HashSet::new();
    let mut all = Vec::new();
    for e in &settings.exposed {
        if !seen.insert(e.name.clone()) {
            return Err(error::usage(format!(
                "--credential {} is given twice",
                e.name
            )));
        }
        let (meta, _) = vault.credential(ctx.user(), &e.name)?;
        let hosts = if e.hosts.is_empty() {
            let preset = policy::preset_hosts(&meta.provider);
            if preset.is_empty() {
                return Err(error::usage(format!(
                    "--credential {}: its provider '{}' has no known API hosts; say where it may \
                     be sent: --credential {}=HOST[,HOST...]",
                    e.name,
                    crate::text::clean(&meta.provider, 100),
                    e.name
                )));
            }
            preset
                .iter()
                .map(|h| HostPattern::parse(h).expect("preset hosts parse"))
                .collect()
        } else {
            e.hosts.clone()
        };
        let header = match settings.headers.iter().find(|(name, _)| *name == e.name) {
            Some((_, header)) => Header::Raw(header.clone()),
            None => Header::for_provider(
                &meta.provider,
                meta.token_type == crate::token::TokenType::ApiKey,
            ),
        };
        all.push(Allowed {
            name: e.name.clone(),
            provider: meta.provider.clone(),
            token_type: meta.kind().to_string(),
            scopes: meta.scopes.clone(),
            expires_at: meta.expires_at,
            hosts,
            header,
        });
    }
    for (name, _) in &settings.headers {
        if !seen.contains(name) {
            return Err(error::usage(format!(
                "--auth-header {name}: no --credential {name} is given"
            )));
        }
    }
    Ok(all)
}

impl Inner {
    fn find(&self, name: &str) -> Result<&Allowed, String> {
        self.allowed.iter().find(|a| a.name == name).ok_or_else(|| {
            format!(
                "no credential '{}' is exposed to this agent (list_credentials names those that are)",
                crate::text::clean(name, 100)
            )
        })
    }

    /// The context for one call, named in the audit log as `operation`.
    fn context(&self, operation: &'static str) -> Context {
        let mut ctx = self.ctx.at_now();
        ctx.audit.operation = operation;
        ctx
    }

    /// A call turned away before a secret was read, on record.
    fn refused(&self, operation: &'static str, credential: Option<&str>, why: &str) -> String {
        let ctx = self.context(operation);
        if let Ok(mut vault) = Vault::open(&ctx, "audit") {
            let user = ctx.user().to_string();
            let access = Access {
                operation,
                user: &user,
                credential,
                outcome: Outcome::Refused(code::USAGE),
                client: None,
                detail: Some(crate::text::clean(why, 300)),
            };
            let _ = vault.record(&access, None);
        }
        why.to_string()
    }
}

#[derive(Clone)]
pub struct Agent {
    inner: Arc<Inner>,
    tool_router: ToolRouter<Agent>,
}

/// A credential as `list_credentials` shows it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Listed {
    pub name: String,
    pub provider: String,
    #[serde(rename = "type")]
    pub token_type: String,
    pub scopes: Vec<String>,
    /// RFC 3339, or null for one that does not expire.
    pub expires_at: Option<String>,
    /// Where `http_request` may send it.
    pub allowed_hosts: Vec<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct CredentialList {
    pub credentials: Vec<Listed>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct HttpRequestArgs {
    /// The name of a credential from list_credentials.
    pub credential: String,
    /// GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS.
    pub method: String,
    /// An https URL (or http to this machine) on one of the credential's allowed hosts.
    pub url: String,
    /// Extra request headers; they cannot replace the credential's own.
    #[serde(default)]
    pub headers: Option<BTreeMap<String, String>>,
    /// The request body, as text.
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    /// At most 1 MiB of the body, as text, every secret of the credential masked.
    pub body: String,
    /// The body was longer and was cut at 1 MiB.
    pub truncated: bool,
    /// The URL that answered (after redirects within the allowed hosts).
    pub url: String,
    /// A redirect that was not followed, because it led off the allowed hosts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_not_followed: Option<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct RunCommandArgs {
    /// The program and its arguments.
    pub argv: Vec<String>,
    /// Environment variables to set, each to the secret of a credential named here.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Text for the command's standard input.
    #[serde(default)]
    pub stdin: Option<String>,
    /// Seconds before the command is killed (default 60, at most 3600).
    #[serde(default)]
    pub timeout: Option<u64>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct RunAnswer {
    /// The exit code, or null when a signal ended it.
    pub exit_code: Option<i32>,
    /// At most 1 MiB of its output, every secret masked.
    pub stdout: String,
    pub stderr: String,
    pub truncated: bool,
    /// It ran past its timeout and was killed.
    pub timed_out: bool,
}

/// The person's answer to "may the agent use this credential?".
#[derive(Deserialize, schemars::JsonSchema)]
pub struct Confirmation {
    /// Allow the agent to use the credential on this connection.
    pub allow: bool,
}
rmcp::elicit_safe!(Confirmation);

#[tool_router]
impl Agent {
    #[tool(
        description = "The credentials this agent may use: name, provider, type, scopes, expiry and the hosts each may be sent to. Never a secret."
    )]
    async fn list_credentials(&self) -> Json<CredentialList> {
        Json(CredentialList {
            credentials: self
                .inner
                .allowed
                .iter()
                .map(|a| Listed {
                    name: a.name.clone(),
                    provider: crate::text::clean(&a.provider, 200),
                    token_type: a.token_type.clone(),
                    scopes: a
                        .scopes
                        .iter()
                        .map(|s| crate::text::clean(s, 200))
                        .collect(),
                    expires_at: a.expires_at.map(crate::time::timestamp),
                    allowed_hosts: a.hosts.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        })
    }

    #[tool(
        description = "Make an HTTP request with a credential attached the way its provider expects (refreshed first when due). Only to the credential's allowed hosts; the answer's body is capped at 1 MiB and every secret in it is masked as ***. The token itself is never returned."
    )]
    async fn http_request(
        &self,
        Parameters(args): Parameters<HttpRequestArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<Json<HttpAnswer>, String> {
        let allowed = match self.inner.find(&args.credential) {
            Ok(allowed) => allowed.clone(),
            Err(why) => return Err(self.refused("mcp:http_request", None, why).await),
        };
        self.confirm(&allowed, &context).await?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || http_tool::call(&inner, args))
            .await
            .map_err(|_| "the request was abandoned".to_string())?
            .map(Json)
    }

    #[tool(
        description = "Run a command with credentials' secrets in its environment (never on its command line), as `tokvault run` does. Its output is capped at 1 MiB and every secret in it is masked; it is killed at its timeout."
    )]
    async fn run_command(
        &self,
        Parameters(args): Parameters<RunCommandArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<Json<RunAnswer>, String> {
        let mut named = Vec::new();
        for name in args.env.values() {
            match self.inner.find(name) {
                Ok(allowed) => named.push(allowed.clone()),
                Err(why) => return Err(self.refused("mcp:run_command", None, why).await),
            }
        }
        for allowed in &named {
            self.confirm(allowed, &context).await?;
        }
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || run_tool::call(&inner, args))
            .await
            .map_err(|_| "the command was abandoned".to_string())?
            .map(Json)
    }
}

impl Agent {
    /// `Inner::refused` from the runtime's thread: the vault is written on
    /// a blocking thread (a PostgreSQL vault's client runs a runtime of
    /// its own, which cannot be entered from this one).
    async fn refused(
        &self,
        operation: &'static str,
        credential: Option<String>,
        why: String,
    ) -> String {
        let inner = self.inner.clone();
        let shown = why.clone();
        tokio::task::spawn_blocking(move || inner.refused(operation, credential.as_deref(), &why))
            .await
            .unwrap_or(shown)
    }

    /// With --confirm: the first use of each credential on this connection
    /// asks the person (MCP elicitation); a client that cannot ask is
    /// refused, saying why.
    async fn confirm(
        &self,
        allowed: &Allowed,
        context: &RequestContext<RoleServer>,
    ) -> Result<(), String> {
        if !self.inner.confirm
            || self
                .inner
                .confirmed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&allowed.name)
        {
            return Ok(());
        }
        let operation = "mcp:confirm";
        if !context
            .peer
            .supported_elicitation_modes()
            .contains(&rmcp::service::ElicitationMode::Form)
        {
            return Err(self
                .refused(
                    operation,
                    Some(allowed.name.clone()),
                    format!(
                        "credential '{}' needs the person's confirmation (tokvault mcp --confirm), \
                         and this MCP client cannot ask for it (it declares no elicitation support)",
                        allowed.name
                    ),
                )
                .await);
        }
        let question = format!(
            "Allow the agent to use credential '{}' ({}) on {}?",
            allowed.name,
            crate::text::clean(&allowed.provider, 100),
            allowed
                .hosts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        match context.peer.elicit::<Confirmation>(question).await {
            Ok(Some(Confirmation { allow: true })) => {
                self.inner
                    .confirmed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(allowed.name.clone());
                Ok(())
            }
            _ => Err(self
                .refused(
                    operation,
                    Some(allowed.name.clone()),
                    format!("the person did not allow credential '{}'", allowed.name),
                )
                .await),
        }
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Agent {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("tokvault", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "tokvault lets you use credentials without seeing them: list_credentials names \
                 them; http_request sends a request with one attached to its allowed hosts; \
                 secrets in answers are masked as ***."
                    .to_string(),
            )
    }
}
