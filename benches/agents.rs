//! Agent framework benchmarks: rendering the shipped `assistant` document for a call (tokens
//! minted for each secure function and the post-prompt) as a JSON tree and as the serialized
//! answer the HTTP route sends (through the agent's cached template), and one SWAIG dispatch
//! (token check, argument validation, the handler; `get_time` answers on the worker).
//!
//! `cargo bench --bench agents`

// Author code, written as an author would: `pub` items in a module tree.
#[allow(unreachable_pub)]
#[path = "../agents/mod.rs"]
mod agents;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use swml_server::agent::{AgentContext, Cutoff, PublicBase, RequestInput, TokenSigner, dispatch};

fn benches(c: &mut Criterion) {
    let signer = TokenSigner::new("bench-secret");
    let registry =
        agents::registry(&AgentContext::with_signer(signer.clone())).expect("agents build");
    let assistant = registry.get("assistant").expect("an assistant").clone();
    let base = PublicBase {
        plain: "https://agents.example.com".into(),
        with_credentials: "https://signalwire:password@agents.example.com".into(),
    };
    let fetch =
        RequestInput::new(json!({"call": {"call_id": "3f8a2c1e-bench", "to": "sip:assistant@x"}}));
    c.bench_function("render assistant document (with call id)", |b| {
        b.iter(|| {
            black_box(
                assistant
                    .render(black_box(&fetch), &base, &signer)
                    .expect("renders"),
            )
        })
    });
    c.bench_function(
        "serialized assistant document for a call (template path)",
        |b| {
            b.iter(|| {
                black_box(
                    assistant
                        .render_json(black_box(&fetch), &base, &signer)
                        .expect("renders"),
                )
            })
        },
    );
    let plain = RequestInput::default();
    c.bench_function("render assistant document (no call id)", |b| {
        b.iter(|| {
            black_box(
                assistant
                    .render(black_box(&plain), &base, &signer)
                    .expect("renders"),
            )
        })
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let token = signer.mint("call-1", "get_time");
    let call = RequestInput::new(json!({
        "function": "get_time", "call_id": "call-1",
        "argument": {"parsed": [{"timezone": "Europe/Paris"}], "raw": "{\"timezone\":\"Europe/Paris\"}"}
    }))
    .with_query("__token", token);
    c.bench_function("dispatch get_time (token, schema, handler)", |b| {
        b.iter(|| {
            let reply = runtime.block_on(dispatch(
                &assistant,
                Some(&signer),
                call.clone(),
                Cutoff::none(),
            ));
            black_box(reply.expect("a reply"))
        })
    });
}

criterion_group!(agent_benches, benches);
criterion_main!(agent_benches);
