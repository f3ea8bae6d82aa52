//! The log line formats, written here rather than taken from `tracing-subscriber` as they are,
//! so that every field value of every event goes through [`Bounded`] (escaped and cut at
//! `SIGNALWIRE_LOG_MAX_VALUE_BYTES`), whichever site logged it.
//!
//! - console: `tracing-subscriber`'s usual line (time, level, spans, message), with fields
//!   written by [`ConsoleFields`]: `name=value`, strings quoted, the message bare;
//! - JSON: one object per line from [`JsonEvent`]: `timestamp`, `level`, the event's fields
//!   (`message` first), `target`, and the current `span` with its fields and `name`. Numbers and
//!   booleans stay JSON numbers and booleans; everything else is a bounded string.

use std::fmt;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

use super::bounded::Bounded;

/// Fields of console lines (events and spans).
#[derive(Debug, Clone, Copy)]
pub struct ConsoleFields {
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
    fn write(&mut self, field: &Field, text: String) {
        if self.result.is_err() || field.name().starts_with("log.") {
            return;
        }
        let separator = if self.first { "" } else { " " };
        self.first = false;
        self.result = match field.name() {
            "message" => write!(self.writer, "{separator}{text}"),
            name => write!(
                self.writer,
                "{separator}{}={text}",
                name.trim_start_matches("r#")
            ),
        };
    }
}

impl Visit for ConsoleVisitor<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let text = match field.name() {
            "message" => Bounded::display(self.max, &value),
            _ => Bounded::debug(self.max, &value),
        };
        self.write(field, text);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = Bounded::debug(self.max, value);
        self.write(field, text);
    }
}

/// Fields of a span in JSON lines, kept as the text of a JSON object until an event shows them.
#[derive(Debug, Clone, Copy)]
pub struct JsonFields {
    pub max_value_bytes: usize,
}

impl<'writer> FormatFields<'writer> for JsonFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut map = Map::new();
        fields.record(&mut JsonVisitor::new(&mut map, self.max_value_bytes));
        write!(writer, "{}", Value::Object(map))
    }

    fn add_fields(
        &self,
        current: &'writer mut FormattedFields<Self>,
        fields: &tracing::span::Record<'_>,
    ) -> fmt::Result {
        let mut map: Map<String, Value> = serde_json::from_str(&current.fields).unwrap_or_default();
        fields.record(&mut JsonVisitor::new(&mut map, self.max_value_bytes));
        current.fields = Value::Object(map).to_string();
        Ok(())
    }
}

struct JsonVisitor<'a> {
    map: &'a mut Map<String, Value>,
    max: usize,
}

impl<'a> JsonVisitor<'a> {
    fn new(map: &'a mut Map<String, Value>, max: usize) -> JsonVisitor<'a> {
        JsonVisitor { map, max }
    }

    fn put(&mut self, field: &Field, value: Value) {
        if !field.name().starts_with("log.") {
            let name = field.name().trim_start_matches("r#");
            self.map.insert(name.to_owned(), value);
        }
    }
}

impl Visit for JsonVisitor<'_> {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Bounded::display(self.max, &value).into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, Bounded::debug(self.max, value).into());
    }
}

/// JSON lines: one object per event.
#[derive(Debug, Clone, Copy)]
pub struct JsonEvent {
    pub max_value_bytes: usize,
}

impl<S, N> FormatEvent<S, N> for JsonEvent
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'writer> FormatFields<'writer> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut timestamp = String::new();
        SystemTime.format_time(&mut Writer::new(&mut timestamp))?;
        let meta = event.metadata();
        let mut line = Map::new();
        line.insert("timestamp".into(), timestamp.into());
        line.insert("level".into(), meta.level().as_str().into());
        event.record(&mut JsonVisitor::new(&mut line, self.max_value_bytes));
        line.insert("target".into(), meta.target().into());
        if let Some(span) = ctx.parent_span() {
            let mut fields: Map<String, Value> = span
                .extensions()
                .get::<FormattedFields<N>>()
                .and_then(|formatted| serde_json::from_str(&formatted.fields).ok())
                .unwrap_or_default();
            fields.insert("name".into(), span.name().into());
            line.insert("span".into(), fields.into());
        }
        writeln!(writer, "{}", Value::Object(line))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use crate::config::{LogFormat, Settings};

    /// The lines `log` writes through the subscriber of `format`, at most 64 bytes per value.
    fn lines(format: LogFormat, log: impl FnOnce()) -> String {
        let mut settings = Settings::from_env([("SIGNALWIRE_LOG_MODE", "stderr")])
            .expect("settings")
            .logging;
        settings.format = format;
        settings.max_value_bytes = 64;
        let sink = Arc::new(Mutex::new(Vec::new()));
        let writer = Sink(Arc::clone(&sink));
        let subscriber = super::super::subscriber(&settings, move || writer.clone()).unwrap();
        tracing::subscriber::with_default(subscriber, log);
        let bytes = sink.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[derive(Clone)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn event() {
        let long = "x".repeat(1000);
        let span = tracing::info_span!("request", request_id = %"r-1");
        let _entered = span.enter();
        tracing::info!(status = 200u64, path = %"/a\nb", summary = %long, debugged = ?"q", "request");
    }

    #[test]
    fn json_lines_keep_numbers_and_cut_and_escape_every_string() {
        let text = lines(LogFormat::Json, event);
        let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "request");
        assert_eq!(line["status"], 200);
        assert_eq!(line["path"], "/a\\u{a}b");
        assert_eq!(
            line["summary"],
            format!("{}…[cut: 1000 bytes]", "x".repeat(64))
        );
        assert_eq!(line["debugged"], "\"q\"");
        assert_eq!(line["span"]["request_id"], "r-1");
        assert_eq!(line["span"]["name"], "request");
        assert!(line["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    }

    #[test]
    fn console_lines_cut_and_escape_every_value() {
        let text = lines(LogFormat::Console, event);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            text.contains("request{request_id=r-1}: request status=200"),
            "{text}"
        );
        assert!(text.contains(" path=/a\\u{a}b "), "{text}");
        assert!(
            text.contains(&format!("summary={}…[cut: 1000 bytes]", "x".repeat(64))),
            "{text}"
        );
        assert!(text.contains(" debugged=\"q\""), "{text}");
    }
}
