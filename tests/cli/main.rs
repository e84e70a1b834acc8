//! tokvault's tests, through the real binary and the library: one test
//! binary (a module per area, one `common` module of helpers), so the
//! suite links once.

mod common;

mod audit;
mod bad_input;
mod broker;
mod cargo_helper;
mod clients;
mod concurrency;
mod crash;
mod essentials;
mod exec_helpers;
mod first_run;
mod generated;
mod git_helper;
mod imports;
mod inject;
mod inputs;
mod locking;
mod login;
mod login_browser;
mod machine;
mod mcp;
mod oauth;
mod oauth_errors;
#[cfg(feature = "postgres")]
mod postgres;
mod presets;
mod protection;
mod readme;
mod rekey_backup;
mod revocation;
mod run_long;
mod safety;
mod schema;
mod scripting;
mod sign_in;
mod tokens_api;
mod trust;
