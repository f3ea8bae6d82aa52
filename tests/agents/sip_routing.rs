//! SIP routing between registered agents.

use serde_json::json;
use swml_server::agent::{Agent, AgentError, AgentRegistry};

use crate::helpers::context;

fn registry(derive: bool) -> Result<AgentRegistry, AgentError> {
    AgentRegistry::builder()
        .agent(
            Agent::builder("Sales")
                .route("/sales")
                .sip_username("Buy")
                .sip_username("sales-team"),
        )
        .agent(Agent::builder("support").route("/support"))
        .sip_routing(true)
        .derive_sip_usernames(derive)
        .build(&context())
}

fn to(uri: &str) -> serde_json::Value {
    json!({"call": {"to": uri}})
}

#[test]
fn a_registered_username_leads_to_its_agent_whatever_the_case() {
    let registry = registry(false).unwrap();
    let sip = registry.sip().expect("SIP routing is on");
    assert_eq!(
        sip.redirect_for(&to("sip:BUY@pbx.example.com"), "/support"),
        Some("/sales".into())
    );
    assert_eq!(
        sip.redirect_for(&to("sip:sales-team@pbx.example.com"), "/support"),
        Some("/sales".into())
    );
}

#[test]
fn an_unknown_username_or_the_receiving_agent_itself_renders_locally() {
    let registry = registry(false).unwrap();
    let sip = registry.sip().unwrap();
    assert_eq!(
        sip.redirect_for(&to("sip:nobody@pbx.example.com"), "/support"),
        None
    );
    assert_eq!(
        sip.redirect_for(&to("sip:buy@pbx.example.com"), "/sales"),
        None
    );
    assert_eq!(sip.redirect_for(&json!({}), "/sales"), None);
    assert_eq!(
        sip.redirect_for(&to("sip:support@pbx.example.com"), "/sales"),
        None,
        "not derived"
    );
}

#[test]
fn usernames_can_be_derived_from_agent_names() {
    let registry = registry(true).unwrap();
    let sip = registry.sip().unwrap();
    assert_eq!(
        sip.redirect_for(&to("sip:Support@pbx.example.com"), "/sales"),
        Some("/support".into())
    );
    assert_eq!(
        sip.redirect_for(&to("sip:sales@pbx.example.com"), "/support"),
        Some("/sales".into())
    );
    assert_eq!(sip.route_for("tel-less"), None);
}

#[test]
fn tel_uris_route_by_number() {
    let registry = AgentRegistry::builder()
        .agent(
            Agent::builder("desk")
                .route("/desk")
                .sip_username("+15551234567"),
        )
        .agent(Agent::builder("other").route("/other"))
        .sip_routing(true)
        .build(&context())
        .unwrap();
    let sip = registry.sip().unwrap();
    assert_eq!(
        sip.redirect_for(&to("tel:+15551234567"), "/other"),
        Some("/desk".into())
    );
}

#[test]
fn two_agents_claiming_one_username_is_a_startup_error() {
    let outcome = AgentRegistry::builder()
        .agent(Agent::builder("a").route("/a").sip_username("desk"))
        .agent(Agent::builder("b").route("/b").sip_username("DESK"))
        .sip_routing(true)
        .build(&context());
    assert!(matches!(
        outcome,
        Err(AgentError::SipUsernameConflict { .. })
    ));
}

#[test]
fn sip_routing_is_off_unless_enabled() {
    let registry = AgentRegistry::builder()
        .agent(Agent::builder("a").route("/a"))
        .build(&context())
        .unwrap();
    assert!(registry.sip().is_none());
}
