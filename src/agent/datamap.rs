//! DataMap tools: executed by the platform itself, never by this server. The tool's `data_map`
//! tells the platform to match the arguments against patterns (`expressions`) and/or call HTTP
//! APIs (`webhooks`), then build the reply from templates like `${args.city}` or, in a
//! webhook's output, `${temp}` (the response's members) and `${input.args.city}`.
//! `swml-server swaig` runs them locally the same way (src/cli/datamap_run.rs).
//!
//! ```
//! use swml_server::agent::{DataMap, FunctionResult, Webhook};
//! let weather = DataMap::new()
//!     .webhook(
//!         Webhook::get("https://api.example.com/weather?q=${enc:args.city}")
//!             .header("X-Key", "secret")
//!             .output(FunctionResult::new("It is ${temp} degrees in ${input.args.city}")),
//!     )
//!     .output(FunctionResult::new("The weather service is unavailable"));
//! assert!(weather.to_value()["webhooks"].is_array());
//! ```

use serde_json::{Map, Value, json};

use super::result::FunctionResult;

/// An HTTP method a DataMap webhook may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// A pattern test: when `pattern` (a regex) matches `string` (a template such as
/// `${args.mood}`), `output` is the reply; otherwise `nomatch-output` when set.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expression {
    pub string: String,
    pub pattern: String,
    pub output: FunctionResult,
    pub nomatch_output: Option<FunctionResult>,
}

impl Expression {
    fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("string".into(), Value::from(self.string.as_str()));
        object.insert("pattern".into(), Value::from(self.pattern.as_str()));
        object.insert("output".into(), self.output.to_data_map_output());
        if let Some(nomatch) = &self.nomatch_output {
            object.insert("nomatch-output".into(), nomatch.to_data_map_output());
        }
        Value::Object(object)
    }
}

/// Iterates over an array of the webhook's response, appending one formatted line per item.
#[derive(Debug, Clone, PartialEq)]
pub struct Foreach {
    /// The array in the response (`results`).
    pub input_key: String,
    /// The variable that receives the text (`summary`, then usable as `${summary}`).
    pub output_key: String,
    /// At most this many items.
    pub max: Option<u32>,
    /// The template appended per item (`${this.title}\n`).
    pub append: String,
}

/// One HTTP call the platform makes; the first webhook that succeeds provides the reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    method: HttpMethod,
    url: String,
    headers: Map<String, Value>,
    form_param: Option<String>,
    input_args_as_params: bool,
    require_args: Vec<String>,
    body: Option<Value>,
    params: Option<Map<String, Value>>,
    foreach: Option<Foreach>,
    expressions: Vec<Expression>,
    output: Option<FunctionResult>,
    error_keys: Vec<String>,
}

impl Webhook {
    pub fn new(method: HttpMethod, url: impl Into<String>) -> Webhook {
        Webhook {
            method,
            url: url.into(),
            headers: Map::new(),
            form_param: None,
            input_args_as_params: false,
            require_args: Vec::new(),
            body: None,
            params: None,
            foreach: None,
            expressions: Vec::new(),
            output: None,
            error_keys: Vec::new(),
        }
    }

    pub fn get(url: impl Into<String>) -> Webhook {
        Webhook::new(HttpMethod::Get, url)
    }

    pub fn post(url: impl Into<String>) -> Webhook {
        Webhook::new(HttpMethod::Post, url)
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers
            .insert(name.to_string(), Value::from(value.into()));
        self
    }

    /// Sends the arguments as one form parameter of this name (beyond the published schema).
    pub fn form_param(mut self, name: impl Into<String>) -> Self {
        self.form_param = Some(name.into());
        self
    }

    /// Sends the AI's arguments as query/form parameters.
    pub fn input_args_as_params(mut self, enabled: bool) -> Self {
        self.input_args_as_params = enabled;
        self
    }

    /// Skips this webhook unless these arguments are present.
    pub fn require_args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.require_args = args.into_iter().map(Into::into).collect();
        self
    }

    /// A JSON request body (beyond the published schema; `params` is the schema's form).
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn params(mut self, params: Map<String, Value>) -> Self {
        self.params = Some(params);
        self
    }

    pub fn foreach(mut self, foreach: Foreach) -> Self {
        self.foreach = Some(foreach);
        self
    }

    /// Pattern tests run on this webhook's response.
    pub fn expression(mut self, string: &str, pattern: &str, output: FunctionResult) -> Self {
        self.expressions.push(Expression {
            string: string.into(),
            pattern: pattern.into(),
            output,
            nomatch_output: None,
        });
        self
    }

    /// The reply when this webhook succeeds.
    pub fn output(mut self, output: FunctionResult) -> Self {
        self.output = Some(output);
        self
    }

    /// Response keys whose presence means the call failed.
    pub fn error_keys<I, S>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.error_keys = keys.into_iter().map(Into::into).collect();
        self
    }

    fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("url".into(), Value::from(self.url.as_str()));
        object.insert("method".into(), Value::from(self.method.as_str()));
        if !self.headers.is_empty() {
            object.insert("headers".into(), Value::Object(self.headers.clone()));
        }
        if let Some(form_param) = &self.form_param {
            object.insert("form_param".into(), Value::from(form_param.as_str()));
        }
        if self.input_args_as_params {
            object.insert("input_args_as_params".into(), Value::Bool(true));
        }
        if !self.require_args.is_empty() {
            object.insert("require_args".into(), json!(self.require_args));
        }
        if let Some(body) = &self.body {
            object.insert("body".into(), body.clone());
        }
        if let Some(params) = &self.params {
            object.insert("params".into(), Value::Object(params.clone()));
        }
        if let Some(foreach) = &self.foreach {
            object.insert("foreach".into(), foreach_value(foreach));
        }
        if !self.expressions.is_empty() {
            let expressions = self.expressions.iter().map(Expression::to_value).collect();
            object.insert("expressions".into(), Value::Array(expressions));
        }
        if let Some(output) = &self.output {
            object.insert("output".into(), output.to_data_map_output());
        }
        if !self.error_keys.is_empty() {
            object.insert("error_keys".into(), json!(self.error_keys));
        }
        Value::Object(object)
    }
}

fn foreach_value(foreach: &Foreach) -> Value {
    let mut object = Map::new();
    object.insert("input_key".into(), Value::from(foreach.input_key.as_str()));
    object.insert(
        "output_key".into(),
        Value::from(foreach.output_key.as_str()),
    );
    if let Some(max) = foreach.max {
        object.insert("max".into(), Value::from(max));
    }
    object.insert("append".into(), Value::from(foreach.append.as_str()));
    Value::Object(object)
}

/// The `data_map` of a tool: expressions, webhooks, a fallback output and error keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataMap {
    expressions: Vec<Expression>,
    webhooks: Vec<Webhook>,
    output: Option<FunctionResult>,
    error_keys: Vec<String>,
}

impl DataMap {
    pub fn new() -> DataMap {
        DataMap::default()
    }

    /// When `pattern` matches `string`, reply `output`.
    pub fn expression(mut self, string: &str, pattern: &str, output: FunctionResult) -> Self {
        self.expressions.push(Expression {
            string: string.into(),
            pattern: pattern.into(),
            output,
            nomatch_output: None,
        });
        self
    }

    /// When `pattern` matches `string`, reply `output`; otherwise `nomatch` (rendered as
    /// `nomatch-output`, beyond the published schema).
    pub fn expression_with_nomatch(
        mut self,
        string: &str,
        pattern: &str,
        output: FunctionResult,
        nomatch: FunctionResult,
    ) -> Self {
        self.expressions.push(Expression {
            string: string.into(),
            pattern: pattern.into(),
            output,
            nomatch_output: Some(nomatch),
        });
        self
    }

    pub fn webhook(mut self, webhook: Webhook) -> Self {
        self.webhooks.push(webhook);
        self
    }

    /// The reply when no webhook succeeded and no expression matched.
    pub fn output(mut self, output: FunctionResult) -> Self {
        self.output = Some(output);
        self
    }

    /// Keys whose presence in any response means failure (beyond the published schema at this
    /// level).
    pub fn error_keys<I, S>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.error_keys = keys.into_iter().map(Into::into).collect();
        self
    }

    /// True when it says nothing at all (the schema wants at least one member).
    pub fn is_empty(&self) -> bool {
        self.expressions.is_empty() && self.webhooks.is_empty() && self.output.is_none()
    }

    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        if !self.expressions.is_empty() {
            let expressions = self.expressions.iter().map(Expression::to_value).collect();
            object.insert("expressions".into(), Value::Array(expressions));
        }
        if !self.webhooks.is_empty() {
            let webhooks = self.webhooks.iter().map(Webhook::to_value).collect();
            object.insert("webhooks".into(), Value::Array(webhooks));
        }
        if let Some(output) = &self.output {
            object.insert("output".into(), output.to_data_map_output());
        }
        if !self.error_keys.is_empty() {
            object.insert("error_keys".into(), json!(self.error_keys));
        }
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_render_nomatch_output_with_a_hyphen() {
        let map = DataMap::new().expression_with_nomatch(
            "${args.mood}",
            "happy|glad",
            FunctionResult::new("Great!"),
            FunctionResult::new("Sorry to hear"),
        );
        assert_eq!(
            map.to_value(),
            json!({"expressions": [{"string": "${args.mood}", "pattern": "happy|glad",
                                    "output": {"response": "Great!"},
                                    "nomatch-output": {"response": "Sorry to hear"}}]})
        );
    }

    #[test]
    fn webhooks_render_every_member_that_is_set() {
        let mut params = Map::new();
        params.insert("q".into(), json!("${args.query}"));
        let webhook = Webhook::post("https://api.example.com/search")
            .header("Authorization", "Bearer x")
            .form_param("payload")
            .input_args_as_params(true)
            .require_args(["query"])
            .body(json!({"q": "${args.query}"}))
            .params(params)
            .foreach(Foreach {
                input_key: "results".into(),
                output_key: "lines".into(),
                max: Some(3),
                append: "${this.title}\n".into(),
            })
            .output(FunctionResult::new("Found: ${lines}"))
            .error_keys(["error"]);
        let map = DataMap::new()
            .webhook(webhook)
            .error_keys(["fault"])
            .output(FunctionResult::new("Nothing found"));
        assert_eq!(
            map.to_value(),
            json!({
                "webhooks": [{
                    "url": "https://api.example.com/search", "method": "POST",
                    "headers": {"Authorization": "Bearer x"}, "form_param": "payload",
                    "input_args_as_params": true, "require_args": ["query"],
                    "body": {"q": "${args.query}"}, "params": {"q": "${args.query}"},
                    "foreach": {"input_key": "results", "output_key": "lines", "max": 3,
                                "append": "${this.title}\n"},
                    "output": {"response": "Found: ${lines}"}, "error_keys": ["error"]
                }],
                "output": {"response": "Nothing found"},
                "error_keys": ["fault"]
            })
        );
    }

    #[test]
    fn an_empty_data_map_is_reported_empty() {
        assert!(DataMap::new().is_empty());
        assert!(!DataMap::new().output(FunctionResult::new("x")).is_empty());
    }
}
