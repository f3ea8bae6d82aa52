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
fn json_lines_write_list_fields_as_arrays_of_bounded_strings() {
    let long = "y".repeat(100);
    let hosts = vec!["a.example".to_string(), "b\nc".to_string(), long];
    let many: Vec<u32> = (0..100).collect();
    let text = lines(LogFormat::Json, || {
        tracing::info!(
            allowed_hosts = ?super::List(&hosts),
            plain = ?vec!["x", "y"],
            numbers = ?many,
            empty = ?super::List::<String>(&[]),
            not_a_list = %"[unclosed",
            "security_config_loaded"
        );
    });
    let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(
        line["allowed_hosts"],
        serde_json::json!([
            "a.example",
            "b\\u{a}c",
            format!("{}…[cut: 100 bytes]", "y".repeat(64))
        ])
    );
    assert_eq!(line["plain"], serde_json::json!(["x", "y"]));
    let numbers = line["numbers"].as_array().unwrap();
    assert_eq!(numbers.len(), super::json::MAX_LIST_ITEMS + 1);
    assert_eq!(numbers[3], 3);
    assert_eq!(
        numbers[super::json::MAX_LIST_ITEMS],
        "…[cut: 36 more items]"
    );
    assert_eq!(line["empty"], serde_json::json!([]));
    assert_eq!(line["not_a_list"], "[unclosed");
}

#[test]
fn console_lines_show_a_list_as_its_items() {
    let hosts = ["a.example", "b.example"];
    let text = lines(LogFormat::Console, || {
        tracing::info!(allowed_hosts = ?super::List(&hosts), "security_config_loaded");
    });
    assert!(
        text.contains(r#"allowed_hosts=["a.example","b.example"]"#),
        "{text}"
    );
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
