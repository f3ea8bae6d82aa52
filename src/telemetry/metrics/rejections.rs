//! Requests and connections the security layer refused, by the layer that refused them: the
//! `swml_rejections_total{layer}` family.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Collector, DescriptorEncoder, counters};

/// The layer that refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Missing or wrong basic-auth credentials (401).
    Auth,
    /// Over the per-client request rate (429).
    RateLimit,
    /// A body over `SWML_MAX_REQUEST_SIZE`, declared or streamed (413).
    Size,
    /// A `Host` outside the allow-list (400).
    Host,
    /// A webhook without a valid signature (403).
    Signature,
    /// A request over `SWML_REQUEST_TIMEOUT`: a slow body (408) or a slow handler (504).
    Timeout,
    /// A connection's request headers slower than the request timeout (408 on the connection).
    HeaderTimeout,
    /// A connection over `SWML_MAX_CONNECTIONS_PER_CLIENT` (closed before a byte is read).
    Connections,
}

impl Layer {
    const ALL: [Layer; 8] = [
        Layer::Auth,
        Layer::RateLimit,
        Layer::Size,
        Layer::Host,
        Layer::Signature,
        Layer::Timeout,
        Layer::HeaderTimeout,
        Layer::Connections,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Auth => "auth",
            Layer::RateLimit => "rate_limit",
            Layer::Size => "size",
            Layer::Host => "host",
            Layer::Signature => "signature",
            Layer::Timeout => "timeout",
            Layer::HeaderTimeout => "header_timeout",
            Layer::Connections => "connections",
        }
    }
}

/// One counter per layer, shared by every worker.
#[derive(Debug, Default)]
pub struct Rejections {
    counts: [AtomicU64; Layer::ALL.len()],
}

impl Rejections {
    pub fn count(&self, layer: Layer) {
        self.counts[layer as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self, layer: Layer) -> u64 {
        self.counts[layer as usize].load(Ordering::Relaxed)
    }
}

impl Collector for Rejections {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), fmt::Error> {
        let series = Layer::ALL
            .iter()
            .map(|layer| ([("layer", layer.as_str())], self.get(*layer)));
        counters(
            &mut encoder,
            "swml_rejections",
            "Requests and connections refused by the security layer, by layer",
            series,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_layer_has_its_own_counter_and_every_layer_is_listed() {
        let rejections = Rejections::default();
        rejections.count(Layer::Auth);
        rejections.count(Layer::Auth);
        rejections.count(Layer::Connections);
        assert_eq!(rejections.get(Layer::Auth), 2);
        assert_eq!(rejections.get(Layer::Connections), 1);
        assert_eq!(rejections.get(Layer::Size), 0);
        for (index, layer) in Layer::ALL.iter().enumerate() {
            assert_eq!(*layer as usize, index);
        }
    }
}
