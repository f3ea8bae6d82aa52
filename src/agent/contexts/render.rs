//! Contexts and steps as JSON. Schema members first, then the members the SWML schema does not
//! have yet (*beyond schema*, listed in docs/AGENTS.md).

use serde_json::{Map, Value, json};

use super::step::{GatherInfo, Reset, Step, StepFunctions};
use super::{Context, ContextPrompt, Contexts};
use crate::agent::prompt::{PomSection, sections_to_markdown};

pub(super) fn contexts(contexts: &Contexts) -> Value {
    let mut object = Map::with_capacity(contexts.contexts.len());
    for context in &contexts.contexts {
        object.insert(context.name.clone(), self::context(context));
    }
    Value::Object(object)
}

fn insert_text(object: &mut Map<String, Value>, key: &str, text: &Option<String>) {
    if let Some(text) = text {
        object.insert(key.into(), Value::from(text.as_str()));
    }
}

fn insert_flag(object: &mut Map<String, Value>, key: &str, flag: bool) {
    if flag {
        object.insert(key.into(), Value::Bool(true));
    }
}

fn insert_list(object: &mut Map<String, Value>, key: &str, list: &[String]) {
    if !list.is_empty() {
        object.insert(key.into(), json!(list));
    }
}

fn context(context: &Context) -> Value {
    let mut object = Map::new();
    let steps = context.steps.iter().map(step).collect();
    object.insert("steps".into(), Value::Array(steps));
    insert_flag(&mut object, "isolated", context.isolated);
    if !context.enter_fillers.is_empty() {
        object.insert(
            "enter_fillers".into(),
            Value::Array(context.enter_fillers.clone()),
        );
    }
    if !context.exit_fillers.is_empty() {
        object.insert(
            "exit_fillers".into(),
            Value::Array(context.exit_fillers.clone()),
        );
    }
    match &context.prompt {
        ContextPrompt::None => {}
        ContextPrompt::Text(text) => {
            object.insert("text".into(), Value::from(text.as_str()));
        }
        ContextPrompt::Pom(sections) => {
            let pom = sections.iter().map(PomSection::to_value).collect();
            object.insert("pom".into(), Value::Array(pom));
        }
    }
    insert_list(&mut object, "valid_contexts", &context.valid_contexts);
    insert_text(&mut object, "initial_step", &context.initial_step);
    insert_text(&mut object, "system_prompt", &context.system_prompt);
    insert_text(&mut object, "user_prompt", &context.user_prompt);
    insert_flag(&mut object, "consolidate", context.consolidate);
    insert_flag(&mut object, "full_reset", context.full_reset);
    insert_text(&mut object, "post_prompt", &context.post_prompt);
    Value::Object(object)
}

/// The step's instructions: its text, then its sections as Markdown.
pub(super) fn step_text(step: &Step) -> String {
    let markdown = sections_to_markdown(&step.sections);
    match (step.text.is_empty(), markdown.is_empty()) {
        (_, true) => step.text.clone(),
        (true, false) => markdown,
        (false, false) => format!("{}\n\n{markdown}", step.text),
    }
}

fn step(step: &Step) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), Value::from(step.name.as_str()));
    object.insert("text".into(), Value::from(step_text(step)));
    insert_text(&mut object, "step_criteria", &step.step_criteria);
    match &step.functions {
        StepFunctions::All => {}
        StepFunctions::None => {
            object.insert("functions".into(), json!([]));
        }
        StepFunctions::Only(functions) => {
            object.insert("functions".into(), json!(functions));
        }
    }
    insert_list(&mut object, "valid_steps", &step.valid_steps);
    insert_list(&mut object, "valid_contexts", &step.valid_contexts);
    insert_flag(&mut object, "end", step.end);
    insert_flag(&mut object, "skip_user_turn", step.skip_user_turn);
    insert_flag(&mut object, "skip_to_next_step", step.skip_to_next_step);
    if let Some(history) = step.history {
        object.insert("history".into(), Value::from(history.as_str()));
    }
    if let Some(reset) = &step.reset {
        object.insert("reset".into(), self::reset(reset));
    }
    if let Some(gather) = &step.gather_info {
        object.insert("gather_info".into(), gather_info(gather));
    }
    Value::Object(object)
}

fn reset(reset: &Reset) -> Value {
    let mut object = Map::new();
    insert_text(&mut object, "system_prompt", &reset.system_prompt);
    insert_text(&mut object, "user_prompt", &reset.user_prompt);
    insert_flag(&mut object, "consolidate", reset.consolidate);
    insert_flag(&mut object, "full_reset", reset.full_reset);
    Value::Object(object)
}

fn gather_info(gather: &GatherInfo) -> Value {
    let questions = gather
        .questions
        .iter()
        .map(|question| {
            let mut object = Map::new();
            object.insert("key".into(), Value::from(question.key.as_str()));
            object.insert("question".into(), Value::from(question.question.as_str()));
            insert_text(&mut object, "type", &question.kind);
            insert_flag(&mut object, "confirm", question.confirm);
            insert_text(&mut object, "prompt", &question.prompt);
            insert_list(&mut object, "functions", &question.functions);
            Value::Object(object)
        })
        .collect();
    let mut object = Map::new();
    object.insert("questions".into(), Value::Array(questions));
    insert_text(&mut object, "prompt", &gather.prompt);
    insert_text(&mut object, "output_key", &gather.output_key);
    insert_text(&mut object, "completion_action", &gather.completion_action);
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::contexts::{GatherQuestion, History};

    #[test]
    fn a_step_without_functions_renders_an_empty_list() {
        let contexts = Contexts::new().context(
            Context::new("default").step(Step::new("only").text("Talk").no_functions().end(true)),
        );
        assert_eq!(
            contexts.to_value(),
            json!({"default": {"steps": [{"name": "only", "text": "Talk", "functions": [], "end": true}]}})
        );
    }

    #[test]
    fn step_sections_render_as_markdown_text() {
        let step = Step::new("s")
            .text("Intro")
            .section(PomSection::new("Task").bullet("Ask"));
        assert_eq!(step_text(&step), "Intro\n\n## Task\n\n- Ask");
    }

    #[test]
    fn beyond_schema_members_follow_the_schema_members() {
        let context = Context::new("sales")
            .text("Sell")
            .isolated(true)
            .enter_fillers("en-US", ["Switching to sales"])
            .valid_contexts(["default"])
            .initial_step("pitch")
            .system_prompt("You sell")
            .consolidate(true)
            .step(
                Step::new("pitch")
                    .text("Pitch")
                    .criteria("Interested")
                    .valid_steps(["next"])
                    .skip_to_next_step(true)
                    .history(History::Hide)
                    .reset(Reset {
                        user_prompt: Some("Hi".into()),
                        ..Reset::default()
                    })
                    .gather_info(GatherInfo {
                        questions: vec![GatherQuestion::new("name", "Your name?")],
                        completion_action: Some("next_step".into()),
                        ..GatherInfo::default()
                    }),
            );
        let rendered = super::context(&context);
        let keys: Vec<&String> = rendered.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "steps",
                "isolated",
                "enter_fillers",
                "text",
                "valid_contexts",
                "initial_step",
                "system_prompt",
                "consolidate"
            ]
        );
        assert_eq!(
            rendered["steps"][0],
            json!({"name": "pitch", "text": "Pitch", "step_criteria": "Interested",
                   "valid_steps": ["next"], "skip_to_next_step": true, "history": "hide",
                   "reset": {"user_prompt": "Hi"},
                   "gather_info": {"questions": [{"key": "name", "question": "Your name?"}],
                                   "completion_action": "next_step"}})
        );
    }
}
