//! [`Receptionist`]: an agent that greets callers, finds out which department they need and
//! transfers them there.
//!
//! The transfer is the `swml_transfer` skill's DataMap tool (`transfer_call`, argument
//! `department`), so the platform runs it without a call back to this server: each department's
//! name, matched without regard to case, connects a phone number or SIP address, or transfers to
//! another SWML document by URL (an agent on this server, for instance).

use super::{Identity, check_keys, invalid};
use crate::agent::builder::AgentBuilder;
use crate::agent::error::AgentError;
use crate::agent::prompt::PomSection;
use crate::agent::skills::{SwmlTransfer, Transfer};

const PREFAB: &str = "receptionist";

/// Where a department's calls go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A phone number (`+15550100001`) or SIP address (`sip:sales@example.com`), connected.
    Number(String),
    /// The `http(s)` URL of a SWML document (another agent), transferred to.
    Swml(String),
}

/// A department: the name the caller and the AI use, what it handles, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    name: String,
    description: String,
    destination: Destination,
}

impl Department {
    pub fn new(name: &str, description: &str, destination: Destination) -> Department {
        Department {
            name: name.into(),
            description: description.into(),
            destination,
        }
    }
}

/// The configuration of a receptionist agent.
///
/// ```
/// use swml_server::agent::prefabs::{Department, Destination, Receptionist};
/// let agent = Receptionist::new("front_desk", "/front-desk", "Thank you for calling Example Corp.")
///     .department(Department::new("sales", "buying and prices", Destination::Number("+15550100001".into())))
///     .department(Department::new("support", "problems with a product",
///         Destination::Swml("https://agents.example.com/support".into())))
///     .into_builder()
///     .expect("a valid configuration")
///     .build()
///     .expect("the agent builds");
/// assert_eq!(agent.tool_names(), ["transfer_call"]);
/// ```
#[derive(Debug, Clone)]
pub struct Receptionist {
    identity: Identity,
    greeting: String,
    role: Option<String>,
    departments: Vec<Department>,
}

impl Receptionist {
    /// `greeting` is what the AI opens the call with.
    pub fn new(name: &str, route: &str, greeting: &str) -> Receptionist {
        Receptionist {
            identity: Identity::new(name, route),
            greeting: greeting.into(),
            role: None,
            departments: Vec::new(),
        }
    }

    /// Who the AI is (the prompt's "Role" section); by default a receptionist.
    pub fn role(mut self, role: impl Into<String>) -> Receptionist {
        self.role = Some(role.into());
        self
    }

    pub fn department(mut self, department: Department) -> Receptionist {
        self.departments.push(department);
        self
    }

    /// The agent, ready for more settings or `build()`. Fails without departments, with a blank
    /// or repeated name, or with a SWML destination that is not an `http(s)` URL.
    pub fn into_builder(self) -> Result<AgentBuilder, AgentError> {
        let name = &self.identity.name;
        let names = self.departments.iter().map(|d| d.name.as_str());
        check_keys(name, PREFAB, "department", names)?;
        let mut transfer = SwmlTransfer {
            description: "Transfer the caller to a department".into(),
            no_match_message:
                "There is no such department. Ask the caller again which one they need.".into(),
            ..Default::default()
        };
        for department in &self.departments {
            let (destination, message) = match &department.destination {
                Destination::Number(number) => (number, "Connecting you now."),
                Destination::Swml(url)
                    if url.starts_with("https://") || url.starts_with("http://") =>
                {
                    (url, "Transferring you now.")
                }
                Destination::Swml(url) => {
                    let reason = format!(
                        "department '{}': {url:?} is not an http(s) URL",
                        department.name
                    );
                    return Err(invalid(name, PREFAB, reason));
                }
            };
            let pattern = format!("(?i)^{}$", regex::escape(department.name.trim()));
            let message = format!("{message} Your call goes to {}.", department.name);
            transfer = transfer.route(&pattern, Transfer::to(destination).message(&message));
        }
        let names: Vec<&str> = self.departments.iter().map(|d| d.name.as_str()).collect();
        transfer.parameter_description = names.join(", ");
        let bullets: Vec<String> = self
            .departments
            .iter()
            .map(|d| format!("{}: {}", d.name, d.description))
            .collect();
        let role = self.role.unwrap_or_else(|| {
            "You are a receptionist. You connect callers to the right department.".into()
        });
        Ok(self
            .identity
            .builder()
            .section(PomSection::new("Role").body(role))
            .section(PomSection::new("Greeting").body(format!("Open the call with: \"{}\"", self.greeting)))
            .section(PomSection::new("Departments").bullets(bullets))
            .section(PomSection::new("Instructions").bullets([
                "Find out what the caller needs and which department handles it.",
                "Tell the caller which department you are transferring them to, then call transfer_call with its name.",
                "If no department fits, say so and ask what else you can do.",
            ]))
            .skill(transfer))
    }
}
