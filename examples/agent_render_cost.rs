//! The work of one `POST /agent` answer (render the `assistant` document for a call, with its
//! tokens, and serialize it), repeated, for instruction counts under callgrind, which are
//! repeatable on a busy machine where timings are not:
//!
//! ```sh
//! cargo build --release --example agent_render_cost
//! valgrind --tool=callgrind --toggle-collect='*render_loop*' \
//!   target/release/examples/agent_render_cost 200
//! ```
//! Instructions per answer = the reported total / the count. A second argument `tree` measures
//! the general path (build the JSON tree, then serialize) instead of the cached template.

// Author code, written as an author would: `pub` items in a module tree.
#[allow(unreachable_pub)]
#[path = "../agents/mod.rs"]
mod agents;

use std::hint::black_box;

use serde_json::json;
use swml_server::agent::{Agent, AgentContext, PublicBase, RequestInput, TokenSigner};

#[inline(never)]
fn render_loop(
    agent: &Agent,
    input: &RequestInput,
    base: &PublicBase,
    signer: &TokenSigner,
    count: usize,
    tree: bool,
) -> usize {
    let mut bytes = 0;
    for _ in 0..count {
        bytes += if tree {
            let document = agent
                .render(black_box(input), base, signer)
                .expect("renders");
            serde_json::to_vec(&document).expect("serializes").len()
        } else {
            agent
                .render_json(black_box(input), base, signer)
                .expect("renders")
                .len()
        };
    }
    bytes
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let signer = TokenSigner::new("bench-secret");
    let registry =
        agents::registry(&AgentContext::with_signer(signer.clone())).expect("agents build");
    let assistant = registry.get("assistant").expect("an assistant").clone();
    let base = PublicBase {
        plain: "https://agents.example.com".into(),
        with_credentials: "https://signalwire:password@agents.example.com".into(),
    };
    let fetch = RequestInput::new(json!({"call": {"call_id": "3f8a2c1e-bench"}}));
    let tree = std::env::args().nth(2).as_deref() == Some("tree");
    // The template is built on first use: build it before measuring.
    let _ = assistant.render_json(&fetch, &base, &signer);
    let bytes = render_loop(&assistant, &fetch, &base, &signer, count, tree);
    println!("{count} answers, {} bytes each", bytes / count.max(1));
}
