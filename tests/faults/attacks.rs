//! The attack traffic, each kind from its own loopback address (127.0.0.2 and up) so the rate
//! limiter counts it apart from the valid client: requests without credentials, wrong passwords,
//! bodies over the limit (declared and streamed), headers sent too slowly on a new connection and
//! on a kept-alive one after a first request, bodies sent too slowly, malformed JSON, tag lists
//! far over the limit, and searches with a new question each time from many addresses.
//!
//! Each loop sends one request after another (a few of them side by side), so the server is kept
//! busy refusing without the load generator taking every core of a small machine.

use std::net::Ipv4Addr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::http::{Conn, Outcome, Response, basic_auth, request};
use crate::server::{MAX_BODY, PASSWORD, REQUEST_TIMEOUT_S, USER};
use crate::tally::Tally;

/// How long an attacker waits for an answer: well past the request timeout.
const PATIENCE: Duration = Duration::from_secs(REQUEST_TIMEOUT_S + 4);
/// The pause between two bytes of a slow client.
const DRIBBLE: Duration = Duration::from_millis(250);

/// One attack loop: its name (as reported), source address and what it sends.
pub(crate) struct Attack {
    pub kind: &'static str,
    pub from: Ipv4Addr,
    pub pause: Duration,
    run: fn(&Ctx) -> Result<Response, Outcome>,
}

/// What an attack needs to build its request.
pub(crate) struct Ctx {
    pub port: u16,
    pub from: Ipv4Addr,
    pub round: u64,
    pub auth: String,
}

impl Attack {
    /// Runs rounds until `until`, recording each outcome.
    pub(crate) fn run(&self, port: u16, tally: &Tally, until: Instant, lane: u64) {
        let mut round = lane << 32;
        while Instant::now() < until {
            round += 1;
            let ctx = Ctx {
                port,
                from: self.from,
                round,
                auth: basic_auth(USER, PASSWORD),
            };
            let outcome = match (self.run)(&ctx) {
                Ok(response) => Outcome::Status(response.status),
                Err(outcome) => outcome,
            };
            tally.record(self.kind, outcome);
            std::thread::sleep(self.pause);
        }
    }
}

/// Every attack, with how many copies run side by side.
pub(crate) fn all() -> Vec<(Attack, u64)> {
    let ms = Duration::from_millis;
    let attack = |kind, last: u8, pause, run| Attack {
        kind,
        from: Ipv4Addr::new(127, 0, 0, last),
        pause,
        run,
    };
    let many_addresses = Attack {
        from: Ipv4Addr::new(127, 0, 1, 1),
        ..attack("new question each time", 0, ms(5), distinct_search)
    };
    vec![
        (attack("no credentials", 2, ms(2), no_credentials), 2),
        (attack("wrong password", 3, ms(2), wrong_password), 2),
        (
            attack(
                "body over the limit, declared",
                4,
                ms(20),
                oversized_declared,
            ),
            1,
        ),
        (
            attack(
                "body over the limit, streamed",
                4,
                ms(50),
                oversized_streamed,
            ),
            1,
        ),
        (
            attack("slow headers, first request", 5, ms(0), slow_first_headers),
            6,
        ),
        (
            attack("slow headers, later request", 6, ms(0), slow_later_headers),
            6,
        ),
        (attack("slow body", 7, ms(0), slow_body), 4),
        (attack("malformed JSON", 8, ms(5), malformed_json), 1),
        (attack("tag list over the limit", 9, ms(100), huge_tags), 1),
        (many_addresses, 2),
    ]
}

fn connect(ctx: &Ctx) -> Result<Conn, Outcome> {
    Conn::open(ctx.from, ctx.port, PATIENCE).map_err(Outcome::from)
}

fn no_credentials(ctx: &Ctx) -> Result<Response, Outcome> {
    let target = if ctx.round.is_multiple_of(2) {
        "/health"
    } else {
        "/agent"
    };
    connect(ctx)?.send(&request(ctx.port, "GET", target, &[], b""))
}

fn wrong_password(ctx: &Ctx) -> Result<Response, Outcome> {
    let guess = basic_auth(USER, &format!("guess-{}", ctx.round));
    let headers = [("Authorization", guess.as_str())];
    connect(ctx)?.send(&request(ctx.port, "GET", "/health", &headers, b""))
}

/// A `Content-Length` over the limit, with the start of the body.
fn oversized_declared(ctx: &Ctx) -> Result<Response, Outcome> {
    let length = (MAX_BODY * 4).to_string();
    let head = format!(
        "POST /search HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n",
        ctx.port, ctx.auth
    );
    let mut conn = connect(ctx)?;
    conn.write(head.as_bytes())?;
    // The server may answer and close before this is all sent.
    let _ = conn.write(&vec![b' '; 64 * 1024]);
    conn.read_response()
}

/// A chunked body that only goes past the limit as it streams.
fn oversized_streamed(ctx: &Ctx) -> Result<Response, Outcome> {
    let head = format!(
        "POST /search HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        ctx.port, ctx.auth
    );
    let mut conn = connect(ctx)?;
    conn.write(head.as_bytes())?;
    let chunk_size = 64 * 1024;
    let mut chunk = format!("{chunk_size:x}\r\n").into_bytes();
    chunk.extend(std::iter::repeat_n(b' ', chunk_size));
    chunk.extend_from_slice(b"\r\n");
    for _ in 0..(MAX_BODY / chunk_size + 4) {
        if conn.write(&chunk).is_err() {
            break;
        }
    }
    conn.read_response()
}

/// A new connection whose first request's headers never finish.
fn slow_first_headers(ctx: &Ctx) -> Result<Response, Outcome> {
    let head = format!("GET /health HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", ctx.port);
    connect(ctx)?.dribble(head.as_bytes(), b"X-Slow: a", DRIBBLE, PATIENCE)
}

/// One whole request on a connection, then a next one whose headers never finish.
fn slow_later_headers(ctx: &Ctx) -> Result<Response, Outcome> {
    let mut conn = connect(ctx)?;
    let first = conn.send(&request(ctx.port, "GET", "/ready", &[], b""))?;
    if first.status != 200 {
        return Ok(first);
    }
    conn.dribble(b"G", b"ET /health HTTP/1.1\r\nX-Slow: a", DRIBBLE, PATIENCE)
}

/// Headers in full, with credentials, then a body a byte at a time.
fn slow_body(ctx: &Ctx) -> Result<Response, Outcome> {
    let head = format!(
        "POST /search HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{{\"query\": \"",
        ctx.port, ctx.auth
    );
    connect(ctx)?.dribble(head.as_bytes(), b"slow", DRIBBLE, PATIENCE)
}

fn malformed_json(ctx: &Ctx) -> Result<Response, Outcome> {
    let bodies: [&[u8]; 3] = [
        b"{\"query\": ",
        b"[[[[[[[[",
        b"{\"query\": \"x\", \"count\": \"many\"}",
    ];
    let body = bodies[(ctx.round % 3) as usize];
    let headers = [
        ("Authorization", ctx.auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    connect(ctx)?.send(&request(ctx.port, "POST", "/search", &headers, body))
}

/// 60,000 distinct tags (about 600 KB, under the body limit; the tag limit is 100).
fn huge_tags(ctx: &Ctx) -> Result<Response, Outcome> {
    static BODY: OnceLock<Vec<u8>> = OnceLock::new();
    let body = BODY.get_or_init(|| {
        let tags: Vec<String> = (0..60_000).map(|n| format!("tag-{n}")).collect();
        serde_json::to_vec(&serde_json::json!({"query": "billing", "tags": tags})).unwrap()
    });
    assert!(body.len() < MAX_BODY);
    let headers = [
        ("Authorization", ctx.auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    connect(ctx)?.send(&request(ctx.port, "POST", "/search", &headers, body))
}

/// A new question each time, from one of 200 addresses (127.0.1.1 to 127.0.1.200) in turn, so
/// the rate limit lets many of them through to the search threads.
fn distinct_search(ctx: &Ctx) -> Result<Response, Outcome> {
    let host = (ctx.round % 200) as u8 + 1;
    let from = Ipv4Addr::new(127, 0, 1, host);
    let body = format!(
        "{{\"query\": \"routing queues attacker{} words{}\", \"count\": 10}}",
        ctx.round,
        ctx.round * 7
    );
    let headers = [
        ("Authorization", ctx.auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let mut conn = Conn::open(from, ctx.port, PATIENCE).map_err(Outcome::from)?;
    conn.send(&request(
        ctx.port,
        "POST",
        "/search",
        &headers,
        body.as_bytes(),
    ))
}
