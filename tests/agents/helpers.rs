//! Shared test fixtures: the SWML schema check (from the public test kit), a fake search
//! service, and helpers to render and dispatch.

use std::sync::Arc;

use serde_json::{Value, json};
use swml_server::agent::{
    Agent, AgentContext, Cutoff, KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery,
    KnowledgeSearch, PublicBase, RequestInput, TokenSigner, dispatch,
};

pub(crate) const SECRET: &str = "test-swaig-secret";

pub(crate) use swml_server::testing::{assert_valid_swml, swml_validator};

/// Asserts an embedded SWML document (from a SWAIG action) validates.
pub(crate) fn assert_valid_embedded(action: &Value) {
    swml_server::testing::assert_valid_embedded_swml(action);
}

pub(crate) fn signer() -> TokenSigner {
    TokenSigner::new(SECRET)
}

pub(crate) fn base() -> PublicBase {
    PublicBase {
        plain: "https://agents.example.com".into(),
        with_credentials: "https://user:p%40ss@agents.example.com".into(),
    }
}

/// A stand-in for the search service: `docs` knows about installing, `broken` fails, other
/// indexes are not loaded.
pub(crate) struct FakeKnowledge;

impl KnowledgeSearch for FakeKnowledge {
    fn search(&self, query: KnowledgeQuery) -> KnowledgeAnswer {
        let KnowledgeQuery {
            index,
            query,
            count,
            ..
        } = query;
        let answer = match index.as_str() {
            "docs" if query.contains("install") => Ok((1..=count.min(2))
                .map(|i| KnowledgeHit {
                    content: format!("Install step {i}."),
                    score: 1.0 / i as f32,
                    filename: "guide/install.md".into(),
                    section: (i == 1).then(|| "Install > Linux".to_string()),
                })
                .collect()),
            "docs" => Ok(Vec::new()),
            "broken" => Err(KnowledgeError::Failed("disk on fire".into())),
            _ => Err(KnowledgeError::IndexNotLoaded(index)),
        };
        Box::pin(std::future::ready(answer))
    }

    fn has_index(&self, index: &str) -> bool {
        matches!(index, "docs" | "broken")
    }
}

pub(crate) fn context() -> AgentContext {
    AgentContext::with_signer(signer()).with_knowledge(Arc::new(FakeKnowledge))
}

/// The document `agent` renders for `body` (and query pairs).
pub(crate) fn render_with(agent: &Agent, body: Value, query: &[(&str, &str)]) -> Value {
    let mut input = RequestInput::new(body);
    for (name, value) in query {
        input = input.with_query(*name, *value);
    }
    agent.render(&input, &base(), &signer()).expect("renders")
}

pub(crate) fn render(agent: &Agent, body: Value) -> Value {
    render_with(agent, body, &[])
}

/// The `ai` verb of a document.
pub(crate) fn ai_of(document: &Value) -> Value {
    document["sections"]["main"]
        .as_array()
        .and_then(|main| main.iter().find_map(|verb| verb.get("ai")))
        .cloned()
        .expect("an ai verb")
}

/// A SWAIG call of `function` with `arguments`, in call `call_id`.
pub(crate) fn swaig_body(function: &str, arguments: Value, call_id: &str) -> Value {
    json!({"function": function, "call_id": call_id,
           "argument": {"parsed": [arguments], "raw": arguments.to_string()}})
}

/// Dispatches with the test signer and a token minted for `function` in `call_id`.
pub(crate) async fn call_with_token(agent: &Agent, function: &str, arguments: Value) -> Value {
    let token = signer().mint("call-1", function);
    let input =
        RequestInput::new(swaig_body(function, arguments, "call-1")).with_query("__token", token);
    dispatch(agent, Some(&signer()), input, Cutoff::none())
        .await
        .expect("a SWAIG call")
}

/// Dispatches `input` with the test signer and a 2 s deadline.
pub(crate) async fn call_input(agent: &Agent, input: RequestInput) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    dispatch(agent, Some(&signer()), input, Cutoff::at(deadline))
        .await
        .expect("a SWAIG call")
}
