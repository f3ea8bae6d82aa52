//! `FaqBot`: fixed answers as a DataMap the platform runs, then the knowledge search through the
//! `search` skill and the `KnowledgeSearch` service.

use std::sync::Arc;

use serde_json::json;
use swml_server::agent::prefabs::{Faq, FaqBot};
use swml_server::agent::skills::Search;
use swml_server::agent::{KnowledgeAnswer, KnowledgeHit, KnowledgeQuery, KnowledgeSearch};
use swml_server::testing::function_in;

use super::{harness, said};

/// A search service over one fixed chunk, answering every query of index `faq`.
struct OneChunk;

impl KnowledgeSearch for OneChunk {
    fn search(&self, query: KnowledgeQuery) -> KnowledgeAnswer {
        let hits = if query.index == "faq" {
            vec![KnowledgeHit {
                content: "Dogs are welcome in the garden rooms.".into(),
                score: 0.9,
                filename: "pets.md".into(),
                section: None,
            }]
        } else {
            Vec::new()
        };
        Box::pin(async move { Ok(hits) })
    }

    fn has_index(&self, index: &str) -> bool {
        index == "faq"
    }
}

fn bot() -> FaqBot {
    FaqBot::new("help", "/help", "the Grand Hotel")
        .faq(Faq::new(r"(?i)\bcheck.?out\b", "Check-out is at eleven.").topic("check-out"))
        .faq(Faq::new(r"(?i)\bbreakfast\b", "Breakfast is served from seven.").topic("breakfast"))
}

#[tokio::test]
async fn the_faq_bot_puts_fixed_answers_in_a_datamap_and_searches_the_rest() {
    let service: Arc<dyn KnowledgeSearch> = Arc::new(OneChunk);
    let agent = bot()
        .knowledge(Search::with_service(Some(service)), "faq", 2)
        .into_builder()
        .unwrap();
    let harness = harness(agent);
    assert_eq!(harness.agent().tool_names(), ["quick_answer", "search_faq"]);
    let document = harness.document_for_call("faq-1");
    let quick = function_in(&document, "quick_answer").unwrap();
    assert_eq!(
        quick["description"],
        json!("Instant answers to common questions about the Grand Hotel: check-out, breakfast")
    );
    let expressions = quick["data_map"]["expressions"].as_array().unwrap();
    assert_eq!(expressions.len(), 2);
    assert_eq!(
        expressions[1]["output"]["response"],
        json!("Breakfast is served from seven.")
    );
    assert!(
        quick["data_map"]["output"]["response"]
            .as_str()
            .unwrap()
            .contains("search_faq")
    );
    let found = harness
        .call_tool("faq-1", "search_faq", json!({"query": "dogs"}))
        .await;
    assert!(
        said(&found).contains("Dogs are welcome in the garden rooms."),
        "{found}"
    );
}

#[tokio::test]
async fn an_faq_bot_without_knowledge_answers_only_its_fixed_questions() {
    let harness = harness(
        bot()
            .fallback("offer the front desk")
            .into_builder()
            .unwrap(),
    );
    assert_eq!(harness.agent().tool_names(), ["quick_answer"]);
    let document = harness.document_for_call("faq-2");
    let quick = function_in(&document, "quick_answer").unwrap();
    assert_eq!(
        quick["data_map"]["output"]["response"],
        json!("There is no fixed answer for that. Offer the front desk.")
    );
    assert!(
        document
            .to_string()
            .contains("If neither tool knows, offer the front desk.")
    );
}

#[test]
fn an_faq_bot_with_nothing_to_answer_from_or_a_bad_pattern_is_refused() {
    let empty = FaqBot::new("help", "/help", "x")
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        empty.to_string(),
        "agent 'help': prefab 'faq_bot': it needs fixed answers or knowledge to search"
    );
    let broken = FaqBot::new("help", "/help", "x")
        .faq(Faq::new("(unclosed", "answer"))
        .into_builder()
        .err()
        .unwrap();
    assert!(
        broken.to_string().starts_with(
            "agent 'help': prefab 'faq_bot': pattern \"(unclosed\" is not a regular expression"
        ),
        "{broken}"
    );
}
