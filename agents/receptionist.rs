//! `receptionist` at `/receptionist`: greets callers, finds out which department they need, and
//! transfers them (the `swml_transfer` skill, run by the platform). A two-step context keeps the
//! conversation on track; SIP calls to `reception@...` reach it.

use swml_server::agent::skills::{SwmlTransfer, Transfer};
use swml_server::agent::{Agent, AgentBuilder, AgentContext, Context, Contexts, PomSection, Step};

pub fn agent(_context: &AgentContext) -> AgentBuilder {
    Agent::builder("receptionist")
        .route("/receptionist")
        .section(
            PomSection::new("Role")
                .body("You are the receptionist of Example Corp. You connect callers to the right department."),
        )
        .section(PomSection::new("Departments").bullets([
            "sales: buying, prices, quotes",
            "support: problems with a product",
            "billing: invoices and payments",
        ]))
        .skill(
            SwmlTransfer {
                description: "Transfer the caller to a department".into(),
                parameter_description: "sales, support or billing".into(),
                ..Default::default()
            }
            .route(
                "(?i)^sales$",
                Transfer::to("+15550100001").message("Connecting you to sales."),
            )
            .route(
                "(?i)^support$",
                Transfer::to("+15550100002").message("Connecting you to support."),
            )
            .route(
                "(?i)^billing$",
                Transfer::to("sip:billing@example.com").message("Connecting you to billing."),
            ),
        )
        .contexts(
            Contexts::new().context(
                Context::new("default")
                    .step(
                        Step::new("greet")
                            .text("Greet the caller and ask what they are calling about.")
                            .criteria("You know what the caller needs")
                            .no_functions()
                            .valid_steps(["next"]),
                    )
                    .step(
                        Step::new("transfer")
                            .text("Tell the caller which department can help, then transfer them.")
                            .functions(["transfer_call"])
                            .end(true),
                    ),
            ),
        )
        .sip_username("reception")
}
