//! Typo tolerance: when a query finds nothing, each of its terms absent from the index is
//! replaced by the closest indexed term (Levenshtein distance 1 for short words, 2 for longer
//! ones, a transposition counting 1) and the query runs again.
//!
//! Rewriting the query with real index terms, rather than running tantivy's fuzzy query, means
//! the corrected terms are known: they are reported in `enhanced_query` and highlighted (tantivy's
//! snippet generator gives nothing for a fuzzy query).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::SearchError;
use super::query::QueryPlan;

/// Shorter terms are never corrected: too many neighbours.
const MIN_CHARS: usize = 3;

/// For each term of `plan` found in none of `fields`, its best correction found in them.
pub fn corrections(
    searcher: &Searcher,
    fields: &[Field],
    plan: &QueryPlan,
) -> Result<BTreeMap<String, String>, SearchError> {
    let mut replacements = BTreeMap::new();
    for (term, _) in &plan.terms {
        let chars = term.chars().count();
        if chars < MIN_CHARS || is_indexed(searcher, fields, term)? {
            continue;
        }
        let distance = if chars <= 5 { 1 } else { 2 };
        if let Some(best) = best_neighbour(searcher, fields, term, distance)? {
            replacements.insert(term.clone(), best);
        }
    }
    Ok(replacements)
}

fn is_indexed(searcher: &Searcher, fields: &[Field], term: &str) -> Result<bool, SearchError> {
    for field in fields {
        if searcher.doc_freq(&Term::from_field_text(*field, term))? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The indexed term within `distance` of `term`: nearest first, then the most frequent.
fn best_neighbour(
    searcher: &Searcher,
    fields: &[Field],
    term: &str,
    distance: u8,
) -> Result<Option<String>, SearchError> {
    let mut best: Option<(usize, u64, String)> = None;
    for field in fields {
        let query = FuzzyTermQuery::new(Term::from_field_text(*field, term), distance, true);
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(*field)?;
            let automaton = query.automaton()?;
            let mut stream = inverted
                .terms()
                .search(automaton)
                .into_stream()
                .map_err(|e| SearchError::Tantivy(e.into()))?;
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let key = (
                    edit_distance(term, candidate),
                    Reverse(u64::from(stream.value().doc_freq)),
                );
                let better = best.as_ref().is_none_or(|(d, f, s)| {
                    (key.0, key.1, candidate) < (*d, Reverse(*f), s.as_str())
                });
                if better {
                    best = Some((key.0, key.1.0, candidate.to_owned()));
                }
            }
        }
    }
    Ok(best.map(|(_, _, term)| term))
}

/// Optimal-string-alignment distance (a swap of neighbours counts 1), to rank candidates.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = value;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_of_neighbours_counts_as_one_edit() {
        assert_eq!(edit_distance("serach", "search"), 1);
        assert_eq!(edit_distance("instal", "install"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
