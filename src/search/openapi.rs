//! The search routes in the OpenAPI document. The request body is parsed by hand (see
//! [`SearchRequest::from_json`](super::api::SearchRequest::from_json)) and a result is written
//! by hand, so their shapes are declared here as types; the OpenAPI test checks real answers
//! against them.

use schemars::JsonSchema;
use serde_json::{Map, Value, json};

use super::api::IndexListing;
use super::mode::{MatchKind, SearchMode};
use crate::server::openapi::{ApiDoc, LAYER_ERRORS};

/// The body of `POST /search`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct SearchBody {
    query: String,
    index_name: Option<String>,
    /// Results wanted (1 to 50, default 3).
    count: Option<u32>,
    similarity_threshold: Option<f32>,
    tags: Option<Vec<String>>,
    language: Option<String>,
    mode: Option<SearchMode>,
}

/// What each result's `metadata` holds.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ResultMetadataShape {
    filename: String,
    section: String,
    tags: Vec<String>,
    chunk_index: u64,
    metadata: Map<String, Value>,
    #[serde(rename = "match")]
    matched: MatchKind,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
struct SearchResultShape {
    content: String,
    score: f32,
    metadata: ResultMetadataShape,
    highlights: Vec<String>,
}

#[derive(JsonSchema)]
#[allow(dead_code)]
struct QueryAnalysisShape {
    original_query: String,
    enhanced_query: String,
    detected_language: String,
    mode: SearchMode,
    mode_note: Option<String>,
}

/// The answer of `POST /search`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct SearchAnswer {
    results: Vec<SearchResultShape>,
    query_analysis: QueryAnalysisShape,
    took_ms: f64,
}

/// The answer of `POST /reload_index`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct Reloaded {
    status: String,
    index_name: String,
    chunks: u64,
    default_index: Option<String>,
    warning: Option<String>,
}

pub(crate) fn describe(doc: &mut ApiDoc) {
    let body = doc.schema::<SearchBody>();
    let answer = doc.schema::<SearchAnswer>();
    let mut errors = LAYER_ERRORS.to_vec();
    errors.extend([404, 415, 503]);
    let responses = doc.responses("Ranked chunks", answer, &errors);
    doc.operation(
        "/search",
        "post",
        json!({
            "summary": "Search an index",
            "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
            "responses": responses,
        }),
    );
    let listing = doc.schema::<Vec<IndexListing>>();
    let responses = doc.responses("The loaded indexes", listing, &[401, 503]);
    doc.operation(
        "/search/indexes",
        "get",
        json!({"summary": "List the loaded indexes", "responses": responses}),
    );
    let reloaded = doc.schema::<Reloaded>();
    let responses = doc.responses("The index is loaded", reloaded, &[400, 401, 404, 503]);
    let query = |name: &str, required: bool| json!({"name": name, "in": "query", "required": required, "schema": {"type": "string"}});
    doc.operation(
        "/reload_index",
        "post",
        json!({
            "summary": "Load or replace an index from a folder under the indexes folder",
            "parameters": [query("index_name", true), query("index_path", false)],
            "responses": responses,
        }),
    );
}
