//! `TestApp`: a real server on a 127.0.0.1 port, built through `Application::build` exactly as
//! `main` does, with settings from a map (never the process environment) and a few test-only
//! routes to exercise the layers.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use actix_web::{HttpResponse, web};
use swml_server::test_support::{ApiError, Application, RouteMount, ShutdownHandle};
use swml_server::test_support::{Settings, Sources};
use swml_server::test_support::{SignaturePolicy, SignedBody};
use swml_server::webhook_signature::SigningKey;

/// The signing key of the `/test/own-key` route, which overrides the server-wide one.
pub(crate) const OWN_KEY: &str = "route-specific-signing-key";

pub(crate) const USER: &str = "signalwire";
pub(crate) const PASSWORD: &str = "test-password";

/// Routes that only tests mount: an echo of the body length, a JSON parser, a slow handler and
/// a failing one.
pub(crate) struct TestRoutes;

async fn echo(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "received": body.len() }))
}

async fn parse_json(body: web::Json<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(body.into_inner())
}

#[derive(serde::Deserialize)]
struct SlowQuery {
    ms: u64,
}

async fn slow(query: web::Query<SlowQuery>) -> HttpResponse {
    tokio::time::sleep(Duration::from_millis(query.ms)).await;
    HttpResponse::Ok().json(serde_json::json!({ "slept_ms": query.ms }))
}

async fn internal() -> Result<HttpResponse, ApiError> {
    Err(ApiError::Internal)
}

/// The `x-test-marker` of every request the signed handler ran for, to prove that a rejected
/// request never reaches it (tests run concurrently, so each marks its own requests).
pub(crate) static SIGNED_HANDLER_MARKERS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Answers with the exact bytes the handler was handed.
async fn signed(req: actix_web::HttpRequest, body: SignedBody) -> HttpResponse {
    if let Some(marker) = req
        .headers()
        .get("x-test-marker")
        .and_then(|v| v.to_str().ok())
    {
        SIGNED_HANDLER_MARKERS
            .lock()
            .unwrap()
            .push(marker.to_string());
    }
    HttpResponse::Ok()
        .content_type("application/octet-stream")
        .body(body.into_bytes())
}

impl RouteMount for TestRoutes {
    fn mount(&self, cfg: &mut web::ServiceConfig) {
        cfg.route("/test/echo", web::post().to(echo))
            .route("/test/json", web::post().to(parse_json))
            .route("/test/slow", web::get().to(slow))
            .route("/test/internal", web::get().to(internal))
            .route("/test/signed", web::post().to(signed))
            .service(
                web::resource("/test/own-key")
                    .app_data(web::Data::new(SignaturePolicy {
                        key: Some(SigningKey::new(OWN_KEY).expect("non-empty")),
                        trust_proxy_for_signature: true,
                    }))
                    .route(web::post().to(signed)),
            );
    }
}

/// A mount whose warm-up takes a while, to watch `/ready` wait for it.
pub(crate) struct SlowWarmUp(pub Duration);

impl RouteMount for SlowWarmUp {
    fn mount(&self, _cfg: &mut web::ServiceConfig) {}

    fn warm_up(&self) {
        std::thread::sleep(self.0);
    }
}

/// Settings for tests: a known password, no rate limit unless asked, quick shutdown.
pub(crate) fn settings(vars: &[(&str, &str)]) -> Settings {
    let mut all: Vec<(String, String)> = vec![
        ("HOST".into(), "127.0.0.1".into()),
        ("PORT".into(), "0".into()),
        ("SWML_BASIC_AUTH_PASSWORD".into(), PASSWORD.into()),
        ("SWML_RATE_LIMIT".into(), "0".into()),
        ("SWML_WORKERS".into(), "2".into()),
        ("SWML_DRAIN_DELAY".into(), "0".into()),
        ("SWML_SHUTDOWN_GRACE".into(), "5".into()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::load(&Sources::from_env(all)).expect("test settings are valid")
}

pub(crate) struct TestApp {
    pub address: String,
    pub port: u16,
    pub shutdown: ShutdownHandle,
    pub stopped: tokio::sync::oneshot::Receiver<std::io::Result<()>>,
}

impl TestApp {
    /// Starts a server with `settings`, the test routes and `extra` mounts, and waits until it
    /// reports ready.
    pub(crate) async fn spawn_with(settings: Settings, extra: Vec<Arc<dyn RouteMount>>) -> TestApp {
        let app = TestApp::start(settings, extra);
        app.wait_until_ready().await;
        app
    }

    pub(crate) async fn spawn(settings: Settings) -> TestApp {
        TestApp::spawn_with(settings, Vec::new()).await
    }

    /// Starts without waiting for readiness.
    pub(crate) fn start(settings: Settings, extra: Vec<Arc<dyn RouteMount>>) -> TestApp {
        capture_logs();
        let scheme = if settings.tls.enabled {
            "https"
        } else {
            "http"
        };
        let mut mounts: Vec<Arc<dyn RouteMount>> = vec![Arc::new(TestRoutes)];
        mounts.extend(extra);
        let app = Application::build(settings, mounts).expect("server starts");
        let port = app.port();
        let shutdown = app.shutdown_handle();
        let (tx, stopped) = tokio::sync::oneshot::channel();
        actix_web::rt::spawn(async move {
            let _ = tx.send(app.run_until_stopped().await);
        });
        TestApp {
            address: format!("{scheme}://127.0.0.1:{port}"),
            port,
            shutdown,
            stopped,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    async fn wait_until_ready(&self) {
        // Readiness only: the TLS tests check the certificate with their own clients.
        let client = reqwest::Client::builder()
            .no_proxy()
            .danger_accept_invalid_certs(true)
            .build()
            .expect("client builds");
        for _ in 0..200 {
            if let Ok(res) = client.get(self.url("/ready")).send().await
                && res.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("server never became ready");
    }
}

/// A plain HTTP client: no proxies from the environment, no connection reuse surprises.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

/// A client that opens a new connection for every request (to reach every worker).
pub(crate) fn fresh_connection_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client builds")
}

pub(crate) trait Authed {
    fn authed(self) -> Self;
}

impl Authed for reqwest::RequestBuilder {
    fn authed(self) -> Self {
        self.basic_auth(USER, Some(PASSWORD))
    }
}

/// What a test reads of an answer: its status and headers. A live `reqwest::Response` and a
/// [`Reply`] (the whole answer, read) both have them, so the checks below take either.
pub(crate) trait Answered {
    fn status(&self) -> reqwest::StatusCode;
    fn headers(&self) -> &reqwest::header::HeaderMap;
}

impl Answered for reqwest::Response {
    fn status(&self) -> reqwest::StatusCode {
        reqwest::Response::status(self)
    }

    fn headers(&self) -> &reqwest::header::HeaderMap {
        reqwest::Response::headers(self)
    }
}

/// A whole answer, read: status, headers and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl Answered for Reply {
    fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
}

impl Reply {
    pub(crate) fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    pub(crate) fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// Asserts a rejection as the security layer writes it: `status`, the security headers, and
    /// `{"error": code}` as the whole body.
    pub(crate) fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_security_headers(self);
        assert_eq!(self.body, serde_json::json!({ "error": code }));
    }
}

/// Sends a request and reads its whole answer, failing the test when the body is not JSON.
pub(crate) async fn send(request: reqwest::RequestBuilder) -> Reply {
    let res = request.send().await.expect("the request is answered");
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.expect("body reads");
    let body = if text.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    Reply {
        status,
        headers,
        body,
    }
}

impl TestApp {
    /// `GET path` with the test credentials.
    pub(crate) async fn get(&self, path: &str) -> Reply {
        send(client().get(self.url(path)).authed()).await
    }

    /// `POST path` with a JSON body and the test credentials.
    pub(crate) async fn post_json(&self, path: &str, body: &serde_json::Value) -> Reply {
        send(client().post(self.url(path)).authed().json(body)).await
    }
}

/// Asserts the security headers every application response carries.
pub(crate) fn assert_security_headers(res: &impl Answered) {
    let h = res.headers();
    let expect = [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("x-xss-protection", "1; mode=block"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("cache-control", "no-store"),
    ];
    for (name, value) in expect {
        assert_eq!(
            h.get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "header {name} on a {} response",
            res.status()
        );
    }
    assert!(
        h.contains_key("x-request-id"),
        "x-request-id on {}",
        res.status()
    );
}

/// The JSON body of an answer, failing the test with the text when it is not JSON.
pub(crate) async fn json(res: impl IntoJson) -> serde_json::Value {
    res.into_json().await
}

/// An answer whose body can be had as JSON.
pub(crate) trait IntoJson {
    fn into_json(self) -> impl std::future::Future<Output = serde_json::Value>;
}

impl IntoJson for reqwest::Response {
    async fn into_json(self) -> serde_json::Value {
        let text = self.text().await.expect("body reads");
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    }
}

impl IntoJson for Reply {
    async fn into_json(self) -> serde_json::Value {
        self.body
    }
}

/// Every log line written by any server in this test binary, at debug level, so tests can
/// assert what is (and is not) logged.
pub(crate) fn logs() -> String {
    let buffer = LOGS.get_or_init(Default::default).lock().unwrap();
    String::from_utf8_lossy(&buffer).into_owned()
}

static LOGS: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();

#[derive(Clone, Copy)]
struct LogSink;

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.get_or_init(Default::default)
            .lock()
            .unwrap()
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let mut log_settings = settings_for_logs();
        log_settings.rust_log = Some("debug".into());
        if let Some(subscriber) = swml_server::test_support::subscriber(&log_settings, || LogSink) {
            let _ = tracing::subscriber::set_global_default(subscriber);
        }
    });
}

fn settings_for_logs() -> swml_server::test_support::LogSettings {
    Settings::from_env([("SIGNALWIRE_LOG_FORMAT", "json")])
        .expect("valid")
        .logging
}

/// A server with `agent` mounted (through the real `AgentMount`), for tests that need a
/// document or a tool call over a real socket.
pub(crate) async fn spawn_agent(
    settings: Settings,
    agent: swml_server::agent::AgentBuilder,
) -> TestApp {
    let context = swml_server::agent::AgentContext::new(&settings);
    let registry = swml_server::agent::AgentRegistry::builder()
        .agent(agent)
        .build(&context)
        .expect("the test agent builds");
    let mount = swml_server::agent::AgentMount::new(registry, &settings);
    TestApp::spawn_with(settings, vec![Arc::new(mount)]).await
}

/// Sends `busy` and, for as long as the server works on it, the open probe every 50 ms.
/// Returns the probes' outcome (`Err` when one got no 200 within half a second: the server was
/// stalled; it answers in milliseconds otherwise) and then `busy`'s status. Servers for this run
/// one worker, so a stalled worker is a stalled server, and bodies of tens of megabytes, whose
/// parsing takes seconds in a debug build.
pub(crate) async fn probe_during(
    app: &TestApp,
    busy: reqwest::RequestBuilder,
) -> (Result<(), String>, u16) {
    let busy = actix_web::rt::spawn(async move { busy.send().await.map(|r| r.status().as_u16()) });
    let mut outcome = Ok(());
    while !busy.is_finished() && outcome.is_ok() {
        let probe = client()
            .get(app.url("/ready"))
            .timeout(Duration::from_millis(500))
            .send()
            .await;
        if !probe.as_ref().is_ok_and(|res| res.status() == 200) {
            outcome = Err(format!("the open probe waited: {probe:?}"));
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let status = busy
        .await
        .expect("the busy request ran")
        .expect("the busy request was answered");
    (outcome, status)
}
