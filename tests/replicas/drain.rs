//! The drain: steady load through the proxy (four callers, each sending `GET /health` and
//! `POST /search` back to back), SIGTERM to replica `a`, and the load kept up until a second
//! after `a` has exited. Every request must get a 2xx; the figures (requests, where they went,
//! HAProxy's retries, how long each step took) are printed for docs/DEPLOY.md.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::Client;
use crate::cluster::Cluster;

const CALLERS: u8 = 4;
/// Load before the SIGTERM, and after the drained replica has exited.
const STEADY: Duration = Duration::from_secs(1);
/// Longest the drained replica may take to exit.
const EXIT_LIMIT: Duration = Duration::from_secs(15);

/// One request: when it was sent, and its status and replica, or the transport error.
type Outcome = (Instant, Result<(u16, String), String>);

pub(crate) struct Figures {
    outcomes: Vec<Outcome>,
    terminated: Instant,
    /// When HAProxy's checks had taken `a` out of the pool.
    marked_down: Option<Instant>,
    exited: Instant,
    exit_code: Option<i32>,
    retries: u64,
    redispatches: u64,
}

pub(crate) fn run(cluster: &mut Cluster) -> Figures {
    let stop = Arc::new(AtomicBool::new(false));
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let port = cluster.proxy.port;
    let callers: Vec<_> = (0..CALLERS)
        .map(|n| {
            let (stop, outcomes) = (stop.clone(), outcomes.clone());
            std::thread::spawn(move || {
                load(Ipv4Addr::new(127, 0, 0, 2 + n), port, &stop, &outcomes)
            })
        })
        .collect();
    std::thread::sleep(STEADY);
    let terminated = Instant::now();
    cluster.replica("a").terminate();
    let mut marked_down = None;
    let exit_code = loop {
        // The pool is read before the exit, so a replica seen down was down while it lived.
        if marked_down.is_none() && is_down(cluster, "a") {
            marked_down = Some(Instant::now());
        }
        if let Some(code) = cluster.replica_mut("a").exit_code() {
            break code;
        }
        assert!(terminated.elapsed() < EXIT_LIMIT, "replica a never exited");
        std::thread::sleep(Duration::from_millis(10));
    };
    let exited = Instant::now();
    std::thread::sleep(STEADY);
    stop.store(true, Ordering::Relaxed);
    for caller in callers {
        caller.join().unwrap();
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    Figures {
        outcomes,
        terminated,
        marked_down,
        exited,
        exit_code,
        retries: cluster.proxy.retries(),
        redispatches: cluster.proxy.redispatches(),
    }
}

fn is_down(cluster: &Cluster, replica: &str) -> bool {
    cluster.proxy.server_states().is_some_and(|states| {
        states
            .iter()
            .any(|(name, state)| name == replica && state.starts_with("DOWN"))
    })
}

/// One caller's requests until `stop`.
fn load(source: Ipv4Addr, port: u16, stop: &AtomicBool, outcomes: &Mutex<Vec<Outcome>>) {
    let client = Client::from(source, port);
    let query = json!({"query": "limits for queues", "index_name": "docs", "count": 3});
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (method, path, body) = if n.is_multiple_of(2) {
            ("GET", "/health", &Value::Null)
        } else {
            ("POST", "/search", &query)
        };
        let sent = Instant::now();
        let result = client
            .try_send(method, path, body, None, &[])
            .map(|answer| (answer.status, answer.served_by))
            .map_err(|error| error.to_string());
        outcomes.lock().unwrap().push((sent, result));
    }
}

impl Figures {
    fn count(&self, keep: impl Fn(&Outcome) -> bool) -> usize {
        self.outcomes.iter().filter(|outcome| keep(outcome)).count()
    }

    fn served_by(&self, replica: &str, from: Instant, to: Instant) -> usize {
        self.count(|(sent, result)| {
            (from..to).contains(sent)
                && result
                    .as_ref()
                    .is_ok_and(|(_, served_by)| served_by == replica)
        })
    }

    pub(crate) fn print(&self, setup: &str) {
        let ms = |d: Duration| d.as_millis();
        let start = self.outcomes.first().map_or(self.terminated, |o| o.0);
        let end = self.exited + STEADY * 2;
        println!("drain under load ({setup}), {CALLERS} callers, debug build:");
        println!("requests: {}", self.outcomes.len());
        println!(
            "before SIGTERM: {} by a, {} by b",
            self.served_by("a", start, self.terminated),
            self.served_by("b", start, self.terminated)
        );
        println!(
            "SIGTERM to exit: {} by a, {} by b",
            self.served_by("a", self.terminated, self.exited),
            self.served_by("b", self.terminated, self.exited)
        );
        println!(
            "after exit: {} by a, {} by b",
            self.served_by("a", self.exited, end),
            self.served_by("b", self.exited, end)
        );
        println!(
            "HAProxy retries {}, redispatches {}",
            self.retries, self.redispatches
        );
        match self.marked_down {
            Some(down) => println!(
                "a out of the pool {} ms after SIGTERM",
                ms(down - self.terminated)
            ),
            None => println!("a never seen out of the pool"),
        }
        println!(
            "a exited {} ms after SIGTERM with {:?}",
            ms(self.exited - self.terminated),
            self.exit_code
        );
    }

    pub(crate) fn assert_nothing_lost(&self, cluster: &Cluster) {
        let lost: Vec<_> = self
            .outcomes
            .iter()
            .filter(|(_, result)| {
                !result
                    .as_ref()
                    .is_ok_and(|(status, _)| (200..300).contains(status))
            })
            .map(|(_, result)| result)
            .collect();
        assert!(
            lost.is_empty(),
            "lost requests: {lost:?}\n{}",
            cluster.logs()
        );
        assert_eq!(self.exit_code, Some(0), "a drains and exits cleanly");
        let start = self.outcomes.first().unwrap().0;
        assert!(
            self.served_by("a", start, self.terminated) > 0,
            "a served before"
        );
        let end = self.exited + STEADY * 2;
        assert!(self.served_by("b", self.exited, end) > 0, "b served after");
    }

    /// Whether HAProxy's checks took `a` out of the pool while it still served.
    pub(crate) fn left_the_pool_before_exiting(&self) -> bool {
        self.marked_down.is_some_and(|down| down < self.exited)
    }

    /// Requests HAProxy sent to the other replica after a failed connection.
    pub(crate) fn redispatched(&self) -> u64 {
        self.redispatches
    }
}
