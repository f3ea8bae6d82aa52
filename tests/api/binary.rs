//! The real binary: configuration errors exit 2 naming the key, the generated password is printed
//! once and works, SIGTERM exits 0, `check-config` masks secrets, `dev-cert` writes its files.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_swml-server");

/// The binary with a clean environment in an empty working directory.
fn command(dir: &std::path::Path, vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .current_dir(dir)
        .env("SWML_SEARCH_INDEXES_DIR", dir.join("no-indexes"))
        .env("SIGNALWIRE_LOG_MODE", "stderr");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

fn run(vars: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    command(dir.path(), vars).args(args).output().unwrap()
}

#[test]
fn each_config_error_exits_2_and_names_the_key() {
    let cases = [
        (vec![("SWML_RATE_LIMIT", "off")], "SWML_RATE_LIMIT"),
        (vec![("SWML_SSL_ENABLED", "ture")], "SWML_SSL_ENABLED"),
        (vec![("SWML_SSL_ENABLED", "true")], "SWML_SSL_CERT_PATH"),
        (
            vec![("SWML_MAX_REQUEST_SIZE", "10MB")],
            "SWML_MAX_REQUEST_SIZE",
        ),
        (
            vec![("SWML_SSL_VERIFY_MODE", "CERT_MAYBE")],
            "SWML_SSL_VERIFY_MODE",
        ),
        (
            vec![("SWML_TRUSTED_PROXIES", "10.0.0.0/99")],
            "SWML_TRUSTED_PROXIES",
        ),
        (
            vec![("SWML_PROXY_URL_BASE", "agents.example.com")],
            "SWML_PROXY_URL_BASE",
        ),
        (vec![("SWML_CORS_ORIGINS", "null")], "SWML_CORS_ORIGINS"),
        (vec![("PORT", "70000")], "PORT"),
        (
            vec![("SIGNALWIRE_LOG_LEVEL", "loud")],
            "SIGNALWIRE_LOG_LEVEL",
        ),
        (vec![("SWML_CONFIG_FILE", "missing.toml")], "missing.toml"),
    ];
    for (vars, key) in cases {
        for args in [&["serve"][..], &["check-config"][..]] {
            let out = run(&vars, args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{vars:?} {args:?}: {stderr}");
            assert!(stderr.contains(key), "{vars:?} should name {key}: {stderr}");
        }
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let out = run(
        &[
            ("SWML_RATE_LIMIT", "off"),
            ("SWML_HSTS_MAX_AGE", "-1"),
            ("HOST", "nowhere"),
        ],
        &["check-config"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    for key in ["SWML_RATE_LIMIT", "SWML_HSTS_MAX_AGE", "HOST"] {
        assert!(stderr.contains(key), "{key}: {stderr}");
    }
}

#[test]
fn a_file_value_error_names_the_file_key_and_unknown_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("swml-server.toml"),
        "[security]\nrate_limit = \"fast\"\nratelimit = 3\n",
    )
    .unwrap();
    let out = command(dir.path(), &[])
        .arg("check-config")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown key `security.ratelimit`"),
        "{stderr}"
    );

    std::fs::write(
        dir.path().join("swml-server.toml"),
        "[security]\nrate_limit = \"fast\"\n",
    )
    .unwrap();
    let out = command(dir.path(), &[])
        .arg("check-config")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("SWML_RATE_LIMIT (security.rate_limit in swml-server.toml)"),
        "{stderr}"
    );
}

#[test]
fn check_config_prints_effective_settings_with_secrets_masked() {
    let out = run(
        &[
            ("SWML_BASIC_AUTH_PASSWORD", "hunter2-secret"),
            ("SIGNALWIRE_SIGNING_KEY", "PSK-signing-secret"),
            ("SWML_RATE_LIMIT", "120"),
        ],
        &["check-config"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("security.rate_limit = 120  # environment"),
        "{stdout}"
    );
    assert!(!stdout.contains("hunter2-secret"));
    assert!(!stdout.contains("PSK-signing-secret"));
    assert!(
        stdout.contains("security.signing_key = \"***\""),
        "{stdout}"
    );
}

#[test]
fn an_invalid_certificate_stops_startup_with_exit_2_and_never_serves_http() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), "garbage").unwrap();
    let cert = dir.path().join("cert.pem").display().to_string();
    let out = command(
        dir.path(),
        &[
            ("SWML_SSL_ENABLED", "yes"),
            ("SWML_SSL_CERT_PATH", &cert),
            ("SWML_SSL_KEY_PATH", &cert),
            ("PORT", "0"),
        ],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ssl_config_invalid"), "{stderr}");
    assert!(stderr.contains("cert.pem"), "{stderr}");
}

#[test]
fn a_port_in_use_fails_fast_with_exit_1_naming_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = run(&[("HOST", "127.0.0.1"), ("PORT", &port)], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
}

/// A port nothing listens on right now (the probe's listener is closed before returning).
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// Starts the server on a free port and waits for its ready line; returns the child, its port and
/// the stdout lines read so far (the rest arrive on the channel).
fn start_server(
    dir: &std::path::Path,
    vars: &[(&str, &str)],
) -> (Child, u16, Vec<String>, mpsc::Receiver<String>) {
    let port = free_port();
    let port_text = port.to_string();
    let mut all = vec![("HOST", "127.0.0.1"), ("PORT", port_text.as_str())];
    all.extend_from_slice(vars);
    let mut child = command(dir, &all)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(20)) {
        let done = line.starts_with("Ready check:");
        seen.push(line);
        if done {
            break;
        }
    }
    (child, port, seen, rx)
}

/// A tiny blocking HTTP/1.1 GET over std TCP (these tests run without an async runtime);
/// retries while the server is not listening or not ready yet. Returns the status code.
fn get(port: u16, path: &str, auth: Option<(&str, &str)>) -> u16 {
    use base64::Engine;
    use std::io::{Read, Write};
    for _ in 0..100 {
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let mut request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if let Some((user, password)) = auth {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            request.push_str(&format!("Authorization: Basic {token}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if status == 503 {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        }
        return status;
    }
    0
}

fn terminate(child: &mut Child) -> Option<i32> {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

#[test]
fn the_generated_password_is_printed_once_and_works_and_sigterm_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, mut lines, rx) = start_server(dir.path(), &[("SWML_DRAIN_DELAY", "0")]);
    let credentials: Vec<String> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("Basic Auth: ").map(str::to_string))
        .collect();
    assert_eq!(credentials.len(), 1, "{lines:?}");
    let (user, password) = credentials[0].split_once(':').unwrap();
    assert_eq!(user, "signalwire");
    assert_eq!(password.len(), 32);

    assert_eq!(get(port, "/ready", None), 200);
    assert_eq!(get(port, "/health", Some((user, password))), 200);
    assert_eq!(get(port, "/health", Some((user, "not-it"))), 401);

    assert_eq!(terminate(&mut child), Some(0));
    lines.extend(rx.try_iter());
    let printed = lines.iter().filter(|l| l.contains(password)).count();
    assert_eq!(printed, 1, "the password appears exactly once: {lines:?}");
}

#[test]
fn a_configured_password_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, lines, _rx) = start_server(
        dir.path(),
        &[
            ("SWML_BASIC_AUTH_PASSWORD", "configured-secret"),
            ("SWML_DRAIN_DELAY", "0"),
        ],
    );
    assert_eq!(
        get(port, "/health", Some(("signalwire", "configured-secret"))),
        200
    );
    assert!(
        lines.iter().all(|l| !l.contains("configured-secret")),
        "{lines:?}"
    );
    assert_eq!(terminate(&mut child), Some(0));
}

#[cfg(feature = "dev-cert")]
#[test]
fn dev_cert_writes_a_certificate_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path(), &[])
        .args(["dev-cert", "--out", "certs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let cert = std::fs::read_to_string(dir.path().join("certs/cert.pem")).unwrap();
    let key = std::fs::read_to_string(dir.path().join("certs/key.pem")).unwrap();
    assert!(cert.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(key.contains("PRIVATE KEY-----"));
}

#[test]
fn json_logs_are_one_object_per_line_named_by_event_and_off_means_silent() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, _lines, _rx) = start_server(
        dir.path(),
        &[
            ("SIGNALWIRE_LOG_FORMAT", "json"),
            ("SIGNALWIRE_LOG_MODE", "stderr"),
            ("SWML_DRAIN_DELAY", "0"),
            ("SWML_BASIC_AUTH_PASSWORD", "log-secret-pw"),
        ],
    );
    // A request, so an access line is written too.
    assert_eq!(
        get(port, "/health", Some(("signalwire", "log-secret-pw"))),
        200
    );
    assert_eq!(terminate(&mut child), Some(0));
    let stderr = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let names: Vec<&str> = events
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    for expected in [
        "security_config_loaded",
        "starting_server",
        "request",
        "shutdown",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let access = events.iter().find(|e| e["message"] == "request").unwrap();
    for field in [
        "method",
        "path",
        "status",
        "duration_ms",
        "client_ip",
        "request_id",
    ] {
        assert!(!access[field].is_null(), "{field} in {access}");
    }
    assert!(!stderr.contains("log-secret-pw"));

    let (mut child, _port, _lines, _rx) = start_server(
        dir.path(),
        &[("SIGNALWIRE_LOG_MODE", "off"), ("SWML_DRAIN_DELAY", "0")],
    );
    assert_eq!(terminate(&mut child), Some(0));
    let stderr = std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    assert!(!stderr.contains("starting_server"), "{stderr}");
}

#[test]
fn a_closed_stdout_and_stderr_lose_lines_but_never_stop_serving_or_shutdown() {
    // Whoever read the server's output went away (a log pipe's reader died): every write to
    // stdout and stderr fails from the start. The server must still serve and stop on SIGTERM.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let port_text = port.to_string();
    let mut child = command(
        dir.path(),
        &[
            ("HOST", "127.0.0.1"),
            ("PORT", &port_text),
            ("SWML_BASIC_AUTH_PASSWORD", "pipe-secret"),
            ("SWML_DRAIN_DELAY", "0"),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    for _ in 0..3 {
        assert_eq!(get(port, "/ready", None), 200);
        assert_eq!(
            get(port, "/health", Some(("signalwire", "pipe-secret"))),
            200
        );
        assert_eq!(get(port, "/health", None), 401);
    }
    assert_eq!(terminate(&mut child), Some(0));
}
