//! Wire types of the search API and the validation of a request body, field by field, so every
//! 400 names the field at fault. Knows nothing of actix: `routes` hands it bytes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::SearchError;
pub(crate) use super::mode::{MatchKind, SearchMode};
use super::rendered::Rendered;
use crate::config::SearchSettings;

pub(crate) const MAX_QUERY_CHARS: usize = 1000;
pub(crate) const MAX_COUNT: usize = 100;
pub(crate) const DEFAULT_COUNT: usize = 3;

/// How many tags a request may list and how many characters each may have, as sent (before
/// trimming and removing duplicates): `search.max_tags` and `search.max_tag_length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagLimits {
    pub count: usize,
    pub chars: usize,
}

impl TagLimits {
    pub fn of(settings: &SearchSettings) -> TagLimits {
        TagLimits {
            count: settings.max_tags,
            chars: settings.max_tag_length,
        }
    }
}

impl Default for TagLimits {
    fn default() -> TagLimits {
        TagLimits {
            count: SearchSettings::DEFAULT_MAX_TAGS,
            chars: SearchSettings::DEFAULT_MAX_TAG_LENGTH,
        }
    }
}

/// A validated `POST /search` body.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub query: String,
    pub index_name: Option<String>,
    pub count: usize,
    pub similarity_threshold: f32,
    /// Normalized like stored tags (trimmed, lowercased).
    pub tags: Vec<String>,
    /// Accepted for compatibility; analysis follows the index's language.
    pub language: Option<String>,
    /// The mode asked for; `None` is the index's default (hybrid when it has vectors).
    pub mode: Option<SearchMode>,
}

impl SearchRequest {
    /// A request with defaults for everything but the query (used by the CLI and agents).
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_owned(),
            index_name: None,
            count: DEFAULT_COUNT,
            similarity_threshold: 0.0,
            tags: Vec::new(),
            language: None,
            mode: None,
        }
    }

    /// Parses and validates a JSON body. Unknown fields are ignored; `null` means "not given";
    /// a field given twice is refused (which one would win is a guess). Linear in the body's
    /// size; the tag list is bounded by `limits`.
    pub fn from_json(body: &[u8], limits: &TagLimits) -> Result<SearchRequest, SearchError> {
        let not_json =
            |e: serde_json::Error| SearchError::Invalid(format!("body: invalid JSON ({e})"));
        // Checked first: serde would also take an array, as the fields in order.
        if body.trim_ascii_start().first() != Some(&b'{') {
            serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(not_json)?;
            return Err(invalid("body", "must be a JSON object"));
        }
        let fields: BodyFields = serde_json::from_slice(body).map_err(not_json)?;
        SearchRequest::from_fields(fields, limits)
    }

    fn from_fields(fields: BodyFields, limits: &TagLimits) -> Result<SearchRequest, SearchError> {
        let query = match fields.query {
            None => return Err(invalid("query", "is required")),
            Some(Value::String(text)) => text,
            Some(_) => return Err(invalid("query", "must be a string")),
        };
        if query.trim().is_empty() {
            return Err(invalid("query", "must not be empty"));
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(invalid(
                "query",
                &format!("must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let mut request = SearchRequest {
            query,
            ..SearchRequest::new("")
        };
        request.index_name = optional_string(fields.index_name, "index_name")?;
        request.language = optional_string(fields.language, "language")?;
        if let Some(count) = fields.count {
            request.count = count
                .as_u64()
                .filter(|n| (1..=MAX_COUNT as u64).contains(n))
                .ok_or_else(|| {
                    invalid(
                        "count",
                        &format!("must be an integer between 1 and {MAX_COUNT}"),
                    )
                })? as usize;
        }
        if let Some(threshold) = fields.similarity_threshold {
            request.similarity_threshold = threshold
                .as_f64()
                .filter(|t| (0.0..=1.0).contains(t))
                .ok_or_else(|| {
                    invalid("similarity_threshold", "must be a number between 0 and 1")
                })? as f32;
        }
        if let Some(tags) = fields.tags {
            request.tags = parse_tags(tags, limits)?;
        }
        request.mode = optional_string(fields.mode, "mode")?
            .map(|mode| mode.parse().map_err(|why: String| invalid("mode", &why)))
            .transpose()?;
        Ok(request)
    }
}

/// The fields of a body this API reads, each as whatever JSON was sent (`null` reads as absent),
/// so a value of the wrong type is reported with its field's name. Other fields are skipped
/// without being kept.
#[derive(Deserialize)]
struct BodyFields {
    #[serde(default)]
    query: Option<Value>,
    #[serde(default)]
    index_name: Option<Value>,
    #[serde(default)]
    count: Option<Value>,
    #[serde(default)]
    similarity_threshold: Option<Value>,
    #[serde(default)]
    tags: Option<Value>,
    #[serde(default)]
    language: Option<Value>,
    #[serde(default)]
    mode: Option<Value>,
}

fn invalid(field: &str, why: &str) -> SearchError {
    SearchError::Invalid(format!("{field}: {why}"))
}

fn optional_string(value: Option<Value>, name: &str) -> Result<Option<String>, SearchError> {
    match value {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(invalid(name, "must be a string")),
    }
}

fn parse_tags(value: Value, limits: &TagLimits) -> Result<Vec<String>, SearchError> {
    let Value::Array(items) = value else {
        return Err(invalid("tags", "must be an array of strings"));
    };
    if items.len() > limits.count {
        return Err(invalid(
            "tags",
            &format!("must list at most {} tags", limits.count),
        ));
    }
    let mut tags = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(tag) = item else {
            return Err(invalid("tags", "must be an array of strings"));
        };
        if tag.chars().nth(limits.chars).is_some() {
            return Err(invalid(
                "tags",
                &format!("each tag must be at most {} characters", limits.chars),
            ));
        }
        tags.push(tag);
    }
    Ok(super::build::normalize_tags(&tags))
}

/// The `POST /search` answer.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub results: Vec<SearchResult>,
    pub query_analysis: QueryAnalysis,
    pub took_ms: f64,
}

#[derive(Debug, Clone)]
pub struct SearchResult {
    /// Shared with the engine's [`ChunkCache`](super::chunk_cache::ChunkCache), JSON included.
    pub content: Rendered<String>,
    /// In [0, 1], non-increasing down the list (see docs/SEARCH.md, "Scores").
    pub score: f32,
    pub metadata: Rendered<ResultMetadata>,
    /// Which ranking found the chunk; written inside `metadata`, as its last key `match`.
    pub matched: MatchKind,
    pub highlights: Vec<Highlight>,
}

impl SearchResult {
    /// The JSON of `metadata` with `"match"` added: the chunk's stored metadata JSON (an
    /// object, shared between answers) up to its closing brace, then the key.
    pub fn write_metadata(&self, out: &mut Vec<u8>) {
        let stored = self.metadata.json();
        out.extend_from_slice(&stored.as_bytes()[..stored.len() - 1]);
        out.extend_from_slice(b",\"match\":\"");
        out.extend_from_slice(self.matched.as_str().as_bytes());
        out.extend_from_slice(b"\"}");
    }
}

impl Serialize for SearchResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeStruct};
        let mut metadata = Vec::with_capacity(self.metadata.json().len() + 24);
        self.write_metadata(&mut metadata);
        let metadata = String::from_utf8(metadata)
            .ok()
            .and_then(|json| serde_json::value::RawValue::from_string(json).ok())
            .ok_or_else(|| S::Error::custom("result metadata is not a JSON object"))?;
        let mut result = serializer.serialize_struct("SearchResult", 4)?;
        result.serialize_field("content", &self.content)?;
        result.serialize_field("score", &self.score)?;
        result.serialize_field("metadata", &metadata)?;
        result.serialize_field("highlights", &self.highlights)?;
        result.end()
    }
}

/// One highlight: a fragment of the content as HTML, with the matching words in `<b>…</b>`.
///
/// Kept as the JSON string literal an answer carries (quotes included), because the highlighter
/// escapes each fragment for HTML and for JSON in one pass: the answer writer
/// ([`answer_json`](super::answer_json)) copies it, where escaping it again for JSON was a
/// seventh of a new question's cost. [`Highlight::text`] gives the fragment itself.
#[derive(Clone, PartialEq, Eq)]
pub struct Highlight {
    json: String,
}

impl Highlight {
    /// From a JSON string literal, as the highlighter writes it.
    pub(crate) fn from_json_literal(json: String) -> Highlight {
        debug_assert!(serde_json::from_str::<String>(&json).is_ok(), "{json}");
        Highlight { json }
    }

    /// From the fragment's text (escaped here).
    pub fn from_text(text: &str) -> Highlight {
        Highlight {
            json: serde_json::Value::from(text).to_string(),
        }
    }

    /// The JSON string literal, quotes included.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The fragment as HTML.
    pub fn text(&self) -> String {
        // The literal was written by this crate, so it always parses.
        serde_json::from_str(&self.json).unwrap_or_default()
    }
}

impl std::fmt::Debug for Highlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.json)
    }
}

impl Serialize for Highlight {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultMetadata {
    pub filename: String,
    pub section: String,
    pub tags: Vec<String>,
    pub chunk_index: u64,
    pub metadata: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryAnalysis {
    pub original_query: String,
    /// The terms searched for (stemmed, stop words removed; typo corrections applied).
    pub enhanced_query: String,
    pub detected_language: String,
    /// The mode the search ran in.
    pub mode: SearchMode,
    /// Why it is not the mode asked for (an index without vectors answers lexically).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode_note: Option<String>,
}

/// One entry of `GET /search/indexes`.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub(crate) struct IndexListing {
    pub name: String,
    pub documents: u64,
    pub chunks: u64,
    pub built_at: String,
    pub sources: Vec<String>,
    pub size_bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<SearchRequest, String> {
        SearchRequest::from_json(body.as_bytes(), &TagLimits::default()).map_err(|e| e.to_string())
    }

    #[test]
    fn a_minimal_request_gets_the_defaults() {
        let request = parse(r#"{"query": "install", "unknown": 1}"#).unwrap();
        assert_eq!(request, SearchRequest::new("install"));
    }

    #[test]
    fn every_invalid_field_is_named_in_the_error() {
        let cases = [
            (r#"{}"#, "query: is required"),
            (r#"{"query": "  "}"#, "query: must not be empty"),
            (r#"{"query": 5}"#, "query: must be a string"),
            (
                r#"{"query": "a", "count": 0}"#,
                "count: must be an integer between 1 and 100",
            ),
            (r#"{"query": "a", "count": 101}"#, "count: must be"),
            (r#"{"query": "a", "count": 2.5}"#, "count: must be"),
            (r#"{"query": "a", "count": "3"}"#, "count: must be"),
            (
                r#"{"query": "a", "similarity_threshold": 1.5}"#,
                "similarity_threshold:",
            ),
            (r#"{"query": "a", "tags": "x"}"#, "tags: must be an array"),
            (r#"{"query": "a", "tags": [1]}"#, "tags: must be an array"),
            (
                r#"{"query": "a", "index_name": 7}"#,
                "index_name: must be a string",
            ),
            (r#"[1]"#, "body: must be a JSON object"),
            (r#" "query""#, "body: must be a JSON object"),
            (r#"{"query""#, "body: invalid JSON"),
            (r#"[1"#, "body: invalid JSON"),
            ("", "body: invalid JSON"),
            (r#"{"query": "a", "query": "b"}"#, "body: invalid JSON"),
            (
                r#"{"query": "a", "mode": "dense"}"#,
                "mode: must be hybrid, lexical or semantic",
            ),
            (r#"{"query": "a", "mode": 1}"#, "mode: must be a string"),
        ];
        for (body, expected) in cases {
            let error = parse(body).unwrap_err();
            assert!(error.starts_with(expected), "{body}: {error}");
        }
        let long = format!(r#"{{"query": "{}"}}"#, "a".repeat(1001));
        assert!(
            parse(&long)
                .unwrap_err()
                .starts_with("query: must be at most")
        );
    }

    #[test]
    fn tag_lists_are_bounded_in_count_and_length_as_sent() {
        let limits = TagLimits { count: 2, chars: 3 };
        let parse = |body: &str| {
            SearchRequest::from_json(body.as_bytes(), &limits).map_err(|e| e.to_string())
        };
        assert_eq!(
            parse(r#"{"query": "a", "tags": ["abc", "ÉÉÉ"]}"#)
                .unwrap()
                .tags,
            ["abc", "ééé"]
        );
        let error = parse(r#"{"query": "a", "tags": ["a", "a", "a"]}"#).unwrap_err();
        assert_eq!(error, "tags: must list at most 2 tags");
        let error = parse(r#"{"query": "a", "tags": ["abcd"]}"#).unwrap_err();
        assert_eq!(error, "tags: each tag must be at most 3 characters");
    }

    #[test]
    fn a_mode_is_read_by_name_and_absent_means_the_index_default() {
        assert_eq!(parse(r#"{"query": "a"}"#).unwrap().mode, None);
        for (name, mode) in [
            ("hybrid", SearchMode::Hybrid),
            ("lexical", SearchMode::Lexical),
            ("semantic", SearchMode::Semantic),
        ] {
            let body = format!(r#"{{"query": "a", "mode": "{name}"}}"#);
            assert_eq!(parse(&body).unwrap().mode, Some(mode));
        }
        assert_eq!(parse(r#"{"query": "a", "mode": null}"#).unwrap().mode, None);
    }

    #[test]
    fn tags_are_normalized_and_nulls_mean_absent() {
        let request =
            parse(r#"{"query": "a", "tags": [" Code ", "code"], "count": null}"#).unwrap();
        assert_eq!(request.tags, vec!["code"]);
        assert_eq!(request.count, DEFAULT_COUNT);
    }
}
