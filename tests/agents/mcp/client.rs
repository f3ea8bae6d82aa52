//! The real MCP client from PyPI (`mcp`, pinned in `.ci/requirements.txt`), run by the python
//! `SWML_TEST_PYTHON` names (`.ci/run` sets it to its venv's), lists and calls the agent's tools
//! through basic auth. Without that python the test says so loudly and returns, or fails under
//! `SWML_TEST_REQUIRE_EXTERNAL=1`.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{McpServer, PASSWORD, USER};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agents/mcp_client.py");

/// The python with the `mcp` package, or `None` after the loud skip.
fn python_with_mcp(test: &str) -> Option<PathBuf> {
    let found = match std::env::var_os("SWML_TEST_PYTHON").map(PathBuf::from) {
        None => Err("SWML_TEST_PYTHON is not set".to_string()),
        Some(python) => {
            let has_mcp = Command::new(&python)
                .args(["-c", "import mcp.client.streamable_http"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if has_mcp {
                Ok(python)
            } else {
                Err(format!("{} cannot import mcp", python.display()))
            }
        }
    };
    match found {
        Ok(python) => Some(python),
        Err(why) => {
            let why = format!(
                "{why} (run .ci/run, or python3 -m venv target/ci-venv && \
                 target/ci-venv/bin/pip install -r .ci/requirements.txt and set \
                 SWML_TEST_PYTHON=$PWD/target/ci-venv/bin/python)"
            );
            crate::skip::skip_or_fail(test, &why);
            None
        }
    }
}

/// Kills the client if the test ends before it does.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the client script to its end (at most 60 s) off the async worker; its stdout as JSON.
async fn run_client(python: PathBuf, arguments: Vec<String>) -> Value {
    let output = actix_web::rt::task::spawn_blocking(move || {
        let child = Command::new(python)
            .arg(SCRIPT)
            .args(arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut child = Killed(child);
        let started = Instant::now();
        while child.0.try_wait().unwrap().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the MCP client did not finish"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Exited: its pipes hold all it wrote (a few lines, well under a pipe's buffer).
        let (mut stdout, mut stderr) = (String::new(), String::new());
        child
            .0
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        child
            .0
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.0.wait().unwrap();
        assert!(status.success(), "the MCP client failed:\n{stderr}");
        stdout
    })
    .await
    .unwrap();
    serde_json::from_str(output.trim()).unwrap_or_else(|_| panic!("not JSON: {output}"))
}

#[actix_web::test]
async fn a_real_mcp_client_lists_and_calls_the_agents_tools_through_basic_auth() {
    let test = "a_real_mcp_client_lists_and_calls_the_agents_tools_through_basic_auth";
    let Some(python) = python_with_mcp(test) else {
        return;
    };
    let server = McpServer::start().await;
    let arguments = vec![
        server.url("/tools/mcp"),
        USER.to_string(),
        PASSWORD.to_string(),
        "order_status".to_string(),
        json!({"order_id": "A1"}).to_string(),
    ];
    let report = run_client(python, arguments).await;
    server.stop().await;

    assert_eq!(report["protocol_version"], "2025-11-25");
    assert_eq!(report["server_name"], "tools");
    assert_eq!(report["has_tools_capability"], true);
    let names: Vec<&str> = report["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|tool| tool["name"].as_str())
        .collect();
    assert_eq!(names, ["order_status", "fails", "quiet"]);
    assert_eq!(
        report["tools"][0]["input_schema"]["required"],
        json!(["order_id"])
    );
    assert_eq!(
        report["call"],
        json!({"is_error": false,
               "texts": ["Order A1 ships tomorrow (source mcp, call id none, global data none)"]})
    );
    let refused = &report["without_credentials"];
    assert_eq!(refused["statuses"], json!([401]), "{refused}");
    assert_ne!(
        refused["error"], "",
        "the client got in without credentials"
    );
}
