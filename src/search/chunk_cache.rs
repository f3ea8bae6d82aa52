//! The chunks searches have returned, kept per loaded index as answers show them: text and
//! metadata, each with its JSON already written ([`Rendered`]).
//!
//! Reading a result from the doc store decodes its block's fields into new strings, and writing
//! it into an answer escapes its text; together about a fifth of a search that returns three
//! chunks. Results repeat (the popular chunks of any index, most chunks of a small one), so the
//! first read of a chunk is kept and later answers share it. Bounded in bytes: when full, every
//! entry is dropped and the cache fills again with the chunks still asked for.

use tantivy::DocAddress;

use super::SearchError;
use super::api::ResultMetadata;
use super::rendered::Rendered;
use super::shared_table::SharedTable;

/// Bytes kept at most per loaded index (text and JSON counted).
const MAX_BYTES: usize = 16 << 20;
/// Bookkeeping counted per chunk besides its text: map entry, two shared allocations.
const ENTRY_OVERHEAD: usize = 160;

/// A chunk as a search result shows it. Cloning shares it.
#[derive(Debug, Clone)]
pub(crate) struct ResultChunk {
    pub content: Rendered<String>,
    pub metadata: Rendered<ResultMetadata>,
}

impl ResultChunk {
    pub(crate) fn new(
        content: String,
        metadata: ResultMetadata,
    ) -> Result<ResultChunk, SearchError> {
        Ok(ResultChunk {
            content: Rendered::new(content)?,
            metadata: Rendered::new(metadata)?,
        })
    }

    /// What keeping the chunk costs: each text twice (the value and its JSON).
    fn size(&self) -> usize {
        let metadata = self.metadata.json().len();
        self.content.len() + self.content.json().len() + 2 * metadata + ENTRY_OVERHEAD
    }
}

/// The chunks of one loaded index read so far, keyed by address (stable: a loaded index never
/// changes; a rebuild loads a new one with a cache of its own).
pub(crate) struct ChunkCache {
    chunks: SharedTable<DocAddress, ResultChunk, ahash::RandomState>,
}

impl Default for ChunkCache {
    fn default() -> Self {
        ChunkCache::with_budget(MAX_BYTES)
    }
}

impl ChunkCache {
    fn with_budget(max_bytes: usize) -> ChunkCache {
        ChunkCache {
            chunks: SharedTable::new(max_bytes),
        }
    }

    /// The chunk at `address`, from the cache or else from `read` (then kept; a chunk over a
    /// sixteenth of the budget is served, not kept).
    pub(crate) fn get_or_read(
        &self,
        address: DocAddress,
        read: impl FnOnce() -> Result<ResultChunk, SearchError>,
    ) -> Result<ResultChunk, SearchError> {
        self.chunks
            .get_or_make(&address, read, |chunk| Some(chunk.size()))
    }

    #[cfg(test)]
    /// Chunks kept, and the bytes they are counted as.
    pub(crate) fn usage(&self) -> (usize, usize) {
        self.chunks.usage()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(text: &str) -> ResultChunk {
        let metadata = ResultMetadata {
            filename: "a.md".into(),
            section: "A".into(),
            tags: vec![],
            chunk_index: 0,
            metadata: serde_json::Map::new(),
        };
        ResultChunk::new(text.to_owned(), metadata).unwrap()
    }

    #[test]
    fn a_chunk_is_read_once_then_shared() {
        let cache = ChunkCache::default();
        let address = DocAddress::new(0, 3);
        let first = cache.get_or_read(address, || Ok(chunk("text"))).unwrap();
        let again = cache
            .get_or_read(address, || panic!("read a second time"))
            .unwrap();
        assert!(std::ptr::eq(first.content.as_str(), again.content.as_str()));
        assert_eq!(cache.usage().0, 1);
    }

    #[test]
    fn a_failed_read_is_returned_and_not_kept() {
        let cache = ChunkCache::default();
        let address = DocAddress::new(0, 1);
        let failed = cache.get_or_read(address, || Err(SearchError::Invalid("broken".into())));
        assert!(failed.is_err());
        assert_eq!(cache.usage(), (0, 0));
        assert!(cache.get_or_read(address, || Ok(chunk("ok"))).is_ok());
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let cache = ChunkCache::with_budget(64 * 1024);
        let text = "x".repeat(1000);
        for doc in 0..500 {
            let kept = cache
                .get_or_read(DocAddress::new(0, doc), || Ok(chunk(&text)))
                .unwrap();
            assert_eq!(kept.content.len(), 1000);
            assert!(cache.usage().1 <= 64 * 1024);
        }
        assert!(cache.usage().0 >= 1);
        let huge = "y".repeat(8 * 1024);
        let served = cache
            .get_or_read(DocAddress::new(1, 0), || Ok(chunk(&huge)))
            .unwrap();
        assert_eq!(
            served.content.len(),
            huge.len(),
            "too big to keep, still served"
        );
        let again = cache
            .get_or_read(DocAddress::new(1, 0), || Ok(chunk("re-read")))
            .unwrap();
        assert_eq!(
            again.content.as_str(),
            "re-read",
            "over a sixteenth: not kept"
        );
    }
}
