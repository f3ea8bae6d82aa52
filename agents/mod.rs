//! The agents this server hosts: one file per agent, each registered here explicitly (a test
//! fails when a file in this folder is not). Compiled into the binary and the tests with
//! `#[path = "../agents/mod.rs"] mod agents;`; nothing in `src/` names a concrete agent.

mod appointments;
mod assistant;
mod faq;
mod info_gatherer;
mod ivr;
mod receptionist;
mod survey;

use swml_server::agent::{AgentContext, AgentError, AgentRegistry};

/// Every hosted agent and service, validated together. SIP calls reach agents by name (`sip:assistant@...`)
/// or by their registered usernames (`sip:reception@...`).
pub fn registry(context: &AgentContext) -> Result<AgentRegistry, AgentError> {
    AgentRegistry::builder()
        .agent(assistant::agent(context))
        .agent(receptionist::agent(context)?)
        .agent(info_gatherer::agent(context)?)
        .agent(survey::agent(context)?)
        .agent(faq::agent(context)?)
        .agent(appointments::agent(context))
        .service(ivr::service(context))
        .sip_routing(true)
        .derive_sip_usernames(true)
        .build(context)
}
