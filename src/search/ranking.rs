//! Lexical ranking: from a query's text to the best chunks of an index and their scores, with
//! nothing about how results are shown (stored fields, highlights, JSON). The API's search and
//! any other ranking built on top (such as a fusion with vector search) start here.
//!
//! The steps: analyze the text into a [`QueryPlan`]; look up how many chunks hold each term in
//! each field ([`TermStats`]); run the boolean query of [`lexical_query`] with pruning
//! (block-max WAND, see `collector`) and score the chunks kept exactly (see `rescore`), ties
//! going to the smaller chunk id; when nothing matches, replace the terms the index lacks by
//! their nearest indexed terms ([`corrections`]) and run once more.

use tantivy::Searcher;

use super::SearchError;
use super::analyzer::QueryAnalyzer;
use super::collector::Scored;
use super::fuzzy::corrections;
use super::lexical_query::lexical_query;
use super::plan::QueryPlan;
use super::scale::ScoreScale;
use super::schema::Fields;
use super::term_stats::TermStats;
use super::weights::Weights;

/// What ranking needs of an index besides its searcher: the fields, the query analysis of its
/// language and the weights.
pub(crate) struct Ranker {
    pub fields: Fields,
    pub analyzer: QueryAnalyzer,
    pub weights: Weights,
    /// The window the index's word pairs were formed in (from its manifest).
    pub pair_window: usize,
}

/// The outcome of ranking: the searcher it ran on (the hits' addresses are its own), the query as
/// searched (after a typo retry, with the corrected terms), the score scale and the hits.
pub struct Ranked {
    pub searcher: Searcher,
    pub plan: QueryPlan,
    pub scale: ScoreScale,
    /// Best first: raw BM25 score descending, then chunk id ascending.
    pub hits: Vec<Scored>,
}

impl Ranked {
    /// The API's score of `hit`: its raw score mapped into [0, 1] (see [`ScoreScale`]).
    pub fn score(&self, hit: &Scored) -> f32 {
        self.scale.normalize(hit.score)
    }
}

impl Ranker {
    /// The best `limit` chunks for `text` that carry one of `tags` (any chunk when `tags` is
    /// empty).
    pub(crate) fn rank(
        &self,
        searcher: Searcher,
        text: &str,
        tags: &[String],
        limit: usize,
    ) -> Result<Ranked, SearchError> {
        let mut plan = QueryPlan::from_text(&self.analyzer, text);
        let mut stats = TermStats::collect(&searcher, &self.fields, &plan)?;
        let mut hits = self.top(&searcher, &plan, &stats, tags, limit)?;
        if hits.is_empty() && !plan.is_empty() {
            let replacements = corrections(&searcher, &self.fields, &stats, &plan)?;
            if !replacements.is_empty() {
                plan = plan.with_replacements(&replacements);
                stats = TermStats::collect(&searcher, &self.fields, &plan)?;
                hits = self.top(&searcher, &plan, &stats, tags, limit)?;
            }
        }
        Ok(Ranked {
            scale: ScoreScale::new(&stats, &self.weights, &plan),
            searcher,
            plan,
            hits,
        })
    }

    fn top(
        &self,
        searcher: &Searcher,
        plan: &QueryPlan,
        stats: &TermStats,
        tags: &[String],
        limit: usize,
    ) -> Result<Vec<Scored>, SearchError> {
        let query = lexical_query(
            plan,
            &self.weights,
            self.pair_window,
            &self.fields,
            stats,
            tags,
        );
        match query {
            Some(query) => Ok(query.weigh(searcher)?.top(searcher, limit)?),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;
