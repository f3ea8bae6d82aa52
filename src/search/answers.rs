//! The body of a `POST /search` answer, as bytes, from the answer cache when possible.
//!
//! Split in two so the HTTP layer can keep the search threads for real work:
//! [`Answers::cached`] never blocks (no system call, no index opening), so an async worker can
//! answer a repeated request itself; [`Answers::answer`] may open a rebuilt index and search,
//! so it runs on a search thread, and serializes there too, leaving the worker only bytes to
//! write.
//!
//! `took_ms` is the time the server spent on the answer: the search, or, for a cached answer,
//! finding it. It is the last field, so a cached answer is stored without its value and
//! completed on the way out.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;

use super::answer_json;
use super::cache::{AnswerCache, Key};
use super::engine::LoadedIndex;
use super::metrics::SearchMetrics;
use super::registry::IndexRegistry;
use super::{SearchError, SearchRequest};

pub struct Answers {
    registry: Arc<IndexRegistry>,
    cache: AnswerCache,
    /// Every answer is counted here, cached or searched.
    metrics: Arc<SearchMetrics>,
}

impl Answers {
    pub fn new(registry: Arc<IndexRegistry>, cache: AnswerCache) -> Answers {
        Answers {
            registry,
            cache,
            metrics: Arc::default(),
        }
    }

    pub fn metrics(&self) -> &Arc<SearchMetrics> {
        &self.metrics
    }

    fn count(&self, index: &LoadedIndex, request: &SearchRequest, started: Instant) {
        let (mode, _) = index.mode_for(request.mode);
        self.metrics.record(&index.name, mode, started.elapsed());
    }

    pub fn registry(&self) -> &Arc<IndexRegistry> {
        &self.registry
    }

    pub fn cache(&self) -> &AnswerCache {
        &self.cache
    }

    /// The cached answer to `request`, if there is one and the index's manifest was checked
    /// for a rebuild recently (see [`IndexRegistry::get_checked`]). Never blocks.
    pub fn cached(&self, request: &SearchRequest, started: Instant) -> Option<Bytes> {
        let index = self.registry.get_checked(request.index_name.as_deref())?;
        let stored = self.cache.get(&Key::new(index.load_id(), request))?;
        let answer = complete(&stored, elapsed_ms(started)).into();
        self.count(&index, request, started);
        Some(answer)
    }

    /// The answer to `request`: cached, or searched (and then cached). May open a rebuilt
    /// index: run it where blocking is fine.
    pub fn answer(&self, request: &SearchRequest, started: Instant) -> Result<Bytes, SearchError> {
        let index = self.registry.get(request.index_name.as_deref())?;
        let key = Key::new(index.load_id(), request);
        if let Some(stored) = self.cache.get(&key) {
            let answer = complete(&stored, elapsed_ms(started)).into();
            self.count(&index, request, started);
            return Ok(answer);
        }
        let response = index.search(request)?;
        let answer = answer_json::serialize(&response)?;
        // The cached part shares the answer's buffer, so the whole buffer is what it costs.
        self.cache
            .insert(key, answer.without_took_ms, answer.allocated);
        self.count(&index, request, started);
        Ok(answer.full)
    }
}

/// Milliseconds since `started`, rounded to the microsecond like a search's `took_ms`.
fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

/// A stored answer completed with its `took_ms`.
fn complete(stored: &[u8], took_ms: f64) -> Vec<u8> {
    let mut out = Vec::with_capacity(stored.len() + 24);
    out.extend_from_slice(stored);
    // Writing an f64 into a Vec cannot fail; a non-finite value would be written as `null`.
    let _ = serde_json::to_writer(&mut out, &took_ms);
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::config::SearchSettings;
    use crate::search::chunking::Strategy;
    use crate::search::testutil::{GUIDE, build_from, live_index};

    fn answers(root: &std::path::Path, cache: AnswerCache) -> Answers {
        let registry = IndexRegistry::load(&SearchSettings::for_root(root));
        Answers::new(Arc::new(registry), cache)
    }

    fn parse(bytes: &[u8]) -> serde_json::Value {
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn an_answer_is_exactly_the_serialized_response() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("indexes");
        build_from(&root, "guide", Strategy::Markdown, GUIDE);
        let answers = answers(&root, AnswerCache::new(0, 0));
        let request = SearchRequest::new("install linux");
        let response = answers
            .registry()
            .get(None)
            .unwrap()
            .search(&request)
            .unwrap();
        let mut expected = parse(&serde_json::to_vec(&response).unwrap());
        let bytes = answers.answer(&request, Instant::now()).unwrap();
        let mut got = parse(&bytes);
        assert!(got["took_ms"].as_f64().is_some());
        got["took_ms"] = 0.into();
        expected["took_ms"] = 0.into();
        assert_eq!(got, expected);
        let stored = answer_json::serialize(&response).unwrap().without_took_ms;
        assert_eq!(
            complete(&stored, response.took_ms),
            serde_json::to_vec(&response).unwrap()
        );
    }

    #[test]
    fn a_repeated_request_is_answered_from_the_cache_until_the_index_is_rebuilt() {
        let (_dir, root) = live_index("alpha text.");
        let answers = answers(
            &root,
            AnswerCache::configured(&SearchSettings::for_root(&root)),
        );
        let request = SearchRequest::new("alpha");
        assert!(answers.cached(&request, Instant::now()).is_none());
        let first = parse(&answers.answer(&request, Instant::now()).unwrap());
        assert_eq!(first["results"].as_array().unwrap().len(), 1);
        assert!(
            answers.cached(&request, Instant::now()).is_none(),
            "kept the second time it is answered"
        );
        answers.answer(&request, Instant::now()).unwrap();
        let cached = parse(&answers.cached(&request, Instant::now()).unwrap());
        assert_eq!(cached["results"], first["results"]);
        assert_eq!(answers.cache().usage().0, 1);

        build_from(
            &root,
            "live",
            Strategy::Sentence,
            &[("a.txt", "beta text.")],
        );
        std::thread::sleep(SearchSettings::DEFAULT_REFRESH_INTERVAL);
        assert!(
            answers.cached(&request, Instant::now()).is_none(),
            "the index is due for a check: no cached answer on the worker"
        );
        let after = parse(&answers.answer(&request, Instant::now()).unwrap());
        assert_eq!(
            after["results"].as_array().unwrap().len(),
            0,
            "the rebuilt index"
        );
        answers.answer(&request, Instant::now()).unwrap();
        let cached = parse(&answers.cached(&request, Instant::now()).unwrap());
        assert_eq!(cached["results"].as_array().unwrap().len(), 0);
    }
}
