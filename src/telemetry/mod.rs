//! Logging: one `tracing` subscriber set up from `SIGNALWIRE_LOG_LEVEL/FORMAT/MODE` (`RUST_LOG`
//! overrides the filter). Events are named: the message is the event name (`starting_server`,
//! `request`, ...) and everything else is a structured field.
//!
//! Secrets are kept out of logs by construction: they live in `Secret` and headers are never
//! logged. Every field value of every event is written through [`bounded`]: control characters
//! escaped, so no value can forge a line, and at most `SIGNALWIRE_LOG_MAX_VALUE_BYTES` kept, so no
//! value a client sent (a summary, a path) can make a line huge. The line formats that do it are
//! in [`console`] and [`json`]. List fields are logged with [`List`] and come out as JSON
//! arrays in JSON lines. [`metrics`] is what `GET /metrics` shows.

mod bounded;
mod console;
mod json;
mod list;
pub(crate) mod metrics;

pub(crate) use list::List;

use std::borrow::Cow;
use std::io::IsTerminal;

use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogFormat, LogLevel, LogMode, LogSettings};

/// Replaces control characters (newlines included) with `\u{..}` escapes.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn filter(settings: &LogSettings) -> EnvFilter {
    if let Some(directives) = &settings.rust_log
        && let Ok(filter) = EnvFilter::try_new(directives)
    {
        return filter;
    }
    let level = match settings.level {
        LogLevel::Debug => "debug",
        LogLevel::Info => "info",
        LogLevel::Warn => "warn",
        LogLevel::Error => "error",
    };
    // tantivy reports every segment merge at info; keep its warnings only.
    EnvFilter::new(format!("{level},tantivy=warn"))
}

/// A subscriber writing to `writer` in the configured format; `None` when logging is off.
pub fn subscriber<W>(settings: &LogSettings, writer: W) -> Option<Box<dyn Subscriber + Send + Sync>>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    if settings.mode == LogMode::Off {
        return None;
    }
    // A line that cannot be written (the reader of a pipe went away) is dropped. By default the
    // subscriber reports that on stderr, and when stderr is that same closed pipe the report
    // panics, in whichever task was logging: an access line, or the shutdown itself.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter(settings))
        .with_writer(writer)
        .log_internal_errors(false);
    let max_value_bytes = settings.max_value_bytes;
    Some(match settings.format {
        LogFormat::Json => Box::new(
            builder
                .fmt_fields(json::JsonFields { max_value_bytes })
                .event_format(json::JsonEvent { max_value_bytes })
                .finish(),
        ),
        LogFormat::Console => {
            let ansi = match settings.mode {
                LogMode::Stderr => std::io::stderr().is_terminal(),
                _ => std::io::stdout().is_terminal(),
            };
            Box::new(
                builder
                    .fmt_fields(console::ConsoleFields { max_value_bytes })
                    .with_ansi(ansi)
                    .with_target(false)
                    .finish(),
            )
        }
    })
}

/// Installs the process-wide subscriber. A second call is ignored (tests may have one already).
pub(crate) fn init(settings: &LogSettings) {
    let installed = match settings.mode {
        LogMode::Off => None,
        LogMode::Stdout => subscriber(settings, std::io::stdout),
        LogMode::Stderr => subscriber(settings, std::io::stderr),
    };
    if let Some(subscriber) = installed {
        let _ = tracing::subscriber::set_global_default(subscriber);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("/plain"), "/plain");
        assert_eq!(escape_control("a\nb\u{1b}"), "a\\u{a}b\\u{1b}");
    }
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod format_tests;
