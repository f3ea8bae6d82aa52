//! The search service as the agents' knowledge source, joined here where the two capabilities
//! meet (neither `search` nor `agent` knows the other): the `search` skill's queries take the
//! path of `POST /search` (answer cache, admission limit, search threads), with no HTTP hop,
//! and the answer's JSON is read back into the hits the skill formats.

use serde::Deserialize;

use crate::agent::{
    KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery, KnowledgeSearch,
};
use crate::server::ApiError;

use crate::search::api::{MAX_COUNT, SearchRequest};
use crate::search::build::normalize_tags;
use crate::search::routes::SearchService;

/// The parts of an answer the skill shows.
#[derive(Deserialize)]
struct Answer {
    results: Vec<Result_>,
}

#[derive(Deserialize)]
struct Result_ {
    content: String,
    score: f32,
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    filename: String,
    section: String,
}

impl KnowledgeSearch for SearchService {
    fn search(&self, query: KnowledgeQuery) -> KnowledgeAnswer {
        let service = self.clone();
        Box::pin(async move {
            let index = query.index.clone();
            let request = request_of(query)?;
            let bytes = service.answer(request).await.map_err(|error| match error {
                ApiError::NamedNotFound { .. } => KnowledgeError::IndexNotLoaded(index),
                other => KnowledgeError::Failed(other.to_string()),
            })?;
            let answer: Answer = serde_json::from_slice(&bytes)
                .map_err(|e| KnowledgeError::Failed(format!("answer: {e}")))?;
            Ok(answer.results.into_iter().map(hit).collect())
        })
    }

    fn has_index(&self, index: &str) -> bool {
        SearchService::has_index(self, index)
    }
}

fn request_of(query: KnowledgeQuery) -> Result<SearchRequest, KnowledgeError> {
    let mut request = SearchRequest::new(&query.query);
    request.index_name = Some(query.index);
    request.count = query.count.clamp(1, MAX_COUNT);
    request.tags = normalize_tags(&query.tags);
    request.similarity_threshold = query.similarity_threshold.clamp(0.0, 1.0);
    request.mode = query
        .mode
        .map(|mode| mode.parse())
        .transpose()
        .map_err(|why| KnowledgeError::Failed(format!("mode: {why}")))?;
    Ok(request)
}

fn hit(result: Result_) -> KnowledgeHit {
    KnowledgeHit {
        content: result.content,
        score: result.score,
        filename: result.metadata.filename,
        section: Some(result.metadata.section).filter(|s| !s.is_empty()),
    }
}

#[cfg(test)]
#[path = "knowledge_tests.rs"]
mod tests;
