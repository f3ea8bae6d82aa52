//! The ranking against an exhaustive reference: tantivy collecting every match of the same
//! query without pruning, sorted by score and then chunk id. The pruned top k (block-max WAND
//! under [`TopChunks`], close scores added again in clause order) must be its first k, in the
//! same order, ties included, with and without a tag filter, for every limit; the scores equal
//! up to the rounding of a sum in another order.
//!
//! [`TopChunks`]: crate::search::collector::TopChunks

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::tokenizer::Language;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::*;
use crate::search::LoadedIndex;
use crate::search::chunking::Strategy;
use crate::search::lexical_query::LexicalQuery;
use crate::search::pairs::DEFAULT_WINDOW;
use crate::search::testutil::build_from;
use crate::search::weights::DEFAULT_WEIGHTS;

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

/// Six files of forty chunks of random words, some with a section, tagged a, b or c; every
/// fifth chunk of a file repeats a chunk of the first file, so equal scores are common.
fn corpus() -> Vec<(String, String)> {
    let mut words = Words(0x5EED);
    let mut first_file: Vec<String> = Vec::new();
    (0..6)
        .map(|file| {
            let chunks: Vec<serde_json::Value> = (0..40)
                .map(|i| {
                    let length = 3 + (i * 7 + file * 5) % 60;
                    let content = if file > 0 && i % 5 == 0 {
                        first_file[i].clone()
                    } else {
                        words.text(length)
                    };
                    if file == 0 {
                        first_file.push(content.clone());
                    }
                    let tag = ["a", "b", "c"][(i + file) % 3];
                    serde_json::json!({
                        "content": content,
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

/// Every chunk matching the query, best first by score then chunk id: the order the ranking
/// promises, worked out without pruning (tantivy's default collection visits every match).
fn exhaustive(searcher: &Searcher, query: &LexicalQuery) -> Vec<(u64, Score)> {
    let weighed = query.weigh(searcher).unwrap();
    let reader = searcher.segment_reader(0);
    let ids = reader.fast_fields().u64(crate::search::schema::ID).unwrap();
    let mut all: Vec<(u64, Score)> = AllScores
        .collect_segment(weighed.whole(), 0, reader)
        .unwrap()
        .into_iter()
        .map(|(address, score)| (ids.first(address.doc_id).unwrap(), score))
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all
}

#[test]
fn the_pruned_top_k_is_the_exhaustive_ranking_cut_at_k_ties_included() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let index_dir = build_from(&dir.path().join("indexes"), "t", Strategy::Json, &refs);
    let searcher = LoadedIndex::open("t", &index_dir).unwrap().searcher();
    let fields = Fields::resolve(&searcher.schema().clone(), Language::English).unwrap();
    let ranker = Ranker {
        fields,
        analyzer: QueryAnalyzer::new(Language::English),
        weights: DEFAULT_WEIGHTS,
        pair_window: DEFAULT_WINDOW,
    };
    let mut words = Words(42);
    let (mut compared, mut ties) = (0, 0);
    for round in 0..120 {
        let text = words.text(1 + round % 6);
        let plan = QueryPlan::from_text(&ranker.analyzer, &text);
        let stats = TermStats::collect(&searcher, &fields, &plan).unwrap();
        for tags in [
            vec![],
            vec!["a".to_owned()],
            vec!["b".to_owned(), "zz".to_owned()],
        ] {
            let Some(query) = lexical_query(
                &plan,
                &DEFAULT_WEIGHTS,
                DEFAULT_WINDOW,
                &fields,
                &stats,
                &tags,
            ) else {
                continue;
            };
            let all = exhaustive(&searcher, &query);
            ties += all.windows(2).filter(|w| w[0].1 == w[1].1).count();
            for limit in [1, 3, 10, 100] {
                let ranked = ranker.rank(searcher.clone(), &text, &tags, limit).unwrap();
                let want = &all[..all.len().min(limit)];
                let ids = |hits: &mut dyn Iterator<Item = u64>| hits.collect::<Vec<u64>>();
                assert_eq!(
                    ids(&mut ranked.hits.iter().map(|hit| hit.id)),
                    ids(&mut want.iter().map(|(id, _)| *id)),
                    "{text:?} {tags:?} top {limit}"
                );
                for (hit, (_, score)) in ranked.hits.iter().zip(want) {
                    assert!((hit.score - score).abs() <= score * 1e-5, "{text:?}");
                }
                compared += want.len();
            }
        }
    }
    assert!(compared > 10_000 && ties > 100, "{compared} {ties}");
}
