//! `ivr` at `/ivr`: a plain SWML service, no AI. It answers, offers a menu by keypad or voice,
//! and hands the caller to the shipped agents: 1 or "sales" to the receptionist, 2 or "support"
//! to the FAQ bot, 3 or "appointment" to the appointments agent; 4 or "hours" reads the opening
//! hours, which the service's own SWAIG function `opening_hours` answers through a `request`
//! verb. A caller who picks nothing hears the menu three times, then a goodbye.
//!
//! The sections that transfer to an agent get their URL per request (the public base the
//! platform reached this server at, credentials included); the rest of the document is fixed.

use serde_json::{Value, json};
use swml_server::agent::{AgentContext, FunctionResult, SwmlService, Tool, ToolCall};
use swml_server::swml::Verb;
use swml_server::swml::verbs::{
    Answer, Cond, Execute, Goto, Hangup, Label, Play, Prompt, Request, RequestMethod, Return,
    Transfer,
};

/// Menu choice, section, and the agent route it transfers to (`None`: handled here).
const CHOICES: &[(&str, &str, &str, Option<&str>)] = &[
    ("1", "sales", "to_sales", Some("/receptionist")),
    ("2", "support", "to_support", Some("/faq")),
    ("3", "appointment", "to_appointments", Some("/appointments")),
    ("4", "hours", "hours", None),
];

const MENU: &str = "say:For sales, press 1 or say sales. For support, press 2 or say support. \
                    To book an appointment, press 3. For our opening hours, press 4.";

/// The `cond` branch of one choice: the digit, or the spoken word anywhere in the answer.
fn condition(digit: &str, word: &str) -> String {
    format!("prompt_value == '{digit}' || prompt_value.toLowerCase().includes('{word}')")
}

fn menu() -> Vec<Verb> {
    let mut choices = Cond::new();
    for (digit, word, section, agent) in CHOICES {
        let jump: Verb = match agent {
            Some(_) => Transfer::new(*section).into(),
            None => Execute::new(*section).into(),
        };
        choices = choices.when(condition(digit, word), [jump]);
    }
    vec![
        Label("menu".into()).into(),
        Prompt::new([MENU])
            .max_digits(1)
            .initial_timeout(6.0)
            .speech_hints(CHOICES.iter().map(|(_, word, _, _)| *word))
            .into(),
        choices.into(),
        Goto::new("menu").max(2).into(),
        Play::say("Thank you for calling Example Corp. Goodbye.").into(),
        Hangup::new().into(),
    ]
}

/// The body the `request` verb posts to `R/swaig`: a SWAIG call, as the platform would make it.
fn hours_call(call_id: Option<&str>) -> Value {
    json!({"function": "opening_hours", "call_id": call_id.unwrap_or(""),
           "argument": {"parsed": [{}], "raw": "{}"}})
}

fn opening_hours() -> Tool {
    Tool::untyped("opening_hours", "The opening hours of Example Corp").handler(
        |_: Value, _: &ToolCall| {
            FunctionResult::new(
                "We are open Monday to Friday, 9 AM to 6 PM, and Saturday, 10 AM to 2 PM.",
            )
        },
    )
}

pub fn service(_context: &AgentContext) -> SwmlService {
    let mut service = SwmlService::new("ivr")
        .route("/ivr")
        .sip_username("menu")
        .verb(Answer::default())
        .verb(Play::say("Welcome to Example Corp."))
        .verb(Transfer::new("main_menu"))
        .section("main_menu", menu())
        .section(
            "hours",
            [
                Verb::from(Play::say("${request_response.response}")),
                Return(json!("hours")).into(),
            ],
        )
        .tool(opening_hours());
    for (_, _, section, agent) in CHOICES {
        if agent.is_some() {
            service = service.section(section, [Play::say("Connecting you now.")]);
        }
    }
    service.per_request(|request, document| {
        for (_, _, section, agent) in CHOICES {
            if let Some(route) = agent {
                document.push_to(section, Transfer::new(request.url(route)).into());
            }
        }
        let ask = Request::new(request.swaig_url("opening_hours"), RequestMethod::Post)
            .body(hours_call(request.call_id()))
            .save_variables(true)
            .timeout(5.0);
        document.verbs_mut("hours").insert(0, ask.into());
    })
}
