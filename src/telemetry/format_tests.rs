//! Both line formats, end to end through the subscriber: values cut and escaped, numbers kept,
//! span fields shown.

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
    let subscriber = super::subscriber(&settings, move || writer.clone()).unwrap();
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
