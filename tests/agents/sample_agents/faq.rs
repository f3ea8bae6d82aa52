//! `faq`: fixed answers by pattern (a DataMap the platform runs) and the `search` skill over a
//! real `docs` index built in a temporary folder.

use std::sync::Arc;

use regex::Regex;
use serde_json::{Value, json};
use swml_server::agent::{AgentContext, KnowledgeSearch};
use swml_server::test_support::SearchSettings;
use swml_server::test_support::Silent;
use swml_server::test_support::Strategy;
use swml_server::test_support::{BuildOptions, SearchService, build_index};

use super::{agent, response, shipped, shipped_with, snapshot_document, valid_documents};
use crate::helpers::{ai_of, call_with_token, signer};

/// A small corpus for the `docs` index: two sections about installing, one about routes.
const CORPUS: &[(&str, &str)] = &[
    (
        "install.md",
        "# Install\n\nInstall swml-server with cargo install swml-server on any Linux machine.\n\n\
         ## From source\n\nTo install from source, clone the repository and run cargo build.\n",
    ),
    (
        "routes.md",
        "# Routes\n\nEvery agent is served at its own route, with and without a trailing slash.\n",
    ),
];

/// Builds `docs` from [`CORPUS`] under `root/indexes` with the project's index builder, and
/// loads every index there, as the server does at startup.
fn knowledge_in(root: &std::path::Path) -> Arc<dyn KnowledgeSearch> {
    let sources = root.join("corpus");
    std::fs::create_dir_all(&sources).unwrap();
    for (name, text) in CORPUS {
        std::fs::write(sources.join(name), text).unwrap();
    }
    let indexes = root.join("indexes");
    let mut options = BuildOptions::new("docs", vec![sources], indexes.join("docs"));
    options.chunking.strategy = Strategy::Markdown;
    build_index(&options, &mut Silent).expect("the docs index builds");
    Arc::new(loaded_from(indexes))
}

/// The search service over every index under `indexes`, as the server starts it.
fn loaded_from(indexes: std::path::PathBuf) -> SearchService {
    SearchService::new(&SearchSettings::for_root(indexes)).expect("search threads start")
}

fn faq_over(knowledge: Option<Arc<dyn KnowledgeSearch>>) -> Arc<swml_server::agent::Agent> {
    let mut context = AgentContext::with_signer(signer());
    if let Some(knowledge) = knowledge {
        context = context.with_knowledge(knowledge);
    }
    agent(&shipped_with(&context), "faq")
}

#[test]
fn the_faq_has_its_tools_and_hints_and_validates() {
    let faq = agent(&shipped(), "faq");
    assert_eq!(faq.route(), "/faq");
    assert_eq!(faq.tool_names(), ["quick_answer", "search_faq"]);
    assert_eq!(faq.knowledge_indexes(), ["docs"]);
    let ai = ai_of(&valid_documents(&faq));
    let hints = ai["hints"].as_array().unwrap();
    assert!(hints.contains(&json!("SWML")));
    assert!(hints.contains(
        &json!({"hint": "swimmel", "pattern": r"(?i)\bswim+[ae]l\b", "replace": "SWML", "ignore_case": true})
    ));
    let quick = &ai["SWAIG"]["functions"][0];
    assert_eq!(quick["function"], "quick_answer");
    assert!(quick.get("web_hook_url").is_none(), "the platform runs it");
}

#[test]
fn the_faq_document_snapshot() {
    let faq = agent(&shipped(), "faq");
    snapshot_document("faq_document", &valid_documents(&faq));
}

/// What the platform would answer to `question`: the output of the first expression whose
/// pattern matches, else the data map's own output.
fn platform_answer(data_map: &Value, question: &str) -> String {
    let expressions = data_map["expressions"].as_array().unwrap();
    let matched = expressions.iter().find(|expression| {
        assert_eq!(expression["string"], "${args.question}");
        let pattern = expression["pattern"].as_str().unwrap();
        Regex::new(pattern).unwrap().is_match(question)
    });
    let output = matched.map_or(&data_map["output"], |expression| &expression["output"]);
    output["response"].as_str().unwrap().to_string()
}

#[test]
fn common_questions_reach_their_fixed_answer_and_others_go_to_search() {
    let faq = agent(&shipped(), "faq");
    let ai = ai_of(&valid_documents(&faq));
    let data_map = &ai["SWAIG"]["functions"][0]["data_map"];
    let cases = [
        (
            "How much does swml-server cost?",
            "free software under the GNU GPL",
        ),
        (
            "What licence is it under?",
            "free software under the GNU GPL",
        ),
        (
            "Is it licensed for commercial use?",
            "free software under the GNU GPL",
        ),
        ("Which port does it listen on?", "port 3000 by default"),
        (
            "I lost the password, where is it?",
            "a random password is generated",
        ),
        ("How do I turn on HTTPS?", "SWML_SSL_ENABLED"),
        ("How can I check the server's health?", "GET /ready"),
        (
            "How do I write a SWAIG function?",
            "Search the documentation with search_faq",
        ),
    ];
    for (question, expected) in cases {
        let answer = platform_answer(data_map, question);
        assert!(answer.contains(expected), "{question}: {answer}");
    }
}

#[tokio::test]
async fn quick_answer_is_never_run_locally_whatever_its_arguments() {
    let faq = agent(&shipped(), "faq");
    let expected = json!({"response": "Data map function 'quick_answer' is executed by the platform, not locally"});
    for arguments in [
        json!({"question": "Which port?"}),
        json!({}),
        json!({"question": 5}),
    ] {
        assert_eq!(
            call_with_token(&faq, "quick_answer", arguments).await,
            expected
        );
    }
}

#[tokio::test]
async fn search_faq_answers_from_a_real_docs_index() {
    let root = tempfile::tempdir().unwrap();
    let faq = faq_over(Some(knowledge_in(root.path())));
    let reply = call_with_token(&faq, "search_faq", json!({"query": "install"})).await;
    let text = response(&reply);
    assert!(
        text.starts_with("Found 2 relevant results for 'install':"),
        "{text}"
    );
    assert!(text.contains("(from install.md"), "{text}");
    assert!(text.contains("cargo install swml-server"), "{text}");
    assert!(!text.contains("routes.md"), "{text}");
    let reply = call_with_token(&faq, "search_faq", json!({"query": "install", "count": 1})).await;
    assert!(response(&reply).starts_with("Found 1 relevant results for 'install':"));
    let reply = call_with_token(&faq, "search_faq", json!({"query": "weather forecast"})).await;
    assert_eq!(
        reply,
        json!({"response": "The documentation says nothing about 'weather forecast'. Tell the caller you do not know, and suggest the README."})
    );
}

#[tokio::test]
async fn search_faq_sends_bad_arguments_back_to_the_ai() {
    let root = tempfile::tempdir().unwrap();
    let faq = faq_over(Some(knowledge_in(root.path())));
    let cases = [
        (json!({}), "\"query\""),
        (json!({"query": ""}), "/query"),
        (json!({"query": "install", "count": 50}), "/count"),
    ];
    for (arguments, named) in cases {
        let reply = call_with_token(&faq, "search_faq", arguments.clone()).await;
        let text = response(&reply);
        assert!(
            text.starts_with("Invalid arguments for 'search_faq': ") && text.contains(named),
            "{arguments}: {text}"
        );
    }
}

#[tokio::test]
async fn search_faq_says_so_when_the_docs_index_is_not_available() {
    let unavailable = json!({"response": "The search index 'docs' is not available right now."});
    let no_service = faq_over(None);
    assert_eq!(
        call_with_token(&no_service, "search_faq", json!({"query": "install"})).await,
        unavailable
    );
    let empty = tempfile::tempdir().unwrap();
    let without_docs = faq_over(Some(Arc::new(loaded_from(empty.path().to_path_buf()))));
    assert_eq!(
        call_with_token(&without_docs, "search_faq", json!({"query": "install"})).await,
        unavailable
    );
}
