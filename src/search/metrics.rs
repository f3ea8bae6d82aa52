//! What the search service counts for `/metrics`: searches and their latency by index and mode,
//! and the size and generation of each loaded index, read at scrape time.
//!
//! Only indexes that answered a search get series, so a name no index has (a `404
//! index_not_found`) never becomes a label value; the loaded names are bounded by
//! `SWML_SEARCH_MAX_INDEXES`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use super::mode::SearchMode;
use super::registry::IndexRegistry;
use crate::telemetry::metrics::{
    Collector, DescriptorEncoder, Histogram, counters, gauges, histograms,
};

const MODES: [SearchMode; 3] = [
    SearchMode::Hybrid,
    SearchMode::Lexical,
    SearchMode::Semantic,
];

/// One histogram per mode (its count is the number of searches).
type IndexSeries = [Histogram; MODES.len()];

/// Searches answered, by index name and mode.
#[derive(Debug, Default)]
pub struct SearchMetrics {
    indexes: RwLock<BTreeMap<String, Arc<IndexSeries>>>,
}

fn slot(mode: SearchMode) -> usize {
    match mode {
        SearchMode::Hybrid => 0,
        SearchMode::Lexical => 1,
        SearchMode::Semantic => 2,
    }
}

impl SearchMetrics {
    /// Counts one search of the loaded index `index` in `mode`, answered in `took`.
    pub fn record(&self, index: &str, mode: SearchMode, took: Duration) {
        let known = self
            .indexes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(index)
            .cloned();
        let series = known.unwrap_or_else(|| {
            let mut indexes = self.indexes.write().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(indexes.entry(index.to_owned()).or_default())
        });
        series[slot(mode)].observe(took);
    }

    /// Searches counted so far (for tests).
    pub fn searches(&self, index: &str, mode: SearchMode) -> u64 {
        let indexes = self.indexes.read().unwrap_or_else(PoisonError::into_inner);
        indexes
            .get(index)
            .map_or(0, |series| series[slot(mode)].count())
    }

    fn snapshot(&self) -> Vec<(String, Arc<IndexSeries>)> {
        let indexes = self.indexes.read().unwrap_or_else(PoisonError::into_inner);
        indexes
            .iter()
            .map(|(name, series)| (name.clone(), Arc::clone(series)))
            .collect()
    }
}

/// The search service's collector: its counters and its registry's loaded indexes.
pub(crate) struct SearchCollector {
    pub metrics: Arc<SearchMetrics>,
    pub registry: Arc<IndexRegistry>,
}

impl fmt::Debug for SearchCollector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchCollector")
            .field("metrics", &self.metrics)
            .finish_non_exhaustive()
    }
}

impl Collector for SearchCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), fmt::Error> {
        let searched = self.metrics.snapshot();
        let by_mode = || {
            searched.iter().flat_map(|(name, series)| {
                MODES.iter().map(move |mode| {
                    let labels = [("index", name.as_str()), ("mode", mode.as_str())];
                    (labels, &series[slot(*mode)])
                })
            })
        };
        counters(
            &mut encoder,
            "swml_searches",
            "Searches answered, by index and the mode they ran in",
            by_mode().map(|(labels, histogram)| (labels, histogram.count())),
        )?;
        histograms(
            &mut encoder,
            "swml_search_duration_seconds",
            "Time to answer a search (cached answers included), by index and mode",
            by_mode(),
        )?;
        self.encode_indexes(&mut encoder)
    }
}

impl SearchCollector {
    fn encode_indexes(&self, encoder: &mut DescriptorEncoder) -> Result<(), fmt::Error> {
        let loaded = self.registry.all();
        let each = |value: fn(&super::engine::LoadedIndex) -> u64| {
            loaded
                .iter()
                .map(move |index| ([("index", index.name.as_str())], value(index)))
        };
        gauges(
            encoder,
            "swml_index_chunks",
            "Chunks in each loaded index",
            each(|i| i.manifest.chunks),
        )?;
        gauges(
            encoder,
            "swml_index_documents",
            "Source documents in each loaded index",
            each(|i| i.manifest.files),
        )?;
        gauges(
            encoder,
            "swml_index_size_bytes",
            "Size on disk of each loaded index",
            each(|i| i.manifest.size_bytes),
        )?;
        gauges(
            encoder,
            "swml_index_built_timestamp_seconds",
            "When each loaded index was built (Unix time)",
            each(|i| {
                i.manifest
                    .built_at
                    .parse::<jiff::Timestamp>()
                    .map_or(0, |at| u64::try_from(at.as_second()).unwrap_or(0))
            }),
        )?;
        gauges(
            encoder,
            "swml_index_generation_info",
            "The live generation of each loaded index (always 1)",
            loaded.iter().map(|index| {
                let labels = [
                    ("index", index.name.as_str()),
                    ("generation", index.manifest.generation.as_str()),
                ];
                (labels, 1)
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_counted_by_index_and_mode() {
        let metrics = SearchMetrics::default();
        let took = Duration::from_millis(2);
        metrics.record("docs", SearchMode::Lexical, took);
        metrics.record("docs", SearchMode::Lexical, took);
        metrics.record("docs", SearchMode::Hybrid, took);
        assert_eq!(metrics.searches("docs", SearchMode::Lexical), 2);
        assert_eq!(metrics.searches("docs", SearchMode::Hybrid), 1);
        assert_eq!(metrics.searches("docs", SearchMode::Semantic), 0);
        assert_eq!(metrics.searches("other", SearchMode::Lexical), 0);
    }
}
