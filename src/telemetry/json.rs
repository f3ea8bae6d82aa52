//! The JSON line format: one object per event, `timestamp`, `level`, the event's fields,
//! `target`, and the current `span` with its fields and `name`. Numbers and booleans stay JSON
//! numbers and booleans; a list (a `?` value whose text is a JSON array, as
//! [`List`](super::List) writes it) is a JSON array; every other value is a string written
//! through [`bounded`](super::bounded) (escaped and cut at `SIGNALWIRE_LOG_MAX_VALUE_BYTES`),
//! streamed into the line without a copy. Each string of a list is bounded the same way, and a
//! list keeps at most [`MAX_LIST_ITEMS`] items.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

use super::bounded::Shown;

/// Items of a list field written out; the rest are counted in a last string item.
pub(super) const MAX_LIST_ITEMS: usize = 64;

/// Whether `value`'s text starts with `[`: formatted only up to its first character, so a value
/// that is not a list costs one aborted format call.
fn looks_like_a_list(value: &dyn fmt::Debug) -> bool {
    struct First(Option<char>);
    impl fmt::Write for First {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            match text.chars().next() {
                Some(c) => {
                    self.0 = Some(c);
                    Err(fmt::Error)
                }
                None => Ok(()),
            }
        }
    }
    let mut first = First(None);
    let _ = fmt::write(&mut first, format_args!("{value:?}"));
    first.0 == Some('[')
}

/// The items of a list field, when its whole text is a JSON array.
fn list_items(value: &dyn fmt::Debug) -> Option<Vec<serde_json::Value>> {
    if !looks_like_a_list(value) {
        return None;
    }
    serde_json::from_str(&format!("{value:?}")).ok()
}

/// A list field written as a JSON array: strings bounded, numbers and booleans kept, anything
/// nested as its bounded text.
struct BoundedList {
    items: Vec<serde_json::Value>,
    max: usize,
}

impl Serialize for BoundedList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let kept = self.items.len().min(MAX_LIST_ITEMS);
        let cut = self.items.len() - kept;
        let mut seq = serializer.serialize_seq(Some(kept + usize::from(cut > 0)))?;
        for item in &self.items[..kept] {
            match item {
                serde_json::Value::String(text) => seq.serialize_element(&Bounded {
                    value: Shown::Display(text),
                    max: self.max,
                })?,
                serde_json::Value::Number(_) | serde_json::Value::Bool(_) => {
                    seq.serialize_element(item)?;
                }
                other => seq.serialize_element(&Bounded {
                    value: Shown::Display(other),
                    max: self.max,
                })?,
            }
        }
        if cut > 0 {
            seq.serialize_element(&format!("…[cut: {cut} more items]"))?;
        }
        seq.end()
    }
}

/// A field value written as a JSON string, bounded on the way.
struct Bounded<'a> {
    value: Shown<'a>,
    max: usize,
}

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.write(f, self.max)
    }
}

impl Serialize for Bounded<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Writes each recorded field as an entry of `map`.
struct Entries<'a, M> {
    map: &'a mut M,
    max: usize,
    result: Result<(), serde_json::Error>,
}

impl<M: SerializeMap<Error = serde_json::Error>> Entries<'_, M> {
    fn entry(&mut self, field: &Field, value: &impl Serialize) {
        if self.result.is_ok() && !field.name().starts_with("log.") {
            let name = field.name().trim_start_matches("r#");
            self.result = self.map.serialize_entry(name, value);
        }
    }

    fn shown(&mut self, field: &Field, value: Shown<'_>) {
        let max = self.max;
        self.entry(field, &Bounded { value, max });
    }
}

impl<M: SerializeMap<Error = serde_json::Error>> Visit for Entries<'_, M> {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.entry(field, &value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.entry(field, &value);
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.entry(field, &value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.entry(field, &value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.shown(field, Shown::Display(&value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match list_items(value) {
            Some(items) => {
                let max = self.max;
                self.entry(field, &BoundedList { items, max });
            }
            None => self.shown(field, Shown::Debug(value)),
        }
    }
}

/// The fields of `record` as the text of a JSON object, with `extra` entries first.
fn object(
    max: usize,
    extra: &[(&str, &str)],
    record: impl FnOnce(&mut dyn Visit),
) -> Result<Vec<u8>, serde_json::Error> {
    let mut buffer = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::new(&mut buffer);
    let mut map = serializer.serialize_map(None)?;
    for (name, value) in extra {
        map.serialize_entry(name, value)?;
    }
    let mut entries = Entries {
        map: &mut map,
        max,
        result: Ok(()),
    };
    record(&mut entries);
    entries.result?;
    map.end()?;
    Ok(buffer)
}

/// Fields of a span in JSON lines, kept as the text of a JSON object until an event shows them.
#[derive(Debug, Clone, Copy)]
pub(super) struct JsonFields {
    pub max_value_bytes: usize,
}

impl<'writer> FormatFields<'writer> for JsonFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let text = object(self.max_value_bytes, &[], |visit| fields.record(visit))
            .map_err(|_| fmt::Error)?;
        writer.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

/// JSON lines: one object per event.
#[derive(Debug, Clone, Copy)]
pub(super) struct JsonEvent {
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
        let head = [
            ("timestamp", timestamp.as_str()),
            ("level", meta.level().as_str()),
        ];
        let mut line = object(self.max_value_bytes, &head, |visit| event.record(visit))
            .map_err(|_| fmt::Error)?;
        // Reopen the object for the entries that follow the fields.
        line.pop();
        let target = serde_json::to_string(meta.target()).map_err(|_| fmt::Error)?;
        line.extend_from_slice(format!(",\"target\":{target}").as_bytes());
        if let Some(span) = ctx.parent_span() {
            let extensions = span.extensions();
            let fields = extensions
                .get::<FormattedFields<N>>()
                .map_or("{}", |formatted| formatted.fields.as_str());
            let span = with_name(fields, span.name()).map_err(|_| fmt::Error)?;
            line.extend_from_slice(format!(",\"span\":{span}").as_bytes());
        }
        line.extend_from_slice(b"}\n");
        writer.write_str(std::str::from_utf8(&line).map_err(|_| fmt::Error)?)
    }
}

/// A span's fields (the text of a JSON object) with its `name` added, checked to be JSON.
fn with_name(fields: &str, name: &str) -> Result<Box<RawValue>, serde_json::Error> {
    let name = serde_json::to_string(name)?;
    let text = match fields.trim().strip_suffix('}') {
        Some(open) if open.trim_end() != "{" => format!("{open},\"name\":{name}}}"),
        _ => format!("{{\"name\":{name}}}"),
    };
    RawValue::from_string(text)
}
