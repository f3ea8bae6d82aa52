//! The tantivy query of a [`QueryPlan`]: BM25 over content, section and filename, each term
//! boosted by its field's weight and by how often it occurs in the query, plus one clause per
//! pair of neighbouring query terms, looked up in the word-pair field (see `pairs`), with the
//! proximity weight. All of them are `Should` clauses of one boolean query over term queries,
//! which tantivy runs as block-max WAND under a top-k collector.
//!
//! A tag filter is a required clause that scores nothing, so it filters inside the query and
//! `count` results come back whenever that many chunks match.

use std::sync::Arc;

use tantivy::query::{
    BooleanWeight, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, SumCombiner,
    TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::pairs::pair_term;
use super::plan::QueryPlan;
use super::rescore::{Shared, Weighed};
use super::schema::Fields;
use super::term_stats::{CONTENT, TermStats};
use super::weights::Weights;

/// The scored clauses of a query and its tag filter.
pub(crate) struct LexicalQuery {
    /// Boosted term queries, in the order their scores are added up.
    clauses: Vec<BoostQuery>,
    /// A chunk must carry one of these (no filter when empty).
    tags: Vec<Term>,
}

/// The query for `plan`, or `None` when it has nothing to look for. Clauses that cannot match
/// are left out: a term in a field where `stats` found it in no chunk, a pair further apart than
/// the index's `pair_window` or with a term the content lacks (pairs are made from the content).
pub(crate) fn lexical_query(
    plan: &QueryPlan,
    weights: &Weights,
    pair_window: usize,
    fields: &Fields,
    stats: &TermStats,
    tags: &[String],
) -> Option<LexicalQuery> {
    let mut clauses = Vec::new();
    let scored = [
        (fields.content, weights.content),
        (fields.section, weights.section),
        (fields.filename, weights.filename),
    ];
    for (index, (term, qtf)) in plan.terms.iter().enumerate() {
        for (slot, (field, weight)) in scored.into_iter().enumerate() {
            if stats.present(index, slot) {
                clauses.push(boosted(field, term, weight * *qtf as f32));
            }
        }
    }
    if weights.proximity > 0.0 {
        let in_content = |term: &String| {
            plan.terms
                .iter()
                .position(|(t, _)| t == term)
                .is_none_or(|index| stats.present(index, CONTENT))
        };
        for (a, b, gap) in &plan.pairs {
            if *gap <= pair_window && in_content(a) && in_content(b) {
                clauses.push(boosted(fields.pairs, &pair_term(a, b), weights.proximity));
            }
        }
    }
    if clauses.is_empty() {
        return None;
    }
    let tags = tags
        .iter()
        .map(|tag| Term::from_field_text(fields.tags, tag))
        .collect();
    Some(LexicalQuery { clauses, tags })
}

/// `text` in `field`, its BM25 score times `boost`.
fn boosted(field: Field, text: &str, boost: f32) -> BoostQuery {
    let term = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    BoostQuery::new(Box::new(term), boost)
}

impl LexicalQuery {
    /// The query prepared for `searcher`: the weight of each clause, computed once and shared by
    /// the whole query (what `BooleanQuery` of these clauses, with the filter as a second
    /// required clause, would build).
    pub(crate) fn weigh(&self, searcher: &Searcher) -> tantivy::Result<Weighed> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let clauses: Vec<Arc<dyn Weight>> = self
            .clauses
            .iter()
            .map(|clause| clause.weight(scoring).map(Arc::from))
            .collect::<tantivy::Result<_>>()?;
        let should = clauses
            .iter()
            .map(|weight| (Occur::Should, Shared::boxed(weight)))
            .collect();
        let text = boolean(should, 1);
        let whole = if self.tags.is_empty() {
            text
        } else {
            let set = TermSetQuery::new(self.tags.iter().cloned());
            let filter = ConstScoreQuery::new(Box::new(set), 0.0).weight(scoring)?;
            boolean(vec![(Occur::Must, text), (Occur::Must, filter)], 0)
        };
        Ok(Weighed::new(clauses, whole))
    }
}

fn boolean(clauses: Vec<(Occur, Box<dyn Weight>)>, minimum_should: usize) -> Box<dyn Weight> {
    Box::new(BooleanWeight::with_minimum_number_should_match(
        clauses,
        minimum_should,
        true,
        Box::new(SumCombiner::default),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::LoadedIndex;
    use crate::search::analyzer::QueryAnalyzer;
    use crate::search::chunking::Strategy;
    use crate::search::testutil::{GUIDE, build_from};
    use crate::search::weights::DEFAULT_WEIGHTS;
    use tantivy::tokenizer::Language;

    /// The clauses of `text` on the guide index, as (field name, term text).
    fn clauses(text: &str, weights: &Weights, window: usize, tags: &[String]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = build_from(&dir.path().join("i"), "g", Strategy::Markdown, GUIDE);
        let searcher = LoadedIndex::open("g", &index_dir).unwrap().searcher();
        let schema = searcher.schema().clone();
        let fields = Fields::resolve(&schema, Language::English).unwrap();
        let plan = QueryPlan::from_text(&QueryAnalyzer::new(Language::English), text);
        let stats = TermStats::collect(&searcher, &fields, &plan).unwrap();
        let Some(query) = lexical_query(&plan, weights, window, &fields, &stats, tags) else {
            return Vec::new();
        };
        assert_eq!(query.tags.len(), tags.len());
        let mut described = Vec::new();
        for clause in &query.clauses {
            clause.query_terms(&mut |term, _| {
                let name = schema.get_field_name(term.field());
                let value = term.value();
                let text = value.as_str().unwrap_or_default();
                described.push(format!("{name}:{text}"));
            });
        }
        described
    }

    #[test]
    fn clauses_are_the_terms_where_they_occur_and_the_pairs_within_the_window() {
        let got = clauses("install the server on linux", &DEFAULT_WEIGHTS, 1, &[]);
        assert_eq!(
            got,
            vec![
                "content:instal",
                "section:instal",
                "filename:instal",
                "content:server",
                "content:linux",
                "section:linux",
            ],
            "install and server are two positions apart, server and linux too"
        );
        let wider = clauses("install the server on linux", &DEFAULT_WEIGHTS, 2, &[]);
        assert_eq!(&wider[6..], ["pairs:instal_server", "pairs:server_linux"]);
    }

    #[test]
    fn no_proximity_weight_no_pairs_and_a_query_of_unknown_words_is_none() {
        let weights = Weights {
            proximity: 0.0,
            ..DEFAULT_WEIGHTS
        };
        let got = clauses("linux machines", &weights, 1, &["code".to_owned()]);
        assert!(got.iter().all(|c| !c.starts_with("pairs:")), "{got:?}");
        assert!(clauses("zzyzx qqq", &DEFAULT_WEIGHTS, 1, &[]).is_empty());
    }
}
