//! Writing a collection: every chunk into a new table beside the live one, its indexes made,
//! then the new table swapped in by renames in one transaction with the `collection_config`
//! row. A search runs against the old table or the new one, never a half-written one, and a
//! failed write leaves the live table as it was. One write per collection at a time (an
//! advisory lock); a second one is refused as busy.

use serde_json::{Map, Value};
use tokio_postgres::Client;

use super::collection::{self, CONFIG_TABLE, DIMENSION, MODEL_NAME};
use super::connect::{Connections, unavailable};
use super::rank::vector_text;
use crate::search::SearchError;

/// Rows sent per statement.
const BATCH: usize = 500;

/// One chunk as a collection stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkRow {
    pub content: String,
    pub filename: String,
    pub section: String,
    pub tags: Vec<String>,
    /// Kept in the row's `metadata` under `chunk_index`.
    pub chunk_index: u64,
    pub metadata: Map<String, Value>,
    /// The chunk's vector by [`MODEL_NAME`].
    pub embedding: Vec<f32>,
}

impl ChunkRow {
    /// The `metadata` column: the chunk's own metadata and its `chunk_index`.
    fn metadata_json(&self) -> String {
        let mut metadata = self.metadata.clone();
        metadata.insert("chunk_index".into(), self.chunk_index.into());
        Value::Object(metadata).to_string()
    }

    /// The `metadata_text` column as the reference fills it (its metadata search reads it):
    /// metadata keys and values, tags and section, lowercased, space separated.
    fn metadata_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (key, value) in &self.metadata {
            parts.push(key.to_lowercase());
            match value {
                Value::Array(items) => parts.extend(items.iter().map(plain_lower)),
                other => parts.push(plain_lower(other)),
            }
        }
        parts.extend(self.tags.iter().map(|t| t.to_lowercase()));
        if !self.section.is_empty() {
            parts.push(self.section.to_lowercase());
        }
        parts.join(" ")
    }
}

fn plain_lower(value: &Value) -> String {
    match value {
        Value::String(text) => text.to_lowercase(),
        other => other.to_string().to_lowercase(),
    }
}

/// What a write records about the collection.
pub struct Written {
    pub chunks: u64,
}

/// Replaces collection `name` with `rows`, `strategy` recorded as its chunking strategy.
pub async fn write_collection(
    connections: &Connections,
    name: &str,
    rows: &[ChunkRow],
    strategy: &str,
) -> Result<Written, SearchError> {
    if rows.is_empty() {
        return Err(SearchError::Empty(format!("nothing to write to '{name}'")));
    }
    let mut client = connections.get().await?;
    let db = |e: tokio_postgres::Error| unavailable(&e);
    // A build's statements (index creation above all) may take longer than a search's.
    client
        .batch_execute("SET statement_timeout = 0; CREATE EXTENSION IF NOT EXISTS vector")
        .await
        .map_err(db)?;
    let locked: bool = client
        .query_one(
            "SELECT pg_try_advisory_lock(hashtext('swml-server collection ' || $1))",
            &[&name],
        )
        .await
        .map_err(db)?
        .get(0);
    if !locked {
        return Err(SearchError::Busy(format!(
            "collection '{name}' is being written by another build"
        )));
    }
    let outcome = write_locked(&mut client, name, rows, strategy).await;
    // Also released when the connection closes, whatever happened.
    let _ = client
        .execute(
            "SELECT pg_advisory_unlock(hashtext('swml-server collection ' || $1))",
            &[&name],
        )
        .await;
    outcome
}

async fn write_locked(
    client: &mut deadpool_postgres::Object,
    name: &str,
    rows: &[ChunkRow],
    strategy: &str,
) -> Result<Written, SearchError> {
    let db = |e: tokio_postgres::Error| unavailable(&e);
    let live = collection::chunks_table(name);
    let fresh = format!("\"chunks_{name}__new\"");
    let old = format!("\"chunks_{name}__old\"");
    client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {fresh}; {}",
            collection::create_chunks_table(&fresh)
        ))
        .await
        .map_err(db)?;
    for batch in rows.chunks(BATCH) {
        insert(client, &fresh, batch).await?;
    }
    client
        .batch_execute(&format!(
            "CREATE INDEX ON {fresh} USING hnsw (embedding vector_cosine_ops); \
             CREATE INDEX ON {fresh} USING gin (to_tsvector('english', content)); \
             CREATE INDEX ON {fresh} USING gin (tags); \
             CREATE INDEX ON {fresh} USING gin (metadata); ANALYZE {fresh}"
        ))
        .await
        .map_err(db)?;
    let swap = client.transaction().await.map_err(db)?;
    swap.batch_execute(&format!(
        "{CONFIG_TABLE}; DROP TABLE IF EXISTS {old}; \
         ALTER TABLE IF EXISTS {live} RENAME TO \"chunks_{name}__old\"; \
         ALTER TABLE {fresh} RENAME TO \"chunks_{name}\""
    ))
    .await
    .map_err(db)?;
    swap.execute(
        "INSERT INTO collection_config (collection_name, model_name, embedding_dimensions, \
         chunking_strategy, languages, created_at, metadata) \
         VALUES ($1, $2, $3, $4, '[\"en\"]'::jsonb, NOW(), '{}'::jsonb) \
         ON CONFLICT (collection_name) DO UPDATE SET model_name = EXCLUDED.model_name, \
         embedding_dimensions = EXCLUDED.embedding_dimensions, \
         chunking_strategy = EXCLUDED.chunking_strategy, languages = EXCLUDED.languages, \
         created_at = EXCLUDED.created_at",
        &[&name, &MODEL_NAME, &DIMENSION, &strategy],
    )
    .await
    .map_err(db)?;
    swap.commit().await.map_err(db)?;
    client
        .batch_execute(&format!("DROP TABLE IF EXISTS {old}"))
        .await
        .map_err(db)?;
    Ok(Written {
        chunks: rows.len() as u64,
    })
}

async fn insert(client: &Client, table: &str, rows: &[ChunkRow]) -> Result<(), SearchError> {
    let column = |f: &dyn Fn(&ChunkRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let content = column(&|r| r.content.clone());
    let embedding = column(&|r| vector_text(&r.embedding));
    let filename = column(&|r| r.filename.clone());
    let section = column(&|r| r.section.clone());
    let tags = column(&|r| Value::from(r.tags.clone()).to_string());
    let metadata = column(&|r| r.metadata_json());
    let metadata_text = column(&|r| r.metadata_text());
    let sql = format!(
        "INSERT INTO {table} (content, processed_content, embedding, filename, section, tags, \
         metadata, metadata_text) \
         SELECT c, c, e::vector, f, s, t::jsonb, m::jsonb, mt \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                     $7::text[]) AS u(c, e, f, s, t, m, mt)"
    );
    client
        .execute(
            &sql,
            &[
                &content,
                &embedding,
                &filename,
                &section,
                &tags,
                &metadata,
                &metadata_text,
            ],
        )
        .await
        .map_err(|e| unavailable(&e))?;
    Ok(())
}
