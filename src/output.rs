//! Everything tokvault writes on stdout: a secret alone, JSON, or a table.

use crate::secret::Secret;
use crate::time::timestamp;
use crate::vault::CredentialMeta;
use anyhow::Result;
use comfy_table::{Table, presets};
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// A secret and a newline, nothing else.
pub fn secret(value: &Secret) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(value.expose().as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Text exactly as given (already formatted, newline included).
pub fn raw(text: &Secret) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.expose().as_bytes())?;
    out.flush()?;
    Ok(())
}

pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    // stdout is line-buffered; pretty JSON of a large list is many lines.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// `json` of an array written an element at a time, so that printing a
/// vault of any size takes the memory of one element: byte for byte what
/// `json` prints for the same elements in a `Vec`.
pub struct JsonArray {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
    empty: bool,
}

impl JsonArray {
    pub fn new() -> JsonArray {
        JsonArray {
            out: std::io::BufWriter::new(std::io::stdout().lock()),
            empty: true,
        }
    }

    pub fn push<T: Serialize + ?Sized>(&mut self, element: &T) -> Result<()> {
        // Pretty JSON escapes every line break inside strings: indenting
        // each line nests the element as the array's own printing would.
        let text = serde_json::to_string_pretty(element)?;
        self.out
            .write_all(if self.empty { b"[\n" } else { b",\n" })?;
        self.empty = false;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"  ")?;
            self.out.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.out
            .write_all(if self.empty { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()?;
        Ok(())
    }
}

/// `table` for rows read from the vault twice (`rows` is called twice and
/// must give the same rows): once to size the columns, once to print, so
/// that a listing of any size takes the memory of one row. On a terminal a
/// short table is drawn as `table` draws it.
pub fn table_streamed(
    header: &[&str],
    rows: impl Fn(&mut dyn FnMut(Vec<String>) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use unicode_width::UnicodeWidthStr;
    const DRAWN: usize = 1000;
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    let mut count = 0;
    rows(&mut |row| {
        count += 1;
        for (w, cell) in widths.iter_mut().zip(&row) {
            *w = (*w).max(crate::text::clean(cell, 200).width());
        }
        Ok(())
    })?;
    if std::io::stdout().is_terminal() && count <= DRAWN {
        let mut all = Vec::with_capacity(count);
        rows(&mut |row| {
            all.push(row);
            Ok(())
        })?;
        return table(header, all);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut line = |cells: &mut dyn Iterator<Item = String>| -> Result<()> {
        let mut text = String::new();
        for (cell, width) in cells.zip(&widths) {
            text.push_str(&cell);
            let pad = width.saturating_sub(cell.width()) + 2;
            text.extend(std::iter::repeat_n(' ', pad));
        }
        writeln!(out, "{}", text.trim_end())?;
        Ok(())
    };
    line(&mut header.iter().map(|h| h.to_string()))?;
    rows(&mut |row| line(&mut row.iter().map(|c| crate::text::clean(c, 200))))?;
    out.flush()?;
    Ok(())
}

/// `list --json`: one object per credential, metadata only.
#[derive(Serialize)]
pub struct MetaJson<'a> {
    pub integration_key: &'a str,
    pub user: &'a str,
    pub provider: &'a str,
    pub token_type: &'static str,
    pub scopes: &'a [String],
    pub expires_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub is_expired: bool,
}

impl<'a> MetaJson<'a> {
    pub fn new(meta: &'a CredentialMeta, now: i64) -> Self {
        MetaJson {
            integration_key: &meta.integration,
            user: &meta.user,
            provider: &meta.provider,
            token_type: meta.token_type.as_str(),
            scopes: &meta.scopes,
            expires_at: meta.expires_at.map(timestamp),
            created_at: timestamp(meta.created_at),
            updated_at: timestamp(meta.updated_at),
            is_expired: meta.is_expired_at(now),
        }
    }
}

/// `store --json` and `delete --json`: what was written, never a secret.
#[derive(Serialize)]
pub struct ChangedJson<'a> {
    #[serde(flatten)]
    pub meta: MetaJson<'a>,
    /// `store`: whether a credential of that name was replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced: Option<bool>,
    /// `delete`: always true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
}

/// A table for people: box lines on a terminal, plain aligned columns when
/// piped. tokvault prints no colour, so NO_COLOR holds trivially.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let mut table = Table::new();
    if std::io::stdout().is_terminal() {
        table.load_style(presets::UTF8_FULL_CONDENSED);
        // Fit the terminal: long URLs and scope lists wrap within columns
        // instead of the whole table wrapping on the screen.
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            table
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(w);
        }
    } else {
        table.load_style(presets::NOTHING);
    }
    table.set_header(header.to_vec());
    // Cells hold names and scopes from the vault: shown, never obeyed.
    for row in rows {
        table.add_row(row.iter().map(|cell| crate::text::clean(cell, 200)));
    }
    // Piped: columns start at the line's start, two spaces apart, so
    // `cut` and `awk` see what a person sees.
    if !std::io::stdout().is_terminal() {
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    out.flush()?;
    Ok(())
}

/// `get --json`: the Tokens API's record, with the secrets.
#[derive(Serialize)]
pub struct RecordJson<'a> {
    #[serde(flatten)]
    pub meta: MetaJson<'a>,
    pub token_data: &'a crate::token::TokenData,
    pub refreshed: bool,
    /// The id_token's header and claims, decoded without a signature check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_claims: Option<serde_json::Value>,
}

impl<'a> RecordJson<'a> {
    pub fn new(
        meta: &'a CredentialMeta,
        data: &'a crate::token::TokenData,
        now: i64,
        refreshed: bool,
    ) -> Self {
        let id_token_claims = data
            .id_token
            .as_ref()
            .and_then(|t| crate::token::jwt_parts(t.expose()))
            .map(|(header, claims)| {
                // Its own expiry: an id_token kept across refreshes may be
                // older than the access token.
                let exp = claims.get("exp").and_then(serde_json::Value::as_i64);
                serde_json::json!({
                    "header": header,
                    "claims": claims,
                    "signature_verified": false,
                    "expires_at": exp.map(timestamp),
                    "is_expired": exp.is_some_and(|e| e <= now),
                })
            });
        RecordJson {
            meta: MetaJson::new(meta, now),
            token_data: data,
            refreshed,
            id_token_claims,
        }
    }
}

/// The command line's sink for `notice`: one line on stderr each, cleaned
/// of control characters. A helper run by another program (`quiet`) keeps
/// notes to itself, since that program shows them to its user on every
/// use; warnings still go out.
pub fn stderr_notices(quiet: bool) -> crate::notice::Sink {
    Box::new(move |level, text| {
        let text = crate::text::clean(text, 2000);
        // A note that cannot be shown (stderr closed under a broker) is
        // lost, never a crash.
        let mut err = std::io::stderr().lock();
        let _ = match level {
            crate::notice::Level::Note if quiet => Ok(()),
            crate::notice::Level::Note => writeln!(err, "tokvault: {text}"),
            crate::notice::Level::Warning => writeln!(err, "tokvault: warning: {text}"),
        };
    })
}
