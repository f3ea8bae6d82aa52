//! From a query to the chunks an answer shows, in each mode, before anything is read from the
//! doc store: the address of each chunk, its score in [0, 1] and which ranking found it.
//!
//! - lexical: the BM25 ranking ([`Ranked`]), scores as its [`ScoreScale`](super::scale) maps
//!   them;
//! - semantic: the chunks whose vectors are nearest the query's, the score being the cosine
//!   (negative ones as 0);
//! - hybrid: the top [`CANDIDATES`] of each fused by reciprocal rank (see `vectors::fusion`),
//!   the score being the fused value over its maximum.
//!
//! The query is embedded here, on the caller's thread: a search thread.

use tantivy::{DocAddress, Searcher};

use super::SearchError;
use super::api::{MatchKind, SearchMode};
use super::plan::QueryPlan;
use super::ranking::Ranked;
use super::schema::Fields;
use super::vectors::DenseIndex;
use super::vectors::dense::{allowed_rows, cosine_score, nearest};
use super::vectors::fusion::{self, fuse};

/// How deep each ranking is read for a fusion: the 100 best of each.
pub(crate) const CANDIDATES: usize = 100;

/// A chunk an answer may show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub address: DocAddress,
    /// In [0, 1], non-increasing down the list.
    pub score: f32,
    pub matched: MatchKind,
}

/// The outcome of retrieval: the searcher the addresses belong to, the query's terms (what
/// highlights mark), the mode that ran and the candidates, best first; with the query's vector
/// when it was embedded (what the sentence shown for a semantic-only hit is chosen by).
pub(crate) struct Retrieved {
    pub searcher: Searcher,
    pub plan: QueryPlan,
    pub mode: SearchMode,
    pub candidates: Vec<Candidate>,
    pub query_vector: Option<Vec<f32>>,
}

/// The lexical ranking as it is.
pub(crate) fn lexical(ranked: Ranked) -> Retrieved {
    let candidates = ranked
        .hits
        .iter()
        .map(|hit| Candidate {
            address: hit.address,
            score: ranked.score(hit),
            matched: MatchKind::Lexical,
        })
        .collect();
    Retrieved {
        searcher: ranked.searcher,
        plan: ranked.plan,
        mode: SearchMode::Lexical,
        candidates,
        query_vector: None,
    }
}

/// What a dense search needs besides the query.
pub(crate) struct DenseQuery<'a> {
    pub dense: &'a DenseIndex,
    pub fields: &'a Fields,
    pub text: &'a str,
    pub tags: &'a [String],
}

impl DenseQuery<'_> {
    /// The `limit` nearest chunks carrying one of the tags, best first, and the query's vector.
    fn nearest(
        &self,
        searcher: &Searcher,
        limit: usize,
    ) -> Result<(Vec<Candidate>, Vec<f32>), SearchError> {
        let store = &self.dense.store;
        let query = self.dense.embedder.embed_query(self.text)?;
        let allowed = allowed_rows(searcher, self.fields, self.tags, store.len())?;
        let candidates = nearest(store, &query, allowed.as_deref(), limit)
            .into_iter()
            .map(|hit| Candidate {
                address: DocAddress::new(0, hit.row),
                score: cosine_score(hit.cosine),
                matched: MatchKind::Semantic,
            })
            .collect();
        Ok((candidates, query))
    }

    /// Semantic mode: the dense ranking alone (`plan` gives the highlights their words).
    pub(crate) fn semantic(
        &self,
        searcher: Searcher,
        plan: QueryPlan,
        limit: usize,
    ) -> Result<Retrieved, SearchError> {
        let (candidates, query) = self.nearest(&searcher, limit)?;
        Ok(Retrieved {
            searcher,
            plan,
            mode: SearchMode::Semantic,
            candidates,
            query_vector: Some(query),
        })
    }

    /// Hybrid mode: `ranked` (the lexical top [`CANDIDATES`]) fused with the dense top
    /// [`CANDIDATES`].
    pub(crate) fn hybrid(&self, ranked: Ranked) -> Result<Retrieved, SearchError> {
        let (dense, query) = self.nearest(&ranked.searcher, CANDIDATES)?;
        let store = &self.dense.store;
        let lexical: Vec<fusion::Ranked> = ranked
            .hits
            .iter()
            .map(|hit| fusion::Ranked {
                id: hit.id,
                address: hit.address,
            })
            .collect();
        let dense: Vec<fusion::Ranked> = dense
            .iter()
            .map(|c| fusion::Ranked {
                id: store.ids[c.address.doc_id as usize],
                address: c.address,
            })
            .collect();
        let candidates = fuse(&lexical, &dense, self.dense.rrf_k)
            .into_iter()
            .map(|f| Candidate {
                address: f.address,
                score: f.score,
                matched: f.matched,
            })
            .collect();
        Ok(Retrieved {
            searcher: ranked.searcher,
            plan: ranked.plan,
            mode: SearchMode::Hybrid,
            candidates,
            query_vector: Some(query),
        })
    }
}
