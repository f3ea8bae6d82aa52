//! Typed builders for the control-flow verbs: branching (`cond`, `switch`), jumping between
//! sections and documents (`execute`, `transfer`, `return`), loops (`goto`, `label`), call
//! variables (`set`, `unset`), pauses and hanging up. A section name given to `execute` or
//! `transfer` is checked against the document when a service is built.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::swml::Verb;

fn verbs(items: impl IntoIterator<Item = impl Into<Verb>>) -> Vec<Verb> {
    items.into_iter().map(Into::into).collect()
}

/// One branch of a `cond`: run `then` when the JavaScript condition `when` holds (and
/// `otherwise`, rendered `else`, when it does not), or a final branch run when no other did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CondBranch {
    When {
        when: String,
        then: Vec<Verb>,
        #[serde(rename = "else", skip_serializing_if = "Vec::is_empty")]
        otherwise: Vec<Verb>,
    },
    Else {
        #[serde(rename = "else")]
        otherwise: Vec<Verb>,
    },
}

/// `cond`: the first branch whose condition holds runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cond(pub Vec<CondBranch>);

impl Cond {
    pub fn new() -> Cond {
        Cond::default()
    }

    /// A branch run when `condition` (e.g. `prompt_value == '1'`) holds.
    pub fn when(
        mut self,
        condition: impl Into<String>,
        then: impl IntoIterator<Item = impl Into<Verb>>,
    ) -> Self {
        self.0.push(CondBranch::When {
            when: condition.into(),
            then: verbs(then),
            otherwise: Vec::new(),
        });
        self
    }

    /// The branch run when no condition held.
    pub fn otherwise(mut self, verbs_: impl IntoIterator<Item = impl Into<Verb>>) -> Self {
        self.0.push(CondBranch::Else {
            otherwise: verbs(verbs_),
        });
        self
    }
}

typed_verb!(Cond, "cond");

/// Cases on a variable: what `switch`, `execute.result` and `connect.result` hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cases {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    pub case: Map<String, Value>,
}

impl Cases {
    /// Cases on `variable` (e.g. `prompt_value`).
    pub fn on(variable: impl Into<String>) -> Cases {
        Cases {
            variable: Some(variable.into()),
            case: Map::new(),
        }
    }

    /// The verbs run when the variable equals `value`.
    pub fn case(mut self, value: &str, then: impl IntoIterator<Item = impl Into<Verb>>) -> Self {
        let then = verbs(then).into_iter().map(Verb::into_value).collect();
        self.case.insert(value.to_string(), Value::Array(then));
        self
    }
}

/// `switch`: runs the case matching a variable's value, else `default`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Switch {
    pub variable: String,
    pub case: Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub default: Vec<Verb>,
}

impl Switch {
    /// A switch on `variable`, with its cases.
    pub fn new(variable: impl Into<String>) -> Switch {
        Switch {
            variable: variable.into(),
            case: Map::new(),
            default: Vec::new(),
        }
    }

    pub fn case(mut self, value: &str, then: impl IntoIterator<Item = impl Into<Verb>>) -> Self {
        let then = verbs(then).into_iter().map(Verb::into_value).collect();
        self.case.insert(value.to_string(), Value::Array(then));
        self
    }

    pub fn default(mut self, verbs_: impl IntoIterator<Item = impl Into<Verb>>) -> Self {
        self.default = verbs(verbs_);
        self
    }
}

typed_verb!(Switch, "switch");

/// What to do with the `return` value of an executed section: cases on it, or conditions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    Cases(Cases),
    Conditions(Vec<CondBranch>),
}

/// `execute`: runs a section (or a document at a URL) like a subroutine and comes back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Execute {
    /// A section name, an `http(s)` URL or an inline document.
    pub dest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_return: Vec<Verb>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
}

impl Execute {
    pub fn new(dest: impl Into<String>) -> Execute {
        Execute {
            dest: dest.into(),
            params: None,
            meta: None,
            on_return: Vec::new(),
            result: None,
        }
    }

    /// Parameters the executed section reads as `params.<name>`.
    pub fn params(mut self, params: Map<String, Value>) -> Self {
        self.params = Some(params);
        self
    }

    pub fn meta(mut self, meta: Map<String, Value>) -> Self {
        self.meta = Some(meta);
        self
    }

    pub fn on_return(mut self, verbs_: impl IntoIterator<Item = impl Into<Verb>>) -> Self {
        self.on_return = verbs(verbs_);
        self
    }

    pub fn result(mut self, outcome: Outcome) -> Self {
        self.result = Some(outcome);
        self
    }
}

typed_verb!(Execute, "execute");

/// `transfer`: continues the call in another section or document, without coming back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    /// A section name, an `http(s)` URL (fetched with a POST) or an inline document.
    pub dest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
}

impl Transfer {
    pub fn new(dest: impl Into<String>) -> Transfer {
        Transfer {
            dest: dest.into(),
            params: None,
            meta: None,
        }
    }

    pub fn params(mut self, params: Map<String, Value>) -> Self {
        self.params = Some(params);
        self
    }

    pub fn meta(mut self, meta: Map<String, Value>) -> Self {
        self.meta = Some(meta);
        self
    }
}

typed_verb!(Transfer, "transfer");

/// `return`: leaves an executed section with a value (any JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Return(pub Value);

typed_verb!(Return, "return");

/// `label`: a place `goto` jumps back to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label(pub String);

typed_verb!(Label, "label");

/// `goto`: jumps to a label, when a condition holds, at most `max` times (1..100).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goto {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl Goto {
    pub fn new(label: impl Into<String>) -> Goto {
        Goto {
            label: label.into(),
            when: None,
            max: None,
        }
    }

    pub fn when(mut self, condition: impl Into<String>) -> Self {
        self.when = Some(condition.into());
        self
    }

    pub fn max(mut self, times: u32) -> Self {
        self.max = Some(times);
        self
    }
}

typed_verb!(Goto, "goto");

/// `set`: assigns call variables.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Set(pub Map<String, Value>);

impl Set {
    pub fn new() -> Set {
        Set::default()
    }

    pub fn var(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.insert(name.to_string(), value.into());
        self
    }
}

typed_verb!(Set, "set");

/// `unset`: removes call variables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unset(pub Vec<String>);

impl Unset {
    pub fn new(names: impl IntoIterator<Item = impl Into<String>>) -> Unset {
        Unset(names.into_iter().map(Into::into).collect())
    }
}

typed_verb!(Unset, "unset");

/// `sleep`: pauses for some milliseconds (-1: until the call ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sleep {
    pub duration: i64,
}

impl Sleep {
    pub fn millis(duration: i64) -> Sleep {
        Sleep { duration }
    }
}

typed_verb!(Sleep, "sleep");

/// Why a call is hung up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HangupReason {
    Hangup,
    Busy,
    Decline,
}

/// `hangup`: ends the call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Hangup {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<HangupReason>,
}

impl Hangup {
    pub fn new() -> Hangup {
        Hangup::default()
    }

    pub fn reason(mut self, reason: HangupReason) -> Self {
        self.reason = Some(reason);
        self
    }
}

typed_verb!(Hangup, "hangup");
