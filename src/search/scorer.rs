//! BM25 scoring of a query's clauses, term at a time, over readers and statistics prepared once
//! per loaded index.
//!
//! A loaded index never changes (a rebuild opens a new one), so everything tantivy would work
//! out again for every query is done once, at open: the per-segment inverted-index and
//! field-norm readers, the id column, and for each scored field its average length and the
//! 256-entry length-normalization table of BM25. A query then costs one term-dictionary lookup
//! per term and field (kept in [`TermStats`] and reused to open the postings), one pass over each
//! posting list adding into a reusable per-thread accumulator, and a top-k selection. What
//! earlier queries found is kept too: where the index's terms and word pairs occur
//! ([`TermInfos`]) and the posting lists already decoded ([`ImpactCache`]), so a known term
//! costs a table lookup and a pass over a plain array.
//!
//! The arithmetic is tantivy's own (`Bm25Weight`, `TermScorer`, and the sum of a boolean query's
//! `Should` clauses in clause order), so scores are bit for bit what `BooleanQuery` of
//! `BoostQuery(TermQuery)` clauses gave; a test compares the two on every query it tries.
//!
//! [`TermStats`]: super::scoring::TermStats

use std::cell::RefCell;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, TermInfo};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::termdict::TermDictionary;
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, Searcher, TERMINATED, Term};

use super::SearchError;
use super::collector::{Scored, TopK};
use super::impacts::{ImpactCache, ImpactKey, Impacts};
use super::schema::{Fields, ID};
use super::term_infos::{Located, LocatedTerm, SegmentPostings, TermInfos};

/// BM25 parameters, as tantivy uses them.
const K1: Score = 1.2;
const B: Score = 0.75;

/// The fields a clause can score in, in the order [`Prepared::new`] opens them.
pub const CONTENT: usize = 0;
pub const SECTION: usize = 1;
pub const FILENAME: usize = 2;
pub const PAIRS: usize = 3;
const SCORED_FIELDS: usize = 4;

/// One weighted term of the query in one field: its BM25 weight (idf, `k1 + 1` and the boost
/// folded in) and, per segment, where its postings are.
#[derive(Debug, Clone)]
pub struct Clause {
    pub field: usize,
    pub weight: Score,
    pub postings: SegmentPostings,
}

/// Length normalization of one scored field: `k1 · (1 - b + b · len / avg_len)` for each of the
/// 256 encoded field lengths.
struct Normalization {
    table: [Score; 256],
}

impl Normalization {
    fn new(total_tokens: u64, total_docs: u64) -> Normalization {
        let average = total_tokens as Score / total_docs as Score;
        let mut table = [0.0; 256];
        for (id, slot) in table.iter_mut().enumerate() {
            let length = FieldNormReader::id_to_fieldnorm(id as u8);
            *slot = K1 * (1.0 - B + B * length as Score / average);
        }
        Normalization { table }
    }
}

struct SegmentData {
    id: SegmentId,
    max_doc: DocId,
    /// Indexed by the field constants, then the tags field last.
    inverted: Vec<Arc<InvertedIndexReader>>,
    norms: Vec<FieldNormReader>,
    ids: Column<u64>,
}

/// Readers and statistics of one index, prepared once.
pub struct Prepared {
    tags: Field,
    /// Posting lists decoded by earlier queries.
    impacts: ImpactCache,
    /// Where the terms of earlier queries occur.
    terms: TermInfos,
    segments: Vec<SegmentData>,
    normalization: Vec<Normalization>,
    /// Documents counted the way BM25 counts them (deleted ones included).
    bm25_docs: u64,
}

impl Prepared {
    pub fn new(searcher: &Searcher, fields: &Fields) -> Result<Prepared, SearchError> {
        let scored = [
            fields.content,
            fields.section,
            fields.filename,
            fields.pairs,
        ];
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let mut inverted = Vec::with_capacity(SCORED_FIELDS + 1);
            let mut norms = Vec::with_capacity(SCORED_FIELDS);
            for field in scored {
                inverted.push(segment.inverted_index(field)?);
                norms.push(match segment.fieldnorms_readers().get_field(field)? {
                    Some(reader) => reader,
                    None => FieldNormReader::constant(segment.max_doc(), 1),
                });
            }
            inverted.push(segment.inverted_index(fields.tags)?);
            segments.push(SegmentData {
                id: segment.segment_id(),
                max_doc: segment.max_doc(),
                inverted,
                norms,
                ids: segment.fast_fields().u64(ID)?,
            });
        }
        let bm25_docs: u64 = segments.iter().map(|s| u64::from(s.max_doc)).sum();
        let normalization = (0..SCORED_FIELDS)
            .map(|field| {
                let tokens: u64 = segments
                    .iter()
                    .map(|s| s.inverted[field].total_num_tokens())
                    .sum();
                Normalization::new(tokens, bm25_docs)
            })
            .collect();
        Ok(Prepared {
            tags: fields.tags,
            impacts: ImpactCache::default(),
            terms: TermInfos::default(),
            segments,
            normalization,
            bm25_docs,
        })
    }

    /// Whether this was prepared from the segments `searcher` reads (always, unless the reader
    /// was reloaded behind the index's back).
    pub fn matches(&self, searcher: &Searcher) -> bool {
        let readers = searcher.segment_readers();
        readers.len() == self.segments.len()
            && readers
                .iter()
                .zip(&self.segments)
                .all(|(reader, data)| reader.segment_id() == data.id)
    }

    /// Where `text` occurs in scored field `field`, per segment, and its document frequency.
    fn locate(&self, field: usize, text: &str) -> Result<Located, SearchError> {
        // The dictionary is keyed by the text's bytes: no `Term` (an allocation) is needed.
        let mut found = Vec::with_capacity(self.segments.len());
        let mut doc_freq = 0;
        for segment in &self.segments {
            let info = segment.inverted[field]
                .terms()
                .get(text.as_bytes())
                .map_err(tantivy::TantivyError::from)?;
            doc_freq += info.as_ref().map_or(0, |i| u64::from(i.doc_freq));
            found.push(info);
        }
        Ok((found.into(), doc_freq))
    }

    /// Where each of `terms` occurs in content, section and filename ([`TermInfos`] keeps the
    /// index's own terms from one query to the next).
    pub fn locate_terms(&self, terms: &[&str]) -> Result<Vec<LocatedTerm>, SearchError> {
        self.terms.get_all(terms, |term| {
            let mut located = LocatedTerm::default();
            for (field, slot) in located.iter_mut().enumerate() {
                *slot = self.locate(field, term)?;
            }
            Ok(located)
        })
    }

    /// Where each of `pairs` (terms of the pair field) occurs ([`TermInfos`] keeps the pairs
    /// the index has).
    pub fn locate_pairs(&self, pairs: &[&str]) -> Result<Vec<Located>, SearchError> {
        self.terms.get_pairs(pairs, |pair| self.locate(PAIRS, pair))
    }

    /// The term dictionaries of the given scored fields, in every segment.
    pub fn dictionaries<'a>(
        &'a self,
        fields: &'a [usize],
    ) -> impl Iterator<Item = &'a TermDictionary> + 'a {
        fields.iter().flat_map(move |field| {
            self.segments
                .iter()
                .map(move |segment| segment.inverted[*field].terms())
        })
    }

    /// The weight of a clause for a term found in `doc_freq` documents, with `boost`:
    /// `idf · (k1 + 1) · boost`, computed in tantivy's order.
    pub fn weight(&self, doc_freq: u64, boost: Score) -> Score {
        let docs = self.bm25_docs.max(doc_freq);
        let ratio = ((docs - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
        (1.0 + ratio).ln() * (1.0 + K1) * boost
    }

    /// The best `limit` chunks by the sum of the clauses' scores; with `tags`, only chunks
    /// carrying one of them.
    pub fn top(
        &self,
        searcher: &Searcher,
        clauses: &[Clause],
        tags: &[String],
        limit: usize,
    ) -> Result<Vec<Scored>, SearchError> {
        let mut top = TopK::new(limit);
        for (ordinal, segment) in self.segments.iter().enumerate() {
            let alive = searcher.segment_reader(ordinal as u32).alive_bitset();
            let allowed = self.tagged(segment, tags)?;
            // The clauses with postings in this segment, in clause order, and their lists.
            let present: Vec<(&Clause, &TermInfo)> = clauses
                .iter()
                .filter_map(|clause| match clause.postings.get(ordinal) {
                    Some(Some(info)) => Some((clause, info)),
                    _ => None,
                })
                .collect();
            let keys: Vec<ImpactKey> = present
                .iter()
                .map(|(clause, info)| {
                    let start = info.postings_range.start as u64;
                    (ordinal as u32, clause.field as u8, start)
                })
                .collect();
            let lists = self.impacts.get_all(&keys, |i| {
                let (clause, info) = present[i];
                self.impacts_of(segment, clause.field, info)
            })?;
            SCRATCH.with(|scratch| {
                let mut scratch = scratch.borrow_mut();
                scratch.prepare(segment.max_doc);
                for ((clause, _), list) in present.iter().zip(&lists) {
                    for &(doc, part) in list.iter() {
                        scratch.add(doc, clause.weight * part);
                    }
                }
                for &doc in &scratch.touched {
                    let live = alive.is_none_or(|a| a.is_alive(doc));
                    let wanted = allowed.as_ref().is_none_or(|set| set.contains(doc));
                    if live && wanted {
                        top.push(Scored {
                            score: scratch.scores[doc as usize],
                            id: segment.ids.first(doc).unwrap_or(u64::MAX),
                            address: tantivy::DocAddress::new(ordinal as u32, doc),
                        });
                    }
                }
                scratch.reset();
            });
        }
        Ok(top.into_sorted())
    }

    /// A term's postings in `field` of `segment`, each document with the part of its score that
    /// does not depend on the query, `tf / (tf + norm)`, as tantivy's `TermScorer` computes it
    /// (a clause multiplies it by its weight).
    fn impacts_of(
        &self,
        segment: &SegmentData,
        field: usize,
        info: &TermInfo,
    ) -> Result<Impacts, SearchError> {
        let mut postings = segment.inverted[field]
            .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
            .map_err(tantivy::TantivyError::from)?;
        let norms = &segment.norms[field];
        let table = &self.normalization[field].table;
        let mut list = Vec::with_capacity(info.doc_freq as usize);
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let term_freq = postings.term_freq() as Score;
            let norm = table[usize::from(norms.fieldnorm_id(doc))];
            list.push((doc, term_freq / (term_freq + norm)));
            doc = postings.advance();
        }
        Ok(Arc::new(list))
    }

    /// The documents of a segment carrying one of `tags`, or `None` when there is no filter.
    fn tagged(
        &self,
        segment: &SegmentData,
        tags: &[String],
    ) -> Result<Option<DocBits>, SearchError> {
        if tags.is_empty() {
            return Ok(None);
        }
        let inverted = &segment.inverted[SCORED_FIELDS];
        let mut set = DocBits::new(segment.max_doc);
        for tag in tags {
            let term = Term::from_field_text(self.tags, tag);
            let Some(info) = inverted
                .get_term_info(&term)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            let mut postings = inverted
                .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                set.insert(doc);
                doc = postings.advance();
            }
        }
        Ok(Some(set))
    }
}

/// A set of documents of one segment.
struct DocBits(Vec<u64>);

impl DocBits {
    fn new(max_doc: DocId) -> DocBits {
        DocBits(vec![0; (max_doc as usize).div_ceil(64)])
    }

    fn insert(&mut self, doc: DocId) {
        self.0[(doc / 64) as usize] |= 1u64 << (doc % 64);
    }

    fn contains(&self, doc: DocId) -> bool {
        self.0[(doc / 64) as usize] & (1u64 << (doc % 64)) != 0
    }
}

/// Per-document sums of one segment, kept per thread and cleared after each use (only the
/// touched entries), so a query allocates nothing here once a thread has served one.
#[derive(Default)]
struct Scratch {
    scores: Vec<Score>,
    seen: Vec<u64>,
    touched: Vec<DocId>,
}

impl Scratch {
    fn prepare(&mut self, max_doc: DocId) {
        let docs = max_doc as usize;
        if self.scores.len() < docs {
            self.scores.resize(docs, 0.0);
            self.seen.resize(docs.div_ceil(64), 0);
        }
    }

    /// Adds `score` to `doc`, in clause order, as a `SumCombiner` would (starting from 0.0).
    #[inline]
    fn add(&mut self, doc: DocId, score: Score) {
        let (word, bit) = ((doc / 64) as usize, 1u64 << (doc % 64));
        if self.seen[word] & bit == 0 {
            self.seen[word] |= bit;
            self.touched.push(doc);
        }
        self.scores[doc as usize] += score;
    }

    fn reset(&mut self) {
        for &doc in &self.touched {
            self.scores[doc as usize] = 0.0;
            self.seen[(doc / 64) as usize] = 0;
        }
        self.touched.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

#[cfg(test)]
#[path = "scorer_tests.rs"]
mod tests;
