//! Replicas behind a real proxy: two processes of the real binary on 127.0.0.1 behind HAProxy
//! (from Debian; the test skips loudly without it), sharing one index folder, the basic-auth
//! credentials, the signing key and the SWAIG secret, and trusting the proxy's forwarded headers.
//! Through the proxy, the suite shows that nothing a caller depends on is tied to one replica:
//! a document from one replica carries tool tokens the other accepts; webhook signatures are
//! checked against the public URL the proxy presents, not a replica's own; rate limits key on
//! the real client (and, being kept in each process, per replica); a replica drained with
//! SIGTERM under steady load loses no request; a rebuilt index reaches both, and so does a
//! rebuilt PostgreSQL collection they share (`shared_postgres`).
//!
//! Its own test binary: each test starts three processes. docs/DEPLOY.md quotes the drain
//! test's figures and shows the same HAProxy configuration.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

mod client;
mod cluster;
mod drain;
// The throwaway PostgreSQL cluster of tests/postgres (this suite uses part of it).
#[allow(dead_code)]
#[path = "../postgres/cluster.rs"]
mod pg;
mod proxy;
mod shared_postgres;
#[path = "../common/skip.rs"]
mod skip;

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use client::{Client, PUBLIC_HOST, path_and_query, public_url, tool_url};
use cluster::{ClusterSpec, PASSWORD, USER};

const CALLER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
const OTHER_CALLER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

/// What the AI hears when a secure function's token does not check out.
const TOKEN_REFUSED: &str = "security token for this function is invalid or expired";

fn tool_call(call_id: &str) -> Value {
    json!({"function": "get_time", "call_id": call_id, "argument": {"parsed": [{}]}})
}

#[test]
fn a_document_from_one_replica_carries_tokens_the_other_accepts() {
    let Some(cluster) = ClusterSpec::new().start() else {
        return;
    };
    let client = Client::from(CALLER, cluster.proxy.port);
    for (minter, checker) in [("a", "b"), ("b", "a")] {
        let call_id = format!("call-minted-by-{minter}");
        let document = client.document(&call_id, minter);
        assert_eq!(
            (document.status, document.served_by.as_str()),
            (200, minter)
        );
        let url = tool_url(&document.body, "get_time");
        let public = format!("http://{USER}:{PASSWORD}@{PUBLIC_HOST}/agent/swaig");
        assert!(
            url.starts_with(&public),
            "tool URL on the public host: {url}"
        );

        let target = path_and_query(&url);
        let body = tool_call(&call_id);
        let reply = client.post_signed(&target, &body, checker, &public_url(&target));
        assert_eq!((reply.status, reply.served_by.as_str()), (200, checker));
        let said = reply.body["response"].as_str().unwrap();
        assert!(!said.contains(TOKEN_REFUSED), "{checker} refused: {said}");

        // The check is live on the other replica: a token for another call is refused there.
        let stranger = client.document("another-call", minter);
        let foreign = path_and_query(&tool_url(&stranger.body, "get_time"));
        let reply = client.post_signed(&foreign, &body, checker, &public_url(&foreign));
        assert_eq!((reply.status, reply.served_by.as_str()), (200, checker));
        let said = reply.body["response"].as_str().unwrap();
        assert!(said.contains(TOKEN_REFUSED), "{checker} accepted: {said}");
    }
}

#[test]
fn signatures_verify_against_the_public_url_the_proxy_presents() {
    let Some(cluster) = ClusterSpec::new().start() else {
        return;
    };
    let client = Client::from(CALLER, cluster.proxy.port);
    let body = json!({"call": {"call_id": "signed-call"}});
    for replica in &cluster.replicas {
        let public = client.post_signed("/agent", &body, replica.name, &public_url("/agent"));
        assert_eq!(
            (public.status, public.served_by.as_str()),
            (200, replica.name)
        );
        let own_url = format!("http://127.0.0.1:{}/agent", replica.port);
        let own = client.post_signed("/agent", &body, replica.name, &own_url);
        assert_eq!((own.status, own.served_by.as_str()), (403, replica.name));
        assert_eq!(own.body, json!({"error": "forbidden"}));
    }
}

#[test]
fn rate_limits_key_on_the_real_client_and_are_kept_per_replica() {
    let quota = 3;
    let Some(cluster) = ClusterSpec::new().setting("SWML_RATE_LIMIT", quota).start() else {
        return;
    };
    let port = cluster.proxy.port;
    let caller = Client::from(CALLER, port);
    let health = |client: &Client, pin: &str, headers: &[(&str, &str)]| {
        let answer = client.send("GET", "/health", &Value::Null, Some(pin), headers);
        assert_eq!(answer.served_by, pin);
        answer.status
    };
    for n in 1..=quota {
        assert_eq!(health(&caller, "a", &[]), 200, "request {n} of the quota");
    }
    assert_eq!(health(&caller, "a", &[]), 429, "past the quota");
    let forged = [("X-Forwarded-For", "127.0.0.9")];
    assert_eq!(
        health(&caller, "a", &forged),
        429,
        "a forged X-Forwarded-For is not the client HAProxy saw"
    );
    let other = Client::from(OTHER_CALLER, port);
    assert_eq!(health(&other, "a", &[]), 200, "another client has its own");
    assert_eq!(
        health(&caller, "b", &[]),
        200,
        "the other replica keeps its own buckets"
    );
}

#[test]
fn a_rebuilt_index_reaches_both_replicas() {
    let Some(cluster) = ClusterSpec::new().start() else {
        return;
    };
    let client = Client::from(CALLER, cluster.proxy.port);
    let search = |pin: &str| {
        let query = json!({"query": "zeppelin mooring masts", "index_name": "docs", "count": 3});
        let answer = client.send("POST", "/search", &query, Some(pin), &[]);
        assert_eq!((answer.status, answer.served_by.as_str()), (200, pin));
        answer.body["results"].to_string().contains("Zeppelin")
    };
    assert!(!search("a") && !search("b"), "not in the first build");

    let page = "# Zeppelins\n\nZeppelin mooring masts hold airships between flights.\n";
    cluster.rebuild_index(&[("zeppelins", page)]);
    for replica in ["a", "b"] {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !search(replica) {
            assert!(
                Instant::now() < deadline,
                "replica {replica} never saw the rebuilt index:\n{}",
                cluster.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn draining_one_replica_under_steady_load_loses_no_request() {
    let Some(mut cluster) = ClusterSpec::new().setting("SWML_RATE_LIMIT", 0).start() else {
        return;
    };
    let figures = drain::run(&mut cluster);
    figures.print("SWML_DRAIN_DELAY=1");
    figures.assert_nothing_lost(&cluster);
    assert!(
        figures.left_the_pool_before_exiting(),
        "the drain delay outlasts HAProxy's checks"
    );
}

/// The second line of defence: a replica that stops at once (a crash, or no drain delay) is
/// still in the pool for a few checks, and HAProxy retries what it cannot connect to on the
/// other replica.
#[test]
fn without_a_drain_delay_the_proxy_retries_what_the_closed_replica_refuses() {
    let Some(mut cluster) = ClusterSpec::new()
        .setting("SWML_RATE_LIMIT", 0)
        .setting("SWML_DRAIN_DELAY", 0)
        .start()
    else {
        return;
    };
    let figures = drain::run(&mut cluster);
    figures.print("SWML_DRAIN_DELAY=0");
    figures.assert_nothing_lost(&cluster);
    assert!(figures.redispatched() > 0, "no request needed a retry");
}
