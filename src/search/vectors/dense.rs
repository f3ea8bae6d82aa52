//! Dense ranking: the chunks whose vectors are closest to the query's, by exact (brute-force)
//! scan of every row. A row costs one pass over `dimension` bytes, so a scan of 100,000 chunks
//! takes a few milliseconds on one core (measured in docs/BENCHMARKS.md); no approximate index
//! is kept, so there is no recall to lose and nothing to rebuild.

use tantivy::collector::DocSetCollector;
use tantivy::query::TermSetQuery;
use tantivy::{Searcher, Term};

use super::super::SearchError;
use super::super::schema::Fields;
use super::store::VectorStore;

/// A chunk of the dense ranking: its row (its document id) and its cosine with the query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DenseHit {
    pub row: u32,
    pub cosine: f32,
}

/// The `limit` rows closest to `query`, among `allowed` rows when given (see
/// [`allowed_rows`]); best first, equal cosines by smaller chunk id.
pub fn nearest(
    store: &VectorStore,
    query: &[f32],
    allowed: Option<&[bool]>,
    limit: usize,
) -> Vec<DenseHit> {
    let mut hits: Vec<DenseHit> = store
        .dot_all(query)
        .into_iter()
        .enumerate()
        .filter(|(row, _)| allowed.is_none_or(|a| a.get(*row).copied().unwrap_or(false)))
        .map(|(row, cosine)| DenseHit {
            row: row as u32,
            cosine,
        })
        .collect();
    let order = |a: &DenseHit, b: &DenseHit| -> std::cmp::Ordering {
        b.cosine
            .total_cmp(&a.cosine)
            .then_with(|| store.ids[a.row as usize].cmp(&store.ids[b.row as usize]))
    };
    if limit == 0 {
        return Vec::new();
    }
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit - 1, order);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(order);
    hits
}

/// Which rows carry one of `tags` (`None`: no filter). The index has one segment, so a
/// document id is a row.
pub(crate) fn allowed_rows(
    searcher: &Searcher,
    fields: &Fields,
    tags: &[String],
    rows: usize,
) -> Result<Option<Vec<bool>>, SearchError> {
    if tags.is_empty() {
        return Ok(None);
    }
    let terms = tags.iter().map(|t| Term::from_field_text(fields.tags, t));
    let matching = searcher.search(&TermSetQuery::new(terms), &DocSetCollector)?;
    let mut allowed = vec![false; rows];
    for address in matching {
        if let Some(slot) = allowed.get_mut(address.doc_id as usize) {
            *slot = true;
        }
    }
    Ok(Some(allowed))
}

/// A cosine in [-1, 1] as a score in [0, 1]: the cosine itself, negative ones as 0.
pub(crate) fn cosine_score(cosine: f32) -> f32 {
    if cosine.is_finite() {
        cosine.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> VectorStore {
        let mut store = VectorStore::new(2, [0; 32]);
        store.push(30, 0, &[1.0, 0.0]);
        store.push(10, 0, &[0.0, 1.0]);
        store.push(20, 0, &[0.6, 0.8]);
        store.push(5, 0, &[0.0, 1.0]);
        store
    }

    #[test]
    fn nearest_rows_come_best_first_and_ties_go_to_the_smaller_chunk_id() {
        let hits = nearest(&store(), &[0.0, 1.0], None, 3);
        let rows: Vec<u32> = hits.iter().map(|h| h.row).collect();
        assert_eq!(rows, vec![3, 1, 2], "ids 5 and 10 tie; then the 0.8 cosine");
        assert!((hits[2].cosine - 0.8).abs() < 0.01);
        assert_eq!(nearest(&store(), &[0.0, 1.0], None, 10).len(), 4);
        assert!(nearest(&store(), &[0.0, 1.0], None, 0).is_empty());
    }

    #[test]
    fn only_allowed_rows_are_ranked() {
        let allowed = [true, false, true, false];
        let hits = nearest(&store(), &[0.0, 1.0], Some(&allowed), 10);
        let rows: Vec<u32> = hits.iter().map(|h| h.row).collect();
        assert_eq!(rows, vec![2, 0]);
    }

    #[test]
    fn cosine_scores_are_bounded() {
        assert_eq!(cosine_score(-0.3), 0.0);
        assert_eq!(cosine_score(0.42), 0.42);
        assert_eq!(cosine_score(f32::NAN), 0.0);
    }
}
