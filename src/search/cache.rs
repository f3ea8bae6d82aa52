//! A bounded least-recently-used cache of serialized search answers.
//!
//! The callers of a voice agent ask the same few questions over and over, and a page's search
//! box sends the same popular queries: the answer to a repeated request is kept, serialized, so
//! it costs a hash lookup and a copy instead of a search. Entries are keyed by the index's
//! [`load_id`](super::LoadedIndex::load_id), so a rebuilt or reloaded index never serves an
//! answer of the one it replaced; those entries simply age out. The cache is bounded both in
//! entries and in bytes, and an answer too big for a fair share of it is not kept.
//!
//! Admission: an answer is kept the second time its request is answered, not the first. Most
//! requests of a busy server are asked once; keeping each of their answers cost more than all
//! the hits it bought: every new answer was written to memory no cache line had seen lately
//! (the answers held were megabytes, cycling), and pushed the repeated ones out. A small table
//! remembers a hash of each request answered lately (a slot per hash, overwritten by the next
//! request landing there), so a request seen again, not far apart, is admitted. With every
//! request new, the server answered about a fifth more of them per second.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use ahash::RandomState;
use bytes::Bytes;

use super::SearchRequest;
use super::api::SearchMode;
use crate::config::SearchSettings;

/// Bookkeeping counted per entry besides its bytes.
const ENTRY_OVERHEAD: usize = 128;

/// Requests remembered for admission (a hash each: 32 KiB).
const SEEN_SLOTS: usize = 4096;

/// Everything an answer depends on: the index as loaded, and the request as validated (the
/// query verbatim, since the answer repeats it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    load_id: u64,
    query: String,
    count: usize,
    threshold: u32,
    tags: Vec<String>,
    /// The mode asked for (`None`: the index's default), so answers of two modes never mix.
    mode: Option<SearchMode>,
}

impl Key {
    pub fn new(load_id: u64, request: &SearchRequest) -> Key {
        Key {
            load_id,
            query: request.query.clone(),
            count: request.count,
            threshold: request.similarity_threshold.to_bits(),
            tags: request.tags.clone(),
            mode: request.mode,
        }
    }

    fn size(&self) -> usize {
        self.query.len() + self.tags.iter().map(|t| t.len() + 24).sum::<usize>() + ENTRY_OVERHEAD
    }
}

pub struct AnswerCache {
    max_entries: usize,
    max_bytes: usize,
    /// Keyed at random: the keys' text comes from clients.
    hasher: RandomState,
    inner: Mutex<Lru>,
}

#[derive(Default)]
struct Lru {
    /// Hashes of requests answered lately, by hash modulo the table's length.
    seen: Vec<u64>,
    entries: HashMap<Arc<Key>, Entry, RandomState>,
    /// Keys by last use, oldest first.
    recency: BTreeMap<u64, Arc<Key>>,
    clock: u64,
    bytes: usize,
}

struct Entry {
    answer: Bytes,
    used: u64,
    size: usize,
}

impl AnswerCache {
    /// A cache of at most `max_entries` answers and `max_bytes` bytes; zero of either disables
    /// it.
    pub fn new(max_entries: usize, max_bytes: usize) -> AnswerCache {
        let enabled = max_entries > 0 && max_bytes > 0;
        AnswerCache {
            max_entries,
            max_bytes,
            hasher: RandomState::new(),
            inner: Mutex::new(Lru {
                seen: vec![0; if enabled { SEEN_SLOTS } else { 0 }],
                ..Lru::default()
            }),
        }
    }

    /// The cache `settings` ask for.
    pub fn configured(settings: &SearchSettings) -> AnswerCache {
        AnswerCache::new(settings.answer_cache_entries, settings.answer_cache_bytes)
    }

    pub fn get(&self, key: &Key) -> Option<Bytes> {
        let mut lru = self.inner.lock().ok()?;
        let lru = &mut *lru;
        lru.clock += 1;
        let (shared, entry) = lru.entries.get_key_value(key)?;
        let shared = Arc::clone(shared);
        let answer = entry.answer.clone();
        let previous = entry.used;
        lru.recency.remove(&previous);
        lru.recency.insert(lru.clock, shared);
        if let Some(entry) = lru.entries.get_mut(key) {
            entry.used = lru.clock;
        }
        Some(answer)
    }

    /// Keeps `answer` for `key`, counted as `bytes` (at least its length: an answer may share a
    /// larger buffer), if `key` was answered lately too (see the module's "Admission"), evicting
    /// the least recently used answers to stay in bounds. An answer bigger than a sixteenth of
    /// the byte budget is not kept.
    pub fn insert(&self, key: Key, answer: Bytes, bytes: usize) {
        let size = key.size() + bytes.max(answer.len());
        if self.max_entries == 0 || size > self.max_bytes / 16 {
            return;
        }
        let hash = self.hasher.hash_one(&key);
        let Ok(mut lru) = self.inner.lock() else {
            return;
        };
        let lru = &mut *lru;
        let slot = (hash % lru.seen.len() as u64) as usize;
        if lru.seen[slot] != hash {
            lru.seen[slot] = hash;
            return;
        }
        let key = Arc::new(key);
        lru.clock += 1;
        if let Some(old) = lru.entries.remove(&key) {
            lru.recency.remove(&old.used);
            lru.bytes -= old.size;
        }
        while lru.entries.len() >= self.max_entries || lru.bytes + size > self.max_bytes {
            let Some((_, oldest)) = lru.recency.pop_first() else {
                break;
            };
            if let Some(evicted) = lru.entries.remove(&oldest) {
                lru.bytes -= evicted.size;
            }
        }
        lru.recency.insert(lru.clock, Arc::clone(&key));
        lru.entries.insert(
            key,
            Entry {
                answer,
                used: lru.clock,
                size,
            },
        );
        lru.bytes += size;
    }

    /// Answers held and their bytes (keys and overhead included).
    pub fn usage(&self) -> (usize, usize) {
        self.inner
            .lock()
            .map(|lru| (lru.entries.len(), lru.bytes))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers `key` twice, so the answer is admitted.
    fn put(cache: &AnswerCache, key: Key, answer: &[u8]) {
        cache.insert(key.clone(), Bytes::copy_from_slice(answer), 0);
        cache.insert(key, Bytes::copy_from_slice(answer), 0);
    }

    #[test]
    fn an_answer_is_kept_the_second_time_its_request_is_answered() {
        let cache = AnswerCache::new(10, 1 << 20);
        cache.insert(key(1, "tls"), Bytes::from_static(b"first"), 0);
        assert!(cache.get(&key(1, "tls")).is_none(), "asked once");
        cache.insert(key(1, "rate"), Bytes::from_static(b"other"), 0);
        cache.insert(key(1, "tls"), Bytes::from_static(b"second"), 0);
        assert_eq!(
            cache.get(&key(1, "tls")).as_deref(),
            Some(&b"second"[..]),
            "asked again, another request in between"
        );
        assert!(cache.get(&key(1, "rate")).is_none());
        assert_eq!(cache.usage().0, 1);
    }

    fn key(load_id: u64, query: &str) -> Key {
        Key::new(load_id, &SearchRequest::new(query))
    }

    #[test]
    fn answers_come_back_for_the_same_request_on_the_same_index_only() {
        let cache = AnswerCache::new(10, 1 << 20);
        put(&cache, key(1, "tls"), b"answer");
        assert_eq!(cache.get(&key(1, "tls")).as_deref(), Some(&b"answer"[..]));
        assert!(
            cache.get(&key(2, "tls")).is_none(),
            "another load of the index"
        );
        assert!(
            cache.get(&key(1, "TLS")).is_none(),
            "the answer repeats the query verbatim"
        );
        let mut more = SearchRequest::new("tls");
        more.count = 5;
        assert!(cache.get(&Key::new(1, &more)).is_none());
        more.count = 3;
        more.tags = vec!["docs".into()];
        assert!(cache.get(&Key::new(1, &more)).is_none());
        let mut lexical = SearchRequest::new("tls");
        lexical.mode = Some(SearchMode::Lexical);
        assert!(
            cache.get(&Key::new(1, &lexical)).is_none(),
            "another mode is another answer"
        );
    }

    #[test]
    fn the_least_recently_used_answer_is_evicted_first() {
        let cache = AnswerCache::new(3, 1 << 20);
        for query in ["a", "b", "c"] {
            put(&cache, key(1, query), query.as_bytes());
        }
        assert!(cache.get(&key(1, "a")).is_some());
        put(&cache, key(1, "d"), b"d");
        assert!(
            cache.get(&key(1, "b")).is_none(),
            "b was the least recently used"
        );
        for query in ["a", "c", "d"] {
            assert!(cache.get(&key(1, query)).is_some(), "{query}");
        }
        assert_eq!(cache.usage().0, 3);
    }

    #[test]
    fn the_cache_stays_within_its_byte_budget_and_skips_huge_answers() {
        let budget = 64 * 1024;
        let cache = AnswerCache::new(1000, budget);
        let answer = vec![b'x'; 1000];
        for i in 0..500 {
            put(&cache, key(1, &format!("query {i}")), &answer);
            assert!(cache.usage().1 <= budget);
        }
        let (entries, bytes) = cache.usage();
        assert!(
            entries > 40 && bytes > budget - 2 * 1200,
            "{entries} {bytes}"
        );
        assert!(cache.get(&key(1, "query 499")).is_some());
        assert!(cache.get(&key(1, "query 0")).is_none());

        put(&cache, key(1, "huge"), &vec![b'x'; budget / 8]);
        assert!(cache.get(&key(1, "huge")).is_none());
    }

    #[test]
    fn replacing_an_answer_keeps_the_accounting_right_and_zero_disables() {
        let cache = AnswerCache::new(4, 1 << 20);
        put(&cache, key(1, "a"), b"first");
        put(&cache, key(1, "a"), b"second answer");
        assert_eq!(cache.usage().0, 1);
        assert_eq!(
            cache.get(&key(1, "a")).as_deref(),
            Some(&b"second answer"[..])
        );
        assert_eq!(cache.usage().1, key(1, "a").size() + 13);

        let off = AnswerCache::new(0, 0);
        put(&off, key(1, "a"), b"x");
        assert!(off.get(&key(1, "a")).is_none());
    }
}
