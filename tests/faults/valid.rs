//! The valid client, from 127.0.0.1: `GET /ready` every few milliseconds, agent documents for new
//! calls with a signed, tokened tool call for each, and searches with a new question every time.
//! Every one of these must be answered 200, in time.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};

use crate::http::{Conn, Outcome, Response, basic_auth, request};
use crate::server::{PASSWORD, SIGNING_KEY, TOPICS, USER};
use crate::tally::Tally;

pub(crate) const VALID: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
/// How long the valid client waits for any answer before calling it a timeout.
const PATIENCE: Duration = Duration::from_secs(10);

/// Scheme A webhook signature: hex HMAC-SHA1 of the URL and the body.
pub(crate) fn sign(url: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(SIGNING_KEY.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Sends on `conn` (opening it first when needed), recording the outcome under `kind`; a
/// connection that failed is dropped so the next request opens a new one.
fn exchange(
    conn: &mut Option<Conn>,
    port: u16,
    tally: &Tally,
    kind: &'static str,
    bytes: &[u8],
) -> Option<Response> {
    let result = match conn {
        Some(open) => open.send(bytes),
        None => Conn::open(VALID, port, PATIENCE)
            .map_err(Outcome::from)
            .and_then(|mut fresh| {
                let answer = fresh.send(bytes);
                *conn = Some(fresh);
                answer
            }),
    };
    match result {
        Ok(response) => {
            tally.record(kind, Outcome::Status(response.status));
            (response.status == 200).then_some(response)
        }
        Err(outcome) => {
            tally.record(kind, outcome);
            *conn = None;
            None
        }
    }
}

/// `GET /ready` every `every`, each answer's latency recorded.
pub(crate) fn probe_ready(port: u16, tally: &Tally, until: Instant, every: Duration) {
    let mut conn = None;
    let probe = request(port, "GET", "/ready", &[], b"");
    while Instant::now() < until {
        let sent = Instant::now();
        if exchange(&mut conn, port, tally, "valid: GET /ready", &probe).is_some() {
            tally.record_ready(sent, sent.elapsed());
        }
        std::thread::sleep(every.saturating_sub(sent.elapsed()));
    }
}

/// A document for a new call (`POST /agent`, signed), then the `get_time` tool call with the
/// token that document carries (`POST /agent/swaig`, signed), every `every`.
pub(crate) fn agent_calls(port: u16, tally: &Tally, until: Instant, every: Duration) {
    let auth = basic_auth(USER, PASSWORD);
    let mut conn = None;
    let mut call = 0u64;
    while Instant::now() < until {
        let started = Instant::now();
        call += 1;
        let call_id = format!("fault-call-{call}");
        let body = serde_json::to_vec(&json!({"call": {"call_id": call_id}})).unwrap();
        let signature = sign(&format!("http://127.0.0.1:{port}/agent"), &body);
        let headers = [
            ("Authorization", auth.as_str()),
            ("Content-Type", "application/json"),
            ("X-SignalWire-Signature", signature.as_str()),
        ];
        let render = request(port, "POST", "/agent", &headers, &body);
        let document = exchange(&mut conn, port, tally, "valid: POST /agent", &render);
        if let Some(query) = document.and_then(|doc| tool_query(&doc.body)) {
            let target = format!("/agent/swaig/{query}");
            let body = serde_json::to_vec(&json!({
                "function": "get_time", "call_id": call_id, "argument": {"parsed": [{}]}
            }))
            .unwrap();
            let signature = sign(&format!("http://127.0.0.1:{port}{target}"), &body);
            let headers = [
                ("Authorization", auth.as_str()),
                ("Content-Type", "application/json"),
                ("X-SignalWire-Signature", signature.as_str()),
            ];
            let tool = request(port, "POST", &target, &headers, &body);
            let kind = "valid: POST /agent/swaig";
            if let Some(reply) = exchange(&mut conn, port, tally, kind, &tool) {
                let reply: Value = serde_json::from_slice(&reply.body).unwrap_or_default();
                assert!(reply["response"].is_string(), "a tool reply: {reply}");
            }
        }
        std::thread::sleep(every.saturating_sub(started.elapsed()));
    }
}

/// The query string (`?__token=...`) of the `get_time` tool's URL in a rendered document.
fn tool_query(document: &[u8]) -> Option<String> {
    let document: Value = serde_json::from_slice(document).ok()?;
    let main = document["sections"]["main"].as_array()?;
    let ai = main.iter().find_map(|verb| verb.get("ai"))?;
    let functions = ai["SWAIG"]["functions"].as_array()?;
    let url = functions
        .iter()
        .find(|f| f["function"] == "get_time")?
        .get("web_hook_url")?
        .as_str()?;
    url.find('?').map(|at| url[at..].to_string())
}

/// `POST /search` with a question never asked before, every `every`.
pub(crate) fn searches(port: u16, tally: &Tally, until: Instant, every: Duration) {
    let auth = basic_auth(USER, PASSWORD);
    let mut conn = None;
    let mut n = 0usize;
    while Instant::now() < until {
        let started = Instant::now();
        n += 1;
        let query = format!("{} limits valid{n}", TOPICS[n % TOPICS.len()]);
        let body = serde_json::to_vec(&json!({"query": query, "count": 3})).unwrap();
        let headers = [
            ("Authorization", auth.as_str()),
            ("Content-Type", "application/json"),
        ];
        let search = request(port, "POST", "/search", &headers, &body);
        if let Some(answer) = exchange(&mut conn, port, tally, "valid: POST /search", &search) {
            let answer: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
            assert!(answer["results"].is_array(), "a search answer: {answer}");
        }
        std::thread::sleep(every.saturating_sub(started.elapsed()));
    }
}
