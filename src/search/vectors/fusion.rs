//! Reciprocal rank fusion: one ranking out of the lexical and the dense one, by rank alone.
//!
//! A chunk at rank `r` (from 1) of a ranking earns `1 / (k + r)` from it; its fused value is
//! the sum over the rankings it appears in. Ranks, not scores, are fused: BM25 sums and cosines
//! have nothing in common to add, and a rank means the same in both. `k` (60 by default) damps
//! the head: the first few ranks of one ranking do not drown out agreement between the two.
//! The score a result shows is the fused value divided by its maximum, `2 / (k + 1)` (first in
//! both rankings), so it is in [0, 1]: 1 for the top of both, 0.5 for the top of one only.

use tantivy::DocAddress;

use super::super::api::MatchKind;

/// The RRF constant used unless an index's recipe or build says otherwise.
pub const DEFAULT_RRF_K: u32 = 60;

/// A chunk of one input ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    pub id: u64,
    pub address: DocAddress,
}

/// A chunk of the fused ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fused {
    pub id: u64,
    pub address: DocAddress,
    /// In [0, 1]: the fused value over its maximum.
    pub score: f32,
    pub matched: MatchKind,
}

/// Fuses `lexical` and `dense` (each best first) with constant `k`: best first, equal values by
/// smaller chunk id.
pub(crate) fn fuse(lexical: &[Ranked], dense: &[Ranked], k: u32) -> Vec<Fused> {
    let k = f64::from(k);
    let mut fused: Vec<(f64, Fused)> = Vec::with_capacity(lexical.len() + dense.len());
    for (rank, hit) in lexical.iter().enumerate() {
        let value = 1.0 / (k + rank as f64 + 1.0);
        fused.push((value, entry(hit, MatchKind::Lexical)));
    }
    for (rank, hit) in dense.iter().enumerate() {
        let value = 1.0 / (k + rank as f64 + 1.0);
        match fused.iter_mut().find(|(_, f)| f.id == hit.id) {
            Some((sum, found)) => {
                *sum += value;
                found.matched = MatchKind::Both;
            }
            None => fused.push((value, entry(hit, MatchKind::Semantic))),
        }
    }
    fused.sort_by(|(a, x), (b, y)| b.total_cmp(a).then(x.id.cmp(&y.id)));
    let maximum = 2.0 / (k + 1.0);
    fused
        .into_iter()
        .map(|(value, mut f)| {
            f.score = ((value / maximum) as f32).clamp(0.0, 1.0);
            f
        })
        .collect()
}

fn entry(hit: &Ranked, matched: MatchKind) -> Fused {
    Fused {
        id: hit.id,
        address: hit.address,
        score: 0.0,
        matched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(ids: &[u64]) -> Vec<Ranked> {
        ids.iter()
            .map(|&id| Ranked {
                id,
                address: DocAddress::new(0, id as u32),
            })
            .collect()
    }

    #[test]
    fn agreement_between_the_rankings_wins_and_scores_are_the_share_of_the_maximum() {
        let fused = fuse(&ranking(&[1, 2, 3]), &ranking(&[3, 4, 1]), 60);
        let ids: Vec<u64> = fused.iter().map(|f| f.id).collect();
        assert_eq!(ids, vec![1, 3, 2, 4]);
        let kinds: Vec<MatchKind> = fused.iter().map(|f| f.matched).collect();
        use MatchKind::*;
        assert_eq!(kinds, vec![Both, Both, Lexical, Semantic]);
        let expected_first = (1.0 / 61.0 + 1.0 / 63.0) / (2.0 / 61.0);
        assert!((f64::from(fused[0].score) - expected_first).abs() < 1e-6);
        assert!(fused.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn first_in_both_scores_one_and_first_in_one_scores_a_half() {
        let both = fuse(&ranking(&[7]), &ranking(&[7]), 60);
        assert_eq!(both[0].score, 1.0);
        let one = fuse(&ranking(&[7]), &[], 60);
        assert!((one[0].score - 0.5).abs() < 1e-6);
        assert_eq!(one[0].matched, MatchKind::Lexical);
    }

    #[test]
    fn equal_fused_values_go_to_the_smaller_chunk_id() {
        let fused = fuse(&ranking(&[9]), &ranking(&[4]), 60);
        assert_eq!(fused[0].id, 4);
        assert_eq!(fused[0].score, fused[1].score);
    }
}
