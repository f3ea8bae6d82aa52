//! The author commands through the real binary: `--env-file`, the fake call flags and the
//! SWML fetch overrides on the command line, and their usage errors.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_swml-server");

/// Runs the binary with a clean environment (plus `vars`) in an empty directory holding
/// `env_file` as `test.env`.
fn run(vars: &[(&str, &str)], env_file: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("test.env"), env_file).unwrap();
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .current_dir(dir.path())
        .env("SWML_SEARCH_INDEXES_DIR", dir.path().join("no-indexes"))
        .env("SIGNALWIRE_LOG_MODE", "stderr");
    for (name, value) in vars {
        command.env(name, value);
    }
    command.args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn env_file_values_reach_the_settings_unless_the_environment_sets_them() {
    let file = "# local settings\n\nexport PORT=\"9123\" # the dev port\n";
    let args = [
        "swml",
        "assistant",
        "--env-file",
        "test.env",
        "--call-id",
        "c1",
    ];
    let output = run(&[], file, &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("http://localhost:9123/agent/swaig/"));
    let output = run(&[("PORT", "8181")], file, &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("http://localhost:8181/agent/swaig/"));
}

#[test]
fn a_malformed_env_file_is_refused_naming_its_line() {
    let output = run(
        &[],
        "PORT=9123\n\nnot a pair\n",
        &["agents", "--env-file", "test.env"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("test.env: line 3 is not KEY=VALUE: not a pair"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    let output = run(&[], "", &["agents", "--env-file", "missing.env"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("missing.env"));
}

#[test]
fn swml_and_swaig_take_the_fake_call_flags_on_the_command_line() {
    let output = run(
        &[],
        "",
        &[
            "swml",
            "assistant",
            "--call-type",
            "sip",
            "--from-number",
            "+15550001111",
            "--fake-full-data",
            "--header",
            "X-Tenant: acme",
            "--query",
            "tier=gold",
            "--method",
            "post",
            "--body",
            r#"{"extra": 1}"#,
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    crate::helpers::assert_valid_swml(&document);
    let output = run(
        &[],
        "",
        &[
            "swaig",
            "assistant",
            "get_time",
            "--args",
            r#"{"timezone": "UTC"}"#,
            "--call-type",
            "webrtc",
            "--fake-full-data",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("The current time in UTC is ")
    );
}

#[test]
fn bad_fake_call_flags_are_usage_errors() {
    let output = run(&[], "", &["swml", "assistant", "--call-type", "pstn"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--call-type"));
    let output = run(&[], "", &["swml", "assistant", "--header", "nothing"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--header 'nothing' is not Name:value"));
}

#[test]
fn swaig_runs_a_shipped_data_map_tool_as_the_platform_would() {
    let ask = |question: &str| {
        let args = serde_json::json!({ "question": question }).to_string();
        let output = run(&[], "", &["swaig", "faq", "quick_answer", "--args", &args]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let reply: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        reply["response"].as_str().unwrap().to_string()
    };
    assert!(ask("Which LICENSE is it under?").contains("GNU GPL"));
    assert!(ask("Can I change the port?").contains("port 3000"));
    assert!(ask("Tell me a joke").starts_with("There is no quick answer for that."));
}
