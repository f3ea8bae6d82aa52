//! The throughput ceiling for HTTP benchmarks: a bare actix-web hello route with no middleware,
//! run on the same machine and worker count as swml-server.
//!
//! `cargo run --release --example bare_hello -- 127.0.0.1:3901`

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3901".into());
    HttpServer::new(|| {
        App::new().route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().body("hello") }),
        )
    })
    .tcp_nodelay(true)
    .bind(addr)?
    .run()
    .await
}
