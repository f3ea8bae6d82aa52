//! From user text to weighted clauses, without tantivy's query parser: the text is analyzed like
//! the index and the clauses are assembled from the resulting terms, so no input (quotes, `AND`,
//! `title:x`, `*`, `(`, emoji) can be a syntax error. [`scorer`](super::scorer) scores them.
//!
//! Ranking: BM25 summed over content, section and filename (the last two boosted), each query
//! term weighted by how often it occurs in the query, plus a boost for each pair of neighbouring
//! query terms that are also neighbours in the content (see `pairs`).

use super::SearchError;
use super::pairs::{DEFAULT_WINDOW, pair_term};
use super::plan::QueryPlan;
use super::scorer::{CONTENT, Clause, FILENAME, PAIRS, Prepared, SECTION};
use super::scoring::TermStats;
use super::weights::Weights;

/// The scored clauses of the query: every term in every field where it occurs (a clause for an
/// absent term would cost a lookup and match nothing), then the proximity pairs found in the
/// index. The order is the order scores are summed in.
pub fn clauses(
    plan: &QueryPlan,
    weights: &Weights,
    stats: &TermStats,
    prepared: &Prepared,
) -> Result<Vec<Clause>, SearchError> {
    let mut clauses = Vec::new();
    let scored = [
        (CONTENT, weights.content),
        (SECTION, weights.section),
        (FILENAME, weights.filename),
    ];
    for (index, (_, qtf)) in plan.terms.iter().enumerate() {
        for (slot, (field, weight)) in scored.into_iter().enumerate() {
            if !stats.present(index, slot) {
                continue;
            }
            let boost = weight * *qtf as f32;
            clauses.push(Clause {
                field,
                weight: prepared.weight(stats.doc_freqs[index][slot], boost),
                postings: stats.postings[index][slot].clone(),
            });
        }
    }
    if weights.proximity > 0.0 {
        // Pairs are made from the content's terms: a pair with a term the content lacks (a typo,
        // a word from elsewhere) is not in the index, and its lookup is skipped.
        let in_content = |term: &String| {
            plan.terms
                .iter()
                .position(|(t, _)| t == term)
                .is_none_or(|index| stats.present(index, CONTENT))
        };
        let wanted: Vec<String> = plan
            .pairs
            .iter()
            .filter(|(a, b, gap)| *gap <= DEFAULT_WINDOW && in_content(a) && in_content(b))
            .map(|(a, b, _)| pair_term(a, b))
            .collect();
        let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
        for (postings, doc_freq) in prepared.locate_pairs(&wanted)? {
            if doc_freq > 0 {
                clauses.push(Clause {
                    field: PAIRS,
                    weight: prepared.weight(doc_freq, weights.proximity),
                    postings,
                });
            }
        }
    }
    Ok(clauses)
}
