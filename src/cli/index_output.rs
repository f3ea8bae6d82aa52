//! What `index` subcommands print: search results and sizes.

use crate::search::SearchResponse;
use crate::search::api::Highlight;
use crate::search::manifest::Manifest;

/// Results as numbered lines: score, file, section, chunk, and the first highlight (or the
/// opening of the content).
pub(super) fn print_results(response: &SearchResponse) {
    if response.results.is_empty() {
        println!(
            "no results for '{}'",
            response.query_analysis.original_query
        );
    }
    for (rank, result) in response.results.iter().enumerate() {
        let meta = &result.metadata;
        let section = if meta.section.is_empty() {
            String::new()
        } else {
            format!(" > {}", meta.section)
        };
        println!(
            "{}. [{:.3}] {}{section} (chunk {})",
            rank + 1,
            result.score,
            meta.filename,
            meta.chunk_index
        );
        let excerpt = result
            .highlights
            .first()
            .map(Highlight::text)
            .unwrap_or_else(|| {
                let text: String = result.content.chars().take(200).collect();
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            });
        println!("   {excerpt}");
    }
}

/// The vectors line of `index info` and the build summary.
pub(super) fn vectors_line(manifest: &Manifest) -> String {
    match &manifest.vectors {
        None => "none (lexical search only)".to_owned(),
        Some(v) => format!(
            "{} ({} dimensions, weights sha256 {}, model folder {}), rrf k {}, {} embedded, {} reused",
            v.model,
            v.dimension,
            &v.sha256[..v.sha256.len().min(12)],
            v.model_dir.display(),
            v.rrf_k,
            v.embedded,
            v.reused
        ),
    }
}

/// `bytes` in B, KiB, MiB or GiB.
pub(super) fn human_size(bytes: u64) -> String {
    const UNITS: &[&str] = &["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
