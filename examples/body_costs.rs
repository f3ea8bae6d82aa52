//! What parsing a large request body costs, per kind of body the server reads, at the default
//! body limit (10 MiB): the CPU a single request can make the server spend before any answer.
//!
//! `cargo run --release --example body_costs [-- --mib 10]`
//!
//! Each case builds one body of the given size and times the function the server runs on it,
//! as the server runs it (the library's own functions; JSON bodies of the agent routes are read
//! with `serde_json::from_slice`, as the routes do):
//! - search: `SearchRequest::from_json` with a huge tag list, a huge query, a huge unknown
//!   field, nesting far past serde_json's depth limit; `normalize_tags` on long tag lists;
//! - SWAIG: the body parsed, then `dispatch` (argument extraction, the tool's JSON Schema check,
//!   a handler that does nothing) for a huge argument list (`uniqueItems`), huge `raw` arguments,
//!   arguments of the wrong type;
//! - post-prompt: the body parsed and `post_prompt::extract_summary` on a huge `raw` summary;
//! - SIP: the body parsed and `sip_username`;
//! - the webhook signature check of the signed routes (`SigningKey::validate`), with a wrong
//!   signature of either scheme (every variant is tried), on a JSON body and on a form body of
//!   many parameters.
//!
//! Each case runs three times; the fastest run is printed (the machine is shared).

// A measuring tool stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use swml_server::agent::Cutoff;
use swml_server::agent::{
    Agent, AgentContext, AgentRegistry, RequestInput, TokenSigner, Tool, ToolCall, dispatch,
};
use swml_server::measuring::SearchRequest;
use swml_server::measuring::TagLimits;
use swml_server::measuring::extract_summary;
use swml_server::measuring::normalize_tags;
use swml_server::measuring::sip_username;
use swml_server::webhook_signature::SigningKey;

#[derive(Parser)]
struct Args {
    /// Body size in MiB.
    #[arg(long, default_value_t = 10)]
    mib: usize,
}

/// The fastest of three runs of `work`, and what the last run returned (for a summary line).
fn fastest<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let value = work();
        best = best.min(started.elapsed());
        last = Some(value);
    }
    (best, last.expect("ran at least once"))
}

fn report(name: &str, bytes: usize, elapsed: Duration, outcome: &str) {
    println!(
        "{name:<44} {:>6.1} MiB {:>9.1} ms  {outcome}",
        bytes as f64 / (1 << 20) as f64,
        elapsed.as_secs_f64() * 1e3
    );
}

/// Distinct short strings until `size` bytes of JSON array are reached.
fn strings(size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 2;
    while total < size {
        let item = format!("tag-{}", out.len());
        total += item.len() + 3;
        out.push(item);
    }
    out
}

fn search_cases(size: usize) {
    let limits = TagLimits::default();
    let tags = strings(size);
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "search: tags, 1 per 10 bytes",
            serde_json::to_vec(&json!({"query": "install", "tags": tags})).unwrap(),
        ),
        (
            "search: query of the whole body",
            serde_json::to_vec(&json!({"query": "a".repeat(size)})).unwrap(),
        ),
        (
            "search: unknown field, one string",
            serde_json::to_vec(&json!({"query": "install", "pad": "a".repeat(size)})).unwrap(),
        ),
        (
            "search: unknown field, array of numbers",
            serde_json::to_vec(&json!({"query": "install", "pad": vec![1; size / 2]})).unwrap(),
        ),
    ];
    let mut deep = b"{\"query\": \"install\", \"pad\": ".to_vec();
    deep.extend(std::iter::repeat_n(b'[', size));
    cases.push(("search: unknown field nested as deep as the body", deep));
    for (name, body) in &cases {
        let (elapsed, outcome) = fastest(|| SearchRequest::from_json(body, &limits));
        let outcome = match outcome {
            Ok(request) => format!("ok, {} tags", request.tags.len()),
            Err(error) => error.to_string().chars().take(60).collect(),
        };
        report(name, body.len(), elapsed, &outcome);
    }
    for count in [100_000.min(tags.len()), tags.len()] {
        let (elapsed, kept) = fastest(|| normalize_tags(&tags[..count]).len());
        report(
            &format!("normalize_tags: {count} distinct"),
            0,
            elapsed,
            &format!("{kept} kept"),
        );
    }
}

fn agent() -> std::sync::Arc<Agent> {
    let schema = json!({"type": "object", "properties": {
        "items": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
    }});
    let tool = Tool::untyped("collect", "Takes a list")
        .parameters(schema)
        .handler(|_: Value, _: &ToolCall| "done")
        .secure(false);
    let registry = AgentRegistry::builder()
        .agent(Agent::builder("costs").route("/agent").tool(tool))
        .build(&AgentContext::with_signer(TokenSigner::new(b"secret")))
        .expect("the agent builds");
    registry.agents()[0].clone()
}

fn swaig_cases(size: usize, runtime: &tokio::runtime::Runtime) {
    let agent = agent();
    let items = strings(size);
    let raw = serde_json::to_string(&json!({"items": items})).unwrap();
    let cases = [
        (
            "swaig: parsed arguments, uniqueItems",
            json!({"function": "collect", "argument": {"parsed": [{"items": items}]}}),
        ),
        (
            "swaig: raw arguments (parsed again)",
            json!({"function": "collect", "argument": {"raw": raw}}),
        ),
        (
            "swaig: arguments of the wrong type",
            json!({"function": "collect", "argument": {"parsed": [{"items": {"a": items}}]}}),
        ),
    ];
    for (name, body) in cases {
        let bytes = serde_json::to_vec(&body).unwrap();
        let (elapsed, reply) = fastest(|| {
            let body: Value = serde_json::from_slice(&bytes).unwrap();
            runtime
                .block_on(dispatch(
                    &agent,
                    None,
                    RequestInput::new(body),
                    Cutoff::none(),
                ))
                .unwrap()
        });
        let text = reply["response"].as_str().unwrap_or_default();
        let outcome = format!(
            "reply of {} bytes: {}",
            text.len(),
            &text[..text.len().min(40)]
        );
        report(name, bytes.len(), elapsed, &outcome);
    }
}

fn other_agent_cases(size: usize) {
    let summary = serde_json::to_string(&json!({"notes": strings(size)})).unwrap();
    let body = serde_json::to_vec(&json!({"post_prompt_data": {"raw": summary}})).unwrap();
    let (elapsed, found) = fastest(|| {
        let body: Value = serde_json::from_slice(&body).unwrap();
        extract_summary(&body).is_some()
    });
    report(
        "post_prompt: raw summary (parsed again)",
        body.len(),
        elapsed,
        &format!("summary: {found}"),
    );

    let padding = strings(size);
    let body =
        serde_json::to_vec(&json!({"call": {"to": "sip:sales@example.com", "pad": padding}}))
            .unwrap();
    let (elapsed, user) = fastest(|| {
        let body: Value = serde_json::from_slice(&body).unwrap();
        sip_username(&body)
    });
    report(
        "sip: destination beside a padded call",
        body.len(),
        elapsed,
        &format!("{user:?}"),
    );

    let deep = vec![b'['; size];
    let (elapsed, outcome) = fastest(|| serde_json::from_slice::<Value>(&deep).is_err());
    report(
        "any JSON route: nested as deep as the body",
        deep.len(),
        elapsed,
        &format!("refused: {outcome}"),
    );
}

fn signature_cases(size: usize) {
    let key = SigningKey::new("a-signing-key").expect("a key");
    let url = "https://agents.example.com/agent/swaig/";
    let json_body = serde_json::to_vec(&json!({"pad": strings(size)})).unwrap();
    let mut form = String::new();
    while form.len() < size {
        form.push_str(&format!("p{}=value&", form.len()));
    }
    let hex = "0".repeat(40);
    let base64 = "A".repeat(27) + "=";
    for (name, body, signature) in [
        (
            "signature: JSON body, wrong hex (scheme A)",
            &json_body,
            &hex,
        ),
        (
            "signature: JSON body, wrong base64 (scheme B)",
            &json_body,
            &base64,
        ),
        (
            "signature: form body, wrong base64 (scheme B)",
            &form.clone().into_bytes(),
            &base64,
        ),
    ] {
        let (elapsed, valid) = fastest(|| key.validate(signature, url, body));
        report(name, body.len(), elapsed, &format!("valid: {valid}"));
    }
}

fn main() {
    let args = Args::parse();
    let size = args.mib << 20;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    println!("{:<44} {:>10} {:>12}  outcome", "case", "body", "fastest");
    search_cases(size);
    swaig_cases(size, &runtime);
    other_agent_cases(size);
    signature_cases(size);
}
