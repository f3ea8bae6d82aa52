//! Strict parsing of raw values into typed ones. Each failure is recorded with the key and its
//! source, and parsing goes on, so one run reports every problem.

use std::collections::HashMap;

use serde_json::Value;

use super::keys::{self, Kind};
use super::problem::ConfigProblem;
use super::sources::RawSetting;

/// Reads typed values out of the layered raw settings, collecting problems.
pub(super) struct Reader<'a> {
    raw: &'a HashMap<&'static str, RawSetting>,
    pub problems: Vec<ConfigProblem>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(raw: &'a HashMap<&'static str, RawSetting>) -> Reader<'a> {
        Reader {
            raw,
            problems: Vec::new(),
        }
    }

    fn get(&self, file_key: &str) -> Option<&'a RawSetting> {
        debug_assert!(
            keys::by_file_key(file_key).is_some(),
            "{file_key} is not in KEYS"
        );
        self.raw.get(file_key)
    }

    /// Records a problem with `file_key`'s value (used by validations after parsing).
    pub(super) fn problem(&mut self, file_key: &str, message: impl Into<String>) {
        if let Some(raw) = self.get(file_key) {
            self.problems
                .push(ConfigProblem::value(raw.key, &raw.source, message));
        } else if let Some(key) = keys::by_file_key(file_key) {
            self.problems.push(ConfigProblem::value(
                key,
                &super::sources::Source::Default,
                message,
            ));
        }
    }

    /// A boolean by the strict rule: `true/1/yes/on`, `false/0/no/off/""`, any case.
    pub(super) fn bool(&mut self, file_key: &str) -> bool {
        let Some(raw) = self.get(file_key) else {
            return false;
        };
        debug_assert!(matches!(raw.key.kind, Kind::Bool | Kind::HstsSwitch));
        if raw.key.kind == Kind::HstsSwitch {
            return match &raw.value {
                Value::Bool(b) => *b,
                Value::String(text) => !text.trim().eq_ignore_ascii_case("false"),
                _ => true,
            };
        }
        match &raw.value {
            Value::Bool(b) => *b,
            Value::String(text) => match parse_bool(text) {
                Some(b) => b,
                None => {
                    self.problem(
                        file_key,
                        format!(
                            "expected true/false (also 1/0, yes/no, on/off), got {:?}",
                            text
                        ),
                    );
                    false
                }
            },
            other => {
                self.problem(file_key, format!("expected a boolean, got {other}"));
                false
            }
        }
    }

    /// A whole number: plain decimal digits (or a non-negative integer in a file).
    pub(super) fn number<T: TryFrom<u64>>(&mut self, file_key: &str) -> Option<T> {
        let raw = self.get(file_key)?;
        let parsed = match &raw.value {
            Value::Number(n) => n.as_u64(),
            Value::String(text) => {
                let text = text.trim();
                if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                    text.parse::<u64>().ok()
                } else {
                    None
                }
            }
            _ => None,
        };
        let value = parsed.and_then(|n| T::try_from(n).ok());
        if value.is_none() {
            let shown = display_value(&raw.value);
            self.problem(
                file_key,
                format!("expected a whole number (plain digits, in range), got {shown}"),
            );
        }
        value
    }

    /// Text; empty counts as unset.
    pub(super) fn text(&mut self, file_key: &str) -> Option<String> {
        let raw = self.get(file_key)?;
        match &raw.value {
            Value::String(text) if text.trim().is_empty() => None,
            Value::String(text) => Some(text.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                self.problem(file_key, format!("expected text, got {other}"));
                None
            }
        }
    }

    /// A secret; empty counts as unset. The value never appears in a problem message.
    pub(super) fn secret(&mut self, file_key: &str) -> Option<super::Secret> {
        let raw = self.get(file_key)?;
        match &raw.value {
            Value::String(text) if text.is_empty() => None,
            Value::String(text) => Some(super::Secret::new(text.clone())),
            _ => {
                self.problem(file_key, "expected text");
                None
            }
        }
    }

    /// A list: a comma string or (in a file) an array of strings; items trimmed, empty dropped.
    pub(super) fn list(&mut self, file_key: &str) -> Vec<String> {
        let Some(raw) = self.get(file_key) else {
            return Vec::new();
        };
        let items: Vec<String> = match &raw.value {
            Value::String(text) => text.split(',').map(str::to_string).collect(),
            Value::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(text) => out.push(text.clone()),
                        other => {
                            self.problem(file_key, format!("list items must be text, got {other}"));
                            return Vec::new();
                        }
                    }
                }
                out
            }
            other => {
                self.problem(
                    file_key,
                    format!("expected a list or a comma string, got {other}"),
                );
                return Vec::new();
            }
        };
        items
            .into_iter()
            .map(|item| item.trim().to_string())
            .filter(|item| !item.is_empty())
            .collect()
    }

    /// The entries of a table setting (`name = value` pairs, only from the config file), each
    /// value as written: a string, or a table of its own.
    pub(super) fn table(&mut self, file_key: &str) -> Vec<(String, Value)> {
        let Some(raw) = self.get(file_key) else {
            return Vec::new();
        };
        match &raw.value {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            other => {
                self.problem(file_key, format!("expected a table, got {other}"));
                Vec::new()
            }
        }
    }
}

/// The strict boolean rule shared by every boolean setting.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

fn display_value(value: &Value) -> String {
    match value {
        Value::String(text) => format!("{text:?}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_accept_the_documented_words_in_any_case() {
        for yes in ["true", "TRUE", "1", "Yes", "on"] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["false", "0", "NO", "Off", ""] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        for typo in ["treu", "enable", "2", "y"] {
            assert_eq!(parse_bool(typo), None, "{typo}");
        }
    }
}
