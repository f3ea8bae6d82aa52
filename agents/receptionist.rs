//! `receptionist` at `/receptionist`: greets callers, finds out which department they need, and
//! transfers them (the `Receptionist` prefab: a `transfer_call` tool the platform runs). SIP
//! calls to `reception@...` reach it.

use swml_server::agent::prefabs::{Department, Destination, Receptionist};
use swml_server::agent::{AgentBuilder, AgentContext, AgentError};

pub fn agent(_context: &AgentContext) -> Result<AgentBuilder, AgentError> {
    let number = |n: &str| Destination::Number(n.into());
    Ok(Receptionist::new(
        "receptionist",
        "/receptionist",
        "Thank you for calling Example Corp. How can I help?",
    )
    .role("You are the receptionist of Example Corp. You connect callers to the right department.")
    .department(Department::new(
        "sales",
        "buying, prices, quotes",
        number("+15550100001"),
    ))
    .department(Department::new(
        "support",
        "problems with a product",
        number("+15550100002"),
    ))
    .department(Department::new(
        "billing",
        "invoices and payments",
        number("sip:billing@example.com"),
    ))
    .into_builder()?
    .sip_username("reception"))
}
