//! What writing one access line costs with the server's own line formats (every value escaped
//! and bounded) against `tracing-subscriber`'s stock formats, in process, written to a sink.
//!
//! `cargo run --release --example log_line_cost [-- --events 500000]`
//!
//! Each format logs the same event as the access log (`request` with method, path, status,
//! duration, client address and request id, inside the request's span) `--events` times; the
//! fastest of three passes is printed, in nanoseconds per line.

use std::time::Instant;

use clap::Parser;
use swml_server::measuring::{LogFormat, Settings};
use tracing::Subscriber;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 500_000)]
    events: u32,
}

fn access_lines(events: u32) {
    let span = tracing::info_span!("request", request_id = %"6f1c0b2a9d4e4f0a8b7c6d5e4f3a2b1c");
    let _entered = span.enter();
    for n in 0..events {
        tracing::info!(
            method = %"POST",
            path = %"/agent/swaig",
            status = 200u16,
            duration_ms = 0.42,
            client_ip = %"127.0.0.1",
            request_id = %n,
            "request"
        );
    }
}

/// Nanoseconds per line, fastest of three passes.
fn per_line(events: u32, make: &dyn Fn() -> Box<dyn Subscriber + Send + Sync>) -> f64 {
    (0..3)
        .map(|_| {
            let subscriber = make();
            let started = Instant::now();
            tracing::subscriber::with_default(subscriber, || access_lines(events));
            started.elapsed().as_nanos() as f64 / f64::from(events)
        })
        .fold(f64::INFINITY, f64::min)
}

fn ours(format: &str) -> Box<dyn Subscriber + Send + Sync> {
    let settings = Settings::from_env([("SIGNALWIRE_LOG_FORMAT", format)])
        .expect("settings")
        .logging;
    swml_server::measuring::subscriber(&settings, std::io::sink).expect("logging is on")
}

fn stock(format: LogFormat) -> Box<dyn Subscriber + Send + Sync> {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .with_ansi(false);
    match format {
        LogFormat::Json => Box::new(
            builder
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .finish(),
        ),
        LogFormat::Console => Box::new(builder.with_target(false).finish()),
    }
}

fn main() {
    let events = Args::parse().events;
    println!(
        "{:<10} {:>14} {:>14}",
        "format", "stock ns/line", "ours ns/line"
    );
    for (name, format) in [("console", LogFormat::Console), ("json", LogFormat::Json)] {
        let stock = per_line(events, &|| stock(format));
        let ours = per_line(events, &|| ours(name));
        println!("{name:<10} {stock:>14.0} {ours:>14.0}");
    }
}
