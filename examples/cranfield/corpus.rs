//! The Cranfield collection as an index of this server: one pre-chunked JSON chunk per document
//! (title and abstract as its content, the document id in its metadata), built by the server's
//! own builder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use swml_server::measuring::EmbeddingOptions;
use swml_server::measuring::Silent;
use swml_server::measuring::Strategy;
use swml_server::measuring::{BuildOptions, build_index};

use crate::data::Document;

/// How the documents are laid out in the index.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Layout {
    /// Also put each title in the section field (it is part of the content either way).
    pub title_as_section: bool,
}

/// A built Cranfield index.
pub(crate) struct Built {
    pub dir: PathBuf,
    pub elapsed: Duration,
    pub chunks: u64,
    pub size_bytes: u64,
}

/// Indexes `documents` into `root/<name>` (the JSON source is written beside it), word pairs
/// formed within `pair_window`, embedded with `embeddings` when given.
pub(crate) fn build(
    root: &Path,
    name: &str,
    documents: &[Document],
    layout: Layout,
    pair_window: usize,
    embeddings: Option<EmbeddingOptions>,
) -> anyhow::Result<Built> {
    let chunks: Vec<serde_json::Value> = documents
        .iter()
        .map(|d| {
            let section = if layout.title_as_section {
                d.title.as_str()
            } else {
                ""
            };
            serde_json::json!({
                "content": format!("{}\n{}", d.title, d.text).trim(),
                "section": section,
                "metadata": {"doc": d.id},
            })
        })
        .collect();
    let source = root.join(format!("{name}.json"));
    std::fs::write(
        &source,
        serde_json::to_vec(&serde_json::json!({ "chunks": chunks }))?,
    )?;
    let dir = root.join(name);
    let mut options = BuildOptions::new(name, vec![source], dir.clone());
    options.chunking.strategy = Strategy::Json;
    options.pair_window = pair_window;
    options.embeddings = embeddings;
    let summary = build_index(&options, &mut Silent)?;
    Ok(Built {
        dir,
        elapsed: summary.elapsed,
        chunks: summary.manifest.chunks,
        size_bytes: summary.manifest.size_bytes,
    })
}
