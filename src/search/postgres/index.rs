//! One index served from a PostgreSQL collection: its pool, what is known of the collection,
//! and its state for `/health` (an outage is that index's, not the server's).
//!
//! A search runs on the PostgreSQL thread (see `runtime`), bounded in all by the connect timeout
//! plus three statement timeouts (a ranking, a second ranking for hybrid, the read), so a
//! database that stops answering costs a request at most that long, never a worker. Any database
//! failure answers 503 with `Retry-After` and marks the index unavailable until a search
//! succeeds again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::collection::{self, CollectionInfo};
use super::connect::Connections;
use super::{fetch, rank, runtime};
use crate::config::{PostgresIndex, PostgresSettings};
use crate::search::SearchError;
use crate::search::api::{QueryAnalysis, SearchMode, SearchRequest, SearchResponse};

/// The mode of a request that names none (docs/BENCHMARKS.md: on Cranfield, PostgreSQL's text
/// ranking is far below the vectors, and fusing it with them scores below the vectors alone).
pub(crate) const DEFAULT_MODE: SearchMode = SearchMode::Semantic;

/// Candidates of each ranking fused by a hybrid search.
const CANDIDATES: usize = 100;

/// What is known of the collection, refreshed by searches and listings.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Set once the collection was checked (model, existence).
    pub info: Option<CollectionInfo>,
    /// The last failure, cleared by the next success.
    pub outage: Option<String>,
    pub chunks: u64,
    pub documents: u64,
    pub size_bytes: u64,
}

/// An index served from a collection.
pub struct PgIndex {
    pub name: String,
    pub collection: String,
    table: String,
    connections: Connections,
    statement_timeout: Duration,
    known: Mutex<Known>,
}

impl PgIndex {
    /// The index `name` of `config`; nothing is opened until the first use.
    pub fn new(
        name: &str,
        config: &PostgresIndex,
        settings: &PostgresSettings,
    ) -> Result<PgIndex, SearchError> {
        Ok(PgIndex {
            name: name.to_owned(),
            collection: config.collection.clone(),
            table: collection::chunks_table(&config.collection),
            connections: Connections::new(&config.url, settings)?,
            statement_timeout: settings.statement_timeout,
            known: Mutex::new(Known::default()),
        })
    }

    /// A copy of what is known.
    pub fn known(&self) -> Known {
        self.known.lock().map(|k| k.clone()).unwrap_or_default()
    }

    fn update(&self, change: impl FnOnce(&mut Known)) {
        if let Ok(mut known) = self.known.lock() {
            change(&mut known);
        }
    }

    /// The longest a search may take: a connection, then up to three statements.
    fn deadline(&self) -> Duration {
        self.connections.connect_timeout() + self.statement_timeout * 3
    }

    /// The mode a request runs in: the one asked for, else [`DEFAULT_MODE`].
    pub fn mode_for(asked: Option<SearchMode>) -> SearchMode {
        asked.unwrap_or(DEFAULT_MODE)
    }

    /// Checks the collection (model and existence) and refreshes its counts; `/search/indexes`
    /// and the startup check call it.
    pub async fn refresh(self: &Arc<Self>) -> Result<Known, SearchError> {
        let index = Arc::clone(self);
        let deadline = self.deadline();
        let outcome = runtime::run(async move {
            let work = async {
                let client = index.connections.get().await?;
                let info = collection::check(&client, &index.collection).await?;
                let stats = collection::stats(&client, &index.collection).await?;
                Ok::<_, SearchError>((info, stats))
            };
            tokio::time::timeout(deadline, work)
                .await
                .map_err(|_| timed_out(deadline))?
        })
        .await;
        self.record(&outcome);
        let (info, (chunks, documents, size_bytes)) = outcome?;
        self.update(|known| {
            known.info = Some(info);
            known.chunks = chunks;
            known.documents = documents;
            known.size_bytes = size_bytes;
        });
        Ok(self.known())
    }

    /// Runs a validated request; `vector` is the query's embedding, required by the semantic
    /// and hybrid modes.
    pub async fn search(
        self: &Arc<Self>,
        request: SearchRequest,
        vector: Option<Vec<f32>>,
    ) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let mode = PgIndex::mode_for(request.mode);
        let index = Arc::clone(self);
        let deadline = self.deadline();
        let vector = vector.map(|v| rank::vector_text(&v));
        let outcome = runtime::run(async move {
            tokio::time::timeout(deadline, index.run(&request, mode, vector.as_deref()))
                .await
                .map_err(|_| timed_out(deadline))?
                .map(|results| (request, results))
        })
        .await;
        self.record(&outcome);
        let (request, results) = outcome?;
        Ok(SearchResponse {
            results,
            query_analysis: QueryAnalysis {
                original_query: request.query.clone(),
                enhanced_query: request.query.clone(),
                detected_language: "en".into(),
                mode,
                mode_note: None,
            },
            took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        })
    }

    async fn run(
        &self,
        request: &SearchRequest,
        mode: SearchMode,
        vector: Option<&str>,
    ) -> Result<Vec<crate::search::api::SearchResult>, SearchError> {
        let client = self.connections.get().await?;
        let client = &**client;
        let known = self.known().info;
        if known.is_none() {
            let info = collection::check(client, &self.collection).await?;
            self.update(|k| k.info = Some(info));
        }
        let limit = request.count.clamp(1, crate::search::api::MAX_COUNT);
        let wide = |limit| rank::Query {
            text: &request.query,
            tags: &request.tags,
            limit,
        };
        let (table, name) = (&self.table, &self.collection);
        let missing = || SearchError::Invalid("mode: the query vector is missing".into());
        let hits = match mode {
            SearchMode::Lexical => rank::lexical(client, table, name, &wide(limit)).await?,
            SearchMode::Semantic => {
                let vector = vector.ok_or_else(missing)?;
                rank::semantic(client, table, name, &wide(limit), vector).await?
            }
            SearchMode::Hybrid => {
                let vector = vector.ok_or_else(missing)?;
                let lexical = rank::lexical(client, table, name, &wide(CANDIDATES)).await?;
                let dense = rank::semantic(client, table, name, &wide(CANDIDATES), vector).await?;
                rank::fuse(&lexical, &dense)
            }
        };
        let kept: Vec<rank::Hit> = hits
            .into_iter()
            .take(limit)
            .take_while(|hit| hit.score >= request.similarity_threshold)
            .collect();
        fetch::results(client, table, name, &request.query, &kept).await
    }

    /// Marks the index up or down after a database call, logging the change.
    fn record<T>(&self, outcome: &Result<T, SearchError>) {
        let failure = outcome.as_ref().err().map(ToString::to_string);
        let before = self.known().outage;
        match (&before, &failure) {
            (None, Some(reason)) => {
                tracing::warn!(index = %self.name, reason = %reason, "index_unavailable");
            }
            (Some(_), None) => tracing::info!(index = %self.name, "index_available"),
            _ => {}
        }
        self.update(|known| known.outage = failure);
    }
}

fn timed_out(deadline: Duration) -> SearchError {
    SearchError::Unavailable(format!(
        "database: no answer within {} ms",
        deadline.as_millis()
    ))
}

/// The query's vector, by the model this server embeds with (loaded on first use). Runs on a
/// search thread: it is the CPU-heavy part of a semantic search. A model that cannot be loaded
/// (the server started away from its `models/` folder) makes the index unavailable, naming the
/// folder, rather than failing each search as an internal error.
pub fn embed_query(text: &str) -> Result<Vec<f32>, SearchError> {
    let dir = std::path::Path::new(crate::search::embedding::DEFAULT_MODEL_DIR);
    let embedder = crate::search::vectors::models().get(dir).map_err(|e| {
        SearchError::Unavailable(format!("the query model in {}: {e}", dir.display()))
    })?;
    Ok(embedder.embed_query(text)?)
}
