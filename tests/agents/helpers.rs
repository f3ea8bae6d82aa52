//! Shared test fixtures: the SWML schema (compiled once per binary), the *beyond schema*
//! stripping of agents.md, a fake search service, and helpers to render and dispatch.

use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};
use swml_server::agent::{
    Agent, AgentContext, Cutoff, KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery,
    KnowledgeSearch, PublicBase, RequestInput, TokenSigner, dispatch,
};

pub const SECRET: &str = "test-swaig-secret";

/// The official schema, compiled once: compiling it is the slow part.
pub fn swml_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(include_str!("../fixtures/swml-schema.json"))
            .expect("schema JSON");
        jsonschema::validator_for(&schema).expect("the SWML schema compiles")
    })
}

const CONTEXT_EXTRAS: &[&str] = &[
    "valid_contexts",
    "initial_step",
    "system_prompt",
    "user_prompt",
    "consolidate",
    "full_reset",
    "post_prompt",
];
const STEP_EXTRAS: &[&str] = &["skip_to_next_step", "history", "reset", "gather_info"];

fn remove(object: &mut Value, keys: &[&str]) {
    if let Some(object) = object.as_object_mut() {
        for key in keys {
            object.remove(*key);
        }
    }
}

/// Keeps the first language of a fillers object (several are beyond schema).
fn first_language_only(fillers: &mut Value) {
    if let Some(object) = fillers.as_object_mut() {
        let keep: Vec<String> = object.keys().skip(1).cloned().collect();
        for key in keep {
            object.remove(&key);
        }
    }
}

/// `transfer` next to `SWML` in a DataMap output's actions is beyond schema.
fn strip_output(output: &mut Value) {
    if let Some(actions) = output.get_mut("action").and_then(Value::as_array_mut) {
        for action in actions {
            if action.get("SWML").is_some() {
                remove(action, &["transfer"]);
            }
        }
    }
}

fn strip_expressions(holder: &mut Value) {
    if let Some(expressions) = holder.get_mut("expressions").and_then(Value::as_array_mut) {
        for expression in expressions {
            remove(expression, &["nomatch-output"]);
            if let Some(output) = expression.get_mut("output") {
                strip_output(output);
            }
        }
    }
}

fn strip_data_map(data_map: &mut Value) {
    remove(data_map, &["error_keys"]);
    strip_expressions(data_map);
    if let Some(output) = data_map.get_mut("output") {
        strip_output(output);
    }
    if let Some(webhooks) = data_map.get_mut("webhooks").and_then(Value::as_array_mut) {
        for webhook in webhooks {
            remove(webhook, &["form_param", "body"]);
            strip_expressions(webhook);
            if let Some(output) = webhook.get_mut("output") {
                strip_output(output);
            }
        }
    }
}

/// A copy of `document` without the keys agents.md marks *beyond schema* (and nothing else).
pub fn strip_beyond_schema(document: &Value) -> Value {
    let mut document = document.clone();
    let Some(main) = document
        .pointer_mut("/sections/main")
        .and_then(Value::as_array_mut)
    else {
        return document;
    };
    for verb in main {
        let Some(ai) = verb.get_mut("ai") else {
            continue;
        };
        if let Some(contexts) = ai
            .pointer_mut("/prompt/contexts")
            .and_then(Value::as_object_mut)
        {
            for context in contexts.values_mut() {
                remove(context, CONTEXT_EXTRAS);
                for step in context
                    .get_mut("steps")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    remove(step, STEP_EXTRAS);
                }
            }
        }
        let Some(swaig) = ai.get_mut("SWAIG") else {
            continue;
        };
        if let Some(fillers) = swaig
            .get_mut("internal_fillers")
            .and_then(Value::as_object_mut)
        {
            fillers.values_mut().for_each(first_language_only);
        }
        for function in swaig
            .get_mut("functions")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(fillers) = function.get_mut("fillers") {
                first_language_only(fillers);
            }
            if let Some(data_map) = function.get_mut("data_map") {
                strip_data_map(data_map);
            }
        }
    }
    document
}

/// Fails with every schema error when `document` (stripped) does not validate.
pub fn assert_valid_swml(document: &Value) {
    let stripped = strip_beyond_schema(document);
    let errors: Vec<String> = swml_validator()
        .iter_errors(&stripped)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "document does not validate:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(&stripped).unwrap_or_default()
    );
}

/// Asserts an embedded SWML document (from a SWAIG action) validates.
pub fn assert_valid_embedded(action: &Value) {
    let document = action.get("SWML").expect("an SWML action");
    assert!(swml_validator().is_valid(document), "{document}");
}

pub fn signer() -> TokenSigner {
    TokenSigner::new(SECRET)
}

pub fn base() -> PublicBase {
    PublicBase {
        plain: "https://agents.example.com".into(),
        with_credentials: "https://user:p%40ss@agents.example.com".into(),
    }
}

/// A stand-in for the search service: `docs` knows about installing, `broken` fails, other
/// indexes are not loaded.
pub struct FakeKnowledge;

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

pub fn context() -> AgentContext {
    AgentContext::with_signer(signer()).with_knowledge(Arc::new(FakeKnowledge))
}

/// The document `agent` renders for `body` (and query pairs).
pub fn render_with(agent: &Agent, body: Value, query: &[(&str, &str)]) -> Value {
    let mut input = RequestInput::new(body);
    for (name, value) in query {
        input = input.with_query(*name, *value);
    }
    agent.render(&input, &base(), &signer()).expect("renders")
}

pub fn render(agent: &Agent, body: Value) -> Value {
    render_with(agent, body, &[])
}

/// The `ai` verb of a document.
pub fn ai_of(document: &Value) -> Value {
    document["sections"]["main"]
        .as_array()
        .and_then(|main| main.iter().find_map(|verb| verb.get("ai")))
        .cloned()
        .expect("an ai verb")
}

/// A SWAIG call of `function` with `arguments`, in call `call_id`.
pub fn swaig_body(function: &str, arguments: Value, call_id: &str) -> Value {
    json!({"function": function, "call_id": call_id,
           "argument": {"parsed": [arguments], "raw": arguments.to_string()}})
}

/// Dispatches with the test signer and a token minted for `function` in `call_id`.
pub async fn call_with_token(agent: &Agent, function: &str, arguments: Value) -> Value {
    let token = signer().mint("call-1", function);
    let input =
        RequestInput::new(swaig_body(function, arguments, "call-1")).with_query("__token", token);
    dispatch(agent, Some(&signer()), input, Cutoff::none())
        .await
        .expect("a SWAIG call")
}

/// Dispatches `input` with the test signer and a 2 s deadline.
pub async fn call_input(agent: &Agent, input: RequestInput) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    dispatch(agent, Some(&signer()), input, Cutoff::at(deadline))
        .await
        .expect("a SWAIG call")
}
