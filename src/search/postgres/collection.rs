//! A collection as the Python reference SDK lays it out, so either side serves what the other
//! built: the chunks of collection `C` in table `chunks_C` (`id`, `content`,
//! `processed_content`, `embedding vector(384)`, `filename`, `section`, `tags` as a JSON array,
//! `metadata` as a JSON object, `metadata_text`, `created_at`), and one row per collection in
//! `collection_config` (`collection_name`, `model_name`, `embedding_dimensions`,
//! `chunking_strategy`, `languages`, `created_at`, `metadata`).
//!
//! Only collections embedded with the model this server has (all-MiniLM-L6-v2, 384 dimensions)
//! are served: a query vector of another model would be compared with vectors it has nothing in
//! common with. Any other model is refused with its name.

use tokio_postgres::Client;

use super::connect::unavailable;
use crate::search::SearchError;

/// The name this server writes in `collection_config.model_name` (the reference's own name
/// for the model).
pub(crate) const MODEL_NAME: &str = "sentence-transformers/all-MiniLM-L6-v2";
/// The dimension of that model's vectors.
pub(crate) const DIMENSION: i32 = 384;

/// The table of the chunks of `collection` (quoted: the reference keeps the case).
pub(crate) fn chunks_table(collection: &str) -> String {
    format!("\"chunks_{collection}\"")
}

/// The `collection_config` table, created when missing (the reference's layout).
pub(crate) const CONFIG_TABLE: &str = "CREATE TABLE IF NOT EXISTS collection_config (
    collection_name TEXT PRIMARY KEY,
    model_name TEXT,
    embedding_dimensions INTEGER,
    chunking_strategy TEXT,
    languages JSONB,
    created_at TIMESTAMP DEFAULT NOW(),
    metadata JSONB DEFAULT '{}'::jsonb
)";

/// The chunks table `table` (already quoted), in the reference's layout.
pub(crate) fn create_chunks_table(table: &str) -> String {
    format!(
        "CREATE TABLE {table} (
            id SERIAL PRIMARY KEY,
            content TEXT NOT NULL,
            processed_content TEXT,
            embedding vector({DIMENSION}),
            filename TEXT,
            section TEXT,
            tags JSONB DEFAULT '[]'::jsonb,
            metadata JSONB DEFAULT '{{}}'::jsonb,
            metadata_text TEXT,
            created_at TIMESTAMP DEFAULT NOW()
        )"
    )
}

/// Whether `model_name` (as the reference writes it: a Hugging Face id, its last part, or its
/// alias `mini`) is the model this server embeds with.
pub(crate) fn is_our_model(model_name: &str) -> bool {
    let name = model_name.trim().to_ascii_lowercase();
    let last = name.rsplit('/').next().unwrap_or_default();
    last == "all-minilm-l6-v2" || name == "mini"
}

/// What `collection_config` says of a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionInfo {
    pub model_name: String,
    pub created_at: String,
}

/// Reads the collection's configuration and refuses a collection this server cannot serve:
/// missing, or embedded with another model (named in the error).
pub(crate) async fn check(
    client: &Client,
    collection: &str,
) -> Result<CollectionInfo, SearchError> {
    let row = client
        .query_opt(
            "SELECT coalesce(model_name, ''), coalesce(embedding_dimensions, 0), \
             coalesce(to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') \
             FROM collection_config WHERE collection_name = $1",
            &[&collection],
        )
        .await
        .map_err(|e| missing_or_down(&e, collection))?
        .ok_or_else(|| {
            SearchError::Unavailable(format!(
                "collection '{collection}' is not in collection_config"
            ))
        })?;
    let model_name: String = row.get(0);
    let dimensions: i32 = row.get(1);
    if !is_our_model(&model_name) || dimensions != DIMENSION {
        return Err(SearchError::Manifest(format!(
            "collection '{collection}' was embedded with model '{model_name}' \
             ({dimensions} dimensions); this server embeds with {MODEL_NAME} ({DIMENSION})"
        )));
    }
    Ok(CollectionInfo {
        model_name,
        created_at: row.get(2),
    })
}

/// Chunks, distinct files and bytes on disk of a collection's table.
pub(crate) async fn stats(
    client: &Client,
    collection: &str,
) -> Result<(u64, u64, u64), SearchError> {
    let table = chunks_table(collection);
    let row = client
        .query_one(
            &format!(
                "SELECT count(*), count(DISTINCT filename), \
                 pg_total_relation_size('{table}'::regclass) FROM {table}"
            ),
            &[],
        )
        .await
        .map_err(|e| missing_or_down(&e, collection))?;
    let count = |i: usize| u64::try_from(row.get::<_, i64>(i)).unwrap_or_default();
    Ok((count(0), count(1), count(2)))
}

/// A missing table (a collection not built yet, or dropped) and any other database failure make
/// the index unavailable until it is there again; the message says which.
pub(crate) fn missing_or_down(error: &tokio_postgres::Error, collection: &str) -> SearchError {
    use tokio_postgres::error::SqlState;
    match error.code() {
        Some(&SqlState::UNDEFINED_TABLE) => SearchError::Unavailable(format!(
            "collection '{collection}' does not exist in the database"
        )),
        _ => unavailable(error),
    }
}
