//! `Application`: binds the listener (port 0 allowed, TLS or not), starts the workers, runs the
//! warm-up that `/ready` waits for, and shuts down gracefully on request.
//!
//! Lifecycle (operations.md section 3): TLS material is read before binding, so a bad
//! certificate stops startup before anything listens; the port is bound next (in use: fail
//! fast); then capabilities warm up (indexes built) while `/ready` answers 503; then ready. On
//! shutdown `/ready` answers 503 for the drain delay, then listeners close and requests in flight
//! get the grace period to finish.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpServer;
use actix_web::dev::{Server, ServerHandle};

use super::app::build_app;
use super::mount::RouteMount;
use super::state::{AppState, Readiness};
use crate::config::Settings;
use crate::security::tls::{self, TlsError};

/// Why the server could not start; `exit_code` follows operations.md section 1.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("TLS configuration is invalid: {0}")]
    Tls(#[from] TlsError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
}

impl StartupError {
    pub fn exit_code(&self) -> u8 {
        match self {
            StartupError::Tls(_) => 2,
            StartupError::Bind { .. } => 1,
        }
    }
}

/// Starts the drain-then-stop sequence; cheap to clone.
#[derive(Clone)]
pub struct ShutdownHandle {
    readiness: Readiness,
    server: ServerHandle,
    drain_delay: Duration,
}

impl ShutdownHandle {
    /// `/ready` turns 503, then after the drain delay the listeners close and in-flight requests
    /// get the grace period. Returns when the server has stopped.
    pub async fn shutdown(&self) {
        self.readiness.set_draining();
        tracing::info!(
            drain_delay_ms = self.drain_delay.as_millis() as u64,
            "shutdown"
        );
        tokio::time::sleep(self.drain_delay).await;
        self.server.stop(true).await;
    }
}

pub struct Application {
    server: Server,
    addr: SocketAddr,
    state: AppState,
}

impl Application {
    /// Reads TLS material, binds and starts the workers. Must run inside the actix runtime.
    pub fn build(
        settings: Settings,
        mounts: Vec<Arc<dyn RouteMount>>,
    ) -> Result<Application, StartupError> {
        let tls_config = if settings.tls.enabled {
            Some(tls::server_config(&settings.tls).inspect_err(|e| {
                tracing::error!(reason = %e, "ssl_config_invalid");
            })?)
        } else {
            None
        };
        let requested = SocketAddr::new(settings.server.host, settings.server.port);
        let listener = TcpListener::bind(requested).map_err(|source| StartupError::Bind {
            addr: requested,
            source,
        })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: requested,
            source,
        })?;
        let state = AppState::new(settings, mounts);
        log_security_config(&state.settings);

        let factory_state = state.clone();
        let security = &state.settings.security;
        let mut server = HttpServer::new(move || build_app(factory_state.clone()))
            .client_request_timeout(security.request_timeout)
            .tls_handshake_timeout(security.request_timeout)
            .shutdown_timeout(state.settings.server.shutdown_grace.as_secs())
            .tcp_nodelay(true)
            .disable_signals();
        if let Some(workers) = state.settings.server.workers {
            server = server.workers(workers);
        }
        let bind_error = |source| StartupError::Bind { addr, source };
        let server = match tls_config {
            Some(config) => server.listen_rustls_0_23(listener, config),
            None => server.listen(listener),
        }
        .map_err(bind_error)?
        .run();
        Ok(Application {
            server,
            addr,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            readiness: self.state.readiness.clone(),
            server: self.server.handle(),
            drain_delay: self.state.settings.server.drain_delay,
        }
    }

    /// Warms up every capability, turns ready, and serves until stopped.
    pub async fn run_until_stopped(self) -> io::Result<()> {
        let state = self.state.clone();
        actix_web::rt::spawn(async move {
            for mount in state.mounts.iter() {
                let mount = mount.clone();
                if let Err(e) = actix_web::rt::task::spawn_blocking(move || mount.warm_up()).await {
                    tracing::error!(cause = %e, "warm_up_failed");
                }
            }
            state.readiness.set_ready();
            tracing::info!("ready");
        });
        if self.state.layers.rate_limit.is_enabled() {
            let rate_limit = self.state.layers.rate_limit.clone();
            actix_web::rt::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(60));
                loop {
                    tick.tick().await;
                    rate_limit.evict_idle();
                }
            });
        }
        self.server.await
    }
}

/// Listens for SIGINT and SIGTERM, then runs the graceful shutdown. The handlers are installed
/// when this is called, not when the returned future first runs, so a signal that arrives right
/// after startup is already ours (the default action would kill the process).
pub fn shutdown_on_signals(handle: ShutdownHandle) -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let next = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut stream) => {
                        stream.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = next(interrupt) => {},
                _ = next(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        handle.shutdown().await;
    }
}

fn log_security_config(settings: &Settings) {
    let security = &settings.security;
    tracing::info!(
        ssl_enabled = settings.tls.enabled,
        domain = ?security.domain,
        allowed_hosts = ?security.allowed_hosts,
        cors_origins = ?security.cors_origins,
        max_request_size = security.max_request_size,
        rate_limit = security.rate_limit,
        request_timeout = security.request_timeout.as_secs(),
        use_hsts = security.use_hsts,
        has_basic_auth = true,
        "security_config_loaded"
    );
}
