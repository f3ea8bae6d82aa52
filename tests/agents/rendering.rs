//! The shape of rendered documents: verb order, prompts, callback URLs and minted tokens.

use serde_json::{Value, json};
use swml_server::agent::{Agent, PomSection, Tool, ToolCall};
use swml_server::swml::verbs;

use crate::fixtures::{bare, kitchen_sink, recorder};
use crate::helpers::{ai_of, render, render_with, signer};

fn verb_names(document: &Value) -> Vec<String> {
    document["sections"]["main"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|verb| verb.as_object()?.keys().next().cloned())
        .collect()
}

/// The `__token` of a URL, decoded.
fn token_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    parsed
        .query_pairs()
        .find(|(name, _)| name == "__token")
        .map(|(_, value)| value.into_owned())
}

#[test]
fn verbs_come_in_the_documented_order() {
    let document = render(&kitchen_sink(), json!(null));
    assert_eq!(
        verb_names(&document),
        ["play", "answer", "record_call", "sleep", "ai", "hangup"]
    );
    assert_eq!(
        document["sections"]["main"][1],
        json!({"answer": {"max_duration": 3600, "codecs": "PCMU"}})
    );
}

#[test]
fn a_bare_agent_answers_and_uses_the_default_prompt() {
    let document = render(&bare(), json!(null));
    assert_eq!(
        document,
        json!({"version": "1.0.0", "sections": {"main": [
            {"answer": {}},
            {"ai": {"prompt": {"text": "You are bare, a helpful AI assistant."}, "params": {}}}
        ]}})
    );
}

#[test]
fn recording_defaults_to_stereo_mp4_and_answer_can_be_off() {
    let document = render(&recorder(), json!(null));
    assert_eq!(verb_names(&document), ["record_call", "ai"]);
    assert_eq!(
        document["sections"]["main"][0],
        json!({"record_call": {"format": "mp4", "stereo": true}})
    );
    assert_eq!(
        ai_of(&document)["prompt"],
        json!({"pom": [{"title": "Only a title", "body": ""}]})
    );
}

#[test]
fn an_agent_with_an_empty_prompt_text_falls_back_to_the_default() {
    let agent = Agent::builder("quiet").prompt_text("").build().unwrap();
    assert_eq!(
        ai_of(&render(&agent, json!(null)))["prompt"],
        json!({"text": "You are quiet, a helpful AI assistant."})
    );
}

#[test]
fn prompt_llm_params_and_contexts_sit_beside_the_prompt() {
    let ai = ai_of(&render(&kitchen_sink(), json!(null)));
    let prompt = ai["prompt"].as_object().unwrap();
    let keys: Vec<&str> = prompt.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "pom",
            "contexts",
            "temperature",
            "top_p",
            "confidence",
            "presence_penalty",
            "frequency_penalty",
            "max_tokens"
        ]
    );
    assert_eq!(
        prompt["pom"][0],
        json!({"body": "You are the kitchen sink."})
    );
    assert_eq!(
        ai["post_prompt"],
        json!({"text": "Summarize the call as JSON", "temperature": 0.1})
    );
}

#[test]
fn without_a_call_id_no_token_is_minted() {
    let ai = ai_of(&render(&kitchen_sink(), json!(null)));
    assert_eq!(
        ai["post_prompt_url"],
        "https://user:p%40ss@agents.example.com/kitchen/sink/post_prompt/?tenant=acme"
    );
    assert_eq!(
        ai["SWAIG"]["defaults"]["web_hook_url"],
        "https://user:p%40ss@agents.example.com/kitchen/sink/swaig/?tenant=acme"
    );
    let functions = ai["SWAIG"]["functions"].as_array().unwrap();
    assert!(functions.iter().all(|f| f.get("web_hook_url").is_none()));
}

#[test]
fn with_a_call_id_each_secure_function_gets_its_own_token() {
    for body in [
        json!({"call_id": "c.1"}),
        json!({"call": {"call_id": "c.1"}}),
    ] {
        let ai = ai_of(&render(&kitchen_sink(), body));
        for function in ai["SWAIG"]["functions"].as_array().unwrap() {
            let name = function["function"].as_str().unwrap();
            let url = function.get("web_hook_url").and_then(Value::as_str);
            match name {
                "transfer_to_human" | "get_weather" | "transfer_call" | "play_background_file" => {
                    assert!(
                        url.is_none(),
                        "{name} is not secure or runs on the platform"
                    )
                }
                _ => {
                    let url = url.unwrap_or_else(|| panic!("{name} has a web_hook_url"));
                    assert!(url.starts_with(
                        "https://user:p%40ss@agents.example.com/kitchen/sink/swaig/?__token="
                    ));
                    assert!(url.ends_with("&tenant=acme"));
                    let token = token_of(url).unwrap();
                    assert_eq!(signer().verify(Some(&token), "c.1", name), Ok(()), "{name}");
                }
            }
        }
        let token = token_of(ai["post_prompt_url"].as_str().unwrap()).unwrap();
        assert_eq!(signer().verify(Some(&token), "c.1", "post_prompt"), Ok(()));
    }
}

#[test]
fn the_call_id_may_come_from_the_query_string() {
    let ai = ai_of(&render_with(
        &kitchen_sink(),
        json!(null),
        &[("call_id", "q-1")],
    ));
    let functions = ai["SWAIG"]["functions"].as_array().unwrap();
    let lookup = functions
        .iter()
        .find(|f| f["function"] == "lookup_order")
        .unwrap();
    let url = lookup["web_hook_url"].as_str().unwrap();
    assert_eq!(
        signer().verify(token_of(url).as_deref(), "q-1", "lookup_order"),
        Ok(())
    );
}

#[test]
fn relative_wait_files_are_made_absolute_against_the_public_base() {
    let ai = ai_of(&render(&kitchen_sink(), json!(null)));
    let transfer = ai["SWAIG"]["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["function"] == "transfer_to_human")
        .unwrap()
        .clone();
    assert_eq!(
        transfer["wait_file"],
        "https://agents.example.com/audio/hold.mp3"
    );
    assert_eq!(transfer["wait_file_loops"], 3);
    let keys: Vec<&String> = transfer.as_object().unwrap().keys().collect();
    assert_eq!(
        keys.last().map(|k| k.as_str()),
        Some("active"),
        "extras come last"
    );
}

#[test]
fn an_agent_at_the_root_builds_urls_without_a_double_slash() {
    let agent = Agent::builder("root")
        .tool(Tool::untyped("ping", "Ping").handler(|_: Value, _: &ToolCall| "pong"))
        .post_prompt("Summarize")
        .build()
        .unwrap();
    let ai = ai_of(&render(&agent, json!(null)));
    assert_eq!(
        ai["SWAIG"]["defaults"]["web_hook_url"],
        "https://user:p%40ss@agents.example.com/swaig/"
    );
    assert_eq!(
        ai["post_prompt_url"],
        "https://user:p%40ss@agents.example.com/post_prompt/"
    );
}

#[test]
fn the_swaig_block_is_left_out_when_there_is_nothing_in_it() {
    let ai = ai_of(&render(&bare(), json!(null)));
    assert!(ai.get("SWAIG").is_none());
    let agent = Agent::builder("native")
        .native_function("check_time")
        .build()
        .unwrap();
    let ai = ai_of(&render(&agent, json!(null)));
    assert_eq!(ai["SWAIG"], json!({"native_functions": ["check_time"]}));
}

#[test]
fn call_flow_verbs_and_pom_sections_can_be_added_through_configure() {
    let agent = Agent::builder("flow")
        .configure(|config| {
            config
                .add_pre_answer_verb(verbs::play("say:Hello"))
                .add_section(PomSection::new("A").body("a"));
        })
        .build()
        .unwrap();
    let document = render(&agent, json!(null));
    assert_eq!(verb_names(&document), ["play", "answer", "ai"]);
    assert_eq!(
        ai_of(&document)["prompt"],
        json!({"pom": [{"title": "A", "body": "a"}]})
    );
}
