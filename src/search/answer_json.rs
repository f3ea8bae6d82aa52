//! The JSON of a search answer, written directly.
//!
//! Byte for byte what `serde_json` writes for [`SearchResponse`] (compact, fields in declaration
//! order; numbers and free-form metadata still go through `serde_json`), but strings, which are
//! nearly all of an answer (contents and highlights), are escaped eight bytes at a time: a block
//! with no quote, backslash or control character is copied as is.

use super::api::{QueryAnalysis, SearchResponse, SearchResult};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The answer up to the value of `took_ms`: `{"results":…,"query_analysis":…,"took_ms":`.
pub fn without_took_ms(response: &SearchResponse) -> Result<Vec<u8>, serde_json::Error> {
    let text: usize = response
        .results
        .iter()
        .map(|r| r.content.len() + r.highlights.iter().map(String::len).sum::<usize>())
        .sum();
    let mut out = Vec::with_capacity(text + text / 8 + 512);
    out.extend_from_slice(b"{\"results\":[");
    for (index, result) in response.results.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_result(&mut out, result)?;
    }
    out.extend_from_slice(b"],\"query_analysis\":");
    write_analysis(&mut out, &response.query_analysis);
    out.extend_from_slice(b",\"took_ms\":");
    Ok(out)
}

fn write_result(out: &mut Vec<u8>, result: &SearchResult) -> Result<(), serde_json::Error> {
    out.extend_from_slice(b"{\"content\":");
    write_str(out, &result.content);
    out.extend_from_slice(b",\"score\":");
    serde_json::to_writer(&mut *out, &result.score)?;
    let metadata = &result.metadata;
    out.extend_from_slice(b",\"metadata\":{\"filename\":");
    write_str(out, &metadata.filename);
    out.extend_from_slice(b",\"section\":");
    write_str(out, &metadata.section);
    out.extend_from_slice(b",\"tags\":");
    write_strs(out, &metadata.tags);
    out.extend_from_slice(b",\"chunk_index\":");
    serde_json::to_writer(&mut *out, &metadata.chunk_index)?;
    out.extend_from_slice(b",\"metadata\":");
    serde_json::to_writer(&mut *out, &metadata.metadata)?;
    out.extend_from_slice(b"},\"highlights\":");
    write_strs(out, &result.highlights);
    out.push(b'}');
    Ok(())
}

fn write_analysis(out: &mut Vec<u8>, analysis: &QueryAnalysis) {
    out.extend_from_slice(b"{\"original_query\":");
    write_str(out, &analysis.original_query);
    out.extend_from_slice(b",\"enhanced_query\":");
    write_str(out, &analysis.enhanced_query);
    out.extend_from_slice(b",\"detected_language\":");
    write_str(out, &analysis.detected_language);
    out.push(b'}');
}

fn write_strs(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_str(out, item);
    }
    out.push(b']');
}

/// A JSON string, escaped as `serde_json` escapes it: `"` and `\`, control characters as
/// `\b \f \n \r \t` or `\u00XX`; everything else, non-ASCII included, as is.
fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut plain = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(block) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(block.try_into().unwrap_or([0; 8]));
            let special = needs_escape(word);
            if special == 0 {
                at += 8;
                continue;
            }
            // The lowest flag is exact (the arithmetic can only over-flag above a real one).
            at += (special.trailing_zeros() / 8) as usize;
        }
        let byte = bytes[at];
        if byte < 0x20 || byte == b'"' || byte == b'\\' {
            out.extend_from_slice(&bytes[plain..at]);
            escape(out, byte);
            plain = at + 1;
        }
        at += 1;
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// The high bit of each byte of `word` that is a control character, `"` or `\` (and possibly of
/// later bytes too: only the lowest is certain).
#[inline]
fn needs_escape(word: u64) -> u64 {
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH_BITS;
    let control = word.wrapping_sub(0x20 * ONES) & !word & HIGH_BITS;
    control
        | zero_byte(word ^ (u64::from(b'"') * ONES))
        | zero_byte(word ^ (u64::from(b'\\') * ONES))
}

fn escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(byte >> 4)],
            HEX[usize::from(byte & 0xF)],
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::api::ResultMetadata;

    const PIECES: &[&str] = &[
        "plain text ",
        "\"",
        "\\",
        "\n",
        "\r\n",
        "\t",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{8}",
        "\u{c}",
        "é",
        "–",
        "😀",
        "<b>",
        "</b>",
        "12345678",
        "abc",
        "\u{2028}",
        "ü\"x",
    ];

    fn generated(seed: u64) -> String {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut text = String::new();
        for _ in 0..(seed % 50) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        text
    }

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_escapes_them() {
        for byte in 0..=0x7Fu8 {
            let text = format!("ab{}cdefghij{}", byte as char, byte as char);
            let mut ours = Vec::new();
            write_str(&mut ours, &text);
            assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{byte}");
        }
        for seed in 0..2000 {
            let text = generated(seed);
            let mut ours = Vec::new();
            write_str(&mut ours, &text);
            assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn an_answer_is_written_exactly_as_serde_json_writes_it() {
        let result = |seed: u64| SearchResult {
            content: generated(seed),
            score: 1.0 / (seed as f32 + 1.5),
            metadata: ResultMetadata {
                filename: generated(seed + 1),
                section: generated(seed + 2),
                tags: vec![generated(seed + 3), "code".into()],
                chunk_index: seed * 7,
                metadata: serde_json::json!({"doc": seed, "url": generated(seed + 4)})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            },
            highlights: vec![generated(seed + 5), generated(seed + 6)],
        };
        for count in 0..4u64 {
            let response = SearchResponse {
                results: (0..count).map(|i| result(count * 10 + i)).collect(),
                query_analysis: QueryAnalysis {
                    original_query: generated(count + 40),
                    enhanced_query: generated(count + 41),
                    detected_language: "en".into(),
                },
                took_ms: 0.123,
            };
            let mut ours = without_took_ms(&response).unwrap();
            serde_json::to_writer(&mut ours, &response.took_ms).unwrap();
            ours.push(b'}');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&response).unwrap()
            );
        }
    }
}
