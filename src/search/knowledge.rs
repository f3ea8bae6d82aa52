//! The loaded indexes as the agents' knowledge source: the `search` skill queries them in
//! process, through the same search function as `POST /search`, with no HTTP hop.

use crate::agent::{KnowledgeError, KnowledgeHit, KnowledgeSearch};

use super::SearchError;
use super::api::SearchRequest;
use super::registry::IndexRegistry;

impl KnowledgeSearch for IndexRegistry {
    fn search(
        &self,
        index: &str,
        query: &str,
        count: usize,
        tags: &[String],
        similarity_threshold: f32,
    ) -> Result<Vec<KnowledgeHit>, KnowledgeError> {
        let loaded = self.get(Some(index)).map_err(|e| match e {
            SearchError::IndexNotFound(name) => KnowledgeError::IndexNotLoaded(name),
            other => KnowledgeError::Failed(other.to_string()),
        })?;
        let mut request = SearchRequest::new(query);
        request.count = count.clamp(1, super::api::MAX_COUNT);
        request.tags = super::build::normalize_tags(tags);
        request.similarity_threshold = similarity_threshold;
        let response = loaded
            .search(&request)
            .map_err(|e| KnowledgeError::Failed(e.to_string()))?;
        Ok(response
            .results
            .into_iter()
            .map(|result| KnowledgeHit {
                content: result.content.to_string(),
                score: result.score,
                filename: result.metadata.filename.clone(),
                section: Some(result.metadata.section.clone()).filter(|s| !s.is_empty()),
            })
            .collect())
    }

    fn has_index(&self, index: &str) -> bool {
        self.get(Some(index)).is_ok()
    }
}
