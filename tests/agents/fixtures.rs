//! Test agents that between them use every feature of the framework, so the schema tests cover
//! every rendering path.

use std::sync::Arc;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use swml_server::agent::skills::{DateTime, Math, PlayBackgroundFile, Search, SwmlTransfer};
use swml_server::agent::{
    Agent, CallEnd, Context, Contexts, DataMap, Foreach, FunctionResult, GatherInfo,
    GatherQuestion, Hint, History, Language, LlmParams, PomSection, Reset, Step, Tool, ToolCall,
    Webhook,
};
use swml_server::swml::verbs::{self, Answer, Direction, RecordCall, RecordFormat};

use crate::helpers::context;

/// Arguments of the typed `lookup_order` tool.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct LookupOrder {
    /// The order number, like A1.
    pub order_id: String,
    /// Include the order lines.
    pub details: Option<bool>,
}

pub(crate) fn lookup_order() -> Tool {
    Tool::typed(
        "lookup_order",
        "Look up an order by its number",
        |args: LookupOrder, call: &ToolCall| {
            let caller = call
                .get("caller_id_num")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            let lines = if args.details == Some(true) {
                " with 2 lines"
            } else {
                ""
            };
            FunctionResult::new(format!(
                "Order {}{lines} is on its way ({caller})",
                args.order_id
            ))
        },
    )
}

fn weather_map() -> DataMap {
    let mut params = Map::new();
    params.insert("q".into(), json!("${args.city}"));
    DataMap::new()
        .expression_with_nomatch(
            "${args.city}",
            "^(?i)atlantis$",
            FunctionResult::new("Atlantis has no weather"),
            FunctionResult::new("Checking the weather"),
        )
        .webhook(
            Webhook::get("https://weather.example.com/v1?city=${enc:args.city}")
                .header("X-Key", "k")
                .require_args(["city"])
                .params(params)
                .foreach(Foreach {
                    input_key: "days".into(),
                    output_key: "forecast".into(),
                    max: Some(3),
                    append: "${this.summary} ".into(),
                })
                .expression(
                    "${response.status}",
                    "^ok$",
                    FunctionResult::new("Forecast: ${forecast}"),
                )
                .output(
                    FunctionResult::new("It is ${response.temp} in ${args.city}")
                        .update_global_data(Map::from_iter([(
                            "city".to_string(),
                            json!("${args.city}"),
                        )])),
                )
                .error_keys(["error"]),
        )
        .webhook(
            Webhook::post("https://backup.example.com/weather")
                .form_param("payload")
                .body(json!({"city": "${args.city}"}))
                .input_args_as_params(true)
                .output(FunctionResult::new("Backup says ${response.temp}").connect(
                    "+15550001111",
                    false,
                    None,
                )),
        )
        .output(
            FunctionResult::new("The weather service is down")
                .play_background_file("hold.mp3", false),
        )
        .error_keys(["fault"])
}

fn contexts() -> Contexts {
    Contexts::new()
        .context(
            Context::new("default")
                .section(PomSection::new("Intake").body("Find out what the caller needs."))
                .enter_fillers("en-US", ["Let's start"])
                .initial_step("greet")
                .valid_contexts(["billing"])
                .step(
                    Step::new("greet")
                        .text("Greet the caller.")
                        .criteria("Greeted")
                        .valid_steps(["next"]),
                )
                .step(
                    Step::new("identify")
                        .section(PomSection::new("Task").bullets(["Ask for the order number"]))
                        .functions(["lookup_order", "check_time"])
                        .valid_steps(["greet", "wrap_up"])
                        .valid_contexts(["billing"])
                        .history(History::Keep)
                        .gather_info(GatherInfo {
                            questions: vec![GatherQuestion {
                                key: "order".into(),
                                question: "What is your order number?".into(),
                                kind: Some("string".into()),
                                confirm: true,
                                prompt: Some("Spell it back".into()),
                                functions: vec!["lookup_order".into()],
                            }],
                            prompt: Some("Collect the order".into()),
                            output_key: Some("order_info".into()),
                            completion_action: Some("next_step".into()),
                        }),
                )
                .step(
                    Step::new("wrap_up")
                        .text("Say goodbye.")
                        .no_functions()
                        .end(true)
                        .skip_user_turn(true),
                ),
        )
        .context(
            Context::new("billing")
                .text("You handle billing.")
                .isolated(true)
                .exit_fillers("en-US", ["Back to the main menu"])
                .system_prompt("You are a billing specialist")
                .user_prompt("I have a billing question")
                .consolidate(true)
                .full_reset(true)
                .post_prompt("Summarize the billing issue")
                .step(
                    Step::new("explain")
                        .text("Explain the bill.")
                        .skip_to_next_step(true)
                        .reset(Reset {
                            system_prompt: Some("Billing".into()),
                            user_prompt: None,
                            consolidate: true,
                            full_reset: false,
                        })
                        .valid_contexts(["default"]),
                ),
        )
}

fn tools(agent: swml_server::agent::AgentBuilder) -> swml_server::agent::AgentBuilder {
    agent
        .tool(
            lookup_order()
                .fillers("en-US", ["Let me check"])
                .fillers("es", ["Un momento"]),
        )
        .tool(
            Tool::untyped("transfer_to_human", "Transfer to a person")
                .param(
                    "reason",
                    json!({"type": "string", "enum": ["billing", "other"]}),
                    false,
                )
                .handler(|_: Value, _: &ToolCall| {
                    FunctionResult::new("Connecting you").connect(
                        "+15551234567",
                        true,
                        Some("+15550000000"),
                    )
                })
                .secure(false)
                .wait_file("audio/hold.mp3")
                .wait_file_loops(3)
                .extra("meta_data", json!({"team": "support"}))
                .extra("active", json!(true)),
        )
        .tool(
            Tool::untyped("slow_lookup", "A slow async lookup").async_handler(
                |_: Value, _: ToolCall| async {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    FunctionResult::new("done")
                },
            ),
        )
        .tool(
            Tool::untyped("get_weather", "Weather for a city")
                .param(
                    "city",
                    json!({"type": "string", "description": "City"}),
                    true,
                )
                .data_map(weather_map()),
        )
}

/// An agent using every feature the framework renders.
pub(crate) fn kitchen_sink() -> Arc<Agent> {
    let ctx = context();
    let agent = Agent::builder("kitchen_sink")
        .route("/kitchen/sink")
        .prompt_text("You are the kitchen sink.")
        .section(
            PomSection::new("Rules")
                .body("Follow them.")
                .bullets(["Be brief", "Be kind"])
                .numbered(true)
                .numbered_bullets(true)
                .subsection(PomSection::new("Nested").subsection(PomSection::new("Deeper").bullet("x"))),
        )
        .prompt_llm_params(LlmParams::new().temperature(0.4).top_p(0.9).confidence(0.6).presence_penalty(0.1).frequency_penalty(0.2).max_tokens(300))
        .post_prompt("Summarize the call as JSON")
        .post_prompt_llm_params(LlmParams::new().temperature(0.1))
        .language(Language::new("English", "en-US", "elevenlabs.josh:eleven_turbo_v2").speech_fillers(["um"]).function_fillers(["one moment"]))
        .language(Language::new("Spanish", "es-ES", "rime.spore"))
        .hints(["Acme", "SWAIG"])
        .hint(Hint::pattern("order", "ord(er)?", "order", true))
        .pronunciation("SQL", "sequel", Some(true))
        .pronunciation("API", "A P I", None)
        .param("ai_model", json!("gpt-4.1-mini"))
        .param("end_of_speech_timeout", json!(700))
        .global_data("company", json!("Acme"))
        .native_function("check_time")
        .native_function("wait_for_user")
        .include("https://tools.example.com/swaig", ["remote_tool"], Some(Map::from_iter([("k".to_string(), json!("v"))])))
        .internal_fillers("next_step", "en-US", ["Moving on"])
        .internal_fillers("next_step", "es", ["Siguiente"])
        .debug_events("https://debug.example.com/events", 1)
        .pre_answer_verb(verbs::play("https://cdn.example.com/ring.mp3"))
        .answer_config(Answer { max_duration: Some(3600), codecs: Some("PCMU".into()), ..Answer::default() })
        .recording(RecordCall { format: Some(RecordFormat::Wav), stereo: Some(false), direction: Some(Direction::Both), beep: Some(true), ..RecordCall::default() })
        .post_answer_verb(verbs::sleep(500))
        .post_ai_verb(verbs::hangup(None))
        .swaig_query_param("tenant", "acme")
        .contexts(contexts())
        .skill(DateTime, json!({}))
        .skill(Math, json!({}))
        .skill(Search::new(&ctx), json!({"index": "docs", "tool_name": "search_docs"}))
        .skill(Search::new(&ctx), json!({"index": "broken", "tool_name": "search_broken"}))
        .skill(SwmlTransfer, json!({"transfers": {
            "(?i)sales": {"destination": "+15559990000", "message": "Sending you to sales"},
            "(?i)support": {"destination": "https://swml.example.com/support", "final": false}
        }}))
        .skill(PlayBackgroundFile, json!({"files": [
            {"key": "jazz", "description": "some jazz", "url": "https://cdn.example.com/jazz.mp3"},
            {"key": "rain", "description": "rain sounds", "url": "https://cdn.example.com/rain.mp3", "wait": true}
        ]}))
        .on_summary(|summary: &swml_server::agent::Summary| summary.summary.clone())
        .on_call_end(|_: &CallEnd| {});
    tools(agent).build().expect("the kitchen sink builds")
}

/// The smallest agent: nothing but a name.
pub(crate) fn bare() -> Arc<Agent> {
    Agent::builder("bare").build().expect("builds")
}

/// An agent with auto-answer off and recording on with the defaults.
pub(crate) fn recorder() -> Arc<Agent> {
    Agent::builder("recorder")
        .route("/rec")
        .auto_answer(false)
        .record_call(true)
        .section(PomSection::new("Only a title"))
        .build()
        .expect("builds")
}
