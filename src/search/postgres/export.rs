//! Chunks moving between the two backends: out of a tantivy index into collection rows
//! (embedded now, by the model this server has, from the same text a tantivy build embeds), and
//! out of a collection into pre-chunked JSON files a tantivy build reads back (`--chunking
//! json`), one file per source file name.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};
use tantivy::{DocAddress, Index};

use super::collection::{self, missing_or_down};
use super::store::ChunkRow;
use crate::search::SearchError;
use crate::search::analyzer::parse_language;
use crate::search::embedding::Embedder;
use crate::search::manifest::Manifest;
use crate::search::readonly_dir::ReadOnlyDirectory;
use crate::search::schema::Fields;
use crate::search::stored::StoredChunk;
use crate::search::vectors::embed::text_to_embed;

/// Texts embedded per call.
const SLICE: usize = 32;

/// Every chunk of the tantivy index in folder `dir`, with its vector by `embedder`.
pub fn rows_of_index(dir: &Path, embedder: &Embedder) -> Result<Vec<ChunkRow>, SearchError> {
    let manifest = Manifest::read(dir)?;
    let language = parse_language(&manifest.language).ok_or_else(|| {
        SearchError::Manifest(format!("unsupported language '{}'", manifest.language))
    })?;
    let index = Index::open(ReadOnlyDirectory::open(&manifest.generation_dir(dir))?)?;
    let fields = Fields::resolve(&index.schema(), language)?;
    let searcher = index.reader()?.searcher();
    let mut rows = Vec::new();
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        for doc in reader.doc_ids_alive() {
            let stored: StoredChunk = searcher.doc(DocAddress::new(segment as u32, doc))?;
            let (content, metadata) = stored.into_parts(&fields);
            rows.push(ChunkRow {
                content,
                filename: metadata.filename,
                section: metadata.section,
                tags: metadata.tags,
                chunk_index: metadata.chunk_index,
                metadata: metadata.metadata,
                embedding: Vec::new(),
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.filename.as_str(), a.chunk_index).cmp(&(b.filename.as_str(), b.chunk_index))
    });
    embed_rows(&mut rows, embedder)?;
    Ok(rows)
}

/// Fills every row's vector from its section and content.
pub fn embed_rows(rows: &mut [ChunkRow], embedder: &Embedder) -> Result<(), SearchError> {
    for slice in rows.chunks_mut(SLICE) {
        let texts: Vec<String> = slice
            .iter()
            .map(|r| text_to_embed(&r.section, &r.content).text)
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for (row, vector) in slice.iter_mut().zip(embedder.embed(&refs)?) {
            row.embedding = vector;
        }
    }
    Ok(())
}

/// Writes the chunks of collection `name` into `out` as pre-chunked JSON files: one per
/// source file name, its chunks in order; a name not ending in `.json` gets that extension (a
/// pre-chunked file must have it). Returns the chunks written.
pub async fn collection_to_files(
    client: &tokio_postgres::Client,
    name: &str,
    out: &Path,
) -> Result<u64, SearchError> {
    collection::check(client, name).await?;
    let table = collection::chunks_table(name);
    let rows = client
        .query(
            &format!(
                "SELECT content, coalesce(filename, ''), coalesce(section, ''), \
                 coalesce(tags, '[]'::jsonb)::text, coalesce(metadata, '{{}}'::jsonb)::text \
                 FROM {table} ORDER BY filename, id"
            ),
            &[],
        )
        .await
        .map_err(|e| missing_or_down(&e, name))?;
    let mut files: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for row in &rows {
        let filename: String = row.get(1);
        let mut metadata: Map<String, Value> = serde_json::from_str(row.get(4)).unwrap_or_default();
        metadata.remove("chunk_index");
        let tags: Value = serde_json::from_str(row.get(3)).unwrap_or_else(|_| json!([]));
        files.entry(filename).or_default().push(json!({
            "content": row.get::<_, String>(0),
            "section": row.get::<_, String>(2),
            "tags": tags,
            "metadata": metadata,
        }));
    }
    for (filename, chunks) in &files {
        let mut relative = safe_relative(filename);
        if !relative.ends_with(".json") {
            relative.push_str(".json");
        }
        let path = out.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| SearchError::io(parent, e))?;
        }
        let text = json!({ "chunks": chunks }).to_string();
        std::fs::write(&path, text).map_err(|e| SearchError::io(&path, e))?;
    }
    Ok(rows.len() as u64)
}

/// A stored file name as a path that stays inside the output folder: only its normal parts.
fn safe_relative(filename: &str) -> String {
    let parts: Vec<&str> = filename
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    if parts.is_empty() {
        "unnamed".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_file_names_never_leave_the_output_folder() {
        assert_eq!(safe_relative("guide/install.md"), "guide/install.md");
        assert_eq!(safe_relative("../../etc/passwd"), "etc/passwd");
        assert_eq!(safe_relative("/abs/./x"), "abs/x");
        assert_eq!(safe_relative(""), "unnamed");
    }
}
