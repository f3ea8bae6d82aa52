//! The console line format: `tracing-subscriber`'s usual line (time, level, spans, message),
//! with every field written by [`ConsoleFields`] through [`bounded`](super::bounded) (escaped and cut at
//! `SIGNALWIRE_LOG_MAX_VALUE_BYTES`), whichever site logged it: `name=value`, strings quoted,
//! the message bare. The JSON format is in [`json`](super::json).

use std::fmt;

use tracing::field::{Field, Visit};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::FormatFields;
use tracing_subscriber::fmt::format::Writer;

use super::bounded::Shown;

/// Fields of console lines (events and spans).
#[derive(Debug, Clone, Copy)]
pub(super) struct ConsoleFields {
    pub max_value_bytes: usize,
}

impl<'writer> FormatFields<'writer> for ConsoleFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut visitor = ConsoleVisitor {
            writer: &mut writer,
            max: self.max_value_bytes,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct ConsoleVisitor<'a, 'writer> {
    writer: &'a mut Writer<'writer>,
    max: usize,
    first: bool,
    result: fmt::Result,
}

impl ConsoleVisitor<'_, '_> {
    /// Writes ` name=` (or nothing before the message) and then the value, bounded, straight
    /// into the line.
    fn write(&mut self, field: &Field, value: Shown<'_>) {
        if self.result.is_err() || field.name().starts_with("log.") {
            return;
        }
        let separator = if self.first { "" } else { " " };
        self.first = false;
        self.result = match field.name() {
            "message" => self.writer.write_str(separator),
            name => write!(self.writer, "{separator}{}=", name.trim_start_matches("r#")),
        }
        .and_then(|()| value.write(self.writer, self.max));
    }
}

impl Visit for ConsoleVisitor<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.write(field, Shown::Display(&value)),
            _ => self.write(field, Shown::Debug(&value)),
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.write(field, Shown::Debug(value));
    }
}
