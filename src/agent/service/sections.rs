//! The build-time check of a service's document: an `execute` or `transfer` whose destination
//! is a section name must name a section of the document. A destination that is a URL
//! (`scheme://...`), an inline document (`{...}`) or a variable (`${...}`, `%{...}`) is the
//! platform's to resolve during the call and is not checked.

use serde_json::Value;

use crate::swml::Document;

/// The verbs whose `dest` may name a section.
const JUMPS: &[&str] = &["execute", "transfer"];

fn names_a_section(dest: &str) -> bool {
    !(dest.contains("://") || dest.starts_with('{') || dest.contains("${") || dest.contains("%{"))
}

/// Every section-name destination found in `value`, at any depth (verbs nest inside `cond`,
/// `switch`, `execute.on_return` and `connect.result`).
fn collect_targets<'a>(value: &'a Value, targets: &mut Vec<&'a str>) {
    match value {
        Value::Object(object) => {
            for (key, member) in object {
                let dest = member.get("dest").and_then(Value::as_str);
                if let (true, Some(dest)) = (JUMPS.contains(&key.as_str()), dest)
                    && names_a_section(dest)
                {
                    targets.push(dest);
                }
                collect_targets(member, targets);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_targets(item, targets)),
        _ => {}
    }
}

/// Fails naming the first destination that is no section of `document`.
pub(crate) fn check_targets(document: &Document) -> Result<(), String> {
    let value = document.to_value();
    let mut targets = Vec::new();
    collect_targets(&value["sections"], &mut targets);
    match targets.iter().find(|dest| document.section(dest).is_none()) {
        Some(missing) => Err(format!(
            "a verb jumps to section '{missing}', which the document does not have"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::swml::Verb;

    fn document(main: Value) -> Document {
        let mut document = Document::new();
        for verb in main.as_array().into_iter().flatten() {
            let (name, body) = verb.as_object().and_then(|o| o.iter().next()).unwrap();
            document.push(Verb::new(name.clone(), body.clone()));
        }
        document
    }

    #[test]
    fn a_jump_to_a_missing_section_is_refused_even_inside_a_cond() {
        let nested =
            document(json!([{"cond": [{"when": "x", "then": [{"execute": {"dest": "menu"}}]}]}]));
        let error = check_targets(&nested).unwrap_err();
        assert!(error.contains("'menu'"), "{error}");
    }

    #[test]
    fn urls_inline_documents_variables_and_existing_sections_are_accepted() {
        let mut jumps = document(json!([
            {"transfer": {"dest": "https://example.com/next"}},
            {"execute": {"dest": "{\"version\":\"1.0.0\"}"}},
            {"transfer": {"dest": "${next_section}"}},
            {"execute": {"dest": "menu"}}
        ]));
        assert!(check_targets(&jumps).is_err());
        jumps.push_to("menu", Verb::new("hangup", json!({})));
        assert_eq!(check_targets(&jumps), Ok(()));
    }
}
