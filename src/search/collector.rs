//! Top-k collection with a deterministic order: score descending, then chunk id ascending, so
//! equal scores come back in the same order on every run and every rebuild of the same input
//! (tantivy's own tie-break is the document address, which a rebuild may change).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema::ID;

/// One collected chunk.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    pub score: Score,
    pub id: u64,
    pub address: DocAddress,
}

impl Scored {
    /// Higher is better: by score, then by smaller id.
    fn rank(&self, other: &Scored) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.id.cmp(&self.id))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

/// Keeps the best `limit` chunks. `limit` must be at least 1 (callers clamp it).
pub struct TopChunks {
    pub limit: usize,
}

pub struct SegmentTopChunks {
    limit: usize,
    segment: SegmentOrdinal,
    ids: Column<u64>,
    heap: BinaryHeap<Reverse<Scored>>,
}

impl Collector for TopChunks {
    type Fruit = Vec<Scored>;
    type Child = SegmentTopChunks;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTopChunks> {
        Ok(SegmentTopChunks {
            limit: self.limit.max(1),
            segment,
            ids: reader.fast_fields().u64(ID)?,
            heap: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        let mut all: Vec<Scored> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.cmp(a));
        all.truncate(self.limit.max(1));
        Ok(all)
    }
}

impl SegmentCollector for SegmentTopChunks {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let candidate = Scored {
            score,
            id: self.ids.first(doc).unwrap_or(u64::MAX),
            address: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(candidate));
        } else if self.heap.peek().is_some_and(|worst| candidate > worst.0) {
            self.heap.pop();
            self.heap.push(Reverse(candidate));
        }
    }

    fn harvest(self) -> Vec<Scored> {
        self.heap.into_iter().map(|r| r.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(score: f32, id: u64) -> Scored {
        Scored {
            score,
            id,
            address: DocAddress::new(0, id as u32),
        }
    }

    #[test]
    fn equal_scores_rank_by_ascending_chunk_id() {
        let mut all = [scored(1.0, 9), scored(2.0, 5), scored(1.0, 3)];
        all.sort_by(|a, b| b.cmp(a));
        let ids: Vec<u64> = all.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![5, 3, 9]);
    }
}
