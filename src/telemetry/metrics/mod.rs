//! `GET /metrics`: what the server counts, in the Prometheus text format (version 0.0.4).
//!
//! The counters and histograms are atomics owned by the parts that count (the HTTP layer in
//! [`http`], the security layer's refusals in [`rejections`], the search service, the agents'
//! tool calls): counting on a request is a few relaxed atomic additions, never a lock or an
//! allocation once a label set has been seen. Each owner registers a [`Collector`] that reads
//! its atomics at scrape time, and prometheus-client writes the text.
//!
//! Label values come only from bounded sets: route templates (never raw paths; `unmatched` for
//! requests no route answered), a fixed list of methods, the statuses the server answers, the
//! refusing layer, index names that are loaded, agent and function names from the registry
//! (`unknown` for a function a caller made up). The families are listed in the README's
//! "Operations".

mod histogram;
mod http;
mod rejections;

use std::fmt;

pub(crate) use histogram::Histogram;
pub(crate) use http::{HttpMetrics, RouteRecorder};
pub(crate) use prometheus_client::collector::Collector;
pub(crate) use prometheus_client::encoding::DescriptorEncoder;
pub(crate) use rejections::{Layer, Rejections};

use prometheus_client::encoding::{EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;

/// The `Content-Type` of the scrape.
pub(crate) const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every collector of one server; rendered on each scrape.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::default();
        registry.register_collector(Box::new(BuildInfo));
        Metrics { registry }
    }
}

impl Metrics {
    pub fn add(&mut self, collector: Box<dyn Collector>) {
        self.registry.register_collector(collector);
    }

    /// The scrape's text.
    pub fn render(&self) -> Result<String, fmt::Error> {
        let mut text = String::with_capacity(16 * 1024);
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// `swml_build_info{version}`: always 1, for joining the version onto other series.
#[derive(Debug)]
struct BuildInfo;

impl Collector for BuildInfo {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), fmt::Error> {
        let labels = [("version", env!("CARGO_PKG_VERSION"))];
        gauges(
            &mut encoder,
            "swml_build_info",
            "The running version (always 1)",
            [(labels, 1)],
        )
    }
}

/// Writes one counter family (`_total` is appended to `name`).
pub(crate) fn counters<L: EncodeLabelSet>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (L, u64)>,
) -> Result<(), fmt::Error> {
    let mut family = encoder.encode_descriptor(name, help, None, MetricType::Counter)?;
    for (labels, value) in series {
        ConstCounter::new(value).encode(family.encode_family(&labels)?)?;
    }
    Ok(())
}

/// Writes one gauge family.
pub(crate) fn gauges<L: EncodeLabelSet>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (L, u64)>,
) -> Result<(), fmt::Error> {
    let mut family = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, value) in series {
        ConstGauge::new(value).encode(family.encode_family(&labels)?)?;
    }
    Ok(())
}

/// Writes one histogram family (`name` ends in the unit, `_seconds`).
pub(crate) fn histograms<'h, L: EncodeLabelSet>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (L, &'h Histogram)>,
) -> Result<(), fmt::Error> {
    let mut family = encoder.encode_descriptor(name, help, None, MetricType::Histogram)?;
    for (labels, histogram) in series {
        histogram.encode(family.encode_family(&labels)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_registry_renders_the_build_info() {
        let text = Metrics::default().render().unwrap();
        let line = format!(
            "swml_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        assert!(text.contains(&line), "{text}");
        assert!(text.contains("# TYPE swml_build_info gauge"), "{text}");
    }
}
