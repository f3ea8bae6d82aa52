//! Errors found while building an agent or the set of agents: each names the agent, tool, route
//! or skill at fault, because they are shown to the author at startup.

/// A mistake in an agent's definition, or between agents. Reported before the server binds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgentError {
    #[error("agent name {0:?} is invalid: use 1..64 characters of letters, digits, '_', '-', '.'")]
    InvalidAgentName(String),
    #[error("agent '{agent}': route {route:?} is invalid: {reason}")]
    InvalidRoute {
        agent: String,
        route: String,
        reason: String,
    },
    #[error(
        "agent '{agent}': tool name {tool:?} is invalid: it must match ^[A-Za-z_][A-Za-z0-9_]*$"
    )]
    InvalidToolName { agent: String, tool: String },
    #[error("agent '{agent}': two tools are named '{tool}'")]
    DuplicateTool { agent: String, tool: String },
    #[error("agent '{agent}': the tool name '{tool}' is reserved by the platform")]
    ReservedToolName { agent: String, tool: String },
    #[error("agent '{agent}': tool '{tool}' has invalid parameters: {reason}")]
    InvalidParameters {
        agent: String,
        tool: String,
        reason: String,
    },
    #[error(
        "agent '{agent}': tool '{tool}' is a data map tool, which the platform runs; it cannot be served over MCP"
    )]
    McpDataMap { agent: String, tool: String },
    #[error("agent '{agent}': MCP server: {reason}")]
    McpServer { agent: String, reason: String },
    #[error("agent '{agent}': contexts: {reason}")]
    Contexts { agent: String, reason: String },
    #[error("agent '{agent}': skill '{skill}': {reason}")]
    Skill {
        agent: String,
        skill: String,
        reason: String,
    },
    #[error("agent '{agent}': prefab '{prefab}': {reason}")]
    Prefab {
        agent: String,
        prefab: &'static str,
        reason: String,
    },
    #[error("service '{service}': {reason}")]
    Service { service: String, reason: String },
    #[error("agent '{agent}': its signing key is empty")]
    EmptySigningKey { agent: String },
    #[error("two agents are named '{0}'")]
    DuplicateAgentName(String),
    #[error("agents '{first}' and '{second}' share the route {route:?}")]
    DuplicateRoute {
        first: String,
        second: String,
        route: String,
    },
    #[error("agent '{inner}' at {route:?} is under agent '{outer}' at {outer_route:?}")]
    NestedRoute {
        inner: String,
        route: String,
        outer: String,
        outer_route: String,
    },
    #[error("agent '{agent}': route {route:?} is under the reserved path {reserved:?}")]
    ReservedRoute {
        agent: String,
        route: String,
        reserved: String,
    },
    #[error("agent '{agent}' is at \"/\", which is allowed only when it is the only agent")]
    RootRouteShared { agent: String },
    #[error("SIP username '{username}' is claimed by agents '{first}' and '{second}'")]
    SipUsernameConflict {
        username: String,
        first: String,
        second: String,
    },
}
