//! The stored fields of a chunk, read straight into owned values: tantivy's own document type
//! would first copy them into its compact layout, and the answer would copy them again.

use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, OwnedValue};

use super::api::ResultMetadata;
use super::schema::Fields;

/// Every stored value of one chunk, in stored order.
pub(crate) struct StoredChunk(Vec<(Field, OwnedValue)>);

impl DocumentDeserialize for StoredChunk {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(entry) = deserializer.next_field::<OwnedValue>()? {
            values.push(entry);
        }
        Ok(StoredChunk(values))
    }
}

impl StoredChunk {
    /// The first text value of `field`, moved out (empty when there is none).
    fn take_text(&mut self, field: Field) -> String {
        self.0
            .iter_mut()
            .find_map(|(f, value)| match value {
                OwnedValue::Str(text) if *f == field => Some(std::mem::take(text)),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The chunk's content and the metadata the API returns with it.
    pub(crate) fn into_parts(mut self, fields: &Fields) -> (String, ResultMetadata) {
        let content = self.take_text(fields.text);
        let filename = self.take_text(fields.filename);
        let section = self.take_text(fields.section);
        let metadata = self.take_text(fields.metadata);
        let chunk_index = self
            .0
            .iter()
            .find_map(|(f, value)| match value {
                OwnedValue::U64(n) if *f == fields.chunk_index => Some(*n),
                _ => None,
            })
            .unwrap_or_default();
        let tags = self
            .0
            .into_iter()
            .filter_map(|(f, value)| match value {
                OwnedValue::Str(tag) if f == fields.tags => Some(tag),
                _ => None,
            })
            .collect();
        let metadata = if metadata.is_empty() {
            serde_json::Map::new()
        } else {
            serde_json::from_str(&metadata).unwrap_or_default()
        };
        (
            content,
            ResultMetadata {
                filename,
                section,
                tags,
                chunk_index,
                metadata,
            },
        )
    }
}
