//! The set of hosted agents, validated together at startup: unique names, routes that neither
//! collide nor nest nor sit under a reserved path, SIP usernames. Built once, outside the HTTP
//! server, and shared by every worker.

use std::sync::Arc;
use std::time::Duration;

use super::builder::AgentBuilder;
use super::built::{Agent, Kind};
use super::error::AgentError;
use super::service::SwmlService;
use super::sip::SipRouter;
use super::skills::KnowledgeSearch;
use super::token::TokenSigner;
use crate::config::Settings;

/// Paths the server itself serves; no agent may live at or under them.
pub(crate) const RESERVED_PATHS: &[&str] = &[
    "/health",
    "/ready",
    "/search",
    "/reload_index",
    "/metrics",
    "/openapi.json",
];

/// What agent definitions may need from the server: the search service for the `search` skill,
/// the token signer, the request timeout (to keep remote calls below it).
#[derive(Clone)]
pub struct AgentContext {
    knowledge: Option<Arc<dyn KnowledgeSearch>>,
    signer: Arc<TokenSigner>,
    request_timeout: Duration,
}

impl AgentContext {
    /// From the settings: the SWAIG secret and the request timeout. No search service yet.
    pub fn new(settings: &Settings) -> AgentContext {
        AgentContext {
            knowledge: None,
            signer: Arc::new(TokenSigner::from_settings(settings)),
            request_timeout: settings.security.request_timeout,
        }
    }

    /// A context with a given signer and a 30 s timeout, for tests and tools.
    pub fn with_signer(signer: TokenSigner) -> AgentContext {
        AgentContext {
            knowledge: None,
            signer: Arc::new(signer),
            request_timeout: Duration::from_secs(30),
        }
    }

    /// Lets `search` skills query local indexes in-process.
    pub fn with_knowledge(mut self, knowledge: Arc<dyn KnowledgeSearch>) -> AgentContext {
        self.knowledge = Some(knowledge);
        self
    }

    pub fn with_request_timeout(mut self, timeout: Duration) -> AgentContext {
        self.request_timeout = timeout;
        self
    }

    pub fn knowledge(&self) -> Option<Arc<dyn KnowledgeSearch>> {
        self.knowledge.clone()
    }

    pub fn signer(&self) -> Arc<TokenSigner> {
        self.signer.clone()
    }

    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }
}

/// Collects agents and SIP options for [`AgentRegistry`].
#[derive(Default)]
pub struct RegistryBuilder {
    builders: Vec<AgentBuilder>,
    services: Vec<SwmlService>,
    built: Vec<Arc<Agent>>,
    sip_routing: bool,
    derive_sip_usernames: bool,
}

impl RegistryBuilder {
    pub fn agent(mut self, agent: AgentBuilder) -> Self {
        self.builders.push(agent);
        self
    }

    /// A plain SWML service, hosted and listed like an agent.
    pub fn service(mut self, service: SwmlService) -> Self {
        self.services.push(service);
        self
    }

    /// An agent (or service) built elsewhere.
    pub fn built(mut self, agent: Arc<Agent>) -> Self {
        self.built.push(agent);
        self
    }

    /// Serves `R/sip` on every agent.
    pub fn sip_routing(mut self, enabled: bool) -> Self {
        self.sip_routing = enabled;
        self
    }

    /// Also routes each agent's (lower-cased) name as a SIP username.
    pub fn derive_sip_usernames(mut self, enabled: bool) -> Self {
        self.derive_sip_usernames = enabled;
        self
    }

    /// Builds every agent and checks them together.
    pub fn build(self, context: &AgentContext) -> Result<AgentRegistry, AgentError> {
        let mut agents = self.built;
        for builder in self.builders {
            agents.push(builder.build()?);
        }
        for service in self.services {
            agents.push(service.build()?);
        }
        check_agents(&agents)?;
        let sip = if self.sip_routing {
            Some(SipRouter::new(&agents, self.derive_sip_usernames)?)
        } else {
            None
        };
        Ok(AgentRegistry {
            agents,
            signer: context.signer(),
            knowledge: context.knowledge(),
            sip,
        })
    }
}

fn is_under(route: &str, parent: &str) -> bool {
    route == parent || route.starts_with(&format!("{parent}/"))
}

/// The startup checks between agents.
pub(crate) fn check_agents(agents: &[Arc<Agent>]) -> Result<(), AgentError> {
    for (index, agent) in agents.iter().enumerate() {
        let route = agent.route();
        if let Some(reserved) = RESERVED_PATHS.iter().find(|p| is_under(route, p)) {
            return Err(AgentError::ReservedRoute {
                agent: agent.name().into(),
                route: route.into(),
                reserved: (*reserved).into(),
            });
        }
        if route == "/" && agents.len() > 1 {
            return Err(AgentError::RootRouteShared {
                agent: agent.name().into(),
            });
        }
        for other in &agents[..index] {
            if other.name() == agent.name() {
                return Err(AgentError::DuplicateAgentName(agent.name().into()));
            }
            if other.route() == route {
                return Err(AgentError::DuplicateRoute {
                    first: other.name().into(),
                    second: agent.name().into(),
                    route: route.into(),
                });
            }
            let (inner, outer) = if is_under(route, other.route()) {
                (agent, other)
            } else if is_under(other.route(), route) {
                (other, agent)
            } else {
                continue;
            };
            return Err(AgentError::NestedRoute {
                inner: inner.name().into(),
                route: inner.route().into(),
                outer: outer.name().into(),
                outer_route: outer.route().into(),
            });
        }
    }
    Ok(())
}

/// The hosted agents.
pub struct AgentRegistry {
    agents: Vec<Arc<Agent>>,
    signer: Arc<TokenSigner>,
    knowledge: Option<Arc<dyn KnowledgeSearch>>,
    sip: Option<SipRouter>,
}

impl AgentRegistry {
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    pub fn agents(&self) -> &[Arc<Agent>] {
        &self.agents
    }

    /// The agent with this name.
    pub fn get(&self, name: &str) -> Option<&Arc<Agent>> {
        self.agents.iter().find(|agent| agent.name() == name)
    }

    pub fn signer(&self) -> &Arc<TokenSigner> {
        &self.signer
    }

    /// The SIP router, when SIP routing is on.
    pub fn sip(&self) -> Option<&SipRouter> {
        self.sip.as_ref()
    }

    /// `(name, route, kind)` of every agent and service, for `/health` and the listing at `/`.
    pub fn summaries(&self) -> Vec<(String, String, Kind)> {
        self.agents
            .iter()
            .map(|agent| {
                let (name, route) = (agent.name().to_string(), agent.route().to_string());
                (name, route, agent.kind())
            })
            .collect()
    }

    /// True when an agent is served at `/` (then there is no agent listing there).
    pub fn has_root_agent(&self) -> bool {
        self.agents.iter().any(|agent| agent.route() == "/")
    }

    /// Indexes agents read that the search service does not have loaded (all of them when
    /// there is no search service). Their tools answer that the index is not available.
    pub fn missing_indexes(&self) -> Vec<(String, String)> {
        let mut missing = Vec::new();
        for agent in &self.agents {
            for index in agent.knowledge_indexes() {
                let loaded = self.knowledge.as_ref().is_some_and(|k| k.has_index(index));
                if !loaded {
                    missing.push((agent.name().to_string(), index.clone()));
                }
            }
        }
        missing
    }

    /// Logs `search_index_unavailable` for each of [`missing_indexes`](Self::missing_indexes).
    /// Call once indexes are loaded (the agents mount does it in its warm-up).
    pub fn warn_missing_indexes(&self) {
        for (agent, index) in self.missing_indexes() {
            tracing::warn!(agent = %agent, index = %index, "search_index_unavailable");
        }
    }
}
