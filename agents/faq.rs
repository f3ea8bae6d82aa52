//! `faq` at `/faq`: answers callers' questions about swml-server.
//!
//! Two tools, cheapest first:
//! - `quick_answer`, a DataMap tool: a handful of questions come up on most calls (the licence,
//!   the port, the password, TLS, health checks). Their answers are fixed, so they sit in the
//!   document as patterns and the platform answers them itself, with no call back to us.
//! - `search_faq`, the `search` skill over the sample `docs` index, for everything else; two
//!   results are enough for a spoken answer and keep the AI's context short.
//!
//! Hints teach speech recognition the product words, which it would otherwise hear as English
//! ("swimmel" becomes "SWML").

use serde_json::json;
use swml_server::agent::skills::Search;
use swml_server::agent::{
    Agent, AgentBuilder, AgentContext, DataMap, FunctionResult, Hint, PomSection, Tool,
};

/// The common questions: a case-insensitive pattern over the caller's question, and the answer.
/// The platform stops at the first pattern that matches, so a question touching two topics gets
/// the answer listed first.
const QUICK_ANSWERS: &[(&str, &str)] = &[
    (
        r"(?i)\b(licen[cs](e|ed|ing)|price|pricing|costs?)\b",
        "swml-server is free software under the GNU GPL, version 3 or later. There is nothing to pay for the server itself.",
    ),
    (
        r"(?i)\b(password|credentials?|basic auth|log ?in)\b",
        "Every route except /ready needs basic auth. The user is signalwire unless you set SWML_BASIC_AUTH_USER; without SWML_BASIC_AUTH_PASSWORD a random password is generated and printed once at startup.",
    ),
    (
        r"(?i)\b(tls|https|ssl|certificates?)\b",
        "Set SWML_SSL_ENABLED to true with SWML_SSL_CERT_PATH and SWML_SSL_KEY_PATH. For local testing, swml-server dev-cert writes a self-signed certificate.",
    ),
    (
        r"(?i)\b(health|readiness|uptime)\b",
        "GET /ready answers without credentials once the server is ready. GET /health, with credentials, reports the version, uptime, agents and indexes.",
    ),
    (
        r"(?i)\bports?\b",
        "The server listens on port 3000 by default. Set PORT, or port in the server section of the config file, to change it.",
    ),
];

/// What `quick_answer` says when no pattern matches: the AI then searches the documentation.
const NO_QUICK_ANSWER: &str =
    "There is no quick answer for that. Search the documentation with search_faq instead.";

pub fn agent(context: &AgentContext) -> AgentBuilder {
    Agent::builder("faq")
        .route("/faq")
        .section(PomSection::new("Role").body(
            "You answer questions about swml-server, a server that hosts SignalWire voice-AI \
             agents and the document search they use.",
        ))
        .section(
            PomSection::new("How to answer")
                .bullets([
                    "First call quick_answer with the caller's question.",
                    "If it has no answer, call search_faq with a few key words of the question.",
                    "Answer from what the tools return only, in two or three short sentences.",
                    "If neither tool knows, say so plainly and suggest the README.",
                ])
                .numbered_bullets(true),
        )
        .hints(["swml-server", "SignalWire", "SWML", "SWAIG", "DataMap", "tantivy"])
        .hint(Hint::pattern("swimmel", r"(?i)\bswim+[ae]l\b", "SWML", true))
        .hint(Hint::pattern("swag", r"(?i)\bswa(i|y)?g\b", "SWAIG", true))
        .tool(quick_answer())
        .skill(
            Search::new(context)
                .index("docs")
                .tool_name("search_faq")
                .description("Search the swml-server documentation for the answer to a question")
                .count(2)
                .no_results_message(
                    "The documentation says nothing about '{query}'. Tell the caller you do not know, and suggest the README.",
                ),
        )
}

/// The DataMap tool over [`QUICK_ANSWERS`], answered by the platform.
fn quick_answer() -> Tool {
    let data_map = QUICK_ANSWERS
        .iter()
        .fold(DataMap::new(), |map, (pattern, answer)| {
            map.expression("${args.question}", pattern, FunctionResult::new(*answer))
        });
    Tool::untyped(
        "quick_answer",
        "Instant answers to common questions about swml-server: licence and price, password, TLS, health checks, port",
    )
    .param(
        "question",
        json!({"type": "string", "description": "The caller's question, in their words"}),
        true,
    )
    .data_map(data_map.output(FunctionResult::new(NO_QUICK_ANSWER)))
}
