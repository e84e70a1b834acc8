//! The one seam between the vault's logic and the database it runs on.
//!
//! Every statement the vault runs goes through `Sql`: written once, with
//! numbered parameters (`?1`) and the `"user"` column quoted, over the few
//! types the schema uses. Sealing, versions and bindings live above it and
//! are the same whatever the store.

use crate::error;
use anyhow::Result;

/// A value in or out of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Int(i64),
    Text(String),
    Null,
    /// Read back only: a type tokvault never stores (a float, a blob,
    /// text that is not UTF-8). No getter accepts it.
    Other,
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}

impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(i64::from(v))
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_string())
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}

impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// One result row. A column of the wrong type means the data was not
/// written by tokvault: the vault is damaged.
pub struct Row<'a> {
    pub(super) values: Vec<Val>,
    pub(super) shown: &'a str,
}

impl Row<'_> {
    fn damaged(&self) -> anyhow::Error {
        error::vault(format!(
            "the vault {} is damaged: a column holds a value this tokvault never writes; \
             restore it from a backup",
            self.shown
        ))
    }

    pub fn int(&self, i: usize) -> Result<i64> {
        match self.values.get(i) {
            Some(Val::Int(v)) => Ok(*v),
            _ => Err(self.damaged()),
        }
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.values.get(i) {
            Some(Val::Int(v)) => Ok(Some(*v)),
            Some(Val::Null) => Ok(None),
            _ => Err(self.damaged()),
        }
    }

    pub fn text(&self, i: usize) -> Result<String> {
        match self.values.get(i) {
            Some(Val::Text(v)) => Ok(v.clone()),
            _ => Err(self.damaged()),
        }
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.values.get(i) {
            Some(Val::Text(v)) => Ok(Some(v.clone())),
            Some(Val::Null) => Ok(None),
            _ => Err(self.damaged()),
        }
    }

    pub fn flag(&self, i: usize) -> Result<bool> {
        self.int(i).map(|v| v != 0)
    }
}

/// Runs statements, written once for every backend: numbered parameters
/// (`?1`), the `"user"` column quoted, the few types the schema uses.
/// Errors come back already mapped to an exit code by the backend.
pub trait Sql {
    /// Calls `each` with the rows `sql` returns, one at a time, so that
    /// reading a vault of any size takes the memory of one row. `each` must
    /// not run statements itself (a database connection streams one query
    /// at a time).
    fn each(
        &self,
        sql: &str,
        params: &[Val],
        each: &mut dyn FnMut(Vec<Val>) -> Result<()>,
    ) -> Result<()>;

    /// Runs a statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[Val]) -> Result<u64>;

    /// An ORDER BY term that puts the text `column` in the order
    /// `text::natural_cmp` does (key2 before key10), in the database, so
    /// that a listing streams in the order people read.
    fn natural(&self, column: &str) -> String;
}
