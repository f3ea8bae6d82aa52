//! The listener: actix-server accepts connections and each one goes through, in order,
//!
//! 1. the per-client connection limit, before a byte is read ([`ConnectionLimit`]), and
//!    `TCP_NODELAY`;
//! 2. the TLS handshake when TLS is on (bounded by `SWML_REQUEST_TIMEOUT`), HTTP/2 or HTTP/1.1
//!    by ALPN;
//! 3. the header deadline on HTTP/1 connections ([`HeaderDeadline`]);
//! 4. actix-http, serving the app of [`build_app`], with `Expect: 100-continue` checked against
//!    the body limit before the interim answer ([`expect_continue`]).
//!
//! actix-web's `HttpServer` assembles the same actix-server and actix-http pieces, with no place
//! for steps 1, 3 and the expect check; this module is that assembly with them in.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_http::{HttpService, Protocol};
use actix_rt::net::{ActixStream, Ready, TcpStream};
use actix_server::Server;
use actix_service::{
    IntoServiceFactory, ServiceFactory, ServiceFactoryExt, apply_fn_factory, fn_service, map_config,
};
use actix_tls::accept::rustls_0_23::{Acceptor, TlsStream};
use actix_web::dev::AppConfig;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::app::build_app;
use super::shutdown::actix_shutdown_timeout;
use super::state::AppState;
use crate::security::connections::{ConnectionLimit, ConnectionSlot};
use crate::security::expect_continue;
use crate::security::header_deadline::{HeaderClock, HeaderDeadline, TimeoutAnswer, clocked_call};

/// Binds the workers to `listener` and starts them.
pub(super) fn serve(
    listener: TcpListener,
    state: AppState,
    tls: Option<ServerConfig>,
) -> io::Result<Server> {
    let addr = listener.local_addr()?;
    let server = &state.settings.server;
    let mut builder = Server::build()
        .shutdown_timeout(actix_shutdown_timeout(server.shutdown_grace))
        .disable_signals();
    if let Some(workers) = server.workers {
        builder = builder.workers(workers);
    }
    let connections = Connections {
        signal: builder.graceful_shutdown_signal(),
        state,
        addr,
    };
    let builder = match tls {
        Some(config) => builder.listen("swml-server", listener, move || {
            connections.over_tls(config.clone())
        })?,
        None => builder.listen("swml-server", listener, move || connections.plain())?,
    };
    Ok(builder.run())
}

/// Everything a worker builds its connection pipeline from.
#[derive(Clone)]
struct Connections {
    state: AppState,
    addr: SocketAddr,
    signal: actix_server::GracefulShutdownSignal,
}

/// A TCP stream that holds its client's connection slot until it is dropped.
pub(super) struct Counted {
    io: TcpStream,
    peer: SocketAddr,
    _slot: ConnectionSlot,
}

/// A connection whose pipeline fails (refused, handshake failed) is simply closed: actix-server
/// has no one to report it to, and the steps that refuse log for themselves.
type ConnError = ();

impl Connections {
    fn plain(
        &self,
    ) -> impl ServiceFactory<
        TcpStream,
        Config = (),
        Response = (),
        Error = ConnError,
        InitError = (),
    > + use<> {
        let this = self.clone();
        self.admission()
            .and_then(fn_service(move |io: Counted| {
                let peer = io.peer;
                let deadline = this.with_deadline(io, peer, Protocol::Http1, false);
                std::future::ready(Ok((deadline, Protocol::Http1, Some(peer))))
            }))
            .and_then(self.http(false).map_err(|_| ()))
    }

    fn over_tls(
        &self,
        config: ServerConfig,
    ) -> impl ServiceFactory<
        TcpStream,
        Config = (),
        Response = (),
        Error = ConnError,
        InitError = (),
    > + use<> {
        let mut acceptor = Acceptor::new(config);
        acceptor.set_handshake_timeout(self.state.settings.security.request_timeout);
        let this = self.clone();
        self.admission()
            .and_then(acceptor.map_err(|_| ()))
            .and_then(fn_service(move |io: TlsStream<Counted>| {
                let protocol = match io.get_ref().1.alpn_protocol() {
                    Some(b"h2") => Protocol::Http2,
                    _ => Protocol::Http1,
                };
                let peer = io.get_ref().0.peer;
                let deadline = this.with_deadline(io, peer, protocol, true);
                std::future::ready(Ok((deadline, protocol, Some(peer))))
            }))
            .and_then(self.http(true).map_err(|_| ()))
    }

    /// Counts the connection against its client's limit (closing it at once when over) and
    /// turns Nagle's algorithm off.
    fn admission(
        &self,
    ) -> impl ServiceFactory<
        TcpStream,
        Config = (),
        Response = Counted,
        Error = ConnError,
        InitError = (),
    > + use<> {
        let limit: ConnectionLimit = self.state.layers.connections.clone();
        fn_service(move |io: TcpStream| {
            let admitted = io.peer_addr().ok().and_then(|peer| {
                let slot = limit.admit(peer.ip())?;
                let _ = io.set_nodelay(true);
                Some(Counted {
                    io,
                    peer,
                    _slot: slot,
                })
            });
            std::future::ready(admitted.ok_or(()))
        })
    }

    fn with_deadline<T>(
        &self,
        io: T,
        peer: SocketAddr,
        protocol: Protocol,
        over_tls: bool,
    ) -> HeaderDeadline<T> {
        let settings = &self.state.settings;
        let clock = (protocol == Protocol::Http1).then(|| {
            Rc::new(HeaderClock::start(
                settings.security.request_timeout,
                settings.server.keep_alive,
                tokio::time::Instant::now(),
            ))
        });
        let answer = TimeoutAnswer {
            headers: self.state.layers.headers.clone(),
            over_tls,
            client: peer.ip(),
            rejections: self.state.layers.rejections.clone(),
        };
        HeaderDeadline::new(io, clock, answer)
    }

    /// actix-http serving the app, for connections of type `T`.
    fn http<T>(
        &self,
        over_tls: bool,
    ) -> impl ServiceFactory<
        (HeaderDeadline<T>, Protocol, Option<SocketAddr>),
        Config = (),
        Response = (),
        Error = actix_http::error::DispatchError,
        InitError = (),
    > + use<T>
    where
        T: AsyncRead + AsyncWrite + Unpin + 'static,
    {
        let settings = &self.state.settings;
        let timeout = settings.security.request_timeout;
        let addr = self.addr;
        // What `HttpServer` hands the app (`req.app_config()`: TLS flag and local address, read by
        // the security layers). Its only public constructor is this one, kept for actix-test.
        let app_config = AppConfig::__priv_test_new(over_tls, addr.to_string(), addr);
        let app = build_app(self.state.clone())
            .into_factory()
            .map_err(|err| err.error_response());
        let app = map_config(app, move |()| app_config.clone());
        let signal = self.signal.clone();
        HttpService::build()
            .graceful_shutdown_signal(move || {
                let signal = signal.clone();
                async move { signal.notified().await }
            })
            .keep_alive(settings.server.keep_alive)
            // A backstop for the HTTP/2 handshake: on HTTP/1, the header deadline answers first.
            .client_request_timeout(timeout + Duration::from_secs(1))
            .client_disconnect_timeout(Duration::from_secs(1))
            .local_addr(addr)
            .on_connect_ext(|io: &HeaderDeadline<T>, data| {
                if let Some(clock) = io.clock() {
                    data.insert(clock.clone());
                }
            })
            .expect(expect_continue::gate(
                settings.security.max_request_size,
                self.state.layers.headers.clone(),
                over_tls,
                self.state.layers.rejections.clone(),
            ))
            .finish(apply_fn_factory(app, clocked_call))
    }
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// The TLS acceptor waits on socket readiness through this trait.
impl ActixStream for Counted {
    fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<Ready>> {
        ActixStream::poll_read_ready(&self.io, cx)
    }

    fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<Ready>> {
        ActixStream::poll_write_ready(&self.io, cx)
    }
}
