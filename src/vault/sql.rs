//! The one seam between the vault's logic and the database it runs on.
//!
//! Every statement the vault runs goes through `Sql`: written once, with
//! numbered parameters (`?1`) and the `"user"` column quoted, over the few
//! types the schema uses. Sealing, versions and bindings live above it and
//! are the same whatever the store.

use crate::error;
use std::path::Path;

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
    pub(super) path: &'a Path,
}

impl Row<'_> {
    fn damaged(&self) -> anyhow::Error {
        error::vault(format!(
            "the vault {} is damaged: a column holds a value this tokvault never writes; \
             restore it from a backup",
            self.path.display()
        ))
    }

    pub fn int(&self, i: usize) -> anyhow::Result<i64> {
        match self.values.get(i) {
            Some(Val::Int(v)) => Ok(*v),
            _ => Err(self.damaged()),
        }
    }

    pub fn opt_int(&self, i: usize) -> anyhow::Result<Option<i64>> {
        match self.values.get(i) {
            Some(Val::Int(v)) => Ok(Some(*v)),
            Some(Val::Null) => Ok(None),
            _ => Err(self.damaged()),
        }
    }

    pub fn text(&self, i: usize) -> anyhow::Result<String> {
        match self.values.get(i) {
            Some(Val::Text(v)) => Ok(v.clone()),
            _ => Err(self.damaged()),
        }
    }

    pub fn opt_text(&self, i: usize) -> anyhow::Result<Option<String>> {
        match self.values.get(i) {
            Some(Val::Text(v)) => Ok(Some(v.clone())),
            Some(Val::Null) => Ok(None),
            _ => Err(self.damaged()),
        }
    }

    pub fn flag(&self, i: usize) -> anyhow::Result<bool> {
        self.int(i).map(|v| v != 0)
    }
}

/// A failed statement, mapped to an exit code by the vault, which knows
/// where it is.
#[derive(Debug)]
pub enum SqlError {
    Sqlite(rusqlite::Error),
    #[cfg(feature = "postgres")]
    Pg(postgres::Error),
}

/// Runs statements: the seam a store implements.
pub trait Sql {
    fn rows(&self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>, SqlError>;
    /// The number of rows changed.
    fn execute(&self, sql: &str, params: &[Val]) -> Result<u64, SqlError>;
}

impl Sql for rusqlite::Connection {
    fn rows(&self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>, SqlError> {
        use rusqlite::types::ValueRef;
        let mut stmt = self.prepare_cached(sql).map_err(SqlError::Sqlite)?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params.iter().map(sqlite_value)))
            .map_err(SqlError::Sqlite)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(SqlError::Sqlite)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i).map_err(SqlError::Sqlite)? {
                    ValueRef::Integer(v) => Val::Int(v),
                    ValueRef::Text(t) => match std::str::from_utf8(t) {
                        Ok(t) => Val::Text(t.to_string()),
                        Err(_) => Val::Other,
                    },
                    ValueRef::Null => Val::Null,
                    ValueRef::Real(_) | ValueRef::Blob(_) => Val::Other,
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    fn execute(&self, sql: &str, params: &[Val]) -> Result<u64, SqlError> {
        let mut stmt = self.prepare_cached(sql).map_err(SqlError::Sqlite)?;
        stmt.execute(rusqlite::params_from_iter(params.iter().map(sqlite_value)))
            .map(|n| n as u64)
            .map_err(SqlError::Sqlite)
    }
}

fn sqlite_value(v: &Val) -> rusqlite::types::Value {
    match v {
        Val::Int(i) => rusqlite::types::Value::Integer(*i),
        Val::Text(t) => rusqlite::types::Value::Text(t.clone()),
        Val::Null | Val::Other => rusqlite::types::Value::Null,
    }
}
