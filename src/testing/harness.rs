//! An agent under test without a server: documents rendered and tools called through the same
//! functions the HTTP routes use (the per-request hook, token checks, the argument schema,
//! the handler under a deadline), only without HTTP, auth and signatures.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::calls::{swaig_request, token_in};
use crate::agent::post_prompt::{self, PostPromptError};
use crate::agent::{
    Agent, AgentBuilder, AgentError, AgentRegistry, Cutoff, DispatchError, PublicBase,
    RequestInput, TokenSigner, dispatch,
};

/// How long a handler may run in [`AgentHarness`] calls, as a server's request timeout would
/// allow; a test that hangs fails instead of waiting forever.
const HANDLER_DEADLINE: Duration = Duration::from_secs(10);

/// One agent, with the token signer a server would give it.
///
/// ```
/// use swml_server::agent::{Agent, FunctionResult, Tool, ToolCall};
/// use swml_server::testing::{AgentHarness, assert_valid_swml};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let agent = Agent::builder("echo").route("/echo").tool(
///     Tool::untyped("ping", "Answers pong").handler(|_: serde_json::Value, _: &ToolCall| "pong"),
/// );
/// let harness = AgentHarness::new(agent).expect("the agent builds");
/// assert_valid_swml(&harness.document_for_call("call-1"));
/// let reply = harness.call_tool("call-1", "ping", serde_json::json!({})).await;
/// assert_eq!(reply, serde_json::json!({"response": "pong"}));
/// # }
/// ```
pub struct AgentHarness {
    agent: Arc<Agent>,
    signer: TokenSigner,
}

impl AgentHarness {
    /// Builds `agent` (the errors a server would refuse to start with come back here) with a
    /// fresh random token secret.
    pub fn new(agent: AgentBuilder) -> Result<AgentHarness, AgentError> {
        Ok(AgentHarness::from_agent(
            agent.build()?,
            TokenSigner::random(),
        ))
    }

    /// A built agent with a given signer (the registry's, to test agents as `agents/mod.rs`
    /// registers them).
    pub fn from_agent(agent: Arc<Agent>, signer: TokenSigner) -> AgentHarness {
        AgentHarness { agent, signer }
    }

    /// The agent `name` of `registry` (e.g. `agents::registry(&context)`), with the registry's
    /// signer: the agent exactly as the server would host it. `None` when no agent has that
    /// name.
    pub fn from_registry(registry: &AgentRegistry, name: &str) -> Option<AgentHarness> {
        let agent = registry.get(name)?.clone();
        Some(AgentHarness::from_agent(
            agent,
            (**registry.signer()).clone(),
        ))
    }

    pub fn agent(&self) -> &Agent {
        &self.agent
    }

    pub fn signer(&self) -> &TokenSigner {
        &self.signer
    }

    /// The public base the documents are rendered for.
    pub fn base() -> PublicBase {
        PublicBase {
            plain: "https://agents.example.com".into(),
            with_credentials: "https://signalwire:password@agents.example.com".into(),
        }
    }

    /// The document for `input` (its body, query and headers, as the routes would pass them).
    /// Panics with the reason when the per-request hook fails.
    #[track_caller]
    pub fn render(&self, input: &RequestInput) -> Value {
        self.agent
            .render(input, &AgentHarness::base(), &self.signer)
            .unwrap_or_else(|error| {
                panic!("agent '{}' failed to render: {error}", self.agent.name())
            })
    }

    /// The document as a plain `GET` of the agent's route returns it: no call id, so no tokens.
    #[track_caller]
    pub fn document(&self) -> Value {
        self.render(&RequestInput::default())
    }

    /// The document as the platform fetches it when call `call_id` starts (a `POST` of
    /// `{"call": {"call_id": ...}}`), with tokens minted for that call.
    #[track_caller]
    pub fn document_for_call(&self, call_id: &str) -> Value {
        self.render(&RequestInput::new(json!({"call": {"call_id": call_id}})))
    }

    /// Calls `function` with `arguments` as the platform would in call `call_id`: the token is
    /// taken from the document rendered for that call (none for a function that is not
    /// secure), and every check of a real call applies. Answers the reply the AI would read.
    pub async fn call_tool(&self, call_id: &str, function: &str, arguments: Value) -> Value {
        let document = self.document_for_call(call_id);
        let mut input = RequestInput::new(swaig_request(function, arguments, call_id));
        if let Some(token) = token_in(&document, function) {
            input = input.with_query("__token", token);
        }
        self.dispatch(input)
            .await
            .unwrap_or_else(|error| panic!("'{function}' is not a valid SWAIG call: {error}"))
    }

    /// Dispatches a SWAIG request as given (body, query with `__token`, headers), for tests of
    /// what a wrong or missing token, or a malformed body, is answered.
    pub async fn dispatch(&self, input: RequestInput) -> Result<Value, DispatchError> {
        let cutoff = Cutoff::at(Instant::now() + HANDLER_DEADLINE);
        dispatch(&self.agent, Some(&self.signer), input, cutoff).await
    }

    /// Posts an end-of-call summary for call `call_id`, with the post-prompt token the
    /// document carries, as the platform does. `summary` is what the AI answered the
    /// post-prompt (`post_prompt_data.parsed[0]`). Answers what the platform would receive.
    pub async fn post_summary(
        &self,
        call_id: &str,
        summary: Value,
    ) -> Result<Value, PostPromptError> {
        let document = self.document_for_call(call_id);
        let body = json!({"call_id": call_id, "post_prompt_data": {
            "raw": summary.to_string(), "parsed": [summary]}});
        let mut input = RequestInput::new(body);
        if let Some(token) = super::calls::post_prompt_token_in(&document) {
            input = input.with_query("__token", token);
        }
        let cutoff = Cutoff::at(Instant::now() + HANDLER_DEADLINE);
        post_prompt::intake(&self.agent, &self.signer, input, cutoff).await
    }
}
