//! Where the index's own terms occur, looked up once: for each query term seen before that the
//! index has, its postings in the content, section and filename fields of every segment, and
//! its document frequency in each; and for each word pair seen before that the index has, its
//! postings in the pair field. A new question is mostly words asked before, and each word
//! cost three walks of a term dictionary (the largest single cost of ranking left), each pair
//! one more.
//!
//! Kept per loaded index. Only terms found in at least one field are kept, so the table holds
//! index vocabulary, not whatever clients send; it is still keyed at random per process (aHash:
//! the lookups are by request text), bounded in terms and emptied when full. Postings are
//! shared (`Arc`), so handing a kept term to a search allocates nothing.

use std::sync::Arc;

use ahash::RandomState;
use tantivy::postings::TermInfo;

use super::shared_table::SharedTable;

/// Terms kept at most per loaded index (a few megabytes), and pairs.
const MAX_TERMS: usize = 16_384;
const MAX_PAIRS: usize = 16_384;

/// Fields a term is looked up in: content, section, filename (the scorer's first three).
pub const TERM_FIELDS: usize = 3;

/// Where a term's postings are in each segment (`None`: not in that segment).
pub type SegmentPostings = Arc<[Option<TermInfo>]>;

/// A term in one field: its postings in each segment, and its document frequency.
pub type Located = (SegmentPostings, u64);

/// A term in each of the [`TERM_FIELDS`].
pub type LocatedTerm = [Located; TERM_FIELDS];

pub struct TermInfos {
    terms: SharedTable<String, LocatedTerm, RandomState>,
    pairs: SharedTable<String, Located, RandomState>,
}

impl Default for TermInfos {
    fn default() -> TermInfos {
        TermInfos {
            terms: SharedTable::new(MAX_TERMS),
            pairs: SharedTable::new(MAX_PAIRS),
        }
    }
}

impl TermInfos {
    /// Where each of `terms` occurs, in order: kept, or found by `locate` (and kept when found
    /// somewhere).
    pub fn get_all<E>(
        &self,
        terms: &[&str],
        locate: impl FnMut(&str) -> Result<LocatedTerm, E>,
    ) -> Result<Vec<LocatedTerm>, E> {
        kept_or_located(&self.terms, terms, locate, |located| {
            located.iter().any(|(_, doc_freq)| *doc_freq > 0)
        })
    }

    /// Where each of `pairs` (pair-field terms) occurs, in order: kept, or found by `locate`
    /// (and kept when found).
    pub fn get_pairs<E>(
        &self,
        pairs: &[&str],
        locate: impl FnMut(&str) -> Result<Located, E>,
    ) -> Result<Vec<Located>, E> {
        kept_or_located(&self.pairs, pairs, locate, |(_, doc_freq)| *doc_freq > 0)
    }

    /// Terms kept, and pairs kept.
    pub fn kept(&self) -> (usize, usize) {
        (self.terms.usage().0, self.pairs.usage().0)
    }
}

/// The values of `keys` in `table`, a missing one made by `locate` and kept if `found`.
fn kept_or_located<V: Clone, E>(
    table: &SharedTable<String, V, RandomState>,
    keys: &[&str],
    mut locate: impl FnMut(&str) -> Result<V, E>,
    found: impl Fn(&V) -> bool,
) -> Result<Vec<V>, E> {
    table.get_all(
        keys,
        |index| locate(keys[index]),
        |value| found(value).then_some(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(doc_freq: u64) -> LocatedTerm {
        std::array::from_fn(|field| (Arc::from([None]), if field == 0 { doc_freq } else { 0 }))
    }

    #[test]
    fn found_terms_are_kept_and_absent_ones_are_looked_up_each_time() {
        let infos = TermInfos::default();
        let mut asked = Vec::new();
        let got = infos
            .get_all(&["instal", "zqx", "instal"], |term| {
                asked.push(term.to_owned());
                Ok::<_, ()>(entry(u64::from(term == "instal")))
            })
            .unwrap();
        assert_eq!(got[0][0].1, 1);
        assert_eq!(got[1][0].1, 0);
        assert_eq!(asked, vec!["instal", "zqx", "instal"]);
        assert_eq!(infos.kept(), (1, 0), "only the term the index has");
        asked.clear();
        infos
            .get_all(&["instal", "zqx"], |term| {
                asked.push(term.to_owned());
                Ok::<_, ()>(entry(0))
            })
            .unwrap();
        assert_eq!(asked, vec!["zqx"], "the kept term is not looked up again");
    }

    #[test]
    fn the_table_is_bounded() {
        let infos = TermInfos::default();
        for n in 0..MAX_TERMS + 10 {
            let term = format!("t{n}");
            infos.get_all(&[&term], |_| Ok::<_, ()>(entry(1))).unwrap();
        }
        assert!(infos.kept().0 <= MAX_TERMS);
    }

    #[test]
    fn found_pairs_are_kept_apart_from_terms() {
        let infos = TermInfos::default();
        let mut asked = Vec::new();
        for _ in 0..2 {
            let got = infos
                .get_pairs(&["enabl_tls", "tls_zqx"], |pair| {
                    asked.push(pair.to_owned());
                    Ok::<_, ()>((Arc::from([None]), u64::from(pair == "enabl_tls")))
                })
                .unwrap();
            assert_eq!((got[0].1, got[1].1), (1, 0));
        }
        assert_eq!(asked, vec!["enabl_tls", "tls_zqx", "tls_zqx"]);
        assert_eq!(infos.kept(), (0, 1));
    }
}
