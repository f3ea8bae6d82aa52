//! The test kit for agent authors: everything needed to test an agent, without a server or with
//! one, in a test file of this crate (`tests/agents/`).
//!
//! - [`AgentHarness`]: an agent without a server. Render its document for a call, call a tool
//!   with the token that document carries, post a summary; every check of a real call applies
//!   (per-request hook, token, argument schema, deadline), only HTTP is left out.
//! - [`TestServer`]: the real server (every security layer) on a free 127.0.0.1 port, called
//!   over HTTP as the platform calls it.
//! - [`assert_valid_swml`]: the document against the official SWML schema.
//! - [`swaig_request`], [`token_in`], [`callback_url`], [`function_in`]...: the platform's side
//!   of a call, to build requests by hand (a wrong token, a malformed body).
//!
//! ```
//! use schemars::JsonSchema;
//! use serde::Deserialize;
//! use serde_json::json;
//! use swml_server::agent::{Agent, FunctionResult, Tool, ToolCall};
//! use swml_server::testing::{AgentHarness, assert_valid_swml, function_in};
//!
//! #[derive(Deserialize, JsonSchema)]
//! struct Greeting {
//!     /// Who to greet.
//!     #[schemars(length(min = 1, max = 40))]
//!     name: String,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let greeter = Agent::builder("greeter").route("/greeter").tool(Tool::typed(
//!     "greet",
//!     "Greet someone by name",
//!     |args: Greeting, _: &ToolCall| FunctionResult::new(format!("Hello, {}!", args.name)),
//! ));
//! let harness = AgentHarness::new(greeter).expect("builds");
//! let document = harness.document_for_call("call-1");
//! assert_valid_swml(&document);
//! let name = &function_in(&document, "greet").unwrap()["parameters"]["properties"]["name"];
//! assert_eq!(name["description"], "Who to greet. 1 to 40 characters.");
//! let reply = harness.call_tool("call-1", "greet", json!({"name": "Ada"})).await;
//! assert_eq!(reply, json!({"response": "Hello, Ada!"}));
//! let reply = harness.call_tool("call-1", "greet", json!({"name": ""})).await;
//! assert!(reply["response"].as_str().unwrap().starts_with("Invalid arguments for 'greet'"));
//! # }
//! ```

mod calls;
mod harness;
mod schema;
mod server;

pub use calls::{
    ai_verb, callback_url, function_in, post_prompt_token_in, post_prompt_url, swaig_request,
    token_in,
};
pub use harness::AgentHarness;
pub use schema::{
    assert_valid_embedded_swml, assert_valid_swml, strip_beyond_schema, swml_errors, swml_validator,
};
pub use server::{Answer, TEST_PASSWORD, TEST_USER, TestServer, TestServerError};
