//! Word maps: each word of a chunk with a hash of its stem, kept per loaded index, so that
//! highlighting a chunk again compares numbers instead of scanning its text for words that may
//! match and stemming them (most of a search's time when it returns many results).
//!
//! A chunk earns a map the second time it is highlighted; the first time only marks it. So the
//! one-off results of a large index cost what they did before (a scan of the candidate words),
//! while the chunks that keep coming back, a small index or the popular answers of a large one,
//! are highlighted from their map. Building a map stems every word of the chunk, through the
//! index's table of known stems. Bounded in words and chunks: when either is full, every map
//! is dropped and earned again.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, RwLock};

use tantivy::DocAddress;

use super::stems::Fnv;

/// Words kept at most, over all maps (16 bytes each: 16 MiB).
const MAX_WORDS: usize = 1 << 20;
/// Chunks tracked at most, marked or mapped.
const MAX_CHUNKS: usize = 1 << 18;

/// A word of a chunk that has a stem (stop words have none and are left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: u32,
    pub end: u32,
    /// [`stem_hash`] of the word's stem.
    pub stem: u64,
}

/// What highlighting should do with a chunk.
pub enum Lookup {
    /// Use its map.
    Map(Arc<[Word]>),
    /// Seen before: build its map (then [`WordMaps::keep`] it).
    Build,
    /// First time seen (now marked), or too long to map: scan the text.
    Scan,
}

/// The word maps of one loaded index, keyed by chunk address (stable: a loaded index never
/// changes; a rebuild loads a new one with maps of its own).
#[derive(Default)]
pub struct WordMaps {
    inner: RwLock<Maps>,
}

#[derive(Default)]
struct Maps {
    chunks: HashMap<DocAddress, Option<Arc<[Word]>>>,
    words: usize,
}

impl Maps {
    fn make_room(&mut self, words: usize) {
        if self.chunks.len() >= MAX_CHUNKS || self.words + words > MAX_WORDS {
            self.chunks.clear();
            self.words = 0;
        }
    }
}

impl WordMaps {
    /// How to highlight the chunk at `address`, whose content is `len` bytes long.
    pub fn lookup(&self, address: DocAddress, len: usize) -> Lookup {
        if u32::try_from(len).is_err() {
            return Lookup::Scan;
        }
        if let Ok(maps) = self.inner.read() {
            match maps.chunks.get(&address) {
                Some(Some(words)) => return Lookup::Map(Arc::clone(words)),
                Some(None) => return Lookup::Build,
                None => {}
            }
        }
        if let Ok(mut maps) = self.inner.write() {
            maps.make_room(0);
            maps.chunks.entry(address).or_insert(None);
        }
        Lookup::Scan
    }

    /// Keeps the map built for `address` and hands it back.
    pub fn keep(&self, address: DocAddress, words: Vec<Word>) -> Arc<[Word]> {
        let words: Arc<[Word]> = words.into();
        if let Ok(mut maps) = self.inner.write() {
            maps.make_room(words.len());
            let previous = maps.chunks.insert(address, Some(Arc::clone(&words)));
            let replaced = previous.flatten().map_or(0, |old| old.len());
            maps.words = maps.words + words.len() - replaced;
        }
        words
    }

    /// Chunks mapped, and the words their maps hold.
    pub fn usage(&self) -> (usize, usize) {
        self.inner
            .read()
            .map(|maps| {
                let mapped = maps.chunks.values().filter(|m| m.is_some()).count();
                (mapped, maps.words)
            })
            .unwrap_or_default()
    }
}

/// The hash a stem is compared by. A match is confirmed against the stem itself, so a
/// collision can cost a lookup but never a wrong highlight.
pub fn stem_hash(stem: &str) -> u64 {
    let mut hasher = Fnv::default();
    hasher.write(stem.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(stem: &str) -> Word {
        Word {
            start: 0,
            end: 1,
            stem: stem_hash(stem),
        }
    }

    #[test]
    fn a_chunk_is_scanned_first_then_mapped_then_served_from_its_map() {
        let maps = WordMaps::default();
        let address = DocAddress::new(0, 7);
        assert!(matches!(maps.lookup(address, 10), Lookup::Scan));
        assert!(matches!(maps.lookup(address, 10), Lookup::Build));
        maps.keep(address, vec![word("instal"), word("linux")]);
        match maps.lookup(address, 10) {
            Lookup::Map(words) => assert_eq!(words.len(), 2),
            _ => panic!("the map was kept"),
        }
        assert_eq!(maps.usage(), (1, 2));
        assert!(matches!(
            maps.lookup(DocAddress::new(0, 8), 10),
            Lookup::Scan
        ));
    }

    #[test]
    fn maps_stay_within_their_word_budget() {
        let maps = WordMaps::default();
        let big = vec![word("x"); MAX_WORDS / 4 + 1];
        for doc in 0..10 {
            maps.keep(DocAddress::new(0, doc), big.clone());
            assert!(maps.usage().1 <= MAX_WORDS);
        }
        assert!(maps.usage().0 >= 1);
    }
}
