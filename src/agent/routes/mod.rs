//! The agents' HTTP routes, mounted on the shared server through
//! [`AgentMount`], a [`RouteMount`]. For an agent at `R`, each path with and without a trailing
//! slash, no redirects:
//!
//! | path | GET | POST (signed when a key is set) |
//! |---|---|---|
//! | `R` | document | document for the call data |
//! | `R/swaig` | document | tool dispatch |
//! | `R/post_prompt` (agents only) | – | summary intake |
//! | `R/sip` (SIP routing on) | document | 307 to the username's agent, else document |
//! | `R/mcp` (MCP-marked tools) | 405 | MCP JSON-RPC, never signed ([`mcp`]) |
//!
//! plus `GET /` listing the agents and services (with their `kind`) when none lives at `/`.
//! A plain SWML service is mounted the same way, without `R/post_prompt`. Basic auth is the server's layer;
//! signatures are checked on these resources by the [`SignedBody`] extractor, with an agent's
//! own [`SignaturePolicy`] registered on its resources when it has one.
//!
//! [`SignedBody`]: crate::security::signature::SignedBody

mod handlers;
mod input;
mod mcp;
mod openapi;
pub(crate) mod tool_metrics;

use std::sync::Arc;

use actix_web::{HttpRequest, web};

use handlers::Hosted;

use super::mcp::serve::is_served;
use super::{Agent, AgentRegistry, Kind};
use crate::config::Settings;
use crate::security::signature::{SignaturePolicy, SignedBody};
use crate::security::webhook_signature::SigningKey;
use crate::server::openapi::ApiDoc;
use crate::server::{AgentSummary, RouteMount};
use crate::telemetry::List;
use crate::telemetry::metrics::Collector;
use tool_metrics::ToolMetrics;

/// Every registered agent, ready to mount. Built once at startup, shared by all workers.
pub struct AgentMount {
    registry: Arc<AgentRegistry>,
    /// Per agent (same order): its own signature policy, when it overrides the server's.
    policies: Vec<Option<SignaturePolicy>>,
    tool_metrics: Arc<ToolMetrics>,
}

impl AgentMount {
    /// Logs `agent_registered` for each agent and works out per-agent signature policies (an
    /// agent's own key, or the server's key with forwarded headers trusted for its URL).
    pub fn new(registry: AgentRegistry, settings: &Settings) -> AgentMount {
        let server = SignaturePolicy::from_settings(settings);
        let policies = registry
            .agents()
            .iter()
            .map(|agent| {
                tracing::info!(
                    name = agent.name(),
                    route = agent.route(),
                    tools = ?List(&agent.tool_names()),
                    "agent_registered"
                );
                own_policy(agent, &server)
            })
            .collect();
        AgentMount {
            tool_metrics: Arc::new(ToolMetrics::new(&registry)),
            registry: Arc::new(registry),
            policies,
        }
    }

    pub fn registry(&self) -> &Arc<AgentRegistry> {
        &self.registry
    }
}

fn own_policy(agent: &Agent, server: &SignaturePolicy) -> Option<SignaturePolicy> {
    let signing = agent.signing()?;
    let key = match &signing.key {
        // Empty keys are refused when the agent is built, so this is always `Some`.
        Some(key) => SigningKey::new(key.expose()).ok(),
        None => server.key.clone(),
    };
    Some(SignaturePolicy {
        key,
        trust_proxy_for_signature: signing.trust_proxy_for_signature,
    })
}

/// `R` + `suffix`, with and without a trailing slash (`/` itself for the root).
fn paths(route: &str, suffix: &str) -> Vec<String> {
    let prefix = route.trim_end_matches('/');
    let path = format!("{prefix}{suffix}");
    if path.is_empty() {
        return vec!["/".to_string()];
    }
    vec![path.clone(), format!("{path}/")]
}

/// Registers `R` + `suffix`, with and without a trailing slash, as separate resources: a
/// resource of one static path is matched by comparing strings, while one of several paths is
/// compiled into a regular-expression set that every request would run through.
fn serve(
    cfg: &mut web::ServiceConfig,
    route: &str,
    suffix: &str,
    policy: &Option<SignaturePolicy>,
    routes: impl Fn(actix_web::Resource) -> actix_web::Resource,
) {
    for path in paths(route, suffix) {
        let resource = web::resource(path);
        let resource = match policy {
            Some(policy) => resource.app_data(web::Data::new(policy.clone())),
            None => resource,
        };
        cfg.service(routes(resource));
    }
}

fn mount_agent(cfg: &mut web::ServiceConfig, hosted: Hosted, policy: &Option<SignaturePolicy>) {
    let route = hosted.agent.route().to_string();
    let h = hosted.clone();
    let get = move |req: HttpRequest| handlers::get_document(h.clone(), req);
    let h = hosted.clone();
    let post =
        move |req: HttpRequest, body: SignedBody| handlers::post_document(h.clone(), req, body);
    serve(cfg, &route, "", policy, |resource| {
        resource
            .route(web::get().to(get.clone()))
            .route(web::post().to(post.clone()))
    });

    let h = hosted.clone();
    let swaig = move |req: HttpRequest, body: SignedBody| handlers::swaig(h.clone(), req, body);
    serve(cfg, &route, "/swaig", policy, |resource| {
        resource
            .route(web::get().to(get.clone()))
            .route(web::post().to(swaig.clone()))
    });

    // A plain SWML service has no AI, hence no post-prompt to receive.
    if hosted.agent.kind() == Kind::Agent {
        let h = hosted.clone();
        let summary =
            move |req: HttpRequest, body: SignedBody| handlers::post_prompt(h.clone(), req, body);
        serve(cfg, &route, "/post_prompt", policy, |resource| {
            resource.route(web::post().to(summary.clone()))
        });
    }

    if is_served(&hosted.agent) {
        let h = hosted.clone();
        let post = move |req: HttpRequest, body: Result<web::Bytes, actix_web::Error>| {
            mcp::post(h.clone(), req, body)
        };
        // No signature policy: MCP clients do not sign.
        serve(cfg, &route, "/mcp", &None, |resource| {
            resource.route(web::post().to(post.clone()))
        });
    }

    if hosted.registry.sip().is_some() {
        let h = hosted.clone();
        let sip = move |req: HttpRequest, body: SignedBody| handlers::sip(h.clone(), req, body);
        serve(cfg, &route, "/sip", policy, |resource| {
            resource
                .route(web::get().to(get.clone()))
                .route(web::post().to(sip.clone()))
        });
    }
}

impl RouteMount for AgentMount {
    fn mount(&self, cfg: &mut web::ServiceConfig) {
        for (agent, policy) in self.registry.agents().iter().zip(&self.policies) {
            let hosted = Hosted {
                agent: agent.clone(),
                registry: self.registry.clone(),
                tool_metrics: self.tool_metrics.clone(),
            };
            mount_agent(cfg, hosted, policy);
        }
        if !self.registry.has_root_agent() {
            let registry = self.registry.clone();
            let list = move || handlers::list_agents(registry.clone());
            cfg.service(web::resource("/").route(web::get().to(list)));
        }
    }

    /// Warns about search indexes the agents read but the search service has not loaded.
    fn warm_up(&self) {
        self.registry.warn_missing_indexes();
    }

    fn describe(&self, doc: &mut ApiDoc) {
        let sip = self.registry.sip().is_some();
        for agent in self.registry.agents() {
            let mounted = openapi::Mounted {
                sip,
                post_prompt: agent.kind() == Kind::Agent,
                mcp: is_served(agent),
            };
            openapi::describe_agent(doc, agent.name(), agent.route(), &mounted);
        }
        if !self.registry.has_root_agent() {
            openapi::describe_listing(doc);
        }
    }

    fn collectors(&self) -> Vec<Box<dyn Collector>> {
        vec![Box::new(self.tool_metrics.clone())]
    }

    fn agents(&self) -> Vec<AgentSummary> {
        self.registry
            .summaries()
            .into_iter()
            .map(|(name, route, kind)| AgentSummary {
                name,
                route,
                kind: kind.as_str(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_is_served_with_and_without_a_trailing_slash() {
        assert_eq!(paths("/agent", ""), ["/agent", "/agent/"]);
        assert_eq!(paths("/agent", "/swaig"), ["/agent/swaig", "/agent/swaig/"]);
        assert_eq!(paths("/", ""), ["/"]);
        assert_eq!(paths("/", "/swaig"), ["/swaig", "/swaig/"]);
    }
}
