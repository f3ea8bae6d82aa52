//! A real server for agent tests: the production assembly (`Application::build`, every security
//! layer) on a free 127.0.0.1 port, with a known password, called over HTTP with reqwest the way
//! the platform calls it: fetch the document for a call, call a tool at the URL the document
//! gives (credentials and token included), post the summary to the post-prompt URL.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::calls::{callback_url, post_prompt_url, swaig_request};
use crate::agent::{
    AgentBuilder, AgentContext, AgentError, AgentMount, AgentRegistry, TokenSigner,
};
use crate::config::Settings;
use crate::server::{Application, RouteMount, ShutdownHandle};

/// The basic-auth user of a [`TestServer`].
pub const TEST_USER: &str = "signalwire";
/// The basic-auth password of a [`TestServer`].
pub const TEST_PASSWORD: &str = "agent-test-password";

/// Why a [`TestServer`] did not start or a request to it failed.
#[derive(Debug, thiserror::Error)]
pub enum TestServerError {
    #[error("the agents are invalid: {0}")]
    Agents(#[from] AgentError),
    #[error("the test settings are invalid: {0}")]
    Settings(String),
    #[error("the server did not start: {0}")]
    Startup(String),
    #[error("the server never answered /ready")]
    NeverReady,
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{0}")]
    Document(String),
}

/// A running server. Start it inside the actix runtime (`#[actix_web::test]`); [`stop`] it at
/// the end of the test (dropping it leaves it running until the runtime ends).
///
/// [`stop`]: TestServer::stop
pub struct TestServer {
    address: String,
    client: reqwest::Client,
    shutdown: ShutdownHandle,
}

/// What the server answered: the status and the JSON body (`Null` when not JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl TestServer {
    /// Serves one agent, with a fresh random token secret.
    pub async fn start_agent(agent: AgentBuilder) -> Result<TestServer, TestServerError> {
        let context = AgentContext::with_signer(TokenSigner::random());
        let registry = AgentRegistry::builder().agent(agent).build(&context)?;
        TestServer::start(registry).await
    }

    /// Serves every agent of `registry` (e.g. `agents::registry(&context)`), and waits until
    /// `/ready` says ready.
    pub async fn start(registry: AgentRegistry) -> Result<TestServer, TestServerError> {
        let settings = Settings::from_env([
            ("HOST", "127.0.0.1"),
            ("PORT", "0"),
            ("SWML_BASIC_AUTH_USER", TEST_USER),
            ("SWML_BASIC_AUTH_PASSWORD", TEST_PASSWORD),
            ("SWML_RATE_LIMIT", "0"),
            ("SWML_WORKERS", "1"),
            ("SWML_DRAIN_DELAY", "0"),
            ("SWML_SHUTDOWN_GRACE", "1"),
        ])
        .map_err(|error| TestServerError::Settings(error.to_string()))?;
        let mount: Arc<dyn RouteMount> = Arc::new(AgentMount::new(registry, &settings));
        let app = Application::build(settings, vec![mount])
            .map_err(|error| TestServerError::Startup(error.to_string()))?;
        let server = TestServer {
            address: format!("http://127.0.0.1:{}", app.port()),
            client: reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
            shutdown: app.shutdown_handle(),
        };
        actix_web::rt::spawn(app.run_until_stopped());
        server.wait_until_ready().await?;
        Ok(server)
    }

    async fn wait_until_ready(&self) -> Result<(), TestServerError> {
        for _ in 0..500 {
            let ready = self.client.get(self.url("/ready")).send().await;
            if ready.is_ok_and(|response| response.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Err(TestServerError::NeverReady)
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A `GET` of `path` with the server's credentials.
    pub async fn get(&self, path: &str) -> Result<Answer, TestServerError> {
        let request = self.client.get(self.url(path));
        answer(request.basic_auth(TEST_USER, Some(TEST_PASSWORD))).await
    }

    /// A `POST` of `body` as JSON to `url` (a path, or a full URL from a document, whose
    /// credentials reqwest sends as basic auth).
    pub async fn post(&self, url: &str, body: &Value) -> Result<Answer, TestServerError> {
        let request = match url.starts_with('/') {
            true => self
                .client
                .post(self.url(url))
                .basic_auth(TEST_USER, Some(TEST_PASSWORD)),
            false => self.client.post(url),
        };
        answer(request.json(body)).await
    }

    /// The document of the agent at `route` as the platform fetches it when call `call_id`
    /// starts.
    pub async fn document_for_call(
        &self,
        route: &str,
        call_id: &str,
    ) -> Result<Value, TestServerError> {
        let answer = self
            .post(route, &json!({"call": {"call_id": call_id}}))
            .await?;
        match answer.status {
            200 => Ok(answer.body),
            status => Err(TestServerError::Document(format!(
                "{route} answered {status}: {}",
                answer.body
            ))),
        }
    }

    /// Calls `function` of the agent at `route` as the platform does in call `call_id`: at the
    /// callback URL of the document fetched for that call (token included).
    pub async fn call_tool(
        &self,
        route: &str,
        call_id: &str,
        function: &str,
        arguments: Value,
    ) -> Result<Answer, TestServerError> {
        let document = self.document_for_call(route, call_id).await?;
        let url = callback_url(&document, function).ok_or_else(|| {
            TestServerError::Document(format!(
                "the document of {route} has no function '{function}'"
            ))
        })?;
        self.post(&url, &swaig_request(function, arguments, call_id))
            .await
    }

    /// Posts the end-of-call summary of call `call_id` to the post-prompt URL of the document
    /// fetched for that call.
    pub async fn post_summary(
        &self,
        route: &str,
        call_id: &str,
        summary: Value,
    ) -> Result<Answer, TestServerError> {
        let document = self.document_for_call(route, call_id).await?;
        let url = post_prompt_url(&document).ok_or_else(|| {
            TestServerError::Document(format!("the document of {route} has no post-prompt"))
        })?;
        let body = json!({"call_id": call_id, "post_prompt_data": {
            "raw": summary.to_string(), "parsed": [summary]}});
        self.post(&url, &body).await
    }

    /// Stops the server, waiting for requests in flight.
    pub async fn stop(self) {
        self.shutdown.shutdown().await;
    }
}

async fn answer(request: reqwest::RequestBuilder) -> Result<Answer, TestServerError> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Answer { status, body })
}
