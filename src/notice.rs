//! Notes and warnings from below the commands (a refresh waited, a key
//! file was replaced, a directory others can write): handed to the sink
//! the program installed, never printed here. The command line prints
//! them on stderr (`output::stderr_notices`); a server may log them; with
//! no sink they are dropped.

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// What happened, for a person watching.
    Note,
    /// Something the person should look at; tokvault went on.
    Warning,
}

/// What receives every notice.
pub type Sink = Box<dyn Fn(Level, &str) + Send + Sync>;

static SINK: OnceLock<Sink> = OnceLock::new();

/// Where notices go, for the rest of the process (the first call wins).
pub fn install(sink: Sink) {
    let _ = SINK.set(sink);
}

pub fn note(text: impl AsRef<str>) {
    emit(Level::Note, text.as_ref());
}

pub fn warn(text: impl AsRef<str>) {
    emit(Level::Warning, text.as_ref());
}

fn emit(level: Level, text: &str) {
    if let Some(sink) = SINK.get() {
        sink(level, text);
    }
}
