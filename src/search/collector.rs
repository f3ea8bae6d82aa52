//! Top-k selection with a deterministic order: score descending, then chunk id ascending, so
//! equal scores come back in the same order on every run and every rebuild of the same input
//! (tantivy's own tie-break is the document address, which a rebuild may change).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::{DocAddress, Score};

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
