//! `Application`: binds the listener (port 0 allowed, TLS or not), starts the workers, runs the
//! warm-up that `/ready` waits for, and shuts down gracefully on request.
//!
//! Lifecycle: TLS material is read before binding, so a bad certificate stops startup before
//! anything listens; the port is bound next (in use: fail fast); then capabilities warm up
//! (indexes built) while `/ready` answers 503; then ready. Shutdown is [`super::shutdown`]'s; the
//! connection pipeline is the `listener` module's.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;

use super::listener;
use super::mount::RouteMount;
use super::shutdown::ShutdownHandle;
use super::state::AppState;
use crate::config::Settings;
use crate::security::tls::{self, TlsError};
use crate::telemetry::List;

/// Why the server could not start; `exit_code` is the one the README's "Command line" lists.
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

        let server = listener::serve(listener, state.clone(), tls_config)
            .map_err(|source| StartupError::Bind { addr, source })?;
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
        let settings = &self.state.settings.server;
        ShutdownHandle {
            readiness: self.state.readiness.clone(),
            server: self.server.handle(),
            clock: self.state.shutdown.clone(),
            drain_delay: settings.drain_delay,
            grace: settings.shutdown_grace,
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

fn log_security_config(settings: &Settings) {
    let security = &settings.security;
    tracing::info!(
        ssl_enabled = settings.tls.enabled,
        domain = ?security.domain,
        allowed_hosts = ?List(&security.allowed_hosts),
        cors_origins = ?List(&security.cors_origins),
        max_request_size = security.max_request_size,
        rate_limit = security.rate_limit,
        request_timeout = security.request_timeout.as_secs(),
        max_connections_per_client = security.max_connections_per_client,
        use_hsts = security.use_hsts,
        has_basic_auth = true,
        "security_config_loaded"
    );
}
