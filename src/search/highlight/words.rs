//! Word maps: each word of a chunk with its stem, kept per loaded index, so that highlighting a
//! chunk again compares its few distinct stems with the query's terms instead of scanning its
//! text for words that may match and stemming them (most of a search's time when it returns many
//! results).
//!
//! A chunk earns a map the second time it is highlighted; the first time only marks it. So the
//! one-off results of a large index cost what they did before (a scan of the candidate words),
//! while the chunks that keep coming back, a small index or the popular answers of a large one,
//! are highlighted from their map. Building a map stems every word of the chunk, through the
//! index's table of known stems. Bounded in bytes and chunks: when either is full, every map is
//! dropped and earned again.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::DocAddress;

use super::fragments::EscapedContent;

/// Bytes of maps kept at most, over all chunks.
const MAX_BYTES: usize = 16 << 20;
/// Chunks tracked at most, marked or mapped.
const MAX_CHUNKS: usize = 1 << 18;

/// The words of one chunk that have a stem (stop words have none and are left out), grouped by
/// stem: highlighting asks for the words of each query term, and only those are read. With the
/// chunk's text escaped for fragments.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct WordMap {
    /// The chunk's distinct stems, sorted by [`stem_hash`].
    stems: Vec<MapStem>,
    /// Byte ranges of the words, one run per stem, each run in text order.
    spans: Vec<(u32, u32)>,
    pub escaped: EscapedContent,
}

#[derive(Debug, PartialEq, Eq)]
struct MapStem {
    hash: u64,
    stem: Box<str>,
    /// Its run in `spans`.
    first: u32,
    end: u32,
}

impl WordMap {
    /// Byte ranges of the words whose stem is `stem` (whose hash is `hash`), in text order.
    pub(crate) fn words_of(&self, hash: u64, stem: &str) -> &[(u32, u32)] {
        let from = self.stems.partition_point(|s| s.hash < hash);
        self.stems[from..]
            .iter()
            .take_while(|s| s.hash == hash)
            .find(|s| *s.stem == *stem)
            .map_or(&[], |s| &self.spans[s.first as usize..s.end as usize])
    }

    /// About what the map holds in memory.
    fn bytes(&self) -> usize {
        let stems: usize = self
            .stems
            .iter()
            .map(|s| size_of::<MapStem>() + s.stem.len())
            .sum();
        size_of::<WordMap>()
            + self.spans.len() * size_of::<(u32, u32)>()
            + stems
            + self.escaped.bytes()
    }
}

/// Collects a chunk's words in text order, then groups them into a [`WordMap`].
#[derive(Default)]
pub(super) struct WordMapBuilder {
    ids: HashMap<Box<str>, u32, ahash::RandomState>,
    stems: Vec<Box<str>>,
    /// (stem number, start, end) of each word.
    words: Vec<(u32, u32, u32)>,
}

impl WordMapBuilder {
    /// Adds the word at `start..end`, whose stem is `stem`.
    pub(super) fn push(&mut self, start: u32, end: u32, stem: &str) {
        let id = match self.ids.get(stem) {
            Some(id) => *id,
            None => {
                let id = self.stems.len() as u32;
                self.ids.insert(stem.into(), id);
                self.stems.push(stem.into());
                id
            }
        };
        self.words.push((id, start, end));
    }

    /// The map of `content`, whose words were pushed.
    pub(super) fn finish(mut self, content: &str) -> WordMap {
        // A stable sort by stem keeps each run in text order.
        self.words.sort_by_key(|(id, _, _)| *id);
        let spans = self
            .words
            .iter()
            .map(|(_, start, end)| (*start, *end))
            .collect();
        let mut stems = Vec::with_capacity(self.stems.len());
        let mut first = 0;
        for (id, stem) in self.stems.into_iter().enumerate() {
            let end = first + self.words[first..].partition_point(|(w, _, _)| *w == id as u32);
            stems.push(MapStem {
                hash: stem_hash(&stem),
                stem,
                first: first as u32,
                end: end as u32,
            });
            first = end;
        }
        stems.sort_unstable_by_key(|s| s.hash);
        WordMap {
            stems,
            spans,
            escaped: EscapedContent::new(content),
        }
    }
}

/// What highlighting should do with a chunk.
pub(crate) enum Lookup {
    /// Use its map.
    Map(Arc<WordMap>),
    /// Seen before: build its map (then [`WordMaps::keep`] it).
    Build,
    /// First time seen (now marked), or too long to map: scan the text.
    Scan,
}

/// The word maps of one loaded index, keyed by chunk address (stable: a loaded index never
/// changes; a rebuild loads a new one with maps of its own).
#[derive(Default)]
pub(crate) struct WordMaps {
    inner: RwLock<Maps>,
}

#[derive(Default)]
struct Maps {
    chunks: HashMap<DocAddress, Option<Arc<WordMap>>, ahash::RandomState>,
    bytes: usize,
}

impl Maps {
    fn make_room(&mut self, bytes: usize) {
        if self.chunks.len() >= MAX_CHUNKS || self.bytes + bytes > MAX_BYTES {
            self.chunks.clear();
            self.bytes = 0;
        }
    }
}

impl WordMaps {
    /// How to highlight the chunk at `address`, whose content is `len` bytes long.
    pub(crate) fn lookup(&self, address: DocAddress, len: usize) -> Lookup {
        if u32::try_from(len).is_err() {
            return Lookup::Scan;
        }
        if let Ok(maps) = self.inner.read() {
            match maps.chunks.get(&address) {
                Some(Some(map)) => return Lookup::Map(Arc::clone(map)),
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
    pub(crate) fn keep(&self, address: DocAddress, map: WordMap) -> Arc<WordMap> {
        let bytes = map.bytes();
        let map = Arc::new(map);
        if let Ok(mut maps) = self.inner.write() {
            maps.make_room(bytes);
            let previous = maps.chunks.insert(address, Some(Arc::clone(&map)));
            let replaced = previous.flatten().map_or(0, |old| old.bytes());
            maps.bytes = maps.bytes + bytes - replaced;
        }
        map
    }

    #[cfg(test)]
    /// Chunks mapped, and the bytes their maps hold.
    pub(crate) fn usage(&self) -> (usize, usize) {
        self.inner
            .read()
            .map(|maps| {
                let mapped = maps.chunks.values().filter(|m| m.is_some()).count();
                (mapped, maps.bytes)
            })
            .unwrap_or_default()
    }
}

/// The hash stems are first compared by: a word whose stem's hash is not a term's is skipped
/// without comparing strings.
/// Keyed once per process: the terms' hashes and the word maps' must agree.
pub(super) fn stem_hash(stem: &str) -> u64 {
    static KEYS: std::sync::OnceLock<ahash::RandomState> = std::sync::OnceLock::new();
    KEYS.get_or_init(ahash::RandomState::new).hash_one(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(stems: &[&str]) -> WordMap {
        let mut builder = WordMapBuilder::default();
        for (n, stem) in stems.iter().enumerate() {
            builder.push(n as u32, n as u32 + 1, stem);
        }
        builder.finish("")
    }

    #[test]
    fn a_map_gives_the_words_of_a_stem_in_text_order() {
        let map = map(&["instal", "linux", "instal", "x", "instal"]);
        assert_eq!(map.stems.len(), 3);
        assert_eq!(
            map.words_of(stem_hash("instal"), "instal"),
            &[(0, 1), (2, 3), (4, 5)]
        );
        assert_eq!(map.words_of(stem_hash("linux"), "linux"), &[(1, 2)]);
        assert!(map.words_of(stem_hash("absent"), "absent").is_empty());
        assert!(
            map.words_of(stem_hash("linux"), "linu").is_empty(),
            "a hash alone is not a match"
        );
    }

    #[test]
    fn a_chunk_is_scanned_first_then_mapped_then_served_from_its_map() {
        let maps = WordMaps::default();
        let address = DocAddress::new(0, 7);
        assert!(matches!(maps.lookup(address, 10), Lookup::Scan));
        assert!(matches!(maps.lookup(address, 10), Lookup::Build));
        let kept = map(&["instal", "linux"]);
        let bytes = kept.bytes();
        maps.keep(address, kept);
        match maps.lookup(address, 10) {
            Lookup::Map(map) => assert_eq!(map.spans.len(), 2),
            _ => panic!("the map was kept"),
        }
        assert_eq!(maps.usage(), (1, bytes));
        assert!(matches!(
            maps.lookup(DocAddress::new(0, 8), 10),
            Lookup::Scan
        ));
    }

    #[test]
    fn maps_stay_within_their_byte_budget() {
        let maps = WordMaps::default();
        let words = MAX_BYTES / 4 / size_of::<(u32, u32)>();
        let stems: Vec<String> = (0..words).map(|n| format!("w{}", n % 1000)).collect();
        let refs: Vec<&str> = stems.iter().map(String::as_str).collect();
        for doc in 0..10 {
            maps.keep(DocAddress::new(0, doc), map(&refs));
            assert!(maps.usage().1 <= MAX_BYTES);
        }
        assert!(maps.usage().0 >= 1);
    }
}
