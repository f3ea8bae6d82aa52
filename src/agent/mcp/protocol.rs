//! JSON-RPC 2.0 as MCP's streamable HTTP transport carries it: one message per POST body,
//! parsed into an [`Incoming`] (a request, a notification, or a client's response), and the
//! success and error objects sent back. Batches (a JSON array) are refused: MCP dropped them.
//! MCP request ids are strings or integers, never `null`; params are an object.

use serde_json::{Map, Value, json};

pub(crate) const PARSE_ERROR: i64 = -32700;
pub(crate) const INVALID_REQUEST: i64 = -32600;
pub(crate) const METHOD_NOT_FOUND: i64 = -32601;
pub(crate) const INVALID_PARAMS: i64 = -32602;
pub(crate) const INTERNAL_ERROR: i64 = -32603;

/// A JSON-RPC error object: a standard code and a message for the client's developer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RpcError {
    pub code: i64,
    pub message: String,
}

impl RpcError {
    pub(crate) fn new(code: i64, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
        }
    }
}

/// One message a client posted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Incoming {
    /// A call that wants an answer with the same `id`.
    Request {
        id: Value,
        method: String,
        params: Map<String, Value>,
    },
    /// A message that wants no answer (`notifications/initialized`, ...).
    Notification { method: String },
    /// The client's answer to a server request; this server sends none, so it is only taken in.
    Response,
}

/// A message that cannot be taken: the error, and the id to answer with (`null` when the
/// message had no usable id).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rejection {
    pub id: Value,
    pub error: RpcError,
}

fn reject(id: Value, code: i64, message: &str) -> Rejection {
    Rejection {
        id,
        error: RpcError::new(code, message),
    }
}

/// The message in a POST body.
pub(crate) fn parse(body: &[u8]) -> Result<Incoming, Rejection> {
    let value: Value = serde_json::from_slice(body).map_err(|_| {
        reject(
            Value::Null,
            PARSE_ERROR,
            "Parse error: the body is not JSON",
        )
    })?;
    let message = match value {
        Value::Object(message) => message,
        Value::Array(_) => {
            return Err(reject(
                Value::Null,
                INVALID_REQUEST,
                "Invalid request: batches are not supported",
            ));
        }
        _ => {
            return Err(reject(
                Value::Null,
                INVALID_REQUEST,
                "Invalid request: not a JSON-RPC object",
            ));
        }
    };
    classify(message)
}

fn classify(mut message: Map<String, Value>) -> Result<Incoming, Rejection> {
    let id = match message.remove("id") {
        None => None,
        Some(id @ (Value::String(_) | Value::Number(_))) if is_valid_id(&id) => Some(id),
        Some(_) => {
            return Err(reject(
                Value::Null,
                INVALID_REQUEST,
                "Invalid request: the id must be a string or an integer",
            ));
        }
    };
    let answer_id = id.clone().unwrap_or(Value::Null);
    if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(reject(
            answer_id,
            INVALID_REQUEST,
            "Invalid request: jsonrpc must be \"2.0\"",
        ));
    }
    let Some(method) = message.remove("method") else {
        if id.is_some() && (message.contains_key("result") || message.contains_key("error")) {
            return Ok(Incoming::Response);
        }
        return Err(reject(
            answer_id,
            INVALID_REQUEST,
            "Invalid request: no method",
        ));
    };
    let Value::String(method) = method else {
        return Err(reject(
            answer_id,
            INVALID_REQUEST,
            "Invalid request: the method must be a string",
        ));
    };
    let params = match message.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params,
        Some(_) => {
            return Err(reject(
                answer_id,
                INVALID_PARAMS,
                "Invalid params: params must be an object",
            ));
        }
    };
    Ok(match id {
        Some(id) => Incoming::Request { id, method, params },
        None => Incoming::Notification { method },
    })
}

/// Strings, and numbers without a fraction.
fn is_valid_id(id: &Value) -> bool {
    match id {
        Value::String(_) => true,
        Value::Number(number) => number.is_i64() || number.is_u64(),
        _ => false,
    }
}

/// The answer to request `id`.
pub(crate) fn success(id: &Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// The error answer to request `id` (`null` when it could not be read).
pub(crate) fn failure(id: &Value, error: &RpcError) -> Value {
    json!({"jsonrpc": "2.0", "id": id,
           "error": {"code": error.code, "message": error.message}})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(body: &str) -> (Value, i64) {
        let rejection = parse(body.as_bytes()).unwrap_err();
        (rejection.id, rejection.error.code)
    }

    #[test]
    fn a_request_a_notification_and_a_response_are_told_apart() {
        let request = parse(br#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#).unwrap();
        assert_eq!(
            request,
            Incoming::Request {
                id: json!(7),
                method: "ping".into(),
                params: Map::new()
            }
        );
        let notification =
            parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
        assert_eq!(
            notification,
            Incoming::Notification {
                method: "notifications/initialized".into()
            }
        );
        let response = parse(br#"{"jsonrpc":"2.0","id":"s1","result":{}}"#).unwrap();
        assert_eq!(response, Incoming::Response);
    }

    #[test]
    fn params_are_kept_as_an_object() {
        let request =
            parse(br#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x"}}"#)
                .unwrap();
        let Incoming::Request { params, .. } = request else {
            panic!("not a request");
        };
        assert_eq!(params["name"], "x");
    }

    #[test]
    fn what_is_not_a_message_is_a_parse_error_or_an_invalid_request() {
        assert_eq!(code_of("{nope"), (Value::Null, PARSE_ERROR));
        assert_eq!(code_of(""), (Value::Null, PARSE_ERROR));
        assert_eq!(
            code_of(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#),
            (Value::Null, INVALID_REQUEST)
        );
        assert_eq!(code_of("42"), (Value::Null, INVALID_REQUEST));
        assert_eq!(
            code_of(r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#),
            (json!(1), INVALID_REQUEST)
        );
        assert_eq!(
            code_of(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#),
            (Value::Null, INVALID_REQUEST)
        );
        assert_eq!(
            code_of(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#),
            (Value::Null, INVALID_REQUEST)
        );
        assert_eq!(
            code_of(r#"{"jsonrpc":"2.0","id":1}"#),
            (json!(1), INVALID_REQUEST)
        );
        assert_eq!(
            code_of(r#"{"jsonrpc":"2.0","id":1,"method":3}"#),
            (json!(1), INVALID_REQUEST)
        );
    }

    #[test]
    fn params_that_are_not_an_object_are_invalid_params() {
        assert_eq!(
            code_of(r#"{"jsonrpc":"2.0","id":"x","method":"ping","params":[1]}"#),
            (json!("x"), INVALID_PARAMS)
        );
    }

    #[test]
    fn answers_carry_the_version_the_id_and_a_result_or_an_error() {
        assert_eq!(
            success(&json!(1), json!({})),
            json!({"jsonrpc": "2.0", "id": 1, "result": {}})
        );
        assert_eq!(
            failure(&Value::Null, &RpcError::new(PARSE_ERROR, "bad")),
            json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "bad"}})
        );
    }
}
