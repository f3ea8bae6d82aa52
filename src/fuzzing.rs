//! Entry points for the fuzz targets in `fuzz/`: each takes raw input as a client or an operator
//! could give it and runs it through the same code the server runs, checking the properties
//! that must hold for any input. Not part of the library's API.
//!
//! Every function panics when a property fails, which is what a fuzzer reports; none of them
//! panics on input that merely is invalid.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};

use crate::agent::execute::Cutoff;
use crate::agent::{
    Agent, AgentBuilder, FunctionResult, RequestInput, Tool, dispatch, post_prompt, sip,
};
use crate::config::{ConfigError, Settings, Sources};
use crate::search::api::TagLimits;
use crate::search::chunking::{self, ChunkOptions, Strategy};
use crate::search::{SearchError, SearchRequest, html};

/// Loads settings from environment pairs and, when given, a config file (written by the
/// target). Any input either loads or is refused with at least one problem, each of which says
/// what is wrong.
pub fn load_settings(env: &[(String, String)], file: Option<&Path>) {
    let mut sources = Sources::from_env(env.iter().cloned());
    sources.env.remove("SWML_CONFIG_FILE");
    sources.config_flag = file.map(Path::to_path_buf);
    if let Err(ConfigError { problems }) = Settings::load(&sources) {
        assert!(!problems.is_empty(), "a refusal names at least one problem");
        for problem in &problems {
            assert!(
                !problem.to_string().is_empty(),
                "every problem says something"
            );
        }
    }
}

/// Parses a `POST /search` body. Accepted requests respect every documented bound; refusals are
/// 400s that name a field (never an internal error).
pub fn search_request(body: &[u8]) {
    let limits = TagLimits::default();
    match SearchRequest::from_json(body, &limits) {
        Ok(request) => {
            assert!(!request.query.trim().is_empty());
            assert!(request.query.chars().count() <= crate::search::api::MAX_QUERY_CHARS);
            assert!((1..=crate::search::api::MAX_COUNT).contains(&request.count));
            assert!((0.0..=1.0).contains(&request.similarity_threshold));
            let mut tags = request.tags.clone();
            tags.sort();
            tags.dedup();
            assert_eq!(tags.len(), request.tags.len(), "tags are deduplicated");
            assert!(tags.len() <= limits.count);
            assert!(tags.iter().all(|tag| tag.chars().count() <= limits.chars));
        }
        Err(SearchError::Invalid(message)) => assert!(!message.is_empty()),
        Err(other) => panic!("a request body produced a non-400 error: {other}"),
    }
}

/// Runs a SWAIG request body through dispatch on a test agent, with `token` as `?__token`.
/// Whatever the body, the answer is a 400-style refusal or a JSON object the AI can read.
pub fn swaig_request(body: &[u8], token: &str) {
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let input = RequestInput::new(body).with_query("__token", token);
    let agent = fuzz_agent();
    let signer = crate::agent::token::TokenSigner::new(b"fuzzing secret");
    let reply = runtime().block_on(dispatch(agent, Some(&signer), input, Cutoff::none()));
    if let Ok(reply) = reply {
        let object = reply.as_object().expect("a SWAIG reply is a JSON object");
        assert!(
            object.contains_key("response") || object.contains_key("action"),
            "a SWAIG reply carries a response or actions: {reply}"
        );
    }
}

/// Reads a post-prompt body and a SIP routing body as the server does; neither may panic.
pub fn call_bodies(body: &[u8]) {
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let _ = post_prompt::extract_summary(&body);
    let _ = crate::agent::CallEnd::from_body(&body);
    if let Some(username) = sip::sip_username(&body) {
        assert!(!username.is_empty());
    }
}

/// Cuts `text` with every strategy (with the given options) and reduces it as HTML. Every chunk
/// has content, and the text strategies lose no word of the input.
pub fn chunk_text(text: &str, max_sentences: u8, chunk_size: u8, overlap: u8) {
    let options = ChunkOptions {
        strategy: Strategy::Sentence,
        max_sentences_per_chunk: usize::from(max_sentences.max(1)),
        split_newlines: (!max_sentences.is_multiple_of(3))
            .then_some(usize::from(max_sentences % 4 + 1)),
        chunk_size: usize::from(chunk_size.max(2)),
        overlap_size: usize::from(overlap) % usize::from(chunk_size.max(2)),
    };
    assert!(options.validate().is_ok());
    let blocks = [chunking::Block {
        section: "Fuzz".into(),
        text: text.to_owned(),
    }];
    let words = chunking::word_count(text);
    for strategy in [
        Strategy::Sentence,
        Strategy::Sliding,
        Strategy::Paragraph,
        Strategy::Page,
    ] {
        let options = ChunkOptions {
            strategy,
            ..options.clone()
        };
        let chunks = options.chunk_blocks(&blocks);
        for chunk in &chunks {
            assert!(!chunk.content.trim().is_empty(), "{strategy}: empty chunk");
        }
        let covered: usize = chunks
            .iter()
            .map(|c| chunking::word_count(&c.content))
            .sum();
        if strategy == Strategy::Sliding {
            assert!(covered >= words, "sliding: {words} words in, {covered} out");
        } else {
            assert_eq!(covered, words, "{strategy}: every word lands in one chunk");
        }
    }
    for chunk in chunking::chunk_markdown(text) {
        assert!(!chunk.content.trim().is_empty(), "markdown: empty chunk");
    }
    let _ = chunking::parse_prechunked(text);
    let blocks = html::html_to_blocks(text);
    // HTML drops NUL characters by its own rules, so only plain text without them is compared.
    if !text.contains(['<', '&', '\0']) {
        let reduced: usize = blocks.iter().map(|b| chunking::word_count(&b.text)).sum();
        assert_eq!(reduced, words, "text without markup keeps its words");
    }
}

/// A current-thread runtime kept for the whole fuzzing run.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime starts")
    })
}

/// An agent whose tools cover the argument checks: a typed tool with bounds, an untyped one, an
/// insecure one and a DataMap tool.
fn fuzz_agent() -> &'static Arc<Agent> {
    static AGENT: OnceLock<Arc<Agent>> = OnceLock::new();
    AGENT.get_or_init(|| {
        let bounded = json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[a-z]+$"},
                "count": {"type": "integer", "minimum": 1, "maximum": 10},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "items": {"type": "array", "items": {"type": "string"}, "maxItems": 5}
            },
            "required": ["name"]
        });
        AgentBuilder::new("fuzz")
            .route("/fuzz")
            .tool(
                Tool::untyped("bounded", "A tool with bounded arguments")
                    .parameters(bounded)
                    .handler(|args: Value, _call| FunctionResult::new(args.to_string())),
            )
            .tool(
                Tool::untyped("open", "An insecure tool")
                    .handler(|_args: Value, _call| FunctionResult::new("done"))
                    .secure(false),
            )
            .build()
            .expect("the fuzz agent is valid")
    })
}

#[cfg(test)]
mod tests {
    //! A few inputs through each entry point, so the fuzz targets' code is checked by
    //! `cargo test` too (the fuzzers themselves run by hand: fuzz/README.md).

    use std::io::Write;

    use super::*;

    #[test]
    fn settings_inputs_load_or_are_refused_with_problems() {
        let env = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        load_settings(&env(&[("SWML_RATE_LIMIT", "5")]), None);
        load_settings(&env(&[("SWML_RATE_LIMIT", "off"), ("PORT", "-1")]), None);
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        file.write_all(b"[server]\nport = \"${NOPE}\"\n[bogus]\nx = 1\n")
            .unwrap();
        load_settings(&[], Some(file.path()));
    }

    #[test]
    fn search_bodies_parse_within_bounds_or_name_a_field() {
        search_request(br#"{"query": "rate limit", "tags": ["A", "a", " b "], "count": 5}"#);
        search_request(br#"{"query": "", "count": 0}"#);
        search_request(b"[1, 2]");
        search_request(b"\xff\xfe");
    }

    #[test]
    fn swaig_bodies_get_a_readable_reply() {
        swaig_request(
            br#"{"function": "bounded", "argument": {"parsed": [{"name": "abc", "count": 3}]}}"#,
            "",
        );
        swaig_request(
            br#"{"function": "open", "argument": {"raw": "{\"x\": [1, {}]}"}}"#,
            "x",
        );
        swaig_request(br#"{"function": 5}"#, "");
        call_bodies(br#"{"post_prompt_data": {"raw": "{}"}, "call": {"to": "sip:a@b"}}"#);
    }

    #[test]
    fn chunkers_keep_every_word() {
        chunk_text("One. Two three!\n\n\u{c}Four five six? Seven", 2, 3, 1);
        chunk_text("# Title\n\n```\ncode\n```\n\ntext", 0, 0, 0);
        chunk_text("", 1, 2, 1);
    }
}
