//! `Concierge`: directions from the configured amenities, and availability asked of a booking
//! system over HTTP (a local actix server on a loopback port), through the real app; a failing
//! or slow booking system is answered with an apology, never a guess.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use swml_server::agent::prefabs::{Amenity, Concierge, HttpAvailability};
use swml_server::testing::TestServer;

/// The booking system: `/availability` says the spa is free at 19:00 only; `/broken` answers
/// 500; `/slow` answers after a second.
struct Bookings {
    base: String,
    handle: actix_web::dev::ServerHandle,
}

async fn availability(query: web::Json<Value>) -> HttpResponse {
    let free = query["service"] == "spa" && query["time"] == "19:00";
    HttpResponse::Ok().json(if free {
        json!({"available": true, "message": "A therapist is booked for you."})
    } else {
        json!({"available": false, "alternatives": [format!("{} at 19:00", query["date"].as_str().unwrap_or(""))]})
    })
}

impl Bookings {
    async fn start() -> Bookings {
        let server = HttpServer::new(|| {
            App::new()
                .route("/availability", web::post().to(availability))
                .route(
                    "/broken",
                    web::post().to(|| async { HttpResponse::InternalServerError().finish() }),
                )
                .route(
                    "/slow",
                    web::post().to(|| async {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        HttpResponse::Ok().json(json!({"available": true}))
                    }),
                )
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let base = format!("http://{}", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Bookings { base, handle }
    }
}

fn hotel(bookings: &str) -> Concierge {
    let source = HttpAvailability::new(bookings, Duration::from_millis(200)).unwrap();
    Concierge::new("concierge", "/concierge", "Grand Hotel")
        .description("A hotel by the lake.")
        .amenity(Amenity::new("pool", "Indoor, heated").directions("Ground floor, past the lobby."))
        .amenity(Amenity::new("gym", "Open all night"))
        .service("spa")
        .service("dinner")
        .hours("Every day", "7:00 to 22:00")
        .availability(Arc::new(source))
}

async fn ask(server: &TestServer, call: &str, arguments: Value) -> String {
    let answer = server
        .call_tool("/concierge", call, "check_availability", arguments)
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["response"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[actix_web::test]
async fn the_concierge_asks_the_booking_system_over_http() {
    let bookings = Bookings::start().await;
    let url = format!("{}/availability", bookings.base);
    super::harness(hotel(&url).into_builder().unwrap());
    let agent = hotel(&url).into_builder().unwrap();
    let server = TestServer::start_agent(agent).await.unwrap();
    let free = ask(
        &server,
        "c-1",
        json!({"service": "spa", "date": "2026-12-24", "time": "19:00"}),
    )
    .await;
    assert_eq!(
        free,
        "Yes, spa is available on 2026-12-24 at 19:00. A therapist is booked for you."
    );
    let taken = ask(
        &server,
        "c-2",
        json!({"service": "dinner", "date": "2026-12-24", "time": "20:00"}),
    )
    .await;
    assert_eq!(
        taken,
        "No, dinner is not available on 2026-12-24 at 20:00. Free instead: 2026-12-24 at 19:00."
    );
    let bad_time = ask(
        &server,
        "c-3",
        json!({"service": "spa", "date": "2026-12-24", "time": "7pm"}),
    )
    .await;
    assert!(
        bad_time.starts_with("Invalid arguments for 'check_availability'"),
        "{bad_time}"
    );
    let unknown = ask(
        &server,
        "c-4",
        json!({"service": "golf", "date": "2026-12-24", "time": "10:00"}),
    )
    .await;
    assert!(
        unknown.starts_with("Invalid arguments for 'check_availability'"),
        "{unknown}"
    );
    let directions = server
        .call_tool(
            "/concierge",
            "c-5",
            "get_directions",
            json!({"location": "pool"}),
        )
        .await
        .unwrap();
    assert_eq!(
        directions.body["response"],
        json!("The pool: Ground floor, past the lobby.")
    );
    let document = server.document_for_call("/concierge", "c-6").await.unwrap();
    let venue = &swml_server::testing::ai_verb(&document).unwrap()["global_data"]["venue"];
    assert_eq!(venue["services"], json!(["spa", "dinner"]));
    assert_eq!(
        venue["hours"],
        json!([{"days": "Every day", "hours": "7:00 to 22:00"}])
    );
    assert_eq!(
        venue["amenities"][1],
        json!({"name": "gym", "details": "Open all night"})
    );
    let text = document.to_string();
    assert!(
        text.contains("Every day: 7:00 to 22:00") && text.contains("pool: Indoor, heated"),
        "{text}"
    );
    server.stop().await;
    bookings.handle.stop(true).await;
}

#[actix_web::test]
async fn a_failing_or_slow_booking_system_gets_an_apology_not_a_guess() {
    let bookings = Bookings::start().await;
    for path in ["/broken", "/slow", "/missing"] {
        let agent = hotel(&format!("{}{path}", bookings.base))
            .into_builder()
            .unwrap();
        let server = TestServer::start_agent(agent).await.unwrap();
        let reply = ask(
            &server,
            "c-7",
            json!({"service": "spa", "date": "2026-12-24", "time": "19:00"}),
        )
        .await;
        assert_eq!(
            reply, "I cannot check spa right now. Apologise and suggest the front desk.",
            "{path}"
        );
        server.stop().await;
    }
    bookings.handle.stop(true).await;
}

#[test]
fn a_concierge_with_services_but_no_source_or_a_bad_url_is_refused() {
    let unbookable = Concierge::new("c", "/c", "Inn")
        .service("spa")
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        unbookable.to_string(),
        "agent 'c': prefab 'concierge': services are listed but no availability source is set"
    );
    assert!(HttpAvailability::new("ftp://bookings.example.com", Duration::from_secs(1)).is_err());
    assert!(HttpAvailability::new("not a url", Duration::from_secs(1)).is_err());
}
