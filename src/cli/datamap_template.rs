//! The platform's template language inside a DataMap, for running DataMap tools locally
//! (`swml-server swaig`): `${path}` and `%{path}` read a value from the template data.
//!
//! - A path is names separated by dots, matched without regard to ASCII case, each optionally
//!   followed by one `[n]` index (a negative `n` counts from the end). An empty path is the
//!   whole data; a path that does not resolve inserts nothing and is recorded as unresolved.
//! - Prefixes transform the value, always in the order `fmt_ph:` (a North American number as
//!   `(555) 123-4567`), `lc:` (lower case), `enc:` (percent-encoding), whatever order they are
//!   written in.
//! - One template nested in a path expands first: `${meta_data.${lc:args.key}}`.
//! - A string value goes in as it is (JSON-escaped when the template is JSON text); any other
//!   value goes in as compact JSON.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::Value;

/// Paths longer than this (bytes) do not resolve.
const MAX_PATH_BYTES: usize = 1024;

/// What the platform percent-encodes besides controls and bytes outside ASCII.
const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'"');

/// Expands templates against one set of data, remembering those that did not resolve.
#[derive(Debug, Default)]
pub(crate) struct Expander {
    /// `(template, stage)` pairs that expanded to nothing.
    pub(crate) unresolved: Vec<(String, &'static str)>,
}

impl Expander {
    /// `template` with every `${...}` replaced from `data`.
    pub(crate) fn text(&mut self, template: &str, data: &Value, stage: &'static str) -> String {
        self.expand(template, data, false, true, stage)
    }

    /// JSON text with templates expanded, string values escaped for JSON.
    pub(crate) fn json_text(&mut self, text: &str, data: &Value, stage: &'static str) -> String {
        self.expand(text, data, true, true, stage)
    }

    /// A JSON value expanded as the platform does it: printed, expanded as text with string
    /// values escaped, and parsed again. `None` when the result is not JSON (a template that
    /// puts an object inside a string does that).
    pub(crate) fn json(
        &mut self,
        value: &Value,
        data: &Value,
        stage: &'static str,
    ) -> Option<Value> {
        serde_json::from_str(&self.json_text(&value.to_string(), data, stage)).ok()
    }

    fn expand(
        &mut self,
        template: &str,
        data: &Value,
        escape_json: bool,
        nested: bool,
        stage: &'static str,
    ) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find(['$', '%']) {
            out.push_str(&rest[..start]);
            let candidate = &rest[start..];
            let end = match candidate.as_bytes().get(1) {
                Some(b'{') => matching_brace(candidate),
                _ => None,
            };
            let Some(end) = end else {
                out.push_str(&candidate[..1]);
                rest = &candidate[1..];
                continue;
            };
            let body = &candidate[2..end];
            if !body.is_empty() {
                match self.resolve(body, data, escape_json, nested, stage) {
                    Some(text) => out.push_str(&text),
                    None => self.unresolved.push((candidate[..=end].to_string(), stage)),
                }
            }
            rest = &candidate[end + 1..];
        }
        out.push_str(rest);
        out
    }

    fn resolve(
        &mut self,
        body: &str,
        data: &Value,
        escape_json: bool,
        nested: bool,
        stage: &'static str,
    ) -> Option<String> {
        let (mut phone, mut lower, mut encode) = (false, false, false);
        let mut path = body;
        loop {
            if let Some(rest) = strip_prefix_ignore_case(path, "fmt_ph:") {
                (phone, path) = (true, rest);
            } else if let Some(rest) = strip_prefix_ignore_case(path, "lc:") {
                (lower, path) = (true, rest);
            } else if let Some(rest) = strip_prefix_ignore_case(path, "enc:") {
                (encode, path) = (true, rest);
            } else {
                break;
            }
        }
        let expanded;
        if nested && (path.contains("${") || path.contains("%{")) {
            expanded = self.expand(path, data, escape_json, false, stage);
            path = &expanded;
        }
        let value = lookup(data, path)?;
        let mut text = match value {
            Value::String(text) if escape_json => text.replace('\\', "\\\\").replace('"', "\\\""),
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if phone {
            text = national_phone(&text);
        }
        if lower {
            text = text.to_ascii_lowercase();
        }
        if encode {
            text = utf8_percent_encode(&text, URL_UNSAFE).to_string();
        }
        Some(text)
    }
}

/// The byte index of the `}` closing the `{` at index 1.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, byte) in text.bytes().enumerate().skip(1) {
        match byte {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The value at a template path, if it resolves.
pub(crate) fn lookup<'a>(data: &'a Value, path: &str) -> Option<&'a Value> {
    if path.len() > MAX_PATH_BYTES || path.ends_with('.') {
        return None;
    }
    let mut current = data;
    for token in path.split('.').filter(|token| !token.is_empty()) {
        let (name, index) = match token.split_once('[') {
            None => (token, None),
            Some((name, rest)) => {
                let index: i64 = rest.strip_suffix(']')?.trim_start().parse().ok()?;
                (name, Some(index))
            }
        };
        current = member(current, name)?;
        if let Some(index) = index {
            let items = current.as_array()?;
            let len = i64::try_from(items.len()).ok()?;
            let index = if index < 0 { index + len } else { index };
            current = items.get(usize::try_from(index).ok()?)?;
        }
    }
    Some(current)
}

/// An object's member, the name matched without regard to ASCII case.
fn member<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

/// `+15551234567` or `5551234567` as `(555) 123-4567`; anything else unchanged.
fn national_phone(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 => digits.as_str(),
        _ => return text.to_string(),
    };
    format!(
        "({}) {}-{}",
        &national[..3],
        &national[3..6],
        &national[6..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expand(template: &str, data: &Value) -> (String, usize) {
        let mut expander = Expander::default();
        let text = expander.text(template, data, "test");
        (text, expander.unresolved.len())
    }

    #[test]
    fn paths_resolve_names_without_case_and_indexes_from_either_end() {
        let data = json!({"Args": {"city": "Paris"}, "list": [{"n": 1}, {"n": 2}]});
        assert_eq!(
            expand("${args.CITY}: ${list[0].n} ${list[-1].n}", &data),
            ("Paris: 1 2".into(), 0)
        );
        assert_eq!(expand("[${list[5].n}${nothing}]", &data), ("[]".into(), 2));
        assert_eq!(expand("${list[0]}", &data), (r#"{"n":1}"#.into(), 0));
    }

    #[test]
    fn prefixes_apply_in_a_fixed_order_and_nested_templates_expand_first() {
        let data = json!({"args": {"q": "A B&C", "key": "Big", "num": "+15551234567"},
                          "table": {"big": "found"}});
        assert_eq!(expand("${enc:lc:args.q}", &data).0, "a%20b%26c");
        assert_eq!(expand("${table.${lc:args.key}}", &data).0, "found");
        assert_eq!(expand("${fmt_ph:args.num}", &data).0, "(555) 123-4567");
        assert_eq!(
            expand("cost: $5 and ${} and %{args.key", &data).0,
            "cost: $5 and  and %{args.key"
        );
    }

    #[test]
    fn json_expansion_escapes_strings_and_fails_on_an_object_inside_a_string() {
        let data = json!({"say": "a \"quoted\" word", "obj": {"a": 1}});
        let mut expander = Expander::default();
        assert_eq!(
            expander.json(&json!({"response": "${say}"}), &data, "test"),
            Some(json!({"response": "a \"quoted\" word"}))
        );
        assert_eq!(
            expander.json(&json!({"response": "${obj}"}), &data, "test"),
            None
        );
    }
}
