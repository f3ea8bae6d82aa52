//! The JSON of a search answer, and the same answer without its `took_ms`, so that a cached
//! answer can be completed with each request's own time.
//!
//! `took_ms` is the last field of [`SearchResponse`]: the answer is serialized by `serde_json`
//! once, and the part to cache ends right after the last `"took_ms":` (any earlier one sits
//! inside a string). Both are views of one buffer: nothing is copied to cache an answer.

use bytes::Bytes;

use super::api::SearchResponse;

const TOOK_MS_KEY: &[u8] = b"\"took_ms\":";

/// A serialized answer.
pub struct AnswerJson {
    /// The whole answer, as sent.
    pub full: Bytes,
    /// The answer up to the value of `took_ms`: `{"results":…,"query_analysis":…,"took_ms":`.
    pub without_took_ms: Bytes,
    /// Bytes the shared buffer holds (its capacity), what keeping either view costs.
    pub allocated: usize,
}

pub fn serialize(response: &SearchResponse) -> Result<AnswerJson, serde_json::Error> {
    let mut bytes = Vec::with_capacity(estimated_len(response));
    serde_json::to_writer(&mut bytes, response)?;
    let cut = bytes
        .windows(TOOK_MS_KEY.len())
        .rposition(|window| window == TOOK_MS_KEY)
        .map_or(bytes.len(), |start| start + TOOK_MS_KEY.len());
    let allocated = bytes.capacity();
    let full = Bytes::from(bytes);
    Ok(AnswerJson {
        without_took_ms: full.slice(..cut),
        full,
        allocated,
    })
}

/// About the serialized size, so the buffer is allocated once (chunks are written already;
/// highlights grow a little when escaped).
fn estimated_len(response: &SearchResponse) -> usize {
    let results: usize = response
        .results
        .iter()
        .map(|r| {
            let highlights: usize = r.highlights.iter().map(String::len).sum();
            r.content.json().len() + r.metadata.json().len() + highlights + highlights / 8 + 80
        })
        .sum();
    results + 2 * response.query_analysis.original_query.len() + 160
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::api::{QueryAnalysis, ResultMetadata, SearchResult};
    use crate::search::rendered::Rendered;

    #[test]
    fn completing_the_cut_answer_gives_the_serialized_answer() {
        let response = SearchResponse {
            results: vec![SearchResult {
                content: Rendered::new("a \"took_ms\": inside the text".into()).unwrap(),
                score: 0.5,
                metadata: Rendered::new(ResultMetadata {
                    filename: "a.md".into(),
                    section: "A".into(),
                    tags: vec!["x".into()],
                    chunk_index: 1,
                    metadata: serde_json::Map::new(),
                })
                .unwrap(),
                highlights: vec!["<b>took</b>".into()],
            }],
            query_analysis: QueryAnalysis {
                original_query: "took_ms".into(),
                enhanced_query: "took_m".into(),
                detected_language: "en".into(),
            },
            took_ms: 0.123,
        };
        let answer = serialize(&response).unwrap();
        assert_eq!(answer.full, serde_json::to_vec(&response).unwrap());
        assert!(answer.without_took_ms.ends_with(TOOK_MS_KEY));
        let mut completed = answer.without_took_ms.to_vec();
        serde_json::to_writer(&mut completed, &response.took_ms).unwrap();
        completed.push(b'}');
        assert_eq!(completed, answer.full);
    }
}
