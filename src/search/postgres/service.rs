//! The Postgres indexes of a server, by name, beside the tantivy registry.
//!
//! Loaded from `[search.indexes.NAME] backend = "postgres"` entries. At startup each collection
//! is checked: one embedded with another model is left out (`index_load_failed`, listed by
//! `/health` with the model's name); one whose database is down stays in, unavailable, and
//! serves as soon as the database answers.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::index::PgIndex;
use super::runtime;
use crate::config::SearchSettings;
use crate::search::SearchError;
use crate::search::api::IndexListing;
use crate::server::{ApiError, DatabaseState, IndexSummary};

/// Every Postgres index of the process.
#[derive(Default)]
pub(crate) struct PgIndexes {
    indexes: BTreeMap<String, Arc<PgIndex>>,
    failures: std::sync::RwLock<BTreeMap<String, String>>,
}

impl PgIndexes {
    /// The configured indexes; an entry whose URL does not parse is a failure, not an index.
    pub(crate) fn load(settings: &SearchSettings) -> PgIndexes {
        let mut loaded = PgIndexes::default();
        for (name, config) in &settings.postgres_indexes {
            match PgIndex::new(name, config, &settings.postgres) {
                Ok(index) => {
                    loaded.indexes.insert(name.clone(), Arc::new(index));
                }
                Err(error) => loaded.fail(name, &error),
            }
        }
        loaded
    }

    fn fail(&self, name: &str, error: &SearchError) {
        tracing::warn!(index = %name, backend = "postgres", reason = %error, "index_load_failed");
        if let Ok(mut failures) = self.failures.write() {
            failures.insert(name.to_owned(), error.to_string());
        }
    }

    /// Checks every collection (blocking: startup). Collections of another model are refused.
    pub(crate) fn check_all(&mut self) {
        let names: Vec<String> = self.indexes.keys().cloned().collect();
        for name in names {
            let Some(index) = self.indexes.get(&name).cloned() else {
                continue;
            };
            match runtime::block_on(async move { index.refresh().await }) {
                Ok(known) => tracing::info!(
                    index = %name,
                    backend = "postgres",
                    chunks = known.chunks,
                    "index_loaded"
                ),
                Err(error @ SearchError::Manifest(_)) => {
                    self.indexes.remove(&name);
                    self.fail(&name, &error);
                }
                // Kept: it serves once the database answers (the index shows the outage).
                Err(_) => {}
            }
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<Arc<PgIndex>> {
        self.indexes.get(name).cloned()
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &Arc<PgIndex>> {
        self.indexes.values()
    }

    /// Collections refused, with the reason.
    pub(crate) fn failures(&self) -> BTreeMap<String, String> {
        self.failures.read().map(|f| f.clone()).unwrap_or_default()
    }
}

impl PgIndexes {
    /// The Postgres index a request names; for none (or `default` when no index has that
    /// name), the configured default if it is a Postgres index, or the only index when no
    /// tantivy index is loaded.
    pub(crate) fn resolve(
        &self,
        name: Option<&str>,
        default_index: Option<&str>,
        tantivy_loaded: usize,
    ) -> Option<Arc<PgIndex>> {
        match name {
            Some(name) if name != "default" || self.indexes.contains_key(name) => self.get(name),
            _ => match default_index {
                Some(default) => self.get(default),
                None if tantivy_loaded == 0 && self.indexes.len() == 1 => {
                    self.indexes.values().next().cloned()
                }
                None => None,
            },
        }
    }

    /// The indexes as `/health` lists them: counts as last seen, the database's state now.
    pub(crate) fn summaries(&self) -> Vec<IndexSummary> {
        self.all()
            .map(|index| {
                let known = index.known();
                IndexSummary {
                    name: index.name.clone(),
                    documents: known.documents,
                    vectors: "ready",
                    database: Some(DatabaseState {
                        backend: "postgres",
                        state: if known.outage.is_some() {
                            "unavailable"
                        } else {
                            "available"
                        },
                        reason: known.outage,
                    }),
                }
            })
            .collect()
    }

    /// The indexes as `GET /search/indexes` lists them, counted now (the last counts when the
    /// database does not answer).
    pub(crate) async fn listings(&self) -> Vec<IndexListing> {
        let mut listings = Vec::with_capacity(self.indexes.len());
        for index in self.all() {
            let known = index.refresh().await.unwrap_or_else(|_| index.known());
            listings.push(IndexListing {
                name: index.name.clone(),
                documents: known.documents,
                chunks: known.chunks,
                built_at: known.info.map(|i| i.created_at).unwrap_or_default(),
                sources: vec![format!("postgres collection {}", index.collection)],
                size_bytes: known.size_bytes,
            });
        }
        listings
    }
}

/// A Postgres search's error as the API answers it: a request at fault is 400, anything else
/// (the database, the collection) is the index being unavailable, 503 with `Retry-After`.
pub(crate) fn api_error(error: SearchError) -> ApiError {
    match error {
        SearchError::Invalid(_) | SearchError::Unavailable(_) => error.into(),
        other => SearchError::Unavailable(other.to_string()).into(),
    }
}
