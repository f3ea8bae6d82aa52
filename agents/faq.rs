//! `faq` at `/faq`: answers callers' questions about swml-server (the `FaqBot` prefab).
//!
//! Cheapest source first: `quick_answer` holds the answers to the questions most calls ask (the
//! licence, the password, TLS, health checks, the port) as patterns the platform matches itself;
//! `search_faq` searches the sample `docs` index for everything else, two results at a time so
//! the spoken answer and the AI's context stay short.
//!
//! Hints teach speech recognition the product words, which it would otherwise hear as English
//! ("swimmel" becomes "SWML").

use swml_server::agent::prefabs::{Faq, FaqBot};
use swml_server::agent::skills::Search;
use swml_server::agent::{AgentBuilder, AgentContext, AgentError, Hint};

/// The common questions: a case-insensitive pattern over the caller's question, the answer, and
/// the topic the tool's description lists. The first pattern that matches answers, so a question
/// touching two topics gets the answer listed first.
const QUICK_ANSWERS: &[(&str, &str, &str)] = &[
    (
        r"(?i)\b(licen[cs](e|ed|ing)|price|pricing|costs?)\b",
        "swml-server is free software under the GNU GPL, version 3 or later. There is nothing to pay for the server itself.",
        "licence and price",
    ),
    (
        r"(?i)\b(password|credentials?|basic auth|log ?in)\b",
        "Every route except /ready needs basic auth. The user is signalwire unless you set SWML_BASIC_AUTH_USER; without SWML_BASIC_AUTH_PASSWORD a random password is generated and printed once at startup.",
        "password",
    ),
    (
        r"(?i)\b(tls|https|ssl|certificates?)\b",
        "Set SWML_SSL_ENABLED to true with SWML_SSL_CERT_PATH and SWML_SSL_KEY_PATH. For local testing, swml-server dev-cert writes a self-signed certificate.",
        "TLS",
    ),
    (
        r"(?i)\b(health|readiness|uptime)\b",
        "GET /ready answers without credentials once the server is ready. GET /health, with credentials, reports the version, uptime, agents and indexes.",
        "health checks",
    ),
    (
        r"(?i)\bports?\b",
        "The server listens on port 3000 by default. Set PORT, or port in the server section of the config file, to change it.",
        "port",
    ),
];

pub fn agent(context: &AgentContext) -> Result<AgentBuilder, AgentError> {
    let bot = QUICK_ANSWERS.iter().fold(
        FaqBot::new("faq", "/faq", "swml-server"),
        |bot, (pattern, answer, topic)| bot.faq(Faq::new(pattern, answer).topic(topic)),
    );
    Ok(bot
        .persona(
            "You answer questions about swml-server, a server that hosts SignalWire voice-AI \
             agents and the document search they use.",
        )
        .knowledge(Search::new(context), "docs", 2)
        .no_results_message(
            "The documentation says nothing about '{query}'. Tell the caller you do not know, and suggest the README.",
        )
        .fallback("say so plainly and suggest the README")
        .into_builder()?
        .hints(["swml-server", "SignalWire", "SWML", "SWAIG", "DataMap", "tantivy"])
        .hint(Hint::pattern("swimmel", r"(?i)\bswim+[ae]l\b", "SWML", true))
        .hint(Hint::pattern("swag", r"(?i)\bswa(i|y)?g\b", "SWAIG", true)))
}
