//! SWML (SignalWire Markup Language): the JSON document that tells the platform what to do on a
//! call. A [`Document`] is an ordered set of named sections, each a list of [`Verb`]s; `main` is
//! where the platform starts.
//!
//! The model is deliberately thin (a verb is its name and a JSON body) so every verb of the
//! official schema can be expressed; [`verbs`] has typed constructors for the verbs this crate
//! emits itself. Serialization follows the schema exactly:
//! `{"version":"1.0.0","sections":{"main":[{"answer":{}}, ...]}}`.

pub mod verbs;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// The only SWML version the platform speaks.
pub const SWML_VERSION: &str = "1.0.0";

/// One SWML instruction: `{"<name>": <body>}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Verb {
    name: String,
    body: Value,
}

impl Verb {
    /// A verb with any name and body, for verbs without a typed constructor in [`verbs`].
    pub fn new(name: impl Into<String>, body: impl Into<Value>) -> Verb {
        Verb {
            name: name.into(),
            body: body.into(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn body(&self) -> &Value {
        &self.body
    }

    /// The verb as the JSON object the document holds.
    pub fn to_value(&self) -> Value {
        self.clone().into_value()
    }

    /// Like [`to_value`](Self::to_value), moving the body instead of copying it.
    pub fn into_value(self) -> Value {
        let mut object = Map::with_capacity(1);
        object.insert(self.name, self.body);
        Value::Object(object)
    }
}

impl Serialize for Verb {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&self.name, &self.body)?;
        map.end()
    }
}

/// A complete SWML document. Sections keep the order they were added in; `main` always exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    sections: Vec<(String, Vec<Verb>)>,
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}

impl Document {
    /// An empty document with an empty `main` section.
    pub fn new() -> Document {
        Document {
            sections: vec![("main".to_string(), Vec::new())],
        }
    }

    /// A document whose `main` section is `verbs`.
    pub fn with_main(verbs: impl IntoIterator<Item = Verb>) -> Document {
        Document {
            sections: vec![("main".to_string(), verbs.into_iter().collect())],
        }
    }

    /// Appends a verb to `main`.
    pub fn push(&mut self, verb: Verb) -> &mut Self {
        self.section_mut("main").push(verb);
        self
    }

    /// Appends a verb to the named section, creating the section if needed.
    pub fn push_to(&mut self, section: &str, verb: Verb) -> &mut Self {
        self.section_mut(section).push(verb);
        self
    }

    /// Adds an empty section (no change when it exists), keeping the order sections are added in.
    pub fn add_section(&mut self, name: &str) -> &mut Self {
        self.section_mut(name);
        self
    }

    /// The verbs of a section, if it exists.
    pub fn section(&self, name: &str) -> Option<&[Verb]> {
        self.sections
            .iter()
            .find(|(section, _)| section == name)
            .map(|(_, verbs)| verbs.as_slice())
    }

    /// The verbs of the named section, to edit in place (created when missing): how a
    /// per-request closure inserts a verb where it belongs.
    pub fn verbs_mut(&mut self, name: &str) -> &mut Vec<Verb> {
        self.section_mut(name)
    }

    fn section_mut(&mut self, name: &str) -> &mut Vec<Verb> {
        let index = match self
            .sections
            .iter()
            .position(|(section, _)| section == name)
        {
            Some(index) => index,
            None => {
                self.sections.push((name.to_string(), Vec::new()));
                self.sections.len() - 1
            }
        };
        &mut self.sections[index].1
    }

    /// The document as JSON.
    pub fn to_value(&self) -> Value {
        self.clone().into_value()
    }

    /// Like [`to_value`](Self::to_value), moving the verbs instead of copying them: a rendered
    /// document is large, and each request renders one.
    pub fn into_value(self) -> Value {
        let mut sections = Map::with_capacity(self.sections.len());
        for (name, verbs) in self.sections {
            let verbs = verbs.into_iter().map(Verb::into_value).collect();
            sections.insert(name, Value::Array(verbs));
        }
        let mut document = Map::with_capacity(2);
        document.insert("version".into(), Value::from(SWML_VERSION));
        document.insert("sections".into(), Value::Object(sections));
        Value::Object(document)
    }
}

/// The sections in order, serialized as one JSON object without building a `Value` first.
struct Sections<'a>(&'a [(String, Vec<Verb>)]);

impl Serialize for Sections<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, verbs) in self.0 {
            map.serialize_entry(name, verbs)?;
        }
        map.end()
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("version", SWML_VERSION)?;
        map.serialize_entry("sections", &Sections(&self.sections))?;
        map.end()
    }
}

impl From<Document> for Value {
    fn from(document: Document) -> Value {
        document.into_value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_document_has_a_version_and_an_empty_main_section() {
        assert_eq!(
            Document::new().to_value(),
            json!({"version": "1.0.0", "sections": {"main": []}})
        );
    }

    #[test]
    fn verbs_render_as_single_key_objects_in_the_order_they_were_added() {
        let mut document = Document::new();
        document
            .push(Verb::new("answer", json!({})))
            .push(Verb::new("hangup", json!({})));
        document.push_to("other", Verb::new("play", json!({"url": "say:hi"})));
        assert_eq!(
            serde_json::to_value(&document).unwrap(),
            json!({"version": "1.0.0", "sections": {
                "main": [{"answer": {}}, {"hangup": {}}],
                "other": [{"play": {"url": "say:hi"}}]
            }})
        );
    }
}
