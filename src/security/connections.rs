//! Open connections per client address (`SWML_MAX_CONNECTIONS_PER_CLIENT`).
//!
//! Counted per peer IP the moment a connection is accepted, before the TLS handshake and before
//! a byte of HTTP is read, and released when the connection closes. A connection over the limit
//! is closed at once without an answer: answering would mean reading a request (and, over TLS,
//! completing a handshake), which is the very work the limit withholds from one address. The
//! refusals are logged as `too_many_connections`, at most one line per client per
//! [`LOG_INTERVAL`] plus one when its burst ends, each with the number of refusals it stands for,
//! so a client cannot flood the log by reconnecting.
//!
//! Every connection through a reverse proxy comes from the proxy's address, so proxies are
//! exempt: peers in `SWML_TRUSTED_PROXIES` when `SWML_TRUST_PROXY_HEADERS` is on, the same rule
//! that decides whether their forwarded headers are believed. `0` disables the limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::origin::TrustPolicy;
use crate::telemetry::metrics::{Layer, Rejections};

/// The shortest time between two refusal lines for one client.
pub(crate) const LOG_INTERVAL: Duration = Duration::from_secs(10);

/// The per-address counts, shared by every worker.
#[derive(Debug, Clone)]
pub struct ConnectionLimit {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    limit: usize,
    trust: Arc<TrustPolicy>,
    clients: Mutex<HashMap<IpAddr, Client>>,
    rejections: Arc<Rejections>,
}

#[derive(Debug, Default)]
struct Client {
    open: usize,
    /// Refusals not yet reported in a log line.
    unreported: u64,
    last_line: Option<Instant>,
}

/// A counted connection; dropping it gives the slot back.
#[derive(Debug)]
pub struct ConnectionSlot {
    counted: Option<(Arc<Shared>, IpAddr)>,
}

impl ConnectionLimit {
    /// `limit` connections per address; 0 admits everyone. Refusals are counted in
    /// `rejections`.
    pub fn new(
        limit: usize,
        trust: Arc<TrustPolicy>,
        rejections: Arc<Rejections>,
    ) -> ConnectionLimit {
        ConnectionLimit {
            shared: Arc::new(Shared {
                limit,
                trust,
                clients: Mutex::new(HashMap::new()),
                rejections,
            }),
        }
    }

    /// A slot for a new connection from `peer`, or `None` when the address already holds the
    /// limit (the refusal is counted for the log).
    pub fn admit(&self, peer: IpAddr) -> Option<ConnectionSlot> {
        let shared = &self.shared;
        let peer = peer.to_canonical();
        if shared.limit == 0 || shared.trust.trusts(Some(peer)) {
            return Some(ConnectionSlot { counted: None });
        }
        let mut clients = shared.lock();
        let client = clients.entry(peer).or_default();
        if client.open < shared.limit {
            client.open += 1;
            return Some(ConnectionSlot {
                counted: Some((shared.clone(), peer)),
            });
        }
        client.unreported += 1;
        shared.rejections.count(Layer::Connections);
        let due = client
            .last_line
            .is_none_or(|last| last.elapsed() >= LOG_INTERVAL);
        if due {
            client.last_line = Some(Instant::now());
            report(peer, std::mem::take(&mut client.unreported), shared.limit);
        }
        None
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Client>> {
        // The map holds plain counters: a panic elsewhere cannot leave it half-updated.
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn report(peer: IpAddr, refused: u64, limit: usize) {
    tracing::warn!(client = %peer, refused, limit, "too_many_connections");
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let Some((shared, peer)) = self.counted.take() else {
            return;
        };
        let mut clients = shared.lock();
        let Some(client) = clients.get_mut(&peer) else {
            return;
        };
        client.open = client.open.saturating_sub(1);
        if client.open == 0 {
            if client.unreported > 0 {
                report(peer, client.unreported, shared.limit);
            }
            clients.remove(&peer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn limit(n: usize) -> ConnectionLimit {
        ConnectionLimit::new(n, Arc::new(TrustPolicy::none()), Arc::default())
    }

    fn open(limit: &ConnectionLimit, peer: IpAddr) -> usize {
        limit.shared.lock().get(&peer).map_or(0, |c| c.open)
    }

    #[test]
    fn an_address_gets_its_limit_and_a_slot_back_when_a_connection_closes() {
        let limit = limit(2);
        let first = limit.admit(ip("10.0.0.1")).expect("first");
        let _second = limit.admit(ip("10.0.0.1")).expect("second");
        assert!(limit.admit(ip("10.0.0.1")).is_none(), "third is over");
        assert!(limit.admit(ip("10.0.0.2")).is_some(), "others are not");
        drop(first);
        assert_eq!(open(&limit, ip("10.0.0.1")), 1);
        assert!(limit.admit(ip("10.0.0.1")).is_some());
    }

    #[test]
    fn an_address_is_forgotten_when_its_last_connection_closes() {
        let limit = limit(1);
        let slot = limit.admit(ip("10.0.0.1")).unwrap();
        drop(slot);
        assert_eq!(open(&limit, ip("10.0.0.1")), 0);
        assert!(limit.shared.lock().is_empty());
    }

    #[test]
    fn zero_admits_everyone_without_counting() {
        let limit = limit(0);
        let slots: Vec<_> = (0..10).map(|_| limit.admit(ip("10.0.0.1"))).collect();
        assert!(slots.iter().all(Option::is_some));
        assert_eq!(open(&limit, ip("10.0.0.1")), 0);
    }

    #[test]
    fn trusted_proxies_are_exempt_only_when_proxy_headers_are_trusted() {
        let proxies = vec!["10.0.0.0/8".parse().unwrap()];
        let on = ConnectionLimit::new(
            1,
            Arc::new(TrustPolicy::new(true, proxies.clone())),
            Arc::default(),
        );
        let off = ConnectionLimit::new(
            1,
            Arc::new(TrustPolicy::new(false, proxies)),
            Arc::default(),
        );
        let held_on: Vec<_> = (0..3).map(|_| on.admit(ip("10.1.2.3"))).collect();
        assert!(held_on.iter().all(Option::is_some));
        let _held_off = off.admit(ip("10.1.2.3")).unwrap();
        assert!(off.admit(ip("10.1.2.3")).is_none());
    }

    #[test]
    fn refusals_are_reported_once_per_interval() {
        let limit = limit(1);
        let _held = limit.admit(ip("10.0.0.1")).unwrap();
        for _ in 0..5 {
            assert!(limit.admit(ip("10.0.0.1")).is_none());
        }
        let clients = limit.shared.lock();
        let client = &clients[&ip("10.0.0.1")];
        assert!(client.last_line.is_some(), "the first refusal is reported");
        assert_eq!(client.unreported, 4, "the rest wait for the next line");
    }
}
