//! SIP routing: a call to `sip:sales@example.com` posted to any agent's
//! `R/sip` is sent (307) to the agent registered for the username `sales`. Usernames are
//! compared case-insensitively; they are registered explicitly per agent and, optionally,
//! derived from agent names.

use std::collections::HashMap;

use serde_json::Value;

use super::built::Agent;
use super::error::AgentError;

/// The username of the call's destination (`call.to`): `user` of `sip:user@host` (or `sips:`),
/// or the number of `tel:+1...`; lower-cased. `None` when the body names no usable destination.
pub fn sip_username(body: &Value) -> Option<String> {
    let to = body.get("call")?.get("to")?.as_str()?.trim();
    let lowered = to.to_ascii_lowercase();
    let rest = if let Some(rest) = lowered.strip_prefix("sips:") {
        rest
    } else if let Some(rest) = lowered.strip_prefix("sip:") {
        rest
    } else if let Some(number) = lowered.strip_prefix("tel:") {
        let number = number.split(';').next().unwrap_or("");
        return (!number.is_empty()).then(|| number.to_string());
    } else {
        return None;
    };
    let user = rest.split('@').next().unwrap_or("");
    let user = user.split([';', ':']).next().unwrap_or("");
    (!user.is_empty() && rest.contains('@')).then(|| user.to_string())
}

/// The username derived from an agent name: lower-cased, keeping letters, digits, `.`, `_`, `-`.
pub(crate) fn derived_username(agent_name: &str) -> String {
    agent_name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect()
}

/// Where SIP usernames lead.
#[derive(Debug, Clone, Default)]
pub struct SipRouter {
    /// username → (agent name, route)
    routes: HashMap<String, (String, String)>,
}

impl SipRouter {
    /// Collects every agent's usernames (and derived ones when `derive` is set). Two agents
    /// claiming one explicit username is an error; a derived name never overrides an explicit
    /// one.
    pub fn new(agents: &[std::sync::Arc<Agent>], derive: bool) -> Result<SipRouter, AgentError> {
        let mut routes: HashMap<String, (String, String)> = HashMap::new();
        for agent in agents {
            for username in agent.sip_usernames() {
                let entry = (agent.name().to_string(), agent.route().to_string());
                if let Some((first, _)) = routes.get(username)
                    && first != agent.name()
                {
                    return Err(AgentError::SipUsernameConflict {
                        username: username.clone(),
                        first: first.clone(),
                        second: agent.name().to_string(),
                    });
                }
                routes.insert(username.clone(), entry);
            }
        }
        if derive {
            for agent in agents {
                let username = derived_username(agent.name());
                if !username.is_empty() {
                    routes
                        .entry(username)
                        .or_insert_with(|| (agent.name().to_string(), agent.route().to_string()));
                }
            }
        }
        Ok(SipRouter { routes })
    }

    /// The route registered for `username`, if any.
    pub fn route_for(&self, username: &str) -> Option<&str> {
        self.routes
            .get(&username.to_ascii_lowercase())
            .map(|(_, route)| route.as_str())
    }

    /// Where a SIP request received by the agent at `own_route` goes: another agent's route
    /// (answer 307), or `None` to render the receiving agent itself.
    pub fn redirect_for(&self, body: &Value, own_route: &str) -> Option<String> {
        let username = sip_username(body)?;
        let route = self.route_for(&username)?;
        (route != own_route).then(|| route.to_string())
    }

    /// Registered usernames, sorted, for listings.
    pub fn usernames(&self) -> Vec<(&str, &str)> {
        let mut names: Vec<(&str, &str)> = self
            .routes
            .iter()
            .map(|(user, (agent, _))| (user.as_str(), agent.as_str()))
            .collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn to(destination: &str) -> Value {
        json!({"call": {"to": destination}})
    }

    #[test]
    fn the_username_comes_from_a_sip_uri() {
        assert_eq!(
            sip_username(&to("sip:Sales@example.com")),
            Some("sales".into())
        );
        assert_eq!(
            sip_username(&to("sips:help@example.com:5061")),
            Some("help".into())
        );
        assert_eq!(
            sip_username(&to("sip:desk;transport=tcp@example.com")),
            Some("desk".into())
        );
    }

    #[test]
    fn the_username_of_a_tel_uri_is_the_number() {
        assert_eq!(
            sip_username(&to("tel:+15551234567")),
            Some("+15551234567".into())
        );
        assert_eq!(
            sip_username(&to("tel:+15551234567;ext=2")),
            Some("+15551234567".into())
        );
    }

    #[test]
    fn bodies_without_a_usable_destination_have_no_username() {
        assert_eq!(sip_username(&json!({})), None);
        assert_eq!(sip_username(&to("+15551234567")), None);
        assert_eq!(sip_username(&to("sip:@example.com")), None);
        assert_eq!(sip_username(&to("sip:nobody")), None);
        assert_eq!(sip_username(&json!({"call": {"to": 5}})), None);
    }

    #[test]
    fn derived_usernames_keep_only_safe_characters() {
        assert_eq!(derived_username("Sales Bot"), "salesbot");
        assert_eq!(derived_username("front-desk_2"), "front-desk_2");
    }
}
