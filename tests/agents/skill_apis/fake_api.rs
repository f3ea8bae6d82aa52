//! A local HTTP server standing in for an outside API: it answers fixed responses by path
//! (optionally late, to test timeouts) and records every request it received.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// One canned answer.
#[derive(Clone)]
pub(crate) struct Canned {
    status: u16,
    body: String,
    content_type: &'static str,
    delay: Duration,
    location: Option<String>,
}

impl Canned {
    pub(crate) fn json(status: u16, body: serde_json::Value) -> Canned {
        Canned {
            status,
            body: body.to_string(),
            content_type: "application/json",
            delay: Duration::ZERO,
            location: None,
        }
    }

    pub(crate) fn html(body: &str) -> Canned {
        Canned {
            status: 200,
            body: body.into(),
            content_type: "text/html; charset=utf-8",
            delay: Duration::ZERO,
            location: None,
        }
    }

    pub(crate) fn redirect(location: &str) -> Canned {
        Canned {
            status: 302,
            body: String::new(),
            content_type: "text/plain",
            delay: Duration::ZERO,
            location: Some(location.into()),
        }
    }

    /// The same answer, sent after `delay`.
    pub(crate) fn late(mut self, delay: Duration) -> Canned {
        self.delay = delay;
        self
    }
}

/// A request the server received.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: String,
}

struct State {
    routes: Vec<(String, Canned)>,
    seen: Mutex<Vec<Seen>>,
}

impl State {
    /// The first route `path` or `path?fragment` whose path is `path` and whose fragment (if
    /// any) is in the query.
    fn find(&self, path: &str, query: &str) -> Option<Canned> {
        self.routes.iter().find_map(|(route, canned)| {
            let (route_path, fragment) = route.split_once('?').unwrap_or((route, ""));
            (route_path == path && query.contains(fragment)).then(|| canned.clone())
        })
    }
}

/// The running server; stopped when dropped.
pub(crate) struct FakeApi {
    pub(crate) base: String,
    state: Arc<State>,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

async fn answer(request: HttpRequest, body: web::Bytes, state: web::Data<State>) -> HttpResponse {
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                value.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    state.seen.lock().unwrap().push(Seen {
        method: request.method().to_string(),
        path: request.path().to_string(),
        query: request.query_string().to_string(),
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    });
    let Some(canned) = state.find(request.path(), request.query_string()) else {
        return HttpResponse::NotFound().body("no such fixture");
    };
    if !canned.delay.is_zero() {
        actix_web::rt::time::sleep(canned.delay).await;
    }
    let status = actix_web::http::StatusCode::from_u16(canned.status).unwrap();
    let mut response = HttpResponse::build(status);
    response.content_type(canned.content_type);
    if let Some(location) = canned.location {
        response.insert_header(("location", location));
    }
    response.body(canned.body)
}

impl FakeApi {
    /// Serves `routes` (`path` or `path?query fragment` → answer, first match wins) on a loopback port, on its own thread and runtime.
    pub(crate) fn start(routes: Vec<(&str, Canned)>) -> FakeApi {
        let state = Arc::new(State {
            routes: routes
                .into_iter()
                .map(|(route, canned)| (route.to_string(), canned))
                .collect(),
            seen: Mutex::new(Vec::new()),
        });
        let shared = web::Data::from(state.clone());
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(shared.clone())
                        .default_service(web::to(answer))
                })
                .workers(1)
                .shutdown_timeout(0)
                .disable_signals()
                .bind(("127.0.0.1", 0))
                .expect("a loopback port");
                let port = server.addrs()[0].port();
                let server = server.run();
                sender.send((port, server.handle())).unwrap();
                let _ = server.await;
            });
        });
        let (port, handle) = receiver.recv().expect("the fake API started");
        FakeApi {
            base: format!("http://127.0.0.1:{port}"),
            state,
            handle,
            thread: Some(thread),
        }
    }

    /// Every request received so far.
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
