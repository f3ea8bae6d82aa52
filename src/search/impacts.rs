//! Posting lists decoded once, with the document-dependent half of BM25 worked out: each
//! document of a term's postings in one field, with `tf / (tf + norm)`. A clause then adds
//! `weight × that` over a plain array instead of opening and decoding the postings again (on
//! the sample docs index, opening postings was a fifth of a new question's instructions).
//!
//! Kept per loaded index (a loaded index never changes), keyed by segment, field and where the
//! list starts in the postings file, so the keys come from the index, not from requests.
//! Bounded in bytes: the table is emptied when full; a list over a sixteenth of the budget is
//! computed for each query and not kept. The values are computed as the scorer computed them
//! (same operations, same order), so scores stay bit for bit tantivy's.

use std::hash::BuildHasherDefault;
use std::sync::Arc;

use tantivy::{DocId, Score};

use super::shared_table::SharedTable;
use super::stems::Fnv;

/// Bytes of lists kept at most per loaded index: all of a small index's lists, the popular
/// terms' of a large one. (A 100,000-chunk index after 500 searches: 138 MB resident with
/// 4 MiB, 167 MB with 16 MiB; see docs/BENCHMARKS.md, "Memory".)
const MAX_BYTES: usize = 4 << 20;
/// Counted per list besides its entries.
const LIST_OVERHEAD: usize = 64;

/// One term's postings in one field of one segment: (document, `tf / (tf + norm)`). A `Vec`
/// behind the `Arc`, so the list built is shared as it is, not copied.
pub type Impacts = Arc<Vec<(DocId, Score)>>;

/// Segment ordinal, field, start of the list in the postings file.
pub type ImpactKey = (u32, u8, u64);

pub struct ImpactCache {
    table: SharedTable<ImpactKey, Impacts, BuildHasherDefault<Fnv>>,
}

impl Default for ImpactCache {
    fn default() -> ImpactCache {
        ImpactCache {
            table: SharedTable::new(MAX_BYTES),
        }
    }
}

fn cost(list: &Impacts) -> usize {
    LIST_OVERHEAD + list.capacity() * size_of::<(DocId, Score)>()
}

impl ImpactCache {
    /// The lists of `wanted`, in order: kept, or made by `compute(index in wanted)` and kept (a
    /// list over a sixteenth of the budget is not).
    pub fn get_all<E>(
        &self,
        wanted: &[ImpactKey],
        compute: impl FnMut(usize) -> Result<Impacts, E>,
    ) -> Result<Vec<Impacts>, E> {
        let keys: Vec<&ImpactKey> = wanted.iter().collect();
        self.table.get_all(&keys, compute, |list| Some(cost(list)))
    }

    /// Lists kept, and their bytes.
    pub fn usage(&self) -> (usize, usize) {
        self.table.usage()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(docs: u32) -> Impacts {
        Arc::new((0..docs).map(|doc| (doc, doc as Score / 10.0)).collect())
    }

    #[test]
    fn lists_are_computed_once_then_kept() {
        let cache = ImpactCache::default();
        let keys = [(0, 0, 10), (0, 1, 10), (0, 0, 10)];
        let mut computed = Vec::new();
        let lists = cache
            .get_all(&keys, |i| {
                computed.push(i);
                Ok::<_, ()>(list(i as u32 + 1))
            })
            .unwrap();
        assert_eq!(computed, vec![0, 1, 2], "all new in this call");
        assert_eq!(lists[1].len(), 2);
        assert_eq!(cache.usage().0, 2, "the same key is kept once");
        let again = cache
            .get_all(&keys[..2], |_| -> Result<Impacts, ()> { panic!("kept") })
            .unwrap();
        assert_eq!(again[0].len(), 3, "the last one computed for the key");
        assert_eq!(again[1], lists[1]);
    }

    #[test]
    fn the_cache_stays_within_its_budget_and_skips_huge_lists() {
        let cache = ImpactCache::default();
        let big = MAX_BYTES / 16 / size_of::<(DocId, Score)>() - 16;
        for start in 0..40 {
            cache
                .get_all(&[(0, 0, start)], |_| Ok::<_, ()>(list(big as u32)))
                .unwrap();
            assert!(cache.usage().1 <= MAX_BYTES);
        }
        assert!(cache.usage().0 >= 1);
        let huge = MAX_BYTES / 8 / size_of::<(DocId, Score)>();
        cache
            .get_all(&[(0, 0, 99)], |_| Ok::<_, ()>(list(huge as u32)))
            .unwrap();
        let kept = cache
            .get_all(&[(0, 0, 99)], |_| Ok::<_, ()>(list(1)))
            .unwrap();
        assert_eq!(kept[0].len(), 1, "the huge list was not kept");
    }
}
