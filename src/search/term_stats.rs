//! How many chunks hold each query term, per scored field, looked up once per search: which
//! clauses are worth building (a term absent from a field adds nothing there), which terms the
//! typo retry should correct, and the scale that maps raw scores into [0, 1].

use tantivy::{Searcher, Term};

use super::SearchError;
use super::plan::QueryPlan;
use super::schema::Fields;

/// The scored fields, in the order of [`TermStats::doc_freqs`]'s rows (the filename is the third).
pub(crate) const CONTENT: usize = 0;
pub(crate) const SECTION: usize = 1;

#[derive(Debug, Clone, Default)]
pub struct TermStats {
    /// Chunks in the index.
    pub total_docs: u64,
    /// Parallel to `QueryPlan::terms`: the term's document frequency in content, section and
    /// filename.
    pub doc_freqs: Vec<[u64; 3]>,
}

impl TermStats {
    pub fn collect(
        searcher: &Searcher,
        fields: &Fields,
        plan: &QueryPlan,
    ) -> Result<TermStats, SearchError> {
        let scored = [fields.content, fields.section, fields.filename];
        let mut doc_freqs = Vec::with_capacity(plan.terms.len());
        for (term, _) in &plan.terms {
            let mut row = [0; 3];
            for (slot, field) in row.iter_mut().zip(scored) {
                *slot = searcher.doc_freq(&Term::from_field_text(field, term))?;
            }
            doc_freqs.push(row);
        }
        Ok(TermStats {
            total_docs: searcher.num_docs(),
            doc_freqs,
        })
    }

    /// Whether term `index` of the plan occurs in `field` ([`CONTENT`], [`SECTION`] or
    /// [`FILENAME`]).
    pub fn present(&self, index: usize, field: usize) -> bool {
        self.doc_freqs.get(index).is_some_and(|row| row[field] > 0)
    }
}
