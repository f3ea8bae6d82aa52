//! Score normalization: raw BM25 sums have no fixed range, the API promises [0, 1].
//!
//! The scale is the score a chunk would get if every query term occurred in it, in the field
//! where that term weighs most, at saturating frequency: `Σ_t qtf(t) · max_f(w_f · idf(t, f)) ·
//! (k1 + 1)`. A result's score is its raw score divided by that, capped at 1 (proximity boosts and
//! matches in several fields can exceed it). Dividing every result of a query by the same
//! number keeps scores monotonic in rank, and the value means something across queries: 1 is
//! "all terms, strongly"; terms that occur nowhere in the index do not count against a result.

use tantivy::Score;

use super::plan::QueryPlan;
use super::term_stats::TermStats;
use super::weights::Weights;

/// BM25 `k1` as used by tantivy.
const K1: Score = 1.2;

#[derive(Debug, Clone, Copy)]
pub struct ScoreScale {
    ideal: Score,
}

impl ScoreScale {
    pub fn new(stats: &TermStats, weights: &Weights, plan: &QueryPlan) -> ScoreScale {
        let field_weights = [weights.content, weights.section, weights.filename];
        let mut ideal = 0.0;
        for ((_, qtf), row) in plan.terms.iter().zip(&stats.doc_freqs) {
            let best = row
                .iter()
                .zip(field_weights)
                .filter(|(doc_freq, _)| **doc_freq > 0)
                .map(|(doc_freq, weight)| weight * idf(*doc_freq, stats.total_docs))
                .fold(0.0, Score::max);
            ideal += *qtf as Score * best * (1.0 + K1);
        }
        ScoreScale { ideal }
    }

    /// `raw` mapped into [0, 1].
    pub fn normalize(&self, raw: Score) -> Score {
        if self.ideal <= 0.0 || !raw.is_finite() {
            return 0.0;
        }
        (raw / self.ideal).clamp(0.0, 1.0)
    }
}

/// BM25 inverse document frequency, as tantivy computes it.
fn idf(doc_freq: u64, total: u64) -> Score {
    let doc_freq = doc_freq.min(total) as Score;
    let ratio = (total as Score - doc_freq + 0.5) / (doc_freq + 0.5);
    (1.0 + ratio).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_is_monotonic_and_bounded() {
        let scale = ScoreScale { ideal: 10.0 };
        let scores: Vec<f32> = [30.0, 9.0, 5.0, 0.1, 0.0]
            .iter()
            .map(|r| scale.normalize(*r))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(scores[0], 1.0);
        assert_eq!(ScoreScale { ideal: 0.0 }.normalize(3.0), 0.0);
    }

    #[test]
    fn rare_terms_weigh_more_than_common_ones() {
        assert!(idf(1, 1000) > idf(500, 1000));
        assert!(idf(1000, 1000) > 0.0);
    }
}
