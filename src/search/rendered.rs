//! A value shared between answers together with its JSON text, written once.
//!
//! A result's chunk text is most of a search answer's bytes, and escaping it for JSON was the
//! largest single cost of answering a new question. The engine keeps each chunk it returns in
//! this form (see [`ChunkCache`](super::chunk_cache::ChunkCache)), so an answer showing the
//! chunk again copies its JSON instead of escaping it again.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A value and its compact JSON text. Cloning shares both; serializing through `serde_json`
/// (to text, or to a `Value` with `to_value`) writes the stored JSON verbatim, byte for byte
/// what serializing the value would write. It is `serde_json`'s raw value underneath, so other
/// serde formats do not see the value itself: answers are only ever written by `serde_json`.
pub struct Rendered<T>(Arc<Inner<T>>);

struct Inner<T> {
    value: T,
    json: Box<RawValue>,
}

impl<T: Serialize> Rendered<T> {
    /// Serializes `value` once, now.
    pub fn new(value: T) -> Result<Rendered<T>, serde_json::Error> {
        let json = serde_json::value::to_raw_value(&value)?;
        Ok(Rendered(Arc::new(Inner { value, json })))
    }
}

impl<T> Rendered<T> {
    /// The JSON text of the value.
    pub fn json(&self) -> &str {
        self.0.json.get()
    }
}

impl<T> Deref for Rendered<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T> Clone for Rendered<T> {
    fn clone(&self) -> Self {
        Rendered(Arc::clone(&self.0))
    }
}

impl<T: fmt::Debug> fmt::Debug for Rendered<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.value.fmt(f)
    }
}

impl<T> Serialize for Rendered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.json.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::api::ResultMetadata;

    #[test]
    fn text_is_written_as_serde_json_writes_it() {
        for text in [
            "plain",
            "quotes \" and \\ backslashes",
            "lines\nand\ttabs\r",
            "control \u{1} \u{1f}",
            "unicode – é 𝄞 🚀",
            "<b>markup</b> & \u{2028}",
            "",
        ] {
            let rendered = Rendered::new(text.to_owned()).unwrap();
            let expected = serde_json::to_string(text).unwrap();
            assert_eq!(serde_json::to_string(&rendered).unwrap(), expected);
            assert_eq!(rendered.json(), expected);
            assert_eq!(rendered.as_str(), text);
        }
    }

    #[test]
    fn metadata_keeps_its_key_order_and_values() {
        let mut extra = serde_json::Map::new();
        extra.insert("zeta".into(), serde_json::json!(1));
        extra.insert(
            "alpha".into(),
            serde_json::json!({"nested": [true, null, 2.5]}),
        );
        let metadata = ResultMetadata {
            filename: "guide/install.md".into(),
            section: "Install > \"Linux\"".into(),
            tags: vec!["install".into(), "linux".into()],
            chunk_index: 4,
            metadata: extra,
        };
        let expected = serde_json::to_string(&metadata).unwrap();
        let rendered = Rendered::new(metadata).unwrap();
        assert_eq!(serde_json::to_string(&rendered).unwrap(), expected);
        assert_eq!(rendered.chunk_index, 4);
    }

    #[test]
    fn pretty_printing_a_parsed_copy_indents_it_like_the_value() {
        let metadata = ResultMetadata {
            filename: "a.md".into(),
            section: String::new(),
            tags: vec!["t".into()],
            chunk_index: 0,
            metadata: serde_json::Map::new(),
        };
        let expected = serde_json::to_string_pretty(&metadata).unwrap();
        let rendered = Rendered::new(metadata).unwrap();
        let value = serde_json::to_value(&rendered).unwrap();
        assert_eq!(serde_json::to_string_pretty(&value).unwrap(), expected);
    }

    #[test]
    fn clones_share_one_value() {
        let rendered = Rendered::new("shared".to_owned()).unwrap();
        let copy = rendered.clone();
        assert!(std::ptr::eq(rendered.as_str(), copy.as_str()));
    }
}
