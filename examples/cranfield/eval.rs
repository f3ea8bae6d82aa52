//! Running Cranfield's queries through the server's search function and scoring the rankings,
//! query by query, so any subset of the queries (a fold of a cross-validation) can be averaged.

use swml_server::measuring::SearchMode;
use swml_server::measuring::{LoadedIndex, SearchRequest};

use crate::data::Qrels;
use crate::metrics;

/// The four measures of one query: average precision, nDCG@10, P@10, Recall@100.
pub(crate) type Measures = [f64; 4];

pub(crate) const NAMES: [&str; 4] = ["MAP", "nDCG@10", "P@10", "Recall@100"];

/// The document ids `index` returns for each query in `mode` (`None`: the index's default),
/// best first, `count` results each.
pub(crate) fn rankings(
    index: &LoadedIndex,
    queries: &[String],
    count: usize,
    mode: Option<SearchMode>,
) -> anyhow::Result<Vec<Vec<u32>>> {
    queries
        .iter()
        .map(|query| {
            let mut request = SearchRequest::new(query);
            request.count = count;
            request.mode = mode;
            let mut ranking: Vec<u32> = Vec::new();
            for result in index.search(&request)?.results {
                let doc = result.metadata.metadata["doc"].as_u64().unwrap_or(0) as u32;
                if !ranking.contains(&doc) {
                    ranking.push(doc);
                }
            }
            Ok(ranking)
        })
        .collect()
}

/// The measures of each query (the qrels number queries by their position, from 1).
pub(crate) fn measures(rankings: &[Vec<u32>], qrels: &Qrels) -> Vec<Measures> {
    let empty = Default::default();
    rankings
        .iter()
        .enumerate()
        .map(|(position, ranking)| {
            let judged = qrels.get(&(position + 1)).unwrap_or(&empty);
            [
                metrics::average_precision(ranking, judged),
                metrics::ndcg_at(ranking, judged, 10),
                metrics::precision_at(ranking, judged, 10),
                metrics::recall_at(ranking, judged, 100),
            ]
        })
        .collect()
}

/// The mean of each measure over the queries at `positions`.
pub(crate) fn mean(all: &[Measures], positions: &[usize]) -> Measures {
    let mut total = [0.0; 4];
    for &position in positions {
        for (sum, value) in total.iter_mut().zip(all[position]) {
            *sum += value;
        }
    }
    total.map(|sum| sum / positions.len().max(1) as f64)
}

/// `MAP 0.3130  nDCG@10 0.3839  P@10 0.2453  Recall@100 0.7561`
pub(crate) fn show(measures: &Measures) -> String {
    NAMES
        .iter()
        .zip(measures)
        .map(|(name, value)| format!("{name} {value:.4}"))
        .collect::<Vec<_>>()
        .join("  ")
}

/// The rankings of a TREC run file (`query Q0 doc rank score tag`, queries numbered from 1 by
/// position), for `queries` queries: another system's run, scored by the same code.
pub(crate) fn read_run(path: &std::path::Path, queries: usize) -> anyhow::Result<Vec<Vec<u32>>> {
    let mut ranked: Vec<Vec<(u32, u32)>> = vec![Vec::new(); queries];
    for line in std::fs::read_to_string(path)?.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [query, _, doc, rank, ..] = parts[..] else {
            continue;
        };
        let query: usize = query.parse()?;
        anyhow::ensure!((1..=queries).contains(&query), "query {query} out of range");
        ranked[query - 1].push((rank.parse()?, doc.parse()?));
    }
    Ok(ranked
        .into_iter()
        .map(|mut hits| {
            hits.sort_unstable();
            hits.into_iter().map(|(_, doc)| doc).collect()
        })
        .collect())
}
