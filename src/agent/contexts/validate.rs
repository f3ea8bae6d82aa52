//! The build-time rules of contexts and steps (listed in docs/AGENTS.md). Each error names the context, step or function
//! at fault.

use std::collections::HashSet;

use super::Contexts;
use super::step::{GatherInfo, Step, StepFunctions};

pub(crate) const MAX_CONTEXTS: usize = 50;
pub(crate) const MAX_STEPS: usize = 100;

/// The keyword a step uses to name the step after it.
const NEXT: &str = "next";
/// The completion action that moves to the next step.
const NEXT_STEP: &str = "next_step";

pub(super) fn validate(
    contexts: &Contexts,
    function_exists: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let list = &contexts.contexts;
    if list.is_empty() {
        return Err("at least one context is needed".into());
    }
    if list.len() > MAX_CONTEXTS {
        return Err(format!(
            "{} contexts, at most {MAX_CONTEXTS} allowed",
            list.len()
        ));
    }
    let names = unique(list.iter().map(|c| c.name.as_str()), "context")?;
    if !names.contains("default") {
        return Err("a context named 'default' is required".into());
    }
    for context in list {
        let name = &context.name;
        if context.steps.is_empty() {
            return Err(format!("context '{name}' has no step"));
        }
        if context.steps.len() > MAX_STEPS {
            return Err(format!(
                "context '{name}' has {} steps, at most {MAX_STEPS} allowed",
                context.steps.len()
            ));
        }
        let steps = unique(context.steps.iter().map(|s| s.name.as_str()), "step")
            .map_err(|e| format!("context '{name}': {e}"))?;
        if let Some(initial) = &context.initial_step
            && !steps.contains(initial.as_str())
        {
            return Err(format!(
                "context '{name}': initial step '{initial}' does not exist"
            ));
        }
        check_contexts(&context.valid_contexts, &names)
            .map_err(|e| format!("context '{name}': {e}"))?;
        for step in &context.steps {
            check_step(step, &steps, &names, function_exists)
                .map_err(|e| format!("context '{name}', step '{}': {e}", step.name))?;
        }
    }
    Ok(())
}

/// The names as a set, or an error naming the first duplicate or empty one.
fn unique<'a>(
    names: impl Iterator<Item = &'a str>,
    what: &str,
) -> Result<HashSet<&'a str>, String> {
    let mut seen = HashSet::new();
    for name in names {
        if name.is_empty() {
            return Err(format!("a {what} has an empty name"));
        }
        if !seen.insert(name) {
            return Err(format!("two {what}s are named '{name}'"));
        }
    }
    Ok(seen)
}

fn check_contexts(targets: &[String], contexts: &HashSet<&str>) -> Result<(), String> {
    match targets.iter().find(|t| !contexts.contains(t.as_str())) {
        Some(missing) => Err(format!("valid context '{missing}' does not exist")),
        None => Ok(()),
    }
}

fn check_functions(
    functions: &[String],
    function_exists: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    match functions.iter().find(|f| !function_exists(f)) {
        Some(missing) => Err(format!("function '{missing}' does not exist")),
        None => Ok(()),
    }
}

fn check_step(
    step: &Step,
    steps: &HashSet<&str>,
    contexts: &HashSet<&str>,
    function_exists: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    if step.name == NEXT {
        return Err("'next' is a keyword, not a step name".into());
    }
    if step.text.is_empty() && step.sections.is_empty() {
        return Err("the step has no text".into());
    }
    if let Some(missing) = step
        .valid_steps
        .iter()
        .find(|s| s.as_str() != NEXT && !steps.contains(s.as_str()))
    {
        return Err(format!("valid step '{missing}' does not exist"));
    }
    check_contexts(&step.valid_contexts, contexts)?;
    if let StepFunctions::Only(functions) = &step.functions {
        check_functions(functions, function_exists)?;
    }
    if let Some(gather) = &step.gather_info {
        check_gather(gather, steps, function_exists)?;
    }
    Ok(())
}

fn check_gather(
    gather: &GatherInfo,
    steps: &HashSet<&str>,
    function_exists: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    if gather.questions.is_empty() {
        return Err("gather_info has no question".into());
    }
    unique(
        gather.questions.iter().map(|q| q.key.as_str()),
        "question key",
    )?;
    for question in &gather.questions {
        check_functions(&question.functions, function_exists)?;
    }
    if let Some(action) = &gather.completion_action
        && action != NEXT_STEP
        && !steps.contains(action.as_str())
    {
        return Err(format!(
            "completion action '{action}' is neither 'next_step' nor a step"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::contexts::{Context, GatherQuestion};

    fn tools(name: &str) -> bool {
        name == "lookup"
    }

    fn check(contexts: Contexts) -> Result<(), String> {
        contexts.validate(&tools)
    }

    fn default_with(step: Step) -> Contexts {
        Contexts::new().context(Context::new("default").step(step))
    }

    fn step() -> Step {
        Step::new("s").text("Talk")
    }

    #[test]
    fn a_minimal_default_context_is_valid() {
        assert_eq!(check(default_with(step())), Ok(()));
    }

    #[test]
    fn contexts_need_at_least_one_context() {
        assert_eq!(
            check(Contexts::new()).unwrap_err(),
            "at least one context is needed"
        );
    }

    #[test]
    fn contexts_need_one_named_default() {
        let contexts = Contexts::new().context(Context::new("sales").step(step()));
        assert_eq!(
            check(contexts).unwrap_err(),
            "a context named 'default' is required"
        );
    }

    #[test]
    fn every_context_needs_a_step() {
        let contexts = Contexts::new().context(Context::new("default"));
        assert_eq!(
            check(contexts).unwrap_err(),
            "context 'default' has no step"
        );
    }

    #[test]
    fn at_most_fifty_contexts_are_allowed() {
        let mut contexts = Contexts::new().context(Context::new("default").step(step()));
        for index in 0..MAX_CONTEXTS {
            contexts = contexts.context(Context::new(format!("c{index}")).step(step()));
        }
        assert_eq!(
            check(contexts).unwrap_err(),
            "51 contexts, at most 50 allowed"
        );
    }

    #[test]
    fn at_most_a_hundred_steps_are_allowed() {
        let mut context = Context::new("default");
        for index in 0..=MAX_STEPS {
            context = context.step(Step::new(format!("s{index}")).text("t"));
        }
        let error = check(Contexts::new().context(context)).unwrap_err();
        assert_eq!(
            error,
            "context 'default' has 101 steps, at most 100 allowed"
        );
    }

    #[test]
    fn names_must_be_unique() {
        let contexts = Contexts::new()
            .context(Context::new("default").step(step()))
            .context(Context::new("default").step(step()));
        assert_eq!(
            check(contexts).unwrap_err(),
            "two contexts are named 'default'"
        );
        let contexts = Contexts::new().context(Context::new("default").step(step()).step(step()));
        assert_eq!(
            check(contexts).unwrap_err(),
            "context 'default': two steps are named 's'"
        );
    }

    #[test]
    fn the_initial_step_must_exist() {
        let contexts =
            Contexts::new().context(Context::new("default").initial_step("nope").step(step()));
        assert_eq!(
            check(contexts).unwrap_err(),
            "context 'default': initial step 'nope' does not exist"
        );
    }

    #[test]
    fn valid_steps_must_exist_or_be_next() {
        assert_eq!(check(default_with(step().valid_steps(["next"]))), Ok(()));
        assert_eq!(
            check(default_with(step().valid_steps(["gone"]))).unwrap_err(),
            "context 'default', step 's': valid step 'gone' does not exist"
        );
    }

    #[test]
    fn valid_contexts_must_exist() {
        assert_eq!(
            check(default_with(step().valid_contexts(["billing"]))).unwrap_err(),
            "context 'default', step 's': valid context 'billing' does not exist"
        );
        let contexts =
            Contexts::new().context(Context::new("default").valid_contexts(["x"]).step(step()));
        assert_eq!(
            check(contexts).unwrap_err(),
            "context 'default': valid context 'x' does not exist"
        );
    }

    #[test]
    fn step_functions_must_exist() {
        assert_eq!(check(default_with(step().functions(["lookup"]))), Ok(()));
        assert_eq!(
            check(default_with(step().functions(["missing"]))).unwrap_err(),
            "context 'default', step 's': function 'missing' does not exist"
        );
    }

    #[test]
    fn completion_actions_must_be_next_step_or_a_step() {
        let gather = |action: &str| GatherInfo {
            questions: vec![GatherQuestion::new("k", "q?")],
            completion_action: Some(action.into()),
            ..GatherInfo::default()
        };
        assert_eq!(
            check(default_with(step().gather_info(gather("next_step")))),
            Ok(())
        );
        assert_eq!(check(default_with(step().gather_info(gather("s")))), Ok(()));
        assert_eq!(
            check(default_with(step().gather_info(gather("later")))).unwrap_err(),
            "context 'default', step 's': completion action 'later' is neither 'next_step' nor a step"
        );
    }

    #[test]
    fn a_step_cannot_be_named_next_or_be_empty() {
        assert_eq!(
            check(default_with(Step::new("next").text("t"))).unwrap_err(),
            "context 'default', step 'next': 'next' is a keyword, not a step name"
        );
        assert_eq!(
            check(default_with(Step::new("s"))).unwrap_err(),
            "context 'default', step 's': the step has no text"
        );
    }
}
