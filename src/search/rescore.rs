//! Exact scores for the chunks a pruned search kept, when two of them are close: each clause's
//! score, added in clause order.
//!
//! Block-max WAND adds a chunk's clause scores in the order its posting lists happen to be in
//! at that chunk, so two chunks with the same clause scores may get sums that differ in the last
//! bit, and a tie that should go to the smaller chunk id would be decided by rounding. When two
//! of the chunks kept (see [`TopChunks`]) are within [`NEAR`] of each other, their clause scores
//! are added again in one fixed order, which gives equal chunks equal scores: the sums an
//! unpruned union of the same clauses computes, bit for bit. Otherwise the order is already
//! right and the sums are kept as they are (they differ from those in the last bits at most).
//!
//! [`TopChunks`]: super::collector::TopChunks

use std::sync::Arc;

use tantivy::query::{Explanation, Scorer, Weight};
use tantivy::{DocId, Score, Searcher, SegmentReader};

use super::collector::{NEAR, Scored, TopChunks, best};

/// A query prepared for one searcher: its clauses' weights and the whole query's, which shares
/// them.
pub(crate) struct Weighed {
    clauses: Vec<Arc<dyn Weight>>,
    whole: Box<dyn Weight>,
}

impl Weighed {
    pub(crate) fn new(clauses: Vec<Arc<dyn Weight>>, whole: Box<dyn Weight>) -> Weighed {
        Weighed { clauses, whole }
    }

    /// The whole query, for tests that evaluate it without pruning.
    #[cfg(test)]
    pub(crate) fn whole(&self) -> &dyn Weight {
        &*self.whole
    }

    /// The best `limit` chunks: collected with pruning, then scored exactly.
    pub(crate) fn top(&self, searcher: &Searcher, limit: usize) -> tantivy::Result<Vec<Scored>> {
        let collector = TopChunks::with_limit(limit);
        let mut candidates = Vec::new();
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let mut kept = tantivy::collector::Collector::collect_segment(
                &collector,
                &*self.whole,
                ordinal as u32,
                reader,
            )?;
            if has_near_scores(&mut kept) {
                self.rescore(reader, &mut kept)?;
            }
            candidates.append(&mut kept);
        }
        Ok(best(candidates, limit))
    }

    /// Replaces the score of each of `kept` (chunks of the segment `reader` reads) by the sum
    /// of its clause scores in clause order.
    fn rescore(&self, reader: &SegmentReader, kept: &mut [Scored]) -> tantivy::Result<()> {
        kept.sort_unstable_by_key(|scored| scored.address.doc_id);
        for scored in kept.iter_mut() {
            scored.score = 0.0;
        }
        for clause in &self.clauses {
            let mut scorer = clause.scorer(reader, 1.0)?;
            for scored in kept.iter_mut() {
                if let Some(score) = score_at(&mut *scorer, scored.address.doc_id) {
                    scored.score += score;
                }
            }
        }
        Ok(())
    }
}

/// Whether two of `kept` score within [`NEAR`] of each other (sorts them by score).
fn has_near_scores(kept: &mut [Scored]) -> bool {
    kept.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
    kept.windows(2)
        .any(|pair| pair[0].score - pair[1].score <= pair[0].score.abs() * NEAR)
}

/// The score of `scorer` at `doc`, if it matches it; `doc` must not be before the last one asked.
fn score_at(scorer: &mut dyn Scorer, doc: DocId) -> Option<Score> {
    let at = if scorer.doc() < doc {
        scorer.seek(doc)
    } else {
        scorer.doc()
    };
    (at == doc).then(|| scorer.score())
}

/// A clause weight shared between the whole query and the exact scoring.
pub(crate) struct Shared(Arc<dyn Weight>);

impl Shared {
    pub(crate) fn boxed(weight: &Arc<dyn Weight>) -> Box<dyn Weight> {
        Box::new(Shared(Arc::clone(weight)))
    }
}

impl Weight for Shared {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}
