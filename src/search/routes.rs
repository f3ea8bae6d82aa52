//! The search API on actix: `POST /search`, `GET /search/indexes`, `POST /reload_index`.
//!
//! Search work runs on the search threads (see `pool`), off the async workers, and so does
//! parsing a body larger than [`offload::INLINE_BODY_BYTES`]. At most
//! `max_concurrent` searches are admitted at once, running or waiting for a thread: a request
//! that finds no free permit is answered 503 with `Retry-After` at once. The answer is
//! serialized on the search thread too, so the async worker only writes bytes; a repeated
//! request whose answer is cached is answered on the worker itself, with no hop to a search
//! thread and no permit (see `answers`). Basic auth and the rest of the security layer wrap
//! these routes in the server assembly.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, web};
use tokio::sync::Semaphore;

use super::SearchError;
use super::answers::Answers;
use super::api::{IndexListing, SearchRequest, TagLimits};
use super::background::VectorBuilds;
use super::cache::AnswerCache;
use super::metrics::SearchCollector;
use super::pool::SearchPool;
use super::postgres::{self, PgIndex, PgIndexes};
use super::recipe::build_stale_recipes;
use super::registry::IndexRegistry;
use crate::config::SearchSettings;
use crate::http::offload;
use crate::server::openapi::ApiDoc;
use crate::server::{ApiError, FailedIndex, IndexSummary, RouteMount};
use crate::telemetry::List;
use crate::telemetry::metrics::Collector;

/// How long a client turned away for lack of capacity should wait.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The search capability, built once and mounted on every worker.
#[derive(Clone)]
pub struct SearchService {
    state: Arc<State>,
}

struct State {
    registry: Arc<IndexRegistry>,
    answers: Arc<Answers>,
    /// Searches admitted at once (running or waiting for a search thread).
    permits: Arc<Semaphore>,
    pool: SearchPool,
    tag_limits: TagLimits,
    /// Vectors being made in the background, for `/health`.
    vectors: Arc<VectorBuilds>,
    /// Indexes served from PostgreSQL.
    postgres: Arc<PgIndexes>,
    /// `search.default_index`, which may name a Postgres index.
    default_index: Option<String>,
}

impl SearchService {
    /// Loads the configured indexes (recipes are built later, by [`RouteMount::warm_up`]) and
    /// starts the search threads.
    pub fn new(settings: &SearchSettings) -> std::io::Result<SearchService> {
        let registry = Arc::new(IndexRegistry::load(settings));
        let mut postgres = PgIndexes::load(settings);
        postgres.check_all();
        let state = State {
            answers: Arc::new(Answers::new(
                Arc::clone(&registry),
                AnswerCache::configured(settings),
            )),
            registry,
            permits: Arc::new(Semaphore::new(settings.max_concurrent.max(1))),
            pool: SearchPool::start(settings.threads)?,
            tag_limits: TagLimits::of(settings),
            vectors: Arc::default(),
            postgres: Arc::new(postgres),
            default_index: settings.default_index.clone(),
        };
        let service = SearchService {
            state: Arc::new(state),
        };
        service.log_started();
        Ok(service)
    }

    /// The admission limit's semaphore, for tests that fill it.
    #[cfg(test)]
    pub(crate) fn admission(&self) -> Arc<Semaphore> {
        Arc::clone(&self.state.permits)
    }

    /// The registry, for in-process users.
    pub fn registry(&self) -> Arc<IndexRegistry> {
        Arc::clone(&self.state.registry)
    }

    /// The answer to a validated request, as `POST /search` gives it: from the answer cache,
    /// else searched on a search thread under the admission limit (503 past it). The agents'
    /// search skill comes through here too.
    pub async fn answer(&self, request: SearchRequest) -> Result<bytes::Bytes, ApiError> {
        answer(&self.state, request, Instant::now()).await
    }

    /// Whether `name` is a loaded index of either backend.
    pub fn has_index(&self, name: &str) -> bool {
        self.state.postgres.get(name).is_some() || self.state.registry.get(Some(name)).is_ok()
    }

    fn log_started(&self) {
        let indexes = self.state.registry.all();
        let names: Vec<&str> = indexes.iter().map(|i| i.name.as_str()).collect();
        let documents: u64 = indexes.iter().map(|i| i.manifest.files).sum();
        let chunks: u64 = indexes.iter().map(|i| i.manifest.chunks).sum();
        tracing::info!(
            indexes = ?List(&names),
            documents,
            chunks,
            threads = self.state.pool.threads(),
            "starting_search_service"
        );
    }
}

impl RouteMount for SearchService {
    fn mount(&self, cfg: &mut web::ServiceConfig) {
        // Resources rather than `cfg.route`: a route's method guard moved onto its resource made
        // a wrong method fall through to the 404 of unknown paths; a resource answers 405 with
        // `Allow`.
        cfg.app_data(web::Data::from(Arc::clone(&self.state)))
            .service(web::resource("/search").route(web::post().to(search)))
            .service(web::resource("/search/indexes").route(web::get().to(list_indexes)))
            .service(web::resource("/reload_index").route(web::post().to(reload_index)));
    }

    /// Builds recipe indexes that are missing or stale (lexical only), loads what is new, and
    /// leaves the vectors recipes ask for to a background build.
    fn warm_up(&self) {
        let registry = &self.state.registry;
        let outcome = build_stale_recipes(registry.root());
        registry.scan();
        for name in &outcome.built {
            // Already loaded under this name: pick up the new generation now, not on first use.
            let _ = registry.refresh_now(name);
        }
        self.log_started();
        warn_without_default(registry);
        self.state
            .vectors
            .start(outcome.vectors_wanted, Arc::clone(registry));
    }

    fn indexes(&self) -> Vec<IndexSummary> {
        let postgres = self.state.postgres.summaries();
        self.state
            .registry
            .all()
            .iter()
            .map(|index| IndexSummary {
                name: index.name.clone(),
                documents: index.manifest.files,
                vectors: self.state.vectors.state_of(index).as_str(),
                database: None,
            })
            .chain(postgres)
            .collect()
    }

    fn describe(&self, doc: &mut ApiDoc) {
        super::openapi::describe(doc);
    }

    fn collectors(&self) -> Vec<Box<dyn Collector>> {
        vec![Box::new(SearchCollector {
            metrics: Arc::clone(self.state.answers.metrics()),
            registry: Arc::clone(&self.state.registry),
        })]
    }

    fn failed_indexes(&self) -> Vec<FailedIndex> {
        self.state
            .registry
            .failures()
            .into_iter()
            .chain(self.state.postgres.failures())
            .map(|(name, reason)| FailedIndex { name, reason })
            .collect()
    }
}

/// Runs `work` on a search thread if a permit is free (the search may wait there for a thread);
/// 503 otherwise.
async fn limited<T, F>(state: &State, work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, SearchError> + Send + 'static,
    T: Send + 'static,
{
    let permit = Arc::clone(&state.permits)
        .try_acquire_owned()
        .map_err(|_| ApiError::Unavailable {
            retry_after: RETRY_AFTER,
        })?;
    let outcome = state
        .pool
        .run(move || {
            let outcome = work();
            drop(permit);
            outcome
        })
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "search_task_failed");
            ApiError::Internal
        })?;
    outcome.map_err(ApiError::from)
}

async fn search(state: web::Data<State>, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let started = Instant::now();
    if body.len() > offload::INLINE_BODY_BYTES {
        // Parsing costs as much as the body is large: on a search thread, under the same
        // admission limit as the search (a request within the field limits is a few kilobytes).
        let (answers, limits) = (Arc::clone(&state.answers), state.tag_limits);
        let answer = limited(&state, move || {
            answers.answer(&SearchRequest::from_json(&body, &limits)?, started)
        })
        .await?;
        return Ok(json(answer));
    }
    let request = SearchRequest::from_json(&body, &state.tag_limits)?;
    Ok(json(answer(&state, request, started).await?))
}

/// A repeated request from the cache, on the calling worker; any other on a search thread.
async fn answer(
    state: &State,
    request: SearchRequest,
    started: Instant,
) -> Result<bytes::Bytes, ApiError> {
    if let Some(index) = state.postgres.resolve(
        request.index_name.as_deref(),
        state.default_index.as_deref(),
        state.registry.count(),
    ) {
        return postgres_answer(state, index, request).await;
    }
    if let Some(answer) = state.answers.cached(&request, started) {
        return Ok(answer);
    }
    let answers = Arc::clone(&state.answers);
    limited(state, move || answers.answer(&request, started)).await
}

/// A search of a Postgres index: the query embedded on a search thread (under the admission
/// limit) when the mode needs it, then the database queried from its own thread.
async fn postgres_answer(
    state: &State,
    index: Arc<PgIndex>,
    request: SearchRequest,
) -> Result<bytes::Bytes, ApiError> {
    let vector = match PgIndex::mode_for(request.mode) {
        super::api::SearchMode::Lexical => None,
        _ => {
            let text = request.query.clone();
            Some(limited(state, move || postgres::index::embed_query(&text)).await?)
        }
    };
    let response = index
        .search(request, vector)
        .await
        .map_err(postgres::service::api_error)?;
    Ok(serde_json::to_vec(&response)
        .map_err(|e| ApiError::from(SearchError::from(e)))?
        .into())
}

/// A 200 with an already serialized JSON body.
fn json(body: bytes::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body)
}

async fn list_indexes(state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let registry = Arc::clone(&state.registry);
    let listings = limited(&state, move || {
        Ok(registry
            .all()
            .iter()
            .map(|index| {
                let manifest = &index.manifest;
                IndexListing {
                    name: index.name.clone(),
                    documents: manifest.files,
                    chunks: manifest.chunks,
                    built_at: manifest.built_at.clone(),
                    sources: manifest.sources.clone(),
                    size_bytes: manifest.size_bytes,
                }
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let mut listings = listings;
    listings.extend(state.postgres.listings().await);
    Ok(HttpResponse::Ok().json(listings))
}

async fn reload_index(state: web::Data<State>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let mut name = None;
    let mut path = None;
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        match key.as_ref() {
            "index_name" => name = Some(value.into_owned()),
            "index_path" => path = Some(value.into_owned()),
            _ => {}
        }
    }
    let name = name
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::BadRequest("index_name: is required".into()))?;
    let path = path
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| name.clone());
    let registry = Arc::clone(&state.registry);
    let reply_name = name.clone();
    let index = limited(&state, move || registry.reload(&name, &path)).await?;
    let mut answer = serde_json::json!({
        "status": "reloaded",
        "index_name": reply_name,
        "chunks": index.manifest.chunks,
        "default_index": state.registry.loaded_default(),
    });
    if let Some(warning) = warn_without_default(&state.registry) {
        answer["warning"] = warning.into();
    }
    Ok(HttpResponse::Ok().json(answer))
}

/// When indexes are loaded but none is the default (several, none configured, none named
/// `default`), a request without `index_name` gets 404: logged as `no_default_index`, and the
/// text returned for the `/reload_index` answer.
fn warn_without_default(registry: &IndexRegistry) -> Option<&'static str> {
    const WARNING: &str = "no default index: requests without index_name get 404; set \
                           SWML_SEARCH_DEFAULT_INDEX (search.default_index) to choose one";
    if registry.loaded_default().is_some() || registry.count() == 0 {
        return None;
    }
    tracing::warn!(default = %registry.default_name(), hint = WARNING, "no_default_index");
    Some(WARNING)
}

#[cfg(test)]
#[path = "routes_tests.rs"]
mod tests;
