//! Collecting the best chunks of a search with a deterministic order: score descending, then
//! chunk id ascending, so equal scores come back in the same order on every run and every
//! rebuild of the same input (tantivy's own tie-break is the document address, which a rebuild
//! may change).
//!
//! [`TopChunks`] is a tantivy collector that hands the query a threshold, so a union of term
//! queries runs as block-max WAND, as it does under tantivy's `TopDocs`. WAND adds a chunk's
//! clause scores in whatever order its posting lists happen to be in, so two chunks with the same
//! clause scores can differ in the last bit and a true tie would be decided by rounding. The
//! collector therefore keeps, besides the best `limit`, every chunk within [`NEAR`] of the
//! `limit`-th score; the caller scores those again in one fixed order (see `rescore`) and cuts
//! the list with [`best`].

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema::ID;

/// Relative distance below the `limit`-th score within which chunks are kept. Two orders of
/// adding up to a few hundred positive clause scores differ by less than 2 · 224 · 2^-24 ≈
/// 2.7e-5 of the sum; this leaves a margin.
pub(crate) const NEAR: Score = 1e-4;

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

/// The best `limit` of `candidates`, best first.
pub(crate) fn best(mut candidates: Vec<Scored>, limit: usize) -> Vec<Scored> {
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    candidates.truncate(limit);
    candidates
}

/// The chunks of a search worth scoring exactly: the best `limit` by the query's own scores and
/// any within [`NEAR`] of the `limit`-th, in no particular order.
pub(crate) struct TopChunks {
    limit: usize,
}

impl TopChunks {
    pub(crate) fn with_limit(limit: usize) -> TopChunks {
        TopChunks {
            limit: limit.max(1),
        }
    }
}

/// A score ordered totally, for the heap of the best scores.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(Score);

impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The candidates of one segment.
pub(crate) struct SegmentTop {
    segment: SegmentOrdinal,
    ids: Column<u64>,
    limit: usize,
    /// The best `limit` scores seen, the worst on top.
    best: BinaryHeap<Reverse<Key>>,
    kept: Vec<Scored>,
}

impl SegmentTop {
    /// The score a chunk must exceed to be kept: just under the `limit`-th best once there are
    /// that many, anything before.
    fn threshold(&self) -> Score {
        match self.best.peek() {
            Some(Reverse(Key(worst))) if self.best.len() >= self.limit => {
                worst - worst.abs() * NEAR
            }
            _ => Score::MIN,
        }
    }

    fn push(&mut self, doc: DocId, score: Score) {
        if score <= self.threshold() {
            return;
        }
        self.kept.push(Scored {
            score,
            // Every chunk has an id; a missing one sorts last among equals.
            id: self.ids.first(doc).unwrap_or(u64::MAX),
            address: DocAddress::new(self.segment, doc),
        });
        self.best.push(Reverse(Key(score)));
        if self.best.len() > self.limit {
            self.best.pop();
        }
        // Chunks kept early fall below the threshold as it rises; drop them now and then.
        if self.kept.len() > 2 * self.limit + 64 {
            let threshold = self.threshold();
            self.kept.retain(|scored| scored.score > threshold);
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(mut self) -> Vec<Scored> {
        let threshold = self.threshold();
        self.kept.retain(|scored| scored.score > threshold);
        self.kept
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
            limit: self.limit,
            best: BinaryHeap::with_capacity(self.limit + 1),
            kept: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        Ok(segments.into_iter().flatten().collect())
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
            collector.threshold()
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
        let ids: Vec<u64> = best(vec![scored(1.0, 9), scored(2.0, 5), scored(1.0, 3)], 3)
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, vec![5, 3, 9]);
    }

    fn segment(limit: usize) -> SegmentTop {
        SegmentTop {
            segment: 0,
            ids: Column::build_empty_column(64),
            limit,
            best: BinaryHeap::new(),
            kept: Vec::new(),
        }
    }

    #[test]
    fn the_best_and_the_nearly_as_good_are_kept_whatever_the_order_offered() {
        let offered = [5.0, 9.0, 1.0, 9.0 * (1.0 - NEAR / 2.0), 7.0, 8.0, 2.0, 9.0];
        for rotation in 0..offered.len() {
            let mut top = segment(2);
            for score in offered.iter().cycle().skip(rotation).take(offered.len()) {
                top.push(doc_of(*score), *score);
            }
            let mut kept: Vec<f32> = top.harvest().iter().map(|s| s.score).collect();
            kept.sort_by(|a, b| b.total_cmp(a));
            assert_eq!(kept, vec![9.0, 9.0, 9.0 * (1.0 - NEAR / 2.0)], "{rotation}");
        }
    }

    fn doc_of(score: f32) -> DocId {
        score.to_bits() % 1000
    }

    #[test]
    fn the_threshold_rises_only_once_the_limit_is_reached_and_stays_below_the_worst_kept() {
        let mut top = segment(3);
        top.push(0, 4.0);
        top.push(1, 6.0);
        assert_eq!(top.threshold(), Score::MIN);
        top.push(2, 5.0);
        assert!(top.threshold() < 4.0 && top.threshold() > 4.0 * (1.0 - 2.0 * NEAR));
        top.push(3, 4.0);
        assert_eq!(
            top.kept.len(),
            4,
            "an equal score is kept: the chunk id decides"
        );
        top.push(4, 3.0);
        assert_eq!(top.kept.len(), 4);
    }
}
