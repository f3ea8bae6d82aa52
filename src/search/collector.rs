//! Top-k selection with a deterministic order: score descending, then chunk id ascending, so
//! equal scores come back in the same order on every run and every rebuild of the same input
//! (tantivy's own tie-break is the document address, which a rebuild may change).
//!
//! [`TopChunks`] is a tantivy collector keeping that order while letting the query skip what
//! cannot enter the top k: it hands the query the k-th score as a threshold, so a union of term
//! queries runs as block-max WAND, as it does under tantivy's `TopDocs`. The threshold is set
//! just below the k-th score, so a chunk scoring exactly as much is still offered and the chunk
//! id decides.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
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

/// Keeps the best `limit` chunks (at least one), whatever order they are offered in.
pub struct TopK {
    limit: usize,
    heap: BinaryHeap<Reverse<Scored>>,
}

impl TopK {
    pub fn new(limit: usize) -> TopK {
        TopK {
            limit: limit.max(1),
            heap: BinaryHeap::new(),
        }
    }

    pub fn push(&mut self, candidate: Scored) {
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(candidate));
        } else if self.heap.peek().is_some_and(|worst| candidate > worst.0) {
            self.heap.pop();
            self.heap.push(Reverse(candidate));
        }
    }

    /// The kept chunks, best first.
    pub fn into_sorted(self) -> Vec<Scored> {
        let mut all: Vec<Scored> = self.heap.into_iter().map(|r| r.0).collect();
        all.sort_by(|a, b| b.cmp(a));
        all
    }

    /// The score a chunk must exceed to be worth offering: just below the worst kept score once
    /// `limit` are kept (an equal score may still win on its chunk id), anything before.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.limit => worst.0.score.next_down(),
            _ => Score::MIN,
        }
    }
}

/// The best `limit` chunks of a search, in [`Scored`] order.
pub struct TopChunks {
    limit: usize,
}

impl TopChunks {
    pub fn with_limit(limit: usize) -> TopChunks {
        TopChunks {
            limit: limit.max(1),
        }
    }
}

/// The top chunks of one segment, with the segment's chunk ids.
pub struct SegmentTop {
    segment: SegmentOrdinal,
    ids: Column<u64>,
    top: TopK,
}

impl SegmentTop {
    fn push(&mut self, doc: DocId, score: Score) {
        self.top.push(Scored {
            score,
            // Every chunk has an id; a missing one sorts last among equals.
            id: self.ids.first(doc).unwrap_or(u64::MAX),
            address: DocAddress::new(self.segment, doc),
        });
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(self) -> Vec<Scored> {
        self.top.into_sorted()
    }
}

impl Collector for TopChunks {
    type Fruit = Vec<Scored>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            segment,
            ids: reader.fast_fields().u64(ID)?,
            top: TopK::new(self.limit),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        let mut top = TopK::new(self.limit);
        for scored in segments.into_iter().flatten() {
            top.push(scored);
        }
        Ok(top.into_sorted())
    }

    /// Collects with pruning: the query is told the current threshold after each chunk.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Scored>> {
        let mut collector = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                collector.push(doc, score);
            }
            collector.top.threshold()
        })?;
        Ok(collector.harvest())
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

    #[test]
    fn top_k_keeps_the_best_whatever_the_order_offered() {
        let offered = [
            scored(1.0, 9),
            scored(3.0, 1),
            scored(1.0, 3),
            scored(2.0, 7),
        ];
        for rotation in 0..offered.len() {
            let mut top = TopK::new(3);
            for candidate in offered.iter().cycle().skip(rotation).take(offered.len()) {
                top.push(*candidate);
            }
            let ids: Vec<u64> = top.into_sorted().iter().map(|s| s.id).collect();
            assert_eq!(ids, vec![1, 7, 3]);
        }
    }
}
