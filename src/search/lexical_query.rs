//! The tantivy query of a [`QueryPlan`]: BM25 over content, section and filename, each term
//! boosted by its field's weight and by how often it occurs in the query, plus one clause per
//! pair of neighbouring query terms, looked up in the word-pair field (see `pairs`), with the
//! proximity weight. All of them are `Should` clauses of one boolean query over term queries,
//! which tantivy runs as block-max WAND under a top-k collector.
//!
//! A tag filter is a required clause that scores nothing, so it filters inside the query and
//! `count` results come back whenever that many chunks match.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::pairs::pair_term;
use super::plan::QueryPlan;
use super::schema::Fields;
use super::term_stats::{CONTENT, TermStats};
use super::weights::Weights;

/// The query for `plan`, or `None` when it has nothing to look for. Clauses that cannot match
/// are left out: a term in a field where `stats` found it in no chunk, a pair further apart than
/// the index's `pair_window` or with a term the content lacks (pairs are made from the content).
pub fn lexical_query(
    plan: &QueryPlan,
    weights: &Weights,
    pair_window: usize,
    fields: &Fields,
    stats: &TermStats,
    tags: &[String],
) -> Option<Box<dyn Query>> {
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
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    if tags.is_empty() {
        return Some(text);
    }
    let tags = tags
        .iter()
        .map(|tag| Term::from_field_text(fields.tags, tag));
    let filter = ConstScoreQuery::new(Box::new(TermSetQuery::new(tags)), 0.0);
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, text),
        (Occur::Must, Box::new(filter)),
    ])))
}

/// A `Should` clause: `text` in `field`, its BM25 score times `boost`.
fn boosted(field: Field, text: &str, boost: f32) -> (Occur, Box<dyn Query>) {
    let term = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(term), boost)),
    )
}
