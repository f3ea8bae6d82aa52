//! Prompts: plain text, or a structured prompt (POM, "prompt object model": titled sections with
//! a body, bullets and nested subsections), which the platform turns into a well-formed system
//! prompt and which skills can extend section by section.

use serde_json::{Map, Value};

/// One POM section. Empty members are left out when rendered; a section with neither body nor
/// bullets renders `"body": ""`, because the schema wants one of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PomSection {
    title: Option<String>,
    body: String,
    bullets: Vec<String>,
    numbered: bool,
    numbered_bullets: bool,
    subsections: Vec<PomSection>,
}

impl PomSection {
    /// A section with a title.
    pub fn new(title: impl Into<String>) -> PomSection {
        PomSection {
            title: Some(title.into()),
            ..PomSection::default()
        }
    }

    /// A section without a title (a plain paragraph of the prompt).
    pub fn untitled() -> PomSection {
        PomSection::default()
    }

    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    pub fn bullet(mut self, bullet: impl Into<String>) -> Self {
        self.bullets.push(bullet.into());
        self
    }

    pub fn bullets<I, S>(mut self, bullets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bullets.extend(bullets.into_iter().map(Into::into));
        self
    }

    /// Numbers this section among its siblings.
    pub fn numbered(mut self, numbered: bool) -> Self {
        self.numbered = numbered;
        self
    }

    /// Numbers the bullets instead of marking them with dashes.
    pub fn numbered_bullets(mut self, numbered: bool) -> Self {
        self.numbered_bullets = numbered;
        self
    }

    pub fn subsection(mut self, subsection: PomSection) -> Self {
        self.subsections.push(subsection);
        self
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// Appends text to the body (a new paragraph when there is one already).
    pub fn append_body(&mut self, text: &str) {
        if !self.body.is_empty() {
            self.body.push_str("\n\n");
        }
        self.body.push_str(text);
    }

    pub fn push_bullets(&mut self, bullets: impl IntoIterator<Item = String>) {
        self.bullets.extend(bullets);
    }

    /// The section as a POM JSON object.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        if let Some(title) = self.title.as_ref().filter(|t| !t.is_empty()) {
            object.insert("title".into(), Value::from(title.as_str()));
        }
        if !self.body.is_empty() || self.bullets.is_empty() {
            object.insert("body".into(), Value::from(self.body.as_str()));
        }
        if !self.bullets.is_empty() {
            let bullets = self.bullets.iter().map(|b| Value::from(b.as_str()));
            object.insert("bullets".into(), Value::Array(bullets.collect()));
        }
        if !self.subsections.is_empty() {
            let subsections = self.subsections.iter().map(PomSection::to_value);
            object.insert("subsections".into(), Value::Array(subsections.collect()));
        }
        if self.numbered {
            object.insert("numbered".into(), Value::Bool(true));
        }
        if self.numbered_bullets {
            object.insert("numberedBullets".into(), Value::Bool(true));
        }
        Value::Object(object)
    }

    /// The section as Markdown, its title a heading of `level` (`##` for 2).
    fn write_markdown(&self, out: &mut String, level: usize, position: usize) {
        if let Some(title) = self.title.as_ref().filter(|t| !t.is_empty()) {
            out.push_str(&"#".repeat(level.min(6)));
            out.push(' ');
            if self.numbered {
                out.push_str(&format!("{position}. "));
            }
            out.push_str(title);
            out.push_str("\n\n");
        }
        if !self.body.is_empty() {
            out.push_str(&self.body);
            out.push_str("\n\n");
        }
        for (index, bullet) in self.bullets.iter().enumerate() {
            if self.numbered_bullets {
                out.push_str(&format!("{}. {bullet}\n", index + 1));
            } else {
                out.push_str(&format!("- {bullet}\n"));
            }
        }
        if !self.bullets.is_empty() {
            out.push('\n');
        }
        for (index, subsection) in self.subsections.iter().enumerate() {
            subsection.write_markdown(out, level + 1, index + 1);
        }
    }
}

/// Renders sections as one Markdown text (used where the schema wants text, e.g. steps).
pub(crate) fn sections_to_markdown(sections: &[PomSection]) -> String {
    let mut out = String::new();
    for (index, section) in sections.iter().enumerate() {
        section.write_markdown(&mut out, 2, index + 1);
    }
    out.trim_end().to_string()
}

/// An agent's main prompt: a text, POM sections, or both (the text then leads as an untitled
/// section, so skills can add sections to a text prompt).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prompt {
    text: Option<String>,
    sections: Vec<PomSection>,
}

impl Prompt {
    pub fn set_text(&mut self, text: impl Into<String>) {
        self.text = Some(text.into());
    }

    pub fn add_section(&mut self, section: PomSection) {
        self.sections.push(section);
    }

    /// The section with this title, for adding to it.
    pub fn section_mut(&mut self, title: &str) -> Option<&mut PomSection> {
        self.sections
            .iter_mut()
            .find(|section| section.title() == Some(title))
    }

    pub fn sections(&self) -> &[PomSection] {
        &self.sections
    }

    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The `text` or `pom` member of `ai.prompt`. An empty prompt (or an empty POM, which the
    /// schema forbids) renders the default text naming the agent.
    pub fn render_into(&self, prompt: &mut Map<String, Value>, agent_name: &str) {
        let text = self.text.as_ref().filter(|t| !t.is_empty());
        if self.sections.is_empty() {
            let text = match text {
                Some(text) => text.clone(),
                None => default_prompt(agent_name),
            };
            prompt.insert("text".into(), Value::from(text));
            return;
        }
        let mut pom = Vec::with_capacity(self.sections.len() + 1);
        if let Some(text) = text {
            pom.push(PomSection::untitled().body(text.as_str()).to_value());
        }
        pom.extend(self.sections.iter().map(PomSection::to_value));
        prompt.insert("pom".into(), Value::Array(pom));
    }
}

/// The prompt of an agent that was given none.
pub(crate) fn default_prompt(agent_name: &str) -> String {
    format!("You are {agent_name}, a helpful AI assistant.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rendered(prompt: &Prompt) -> Value {
        let mut object = Map::new();
        prompt.render_into(&mut object, "Ada");
        Value::Object(object)
    }

    #[test]
    fn no_prompt_renders_the_default_text() {
        assert_eq!(
            rendered(&Prompt::default()),
            json!({"text": "You are Ada, a helpful AI assistant."})
        );
    }

    #[test]
    fn a_section_without_body_or_bullets_renders_an_empty_body() {
        let section = PomSection::new("Empty").subsection(PomSection::new("Child").body("x"));
        assert_eq!(
            section.to_value(),
            json!({"title": "Empty", "body": "", "subsections": [{"title": "Child", "body": "x"}]})
        );
    }

    #[test]
    fn sections_render_only_their_set_members() {
        let section = PomSection::new("Rules")
            .bullets(["Be brief", "Be kind"])
            .numbered_bullets(true);
        assert_eq!(
            section.to_value(),
            json!({"title": "Rules", "bullets": ["Be brief", "Be kind"], "numberedBullets": true})
        );
    }

    #[test]
    fn a_text_prompt_with_sections_leads_with_the_text() {
        let mut prompt = Prompt::default();
        prompt.set_text("Hello");
        prompt.add_section(PomSection::new("Skill").body("Use tools"));
        assert_eq!(
            rendered(&prompt),
            json!({"pom": [{"body": "Hello"}, {"title": "Skill", "body": "Use tools"}]})
        );
    }

    #[test]
    fn sections_render_as_markdown_with_nested_headings() {
        let sections = [PomSection::new("Goal")
            .body("Help")
            .bullets(["a", "b"])
            .subsection(PomSection::new("Detail").bullet("c").numbered_bullets(true))];
        assert_eq!(
            sections_to_markdown(&sections),
            "## Goal\n\nHelp\n\n- a\n- b\n\n### Detail\n\n1. c"
        );
    }
}
