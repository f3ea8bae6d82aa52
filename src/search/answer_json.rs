//! The JSON of a search answer, and the same answer without its `took_ms`, so that a cached
//! answer can be completed with each request's own time.
//!
//! Written here rather than by `serde_json` from the derived `Serialize`: most of an answer is
//! already JSON (each result's content and metadata, see [`Rendered`](super::rendered), and its
//! highlights, see [`Highlight`](super::api::Highlight)), and this writer copies those texts
//! where the derived one would decode and escape the highlights again: 5 to 15 times faster, up
//! to 40% of an uncached answer's work on the `docs` index (docs/BENCHMARKS.md, "Answer
//! serialization"). The tests check the two write the same bytes. `took_ms` is the last field:
//! the part to cache ends right before its value. Both parts are views of one buffer: nothing is
//! copied to cache an answer.

use bytes::Bytes;

use super::api::{SearchResponse, SearchResult};

/// A serialized answer.
pub struct AnswerJson {
    /// The whole answer, as sent.
    pub full: Bytes,
    /// The answer up to the value of `took_ms`: `{"results":…,"query_analysis":…,"took_ms":`.
    pub without_took_ms: Bytes,
    /// Bytes the shared buffer holds (its capacity), what keeping either view costs.
    pub allocated: usize,
}

/// Writes `response` as `serde_json::to_vec` would (same fields, same order, compact).
pub fn serialize(response: &SearchResponse) -> Result<AnswerJson, serde_json::Error> {
    let mut out = Vec::with_capacity(estimated_len(response));
    out.extend_from_slice(b"{\"results\":[");
    for (n, result) in response.results.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write_result(&mut out, result)?;
    }
    out.extend_from_slice(b"],\"query_analysis\":");
    serde_json::to_writer(&mut out, &response.query_analysis)?;
    out.extend_from_slice(b",\"took_ms\":");
    let cut = out.len();
    serde_json::to_writer(&mut out, &response.took_ms)?;
    out.push(b'}');
    let allocated = out.capacity();
    let full = Bytes::from(out);
    Ok(AnswerJson {
        without_took_ms: full.slice(..cut),
        full,
        allocated,
    })
}

fn write_result(out: &mut Vec<u8>, result: &SearchResult) -> Result<(), serde_json::Error> {
    out.extend_from_slice(b"{\"content\":");
    out.extend_from_slice(result.content.json().as_bytes());
    out.extend_from_slice(b",\"score\":");
    serde_json::to_writer(&mut *out, &result.score)?;
    out.extend_from_slice(b",\"metadata\":");
    result.write_metadata(out);
    out.extend_from_slice(b",\"highlights\":[");
    for (n, highlight) in result.highlights.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(highlight.json().as_bytes());
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// About the serialized size, so the buffer is allocated once.
fn estimated_len(response: &SearchResponse) -> usize {
    let results: usize = response
        .results
        .iter()
        .map(|r| {
            let highlights: usize = r.highlights.iter().map(|h| h.json().len() + 1).sum();
            r.content.json().len() + r.metadata.json().len() + highlights + 104
        })
        .sum();
    results + 2 * response.query_analysis.original_query.len() + 160
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::api::{Highlight, MatchKind, QueryAnalysis, ResultMetadata, SearchMode};
    use crate::search::rendered::Rendered;

    fn result(n: usize) -> SearchResult {
        let mut metadata = serde_json::Map::new();
        if n % 2 == 1 {
            metadata.insert("author".into(), "A \"quoted\" name".into());
        }
        SearchResult {
            content: Rendered::new(format!("chunk {n}: a \"took_ms\": inside the text\n")).unwrap(),
            score: 0.5 / (n as f32 + 1.0),
            metadata: Rendered::new(ResultMetadata {
                filename: "a.md".into(),
                section: "A > B".into(),
                tags: vec!["x".into(); n],
                chunk_index: n as u64,
                metadata,
            })
            .unwrap(),
            matched: [MatchKind::Lexical, MatchKind::Semantic, MatchKind::Both][n % 3],
            highlights: (0..n)
                .map(|i| Highlight::from_text(&format!("... <b>took</b> \"{i}\" \\ ...")))
                .collect(),
        }
    }

    fn response(results: usize) -> SearchResponse {
        SearchResponse {
            results: (0..results).map(result).collect(),
            query_analysis: QueryAnalysis {
                original_query: "took_ms \"x\" \u{1}".into(),
                enhanced_query: "took_m x".into(),
                detected_language: "en".into(),
                mode: SearchMode::Hybrid,
                mode_note: (results % 2 == 1).then(|| "a \"note\"".into()),
            },
            took_ms: 0.123,
        }
    }

    #[test]
    fn the_answer_is_what_serde_json_writes_and_the_cut_ends_at_took_ms() {
        for results in 0..4 {
            let response = response(results);
            let answer = serialize(&response).unwrap();
            assert_eq!(
                answer.full,
                serde_json::to_vec(&response).unwrap(),
                "{results} results"
            );
            assert!(answer.without_took_ms.ends_with(b"\"took_ms\":"));
            let mut completed = answer.without_took_ms.to_vec();
            serde_json::to_writer(&mut completed, &response.took_ms).unwrap();
            completed.push(b'}');
            assert_eq!(completed, answer.full);
            assert!(answer.allocated >= answer.full.len());
        }
    }
}
