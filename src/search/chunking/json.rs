//! Pre-chunked JSON input: `{"chunks": [{"content": str, "metadata"?: {}, "tags"?: [str],
//! "section"?: str}]}`. `section` is our extension; other keys of a chunk are ignored.

use serde::Deserialize;

use super::Chunk;

#[derive(Deserialize)]
struct File {
    chunks: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    content: String,
    #[serde(default)]
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    section: Option<String>,
}

/// The chunks of a pre-chunked file; an error (with serde's line and column) when the file does
/// not have that shape. Chunks with empty content are dropped.
pub(crate) fn parse_prechunked(text: &str) -> Result<Vec<Chunk>, String> {
    let file: File = serde_json::from_str(text)
        .map_err(|e| format!("not a pre-chunked JSON file ({{\"chunks\": [...]}}): {e}"))?;
    Ok(file
        .chunks
        .into_iter()
        .filter(|entry| !entry.content.trim().is_empty())
        .map(|entry| Chunk {
            content: entry.content,
            section: entry.section.unwrap_or_default(),
            tags: entry.tags.unwrap_or_default(),
            metadata: entry.metadata.unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_chunking_takes_content_metadata_and_tags_as_given() {
        let chunks = parse_prechunked(
            r#"{"chunks": [{"content": "Alpha text", "metadata": {"url": "u"}, "tags": ["faq"]},
                           {"content": "  "}, {"content": "Beta", "section": "B", "extra": 1}]}"#,
        )
        .unwrap();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].tags, vec!["faq"]);
        assert_eq!(chunks[0].metadata["url"], "u");
        assert_eq!(chunks[1].section, "B");
    }

    #[test]
    fn json_without_the_chunks_shape_is_refused_with_a_reason() {
        let error = parse_prechunked(r#"{"items": []}"#).unwrap_err();
        assert!(error.contains("chunks"));
        assert!(parse_prechunked("not json").is_err());
    }
}
