//! The fault suite's mixed load: the real binary with every layer on (basic auth, rate limit, body
//! limit, request timeout, webhook signatures, an agent and an index) serves a valid client on
//! 127.0.0.1 while attackers on 127.0.0.2 and up send what the server must refuse cheaply (see
//! `attacks`). For the whole run the valid client's requests must all be answered 200 (no 5xx, no
//! timeout), `GET /ready` must answer within 50 ms at the 99th percentile in every 5-second
//! window, the server's resident memory must not grow by more than 20 MB, nothing may panic, and
//! the server must still shut down cleanly. Every attack must get the answer meant for it (401,
//! 413, 408, 400, ...) at least once and never a 500.
//!
//! Its own test binary: it loads the machine for its whole run, which would make the timing of
//! other tests (and its own) meaningless if they shared a process. It prints its figures;
//! docs/RELIABILITY.md quotes them.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

mod attacks;
mod http;
mod server;
mod tally;
mod valid;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use http::Outcome;
use server::Server;
use tally::{Tally, summary};

/// How long the mixed load runs.
const RUN: Duration = Duration::from_secs(20);
const READY_P99_LIMIT: Duration = Duration::from_millis(50);
const READY_WINDOW: Duration = Duration::from_secs(5);
const RSS_GROWTH_LIMIT: u64 = 20 * 1024 * 1024;

const VALID_KINDS: [&str; 4] = [
    "valid: GET /ready",
    "valid: POST /agent",
    "valid: POST /agent/swaig",
    "valid: POST /search",
];

/// The valid client's traffic until `until`: the probe every 10 ms, a call (document and tool
/// call) and a search every 100 ms each.
fn valid_traffic<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    port: u16,
    tally: &'scope Tally,
    until: Instant,
) {
    let ms = Duration::from_millis;
    scope.spawn(move || valid::probe_ready(port, tally, until, ms(10)));
    scope.spawn(move || valid::agent_calls(port, tally, until, ms(100)));
    scope.spawn(move || valid::searches(port, tally, until, ms(100)));
}

fn assert_all_answered_200(tally: &Tally, what: &str) {
    for kind in VALID_KINDS {
        let outcomes = tally.of(kind);
        assert!(!outcomes.is_empty(), "{what}: no {kind} was sent");
        let others: BTreeMap<_, _> = outcomes
            .iter()
            .filter(|(outcome, _)| **outcome != Outcome::Status(200))
            .collect();
        assert!(
            others.is_empty(),
            "{what}: {kind} got {}",
            summary(&outcomes)
        );
    }
}

/// The answer each attack is meant to get (at least once in a run).
fn expected(kind: &str) -> u16 {
    match kind {
        "no credentials" | "wrong password" => 401,
        "body over the limit, declared" | "body over the limit, streamed" => 413,
        "slow headers, first request" | "slow headers, later request" | "slow body" => 408,
        "malformed JSON" | "tag list over the limit" => 400,
        _ => 200,
    }
}

fn print_figures(tally: &Tally, rss: (u64, u64), ready: (Duration, Duration, usize)) {
    println!("mixed load, {} s, debug build:", RUN.as_secs());
    println!("| traffic | requests | answers |");
    println!("|---|---|---|");
    for kind in tally.kinds() {
        let outcomes = tally.of(kind);
        let count: u64 = outcomes.values().sum();
        println!("| {kind} | {count} | {} |", summary(&outcomes));
    }
    let (overall, worst, samples) = ready;
    println!(
        "GET /ready p99: {:.1} ms over {samples} requests, worst {}-second window {:.1} ms",
        overall.as_secs_f64() * 1000.0,
        READY_WINDOW.as_secs(),
        worst.as_secs_f64() * 1000.0
    );
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    println!(
        "RSS after the warm-up {:.1} MiB, after the run {:.1} MiB",
        mib(rss.0),
        mib(rss.1)
    );
}

/// Every attack, `copies` loops of each, until `until`.
fn attack_traffic<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    attacks: &'scope [(attacks::Attack, u64)],
    port: u16,
    tally: &'scope Tally,
    until: Instant,
) {
    for (attack, copies) in attacks {
        for lane in 0..*copies {
            scope.spawn(move || attack.run(port, tally, until, lane));
        }
    }
}

/// The warm-up round of the whole mix before the baseline.
const WARM_UP: Duration = Duration::from_secs(4);

/// Resident memory once only valid traffic runs: two seconds of it, then the lowest of a few
/// readings (a leak stays in every one of them; pages of requests just over come and go).
fn settled_rss(server: &Server, port: u16) -> u64 {
    let calm = Tally::default();
    let until = Instant::now() + Duration::from_secs(2);
    std::thread::scope(|scope| valid_traffic(scope, port, &calm, until));
    assert_all_answered_200(&calm, "valid traffic alone");
    (0..5)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(200));
            server.rss()
        })
        .min()
        .expect("five readings")
}

#[test]
fn under_mixed_attack_every_valid_request_is_answered_in_time_and_memory_stays_flat() {
    let mut server = Server::start();
    let port = server.port;
    let attacks = attacks::all();

    // The baseline is taken in the steady state: after a short round of the whole mix (what the
    // first requests allocate, the caches filled, the allocator's pages for large bodies on the
    // threads that parse them), then the same valid traffic that ends the run. Memory that the
    // full run adds beyond that is what it leaves behind.
    let warm_up = Tally::default();
    let until = Instant::now() + WARM_UP;
    std::thread::scope(|scope| {
        valid_traffic(scope, port, &warm_up, until);
        attack_traffic(scope, &attacks, port, &warm_up, until);
    });
    assert_all_answered_200(&warm_up, "warm-up");
    let rss_before = settled_rss(&server, port);

    let tally = Tally::default();
    let until = Instant::now() + RUN;
    let mut trajectory = Vec::new();
    std::thread::scope(|scope| {
        let server = &server;
        let trajectory = &mut trajectory;
        scope.spawn(move || {
            while Instant::now() < until {
                std::thread::sleep(Duration::from_secs(2));
                trajectory.push(server.rss() / (1024 * 1024));
            }
        });
        valid_traffic(scope, port, &tally, until);
        attack_traffic(scope, &attacks, port, &tally, until);
    });
    let rss_after = settled_rss(&server, port);
    let ready = tally.ready_p99(READY_WINDOW);
    print_figures(&tally, (rss_before, rss_after), ready);
    println!("RSS every 2 s during the run, MiB: {trajectory:?}");

    let exit = server.stop();
    let log = server.log();
    assert_all_answered_200(&tally, "under attack");
    assert!(
        ready.1 <= READY_P99_LIMIT,
        "GET /ready p99 {:?} in a {:?} window (limit {READY_P99_LIMIT:?})",
        ready.1,
        READY_WINDOW
    );
    assert!(
        rss_after <= rss_before + RSS_GROWTH_LIMIT,
        "RSS grew from {rss_before} to {rss_after} bytes"
    );
    for (attack, _) in &attacks {
        let outcomes = tally.of(attack.kind);
        let wanted = Outcome::Status(expected(attack.kind));
        assert!(
            outcomes.contains_key(&wanted),
            "{}: never got {wanted}: {}",
            attack.kind,
            summary(&outcomes)
        );
        assert!(
            !outcomes.contains_key(&Outcome::Status(500)),
            "{}: {}",
            attack.kind,
            summary(&outcomes)
        );
    }
    assert!(!log.contains("panicked"), "a panic in the log:\n{log}");
    assert_eq!(exit, Some(0), "SIGTERM ends the server cleanly");
}
