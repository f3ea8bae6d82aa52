//! What one request can make the server log: every value of every event is cut at
//! `SIGNALWIRE_LOG_MAX_VALUE_BYTES`, whichever handler logs it.

use std::sync::Arc;

use swml_server::agent::{AgentContext, AgentMount};

use crate::helpers::{Authed, TestApp, client, logs, settings};

const KEY: &str = "log-volume-signing-key";

/// The shipped agents behind a signing key.
async fn shipped_agents() -> TestApp {
    let settings = settings(&[("SIGNALWIRE_SIGNING_KEY", KEY)]);
    let context = AgentContext::new(&settings);
    let registry = crate::agents::registry(&context).expect("the shipped agents build");
    let mount = AgentMount::new(registry, &settings);
    TestApp::spawn_with(settings, vec![Arc::new(mount)]).await
}

fn sign(url: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(url.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[actix_web::test]
async fn a_100_kb_summary_is_logged_cut_to_the_value_limit() {
    let app = shipped_agents().await;
    let call_id = "log-volume-call-1";
    let summary = "s".repeat(100 * 1024);
    let body = serde_json::to_vec(&serde_json::json!({
        "call_id": call_id,
        "post_prompt_data": {"raw": summary},
    }))
    .unwrap();
    let url = app.url("/agent/post_prompt");
    let res = client()
        .post(&url)
        .authed()
        .header("content-type", "application/json")
        .header("x-signalwire-signature", sign(&url, &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let logs = logs();
    let line = logs
        .lines()
        .find(|line| line.contains("call_summary") && line.contains(call_id))
        .expect("the assistant logs the summary");
    assert!(line.len() < 3000, "a line of {} bytes", line.len());
    assert!(line.contains("…[cut: 102402 bytes]"), "{line}");
}
