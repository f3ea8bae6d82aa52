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
use tantivy::{Searcher, Term};

use super::SearchError;
use super::plan::QueryPlan;
use super::schema::Fields;
use super::term_stats::{CONTENT, SECTION, TermStats};

/// Shorter terms are never corrected: too many neighbours.
const MIN_CHARS: usize = 3;

/// Absent terms looked at per query, in query order. Looking one up costs a walk of the term
/// dictionaries with an edit-distance automaton (about 150 µs for a made-up eight-letter word,
/// which needs the distance-2 one), and the query text is the client's: without a bound a
/// 1,000-character query of made-up words cost 8 ms.
const MAX_CORRECTED: usize = 8;

/// For each term of `plan` found in neither content nor section (per `stats`), its best
/// correction found in them; the first 8 such terms only (see `MAX_CORRECTED`).
pub(crate) fn corrections(
    searcher: &Searcher,
    fields: &Fields,
    stats: &TermStats,
    plan: &QueryPlan,
) -> Result<BTreeMap<String, String>, SearchError> {
    let mut replacements = BTreeMap::new();
    let absent = plan
        .terms
        .iter()
        .enumerate()
        .filter_map(|(index, (term, _))| {
            let indexed = stats.present(index, CONTENT) || stats.present(index, SECTION);
            let chars = term.chars().count();
            (!indexed && chars >= MIN_CHARS).then_some((term, chars))
        });
    for (term, chars) in absent.take(MAX_CORRECTED) {
        // A nearer correction always wins, so distance 2 (an automaton several times bigger to
        // build and to walk) is only searched when nothing is one edit away.
        let farthest = if chars <= 5 { 1 } else { 2 };
        for distance in 1..=farthest {
            if let Some(best) = best_neighbour(searcher, fields, term, distance)? {
                replacements.insert(term.clone(), best);
                break;
            }
        }
    }
    Ok(replacements)
}

/// The indexed term of content or section within `distance` of `term`: nearest first, then the
/// most frequent. One automaton serves both fields and every segment.
fn best_neighbour(
    searcher: &Searcher,
    fields: &Fields,
    term: &str,
    distance: u8,
) -> Result<Option<String>, SearchError> {
    let automaton =
        FuzzyTermQuery::new(Term::from_field_text(fields.content, term), distance, true)
            .automaton()?;
    let mut best: Option<(usize, u64, String)> = None;
    let mut inverted = Vec::new();
    for segment in searcher.segment_readers() {
        inverted.push(segment.inverted_index(fields.content)?);
        inverted.push(segment.inverted_index(fields.section)?);
    }
    for index in &inverted {
        let mut stream = index
            .terms()
            .search(&automaton)
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
            let better = best
                .as_ref()
                .is_none_or(|(d, f, s)| (key.0, key.1, candidate) < (*d, Reverse(*f), s.as_str()));
            if better {
                best = Some((key.0, key.1.0, candidate.to_owned()));
            }
        }
    }
    Ok(best.map(|(_, _, term)| term))
}

/// Optimal-string-alignment distance (a swap of neighbours counts 1), to rank candidates.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rolling rows: the one two back is needed for swaps.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::LoadedIndex;
    use crate::search::chunking::Strategy;
    use crate::search::schema::Fields;
    use crate::search::testutil::{GUIDE, build_from};
    use tantivy::tokenizer::Language;

    #[test]
    fn searching_one_edit_first_finds_what_searching_two_at_once_finds() {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = build_from(&dir.path().join("i"), "g", Strategy::Markdown, GUIDE);
        let searcher = LoadedIndex::open("g", &index_dir).unwrap().searcher();
        let fields = Fields::resolve(&searcher.schema().clone(), Language::English).unwrap();
        let words = [
            "instal", "instaler", "linxu", "serach", "serveer", "pasword", "bilings", "comand",
            "documnt", "filtred", "zzzzzz", "cargoo", "machin", "enginee",
        ];
        for word in words {
            let stepwise =
                (1..=2).find_map(|d| best_neighbour(&searcher, &fields, word, d).unwrap());
            let at_once = best_neighbour(&searcher, &fields, word, 2).unwrap();
            assert_eq!(stepwise, at_once, "{word}");
        }
    }

    #[test]
    fn only_the_first_absent_terms_of_a_query_are_corrected() {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = build_from(&dir.path().join("i"), "g", Strategy::Markdown, GUIDE);
        let index = LoadedIndex::open("g", &index_dir).unwrap();
        let searcher = index.searcher();
        let fields = Fields::resolve(&searcher.schema().clone(), Language::English).unwrap();
        let corrected_with = |made_up: usize| {
            let mut words: Vec<String> = (0..made_up).map(|n| format!("qxzv{n}wkj")).collect();
            words.push("pasword".into());
            let plan = QueryPlan {
                terms: words.into_iter().map(|w| (w, 1)).collect(),
                pairs: Vec::new(),
            };
            let stats = TermStats::collect(&searcher, &fields, &plan).unwrap();
            let replacements = corrections(&searcher, &fields, &stats, &plan).unwrap();
            replacements.get("pasword").cloned()
        };
        assert_eq!(
            corrected_with(MAX_CORRECTED - 1).as_deref(),
            Some("password")
        );
        assert_eq!(corrected_with(MAX_CORRECTED), None, "past the bound");
    }

    #[test]
    fn a_swap_of_neighbours_counts_as_one_edit() {
        assert_eq!(edit_distance("serach", "search"), 1);
        assert_eq!(edit_distance("instal", "install"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ca", "abc"), 3);
        assert_eq!(edit_distance("sertif", "certif"), 1);
    }
}
