//! Tool handlers: what an author writes (a sync or async closure over typed arguments) and the
//! type-erased form dispatch runs.

use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::agent::request::RequestInput;
use crate::agent::result::FunctionResult;

/// The request a tool is called in: the platform's whole body (call id, global data, caller
/// number, ...), plus the query string and headers. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ToolCall {
    function: Arc<str>,
    agent: Arc<str>,
    request: Arc<RequestInput>,
}

impl ToolCall {
    pub fn new(agent: &str, function: &str, request: Arc<RequestInput>) -> ToolCall {
        ToolCall {
            function: Arc::from(function),
            agent: Arc::from(agent),
            request,
        }
    }

    /// The function the AI called.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// The agent the call reached.
    pub fn agent(&self) -> &str {
        &self.agent
    }

    /// The call id (`call_id` of the body), when the platform sent one.
    pub fn call_id(&self) -> Option<&str> {
        self.request.body.get("call_id").and_then(Value::as_str)
    }

    /// The platform's whole request body.
    pub fn body(&self) -> &Value {
        &self.request.body
    }

    /// A member of the body (`global_data`, `meta_data`, `caller_id_num`, ...).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.request.body.get(key)
    }

    /// The conversation's global data, as the platform sent it.
    pub fn global_data(&self) -> Option<&Value> {
        self.get("global_data")
    }

    /// A query parameter of the request URL.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.request.query(name)
    }

    /// A request header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.request.header(name)
    }

    pub fn request(&self) -> &RequestInput {
        &self.request
    }
}

/// Why a handler produced no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HandlerError {
    /// The arguments passed the schema but not the handler's Rust type.
    InvalidArguments(String),
    /// The handler returned an error.
    Failed(String),
}

/// What a handler may return: a [`FunctionResult`], a plain text response, or a `Result` whose
/// error is logged and answered with the generic error body.
pub trait IntoFunctionResult {
    fn into_function_result(self) -> Result<FunctionResult, String>;
}

impl IntoFunctionResult for FunctionResult {
    fn into_function_result(self) -> Result<FunctionResult, String> {
        Ok(self)
    }
}

impl IntoFunctionResult for String {
    fn into_function_result(self) -> Result<FunctionResult, String> {
        Ok(FunctionResult::new(self))
    }
}

impl IntoFunctionResult for &'static str {
    fn into_function_result(self) -> Result<FunctionResult, String> {
        Ok(FunctionResult::new(self))
    }
}

impl<E: Display> IntoFunctionResult for Result<FunctionResult, E> {
    fn into_function_result(self) -> Result<FunctionResult, String> {
        self.map_err(|error| error.to_string())
    }
}

pub(crate) type SyncHandler =
    dyn Fn(Value, &ToolCall) -> Result<FunctionResult, HandlerError> + Send + Sync;
pub(crate) type AsyncHandler = dyn Fn(Value, ToolCall) -> BoxFuture<'static, Result<FunctionResult, HandlerError>>
    + Send
    + Sync;

fn parse_arguments<A: DeserializeOwned>(arguments: Value) -> Result<A, HandlerError> {
    serde_json::from_value(arguments)
        .map_err(|error| HandlerError::InvalidArguments(error.to_string()))
}

/// Erases a sync closure over typed arguments.
pub(crate) fn erase_sync<A, R, F>(handler: F) -> Arc<SyncHandler>
where
    A: DeserializeOwned,
    R: IntoFunctionResult,
    F: Fn(A, &ToolCall) -> R + Send + Sync + 'static,
{
    Arc::new(move |arguments, call| {
        let arguments = parse_arguments::<A>(arguments)?;
        handler(arguments, call)
            .into_function_result()
            .map_err(HandlerError::Failed)
    })
}

/// Erases an async closure over typed arguments.
pub(crate) fn erase_async<A, R, Fut, F>(handler: F) -> Arc<AsyncHandler>
where
    A: DeserializeOwned,
    R: IntoFunctionResult,
    Fut: Future<Output = R> + Send + 'static,
    F: Fn(A, ToolCall) -> Fut + Send + Sync + 'static,
{
    Arc::new(
        move |arguments, call| match parse_arguments::<A>(arguments) {
            Ok(arguments) => handler(arguments, call)
                .map(|output| output.into_function_result().map_err(HandlerError::Failed))
                .boxed(),
            Err(error) => futures_util::future::ready(Err(error)).boxed(),
        },
    )
}
