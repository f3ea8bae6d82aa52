//! The term-at-a-time scorer against tantivy's own boolean query of boosted term queries (how
//! this server ranked before, kept here as the reference): the same documents, bit-identical
//! scores, with and without a tag filter.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::Language;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, Term};

use super::*;
use crate::search::LoadedIndex;
use crate::search::analyzer::QueryAnalyzer;
use crate::search::chunking::Strategy;
use crate::search::pairs::{DEFAULT_WINDOW, pair_term};
use crate::search::plan::QueryPlan;
use crate::search::query::clauses;
use crate::search::scoring::TermStats;
use crate::search::testutil::build_from;
use crate::search::weights::{DEFAULT_WEIGHTS, Weights};

/// Every matching document with its score, through tantivy's default (unpruned) collection.
struct AllScores;

struct SegmentScores {
    segment: SegmentOrdinal,
    found: Vec<(DocAddress, Score)>,
}

impl Collector for AllScores {
    type Fruit = Vec<(DocAddress, Score)>;
    type Child = SegmentScores;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentScores {
            segment,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentScores {
    type Fruit = Vec<(DocAddress, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.found.push((DocAddress::new(self.segment, doc), score));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// The query this server used to build: a `BoostQuery(TermQuery)` per term and field where the
/// term occurs, one per proximity pair, and the tag filter as a required clause scoring 0.
fn reference_query(
    plan: &QueryPlan,
    fields: &Fields,
    weights: &Weights,
    stats: &TermStats,
    tags: &[String],
) -> Box<dyn Query> {
    let boosted = |field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
        let term = TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        );
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(term), boost)),
        )
    };
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
    for (a, b, gap) in &plan.pairs {
        if *gap <= DEFAULT_WINDOW {
            clauses.push(boosted(fields.pairs, &pair_term(a, b), weights.proximity));
        }
    }
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    if tags.is_empty() {
        return text;
    }
    let terms = tags.iter().map(|t| Term::from_field_text(fields.tags, t));
    let filter = ConstScoreQuery::new(Box::new(TermSetQuery::new(terms)), 0.0);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, text),
        (Occur::Must, Box::new(filter)),
    ]))
}

const WORDS: &[&str] = &[
    "boundary",
    "layer",
    "flow",
    "flows",
    "pressure",
    "shock",
    "wave",
    "the",
    "of",
    "heat",
    "transfer",
    "cone",
    "wing",
    "laminar",
    "turbulent",
    "mach",
    "number",
    "plate",
    "and",
    "slip",
];

/// A deterministic word stream.
struct Words(u64);

impl Words {
    fn next(&mut self) -> &'static str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        WORDS[(self.0 % WORDS.len() as u64) as usize]
    }

    fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.next())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn corpus() -> Vec<(String, String)> {
    let mut words = Words(0x5EED);
    (0..6)
        .map(|file| {
            let chunks: Vec<serde_json::Value> = (0..40)
                .map(|i| {
                    let length = 3 + (i * 7 + file * 5) % 60;
                    let tag = ["a", "b", "c"][(i + file) % 3];
                    serde_json::json!({
                        "content": words.text(length),
                        "section": if i % 3 == 0 { words.text(2) } else { String::new() },
                        "tags": [tag],
                    })
                })
                .collect();
            let name = format!("{}-{file}.json", words.next());
            (name, serde_json::json!({ "chunks": chunks }).to_string())
        })
        .collect()
}

#[test]
fn term_at_a_time_scores_equal_tantivys_boolean_query_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let index_dir = build_from(&dir.path().join("indexes"), "t", Strategy::Json, &refs);
    let index = LoadedIndex::open("t", &index_dir).unwrap();
    let searcher = index.searcher();
    let fields = Fields::resolve(&searcher.schema().clone(), Language::English).unwrap();
    let prepared = Prepared::new(&searcher, &fields).unwrap();
    let mut words = Words(42);
    let mut compared = 0;
    for round in 0..120 {
        let query = words.text(1 + round % 6);
        let plan = QueryPlan::from_text(&QueryAnalyzer::new(Language::English), &query);
        let stats = TermStats::collect(&searcher, &prepared, &plan).unwrap();
        for tags in [
            vec![],
            vec!["a".to_owned()],
            vec!["b".to_owned(), "zz".to_owned()],
        ] {
            let ours: BTreeMap<DocAddress, u32> = prepared
                .top(
                    &searcher,
                    &clauses(&plan, &DEFAULT_WEIGHTS, &stats, &prepared).unwrap(),
                    &tags,
                    10_000,
                )
                .unwrap()
                .into_iter()
                .map(|hit| (hit.address, hit.score.to_bits()))
                .collect();
            let reference = reference_query(&plan, &fields, &DEFAULT_WEIGHTS, &stats, &tags);
            let theirs: BTreeMap<DocAddress, u32> = searcher
                .search(&*reference, &AllScores)
                .unwrap()
                .into_iter()
                .map(|(address, score)| (address, score.to_bits()))
                .collect();
            assert_eq!(ours, theirs, "{query:?} {tags:?}");
            compared += ours.len();
        }
    }
    assert!(compared > 1000, "{compared}");
}
