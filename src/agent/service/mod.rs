//! [`SwmlService`]: a plain SWML endpoint (an IVR, a call flow) without an `ai` verb, hosted like
//! an agent: the same registry, routes, basic auth, webhook signatures and secure-function
//! tokens. Its document is a set of sections built from the typed verbs of
//! [`crate::swml::verbs`], optionally adjusted per request by a closure; its tools answer on
//! `R/swaig` exactly as an agent's do (a `request` verb, or another agent's `includes`, calls
//! them). A service has no post-prompt, so `R/post_prompt` is not served.
//!
//! `build()` checks what can be checked before a call: the name and route, the tools, and that
//! every `execute` or `transfer` naming a section of this document names one that exists.

mod sections;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use serde_json::Value;

use super::builder::AGENT_NAME;
use super::built::{Agent, AgentSigning, HookError, HookResult};
use super::config::AgentConfig;
use super::error::AgentError;
use super::render::{PublicBase, RenderScope, Tokens};
use super::request::RequestInput;
use super::route::validate_route;
use super::token::TokenSigner;
use super::tool::Tool;
use crate::config::Secret;
use crate::swml::{Document, Verb};

type DocumentHook = dyn Fn(&ServiceRequest<'_>, &mut Document) -> Result<(), String> + Send + Sync;

/// What a built service renders: its static document and the per-request closure.
#[derive(Clone)]
pub(crate) struct ServiceBody {
    document: Document,
    hook: Option<Arc<DocumentHook>>,
}

/// One request, as a service's per-request closure sees it: the call data, and the URLs it may
/// put into the document (built from the request's public base, credentials included).
pub struct ServiceRequest<'a> {
    input: &'a RequestInput,
    scope: &'a RenderScope<'a>,
    config: &'a AgentConfig,
}

impl ServiceRequest<'_> {
    /// The request's body, query and headers.
    pub fn input(&self) -> &RequestInput {
        self.input
    }

    /// The call the document is rendered for, when the platform said.
    pub fn call_id(&self) -> Option<&str> {
        self.scope.call_id
    }

    /// An absolute URL on this server (`path` starts with `/`), with the basic-auth credentials
    /// the platform needs to fetch it: how a service transfers a call to a hosted agent.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.scope.base.with_credentials)
    }

    /// The URL of this service's `R/swaig` for `function`, carrying a secure-function token when
    /// the call id is known (a secure tool cannot be called without one).
    pub fn swaig_url(&self, function: &str) -> String {
        self.scope.callback(self.config, "swaig", Some(function))
    }
}

impl ServiceBody {
    /// The document for one request: a copy of the static one, adjusted by the closure. A
    /// panicking closure is caught and reported like a failing one.
    pub(crate) fn render(
        &self,
        agent: &Agent,
        input: &RequestInput,
        base: &PublicBase,
        signer: &TokenSigner,
    ) -> Result<Value, HookError> {
        let mut document = self.document.clone();
        if let Some(hook) = &self.hook {
            let scope = RenderScope {
                route: &agent.route,
                base,
                call_id: input.render_call_id(),
                tokens: Tokens::Minted(signer),
            };
            let request = ServiceRequest {
                input,
                scope: &scope,
                config: &agent.config,
            };
            match catch_unwind(AssertUnwindSafe(|| hook(&request, &mut document))) {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => return Err(HookError::Failed(reason)),
                Err(_) => return Err(HookError::Panicked),
            }
        }
        Ok(document.into_value())
    }
}

/// Builds a plain SWML service. Every method consumes and returns the builder; mistakes are
/// reported by [`build`](SwmlService::build).
pub struct SwmlService {
    config: AgentConfig,
    route: String,
    document: Document,
    hook: Option<Arc<DocumentHook>>,
    sip_usernames: Vec<String>,
    signing: Option<AgentSigning>,
    errors: Vec<AgentError>,
}

impl SwmlService {
    /// A service named `name` (letters, digits, `_`, `-`, `.`), at route `/` until told
    /// otherwise, with an empty `main` section.
    pub fn new(name: &str) -> SwmlService {
        SwmlService {
            config: AgentConfig::new(name),
            route: "/".to_string(),
            document: Document::new(),
            hook: None,
            sip_usernames: Vec::new(),
            signing: None,
            errors: Vec::new(),
        }
    }

    /// Where the service is served (the same rules as an agent's route).
    pub fn route(mut self, route: &str) -> Self {
        self.route = route.to_string();
        self
    }

    /// Appends a verb to `main`: any typed verb of [`crate::swml::verbs`], or a [`Verb`].
    pub fn verb(mut self, verb: impl Into<Verb>) -> Self {
        self.document.push(verb.into());
        self
    }

    /// Appends verbs to the named section, creating it: the target of `execute` and
    /// `transfer` by section name.
    pub fn section<I, V>(mut self, name: &str, verbs: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<Verb>,
    {
        self.document.add_section(name);
        for verb in verbs {
            self.document.push_to(name, verb.into());
        }
        self
    }

    /// Adjusts a copy of the document for each request (the call data, the query, the
    /// headers): a per-caller greeting, a URL on this server, a tokened SWAIG URL. The shared
    /// document never changes.
    pub fn per_request<R, F>(mut self, hook: F) -> Self
    where
        R: HookResult,
        F: Fn(&ServiceRequest<'_>, &mut Document) -> R + Send + Sync + 'static,
    {
        self.hook = Some(Arc::new(move |request, document| {
            hook(request, document).into_hook_result()
        }));
        self
    }

    /// A SWAIG function served on `R/swaig` (secure by default, like an agent's tools).
    pub fn tool(mut self, tool: Tool) -> Self {
        if let Err(error) = self.config.add_tool(tool) {
            self.errors.push(error);
        }
        self
    }

    /// A query parameter added to every SWAIG URL [`ServiceRequest::swaig_url`] builds.
    pub fn swaig_query_param(mut self, name: &str, value: &str) -> Self {
        self.config.add_swaig_query_param(name, value);
        self
    }

    /// Routes SIP calls to this username (case-insensitive) to this service.
    pub fn sip_username(mut self, username: &str) -> Self {
        self.sip_usernames.push(username.to_ascii_lowercase());
        self
    }

    /// This service's own webhook signing key, overriding the server's.
    pub fn signing_key(mut self, key: Secret) -> Self {
        self.signing.get_or_insert_with(AgentSigning::default).key = Some(key);
        self
    }

    /// Trust forwarded headers when verifying this service's signatures (behind a proxy).
    pub fn trust_proxy_for_signature(mut self, trust: bool) -> Self {
        self.signing
            .get_or_insert_with(AgentSigning::default)
            .trust_proxy_for_signature = trust;
        self
    }

    /// Validates everything and returns the shareable service, or the first problem found.
    pub fn build(self) -> Result<Arc<Agent>, AgentError> {
        let name = self.config.name.clone();
        if !AGENT_NAME.is_match(&name) {
            return Err(AgentError::InvalidAgentName(name));
        }
        if let Some(error) = self.errors.into_iter().next() {
            return Err(error);
        }
        validate_route(&self.route).map_err(|reason| AgentError::InvalidRoute {
            agent: name.clone(),
            route: self.route.clone(),
            reason,
        })?;
        if let Some(signing) = &self.signing
            && signing.key.as_ref().is_some_and(|key| key.is_empty())
        {
            return Err(AgentError::EmptySigningKey { agent: name });
        }
        sections::check_targets(&self.document).map_err(|reason| AgentError::Service {
            service: name.clone(),
            reason,
        })?;
        Ok(Arc::new(Agent {
            route: self.route,
            config: self.config,
            hook: None,
            on_summary: None,
            sip_usernames: self.sip_usernames,
            signing: self.signing,
            templates: std::sync::OnceLock::new(),
            service: Some(ServiceBody {
                document: self.document,
                hook: self.hook,
            }),
        }))
    }
}
