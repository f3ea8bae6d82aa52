//! Term statistics of the term-at-a-time scorer: document frequencies and postings of each
//! query term, from the scorer's per-index tables.

use tantivy::Searcher;

use super::SearchError;
use super::plan::QueryPlan;
use super::scorer::Prepared;
use super::term_infos::SegmentPostings;

/// Where each query term occurs in each scored field (content, section, filename), looked up
/// once per search: the document frequencies drive which clauses are worth building and the
/// scale, and the postings found are the ones the clauses read.
#[derive(Debug, Clone, Default)]
pub struct TermStats {
    pub total_docs: u64,
    /// Parallel to `QueryPlan::terms`.
    pub doc_freqs: Vec<[u64; 3]>,
    /// Parallel to `doc_freqs`: per field, the term's postings in each segment.
    pub postings: Vec<[SegmentPostings; 3]>,
}

impl TermStats {
    pub fn collect(
        searcher: &Searcher,
        prepared: &Prepared,
        plan: &QueryPlan,
    ) -> Result<TermStats, SearchError> {
        let terms: Vec<&str> = plan.terms.iter().map(|(term, _)| term.as_str()).collect();
        let mut doc_freqs = Vec::with_capacity(terms.len());
        let mut postings = Vec::with_capacity(terms.len());
        for located in prepared.locate_terms(&terms)? {
            let [(content, a), (section, b), (filename, c)] = located;
            doc_freqs.push([a, b, c]);
            postings.push([content, section, filename]);
        }
        Ok(TermStats {
            total_docs: searcher.num_docs(),
            doc_freqs,
            postings,
        })
    }

    /// Whether term `index` of the plan occurs in field `field` (0 content, 1 section,
    /// 2 filename).
    pub fn present(&self, index: usize, field: usize) -> bool {
        self.doc_freqs.get(index).is_some_and(|row| row[field] > 0)
    }
}
