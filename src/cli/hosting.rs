//! What the server hosts, assembled from settings: the agents (from the registry function `main`
//! passes in, since the concrete agents live in `agents/`) and, in front of them, the search
//! service they may use in-process.

use std::sync::Arc;

use crate::agent::KnowledgeSearch;
use crate::agent::{AgentContext, AgentError, AgentMount, AgentRegistry};
use crate::config::Settings;
use crate::search::routes::SearchService;
use crate::server::RouteMount;

/// Builds the registry of hosted agents; `agents::registry` in the binary.
pub type AgentsFactory = fn(&AgentContext) -> Result<AgentRegistry, AgentError>;

/// The agents, validated together (routes, tools, contexts), with the search service as their
/// knowledge source. An error here is a definition mistake: startup stops with exit status 2.
pub(crate) fn agent_registry(
    settings: &Settings,
    knowledge: Arc<dyn KnowledgeSearch>,
    agents: AgentsFactory,
) -> Result<AgentRegistry, String> {
    let context = AgentContext::new(settings).with_knowledge(knowledge);
    agents(&context).map_err(|e| format!("invalid agent definition: {e}"))
}

/// Every mount of the server, in warm-up order: search first, so that recipe indexes are built
/// before the agents check that the indexes their search tools name are loaded.
pub(crate) fn mounts(
    settings: &Settings,
    agents: AgentsFactory,
) -> Result<Vec<Arc<dyn RouteMount>>, String> {
    let search = SearchService::new(&settings.search)
        .map_err(|e| format!("cannot start the search threads: {e}"))?;
    let registry = agent_registry(settings, Arc::new(search.clone()), agents)?;
    Ok(vec![
        Arc::new(search),
        Arc::new(AgentMount::new(registry, settings)),
    ])
}
