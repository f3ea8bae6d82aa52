//! `build_app`: the one place where every route and every layer of the security stack is put
//! together, used by `main` and by the tests alike.

use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, Error, web};

use super::state::AppState;
use super::{access_log, error_bodies, health};
use crate::security::{basic_auth, body_limit, cors, headers, hosts, rate_limit, timeout};
use crate::telemetry::metrics::RouteRecorder;

/// The configured app for one worker. All shared state comes from `state`, built once.
///
/// actix runs the last `.wrap()` first, so the layers below read from the innermost (next to
/// the routes) to the outermost. Security order, outermost first (the README's "The security layer"):
/// logging → security headers → host allow-list → CORS → rate limit → body limit → timeout →
/// basic auth → route (→ signature check on the signed resources themselves) → handler.
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let settings = state.settings.clone();
    let layers = state.layers.clone();
    let limit = settings.security.max_request_size;
    let timeout = settings.security.request_timeout;
    let grace = state.shutdown.grace();
    let mounts = state.mounts.clone();
    let rate_limit = layers.rate_limit.clone();
    let (credentials, trust_for_auth) = (layers.credentials.clone(), layers.trust.clone());
    let attempts = layers.attempts.clone();
    let (hosts_list, trust_for_hosts) = (layers.hosts.clone(), layers.trust.clone());
    let security_headers = layers.headers.clone();
    let trust_for_log = layers.trust.clone();
    // This worker's handles on the request series: counting takes no lock once a route is seen.
    let route_metrics = Rc::new(RouteRecorder::new(state.http_metrics.clone()));

    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::Data::from(settings.clone()))
        .app_data(web::Data::from(layers.public_urls.clone()))
        .app_data(web::Data::from(layers.signature.clone()))
        .app_data(web::Data::from(layers.rejections.clone()))
        // actix's own 256 KiB / 2 MiB defaults would apply before ours: use the one limit.
        .app_data(web::PayloadConfig::new(limit))
        .app_data(
            web::JsonConfig::default()
                .limit(limit)
                .error_handler(error_bodies::json_error),
        )
        .app_data(web::QueryConfig::default().error_handler(error_bodies::query_error))
        .app_data(web::PathConfig::default().error_handler(error_bodies::path_error))
        .configure(|cfg| {
            health::routes(cfg);
            for mount in mounts.iter() {
                mount.mount(cfg);
            }
        })
        .default_service(web::to(error_bodies::not_found))
        // Innermost: credentials for everything but `GET /ready` (default deny).
        .wrap(from_fn(move |req, next| {
            let checks = basic_auth::Checks {
                credentials: credentials.clone(),
                trust: trust_for_auth.clone(),
                attempts: attempts.clone(),
            };
            basic_auth::require(checks, req, next)
        }))
        // Bounds the handler and the reading of the body; knows a slow client from a slow handler;
        // answers what still runs when the shutdown grace ends.
        .wrap(from_fn(move |req, next| {
            timeout::enforce(timeout, grace.clone(), req, next)
        }))
        // Bounds the body before anyone reads it.
        .wrap(from_fn(move |req, next| {
            body_limit::limit(limit, req, next)
        }))
        // Counts every request that got past CORS, before any work is spent on it.
        .wrap(from_fn(move |req, next| {
            rate_limit::check(rate_limit.clone(), req, next)
        }))
        // Answers preflights before auth; marks readable responses for allowed origins.
        .wrap(cors::middleware(&settings.security.cors_origins))
        .wrap(from_fn(cors::drop_null_origin))
        // Refuses foreign Host headers before anything else looks at the request.
        .wrap(from_fn(move |req, next| {
            hosts::check(hosts_list.clone(), trust_for_hosts.clone(), req, next)
        }))
        // Gives router and extractor failures (404, 405, bad JSON) the common JSON body; inside
        // the headers layer so that its replacements still get the security headers.
        .wrap(from_fn(error_bodies::normalize))
        .wrap(from_fn(move |req, next| {
            headers::add(security_headers.clone(), req, next)
        }))
        // Outermost: request id, the access line and the request counters, which see the final
        // status.
        .wrap(from_fn(move |req, next| {
            access_log::record(trust_for_log.clone(), route_metrics.clone(), req, next)
        }))
}
