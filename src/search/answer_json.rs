//! The JSON of a search answer without its `took_ms`, so that a cached answer can be completed
//! with each request's own time.
//!
//! `took_ms` is the last field of [`SearchResponse`]: the answer is serialized by `serde_json`
//! and cut right after the last `"took_ms":` (any earlier one sits inside a string).

use super::api::SearchResponse;

const TOOK_MS_KEY: &[u8] = b"\"took_ms\":";

/// The answer up to the value of `took_ms`: `{"results":…,"query_analysis":…,"took_ms":`.
pub fn without_took_ms(response: &SearchResponse) -> Result<Vec<u8>, serde_json::Error> {
    let mut bytes = serde_json::to_vec(response)?;
    let cut = bytes
        .windows(TOOK_MS_KEY.len())
        .rposition(|window| window == TOOK_MS_KEY)
        .map_or(bytes.len(), |start| start + TOOK_MS_KEY.len());
    bytes.truncate(cut);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::api::{QueryAnalysis, ResultMetadata, SearchResult};

    #[test]
    fn completing_the_cut_answer_gives_the_serialized_answer() {
        let response = SearchResponse {
            results: vec![SearchResult {
                content: "a \"took_ms\": inside the text".into(),
                score: 0.5,
                metadata: ResultMetadata {
                    filename: "a.md".into(),
                    section: "A".into(),
                    tags: vec!["x".into()],
                    chunk_index: 1,
                    metadata: serde_json::Map::new(),
                },
                highlights: vec!["<b>took</b>".into()],
            }],
            query_analysis: QueryAnalysis {
                original_query: "took_ms".into(),
                enhanced_query: "took_m".into(),
                detected_language: "en".into(),
            },
            took_ms: 0.123,
        };
        let mut completed = without_took_ms(&response).unwrap();
        assert!(completed.ends_with(TOOK_MS_KEY));
        serde_json::to_writer(&mut completed, &response.took_ms).unwrap();
        completed.push(b'}');
        assert_eq!(completed, serde_json::to_vec(&response).unwrap());
    }
}
