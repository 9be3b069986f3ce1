//! Tickets over HTTP: two instances on one database and Redis (no double booking, live seat
//! changes across them), REST with `Idempotency-Key`, and booking without JavaScript.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::{Duration, Instant};

fn seoul(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&app::ui::format::seoul())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A concert on sale now, made through REST by the admin: returns its id and seat ids.
async fn open_concert(app: &TestApp, layout: &str) -> (String, Vec<i64>) {
    let now = chrono::Utc::now();
    let (status, body) = json_of(
        app.admin
            .post_json(
                "/api/v1/concerts",
                &json!({
                    "title": "HTTP 콘서트", "artist": "밴드", "venue": "홀",
                    "starts_at": seoul(now + chrono::Duration::days(10)),
                    "booking_starts_at": seoul(now - chrono::Duration::minutes(5)),
                    "booking_ends_at": seoul(now + chrono::Duration::days(9)),
                    "grades": "R 30000, S 20000", "layout": layout,
                }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (status, seats) = app
        .anon
        .get_json(&format!("/api/v1/concerts/{id}/seats"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let ids = seats["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    (id, ids)
}

/// Through the concert's waiting room (nobody is waiting, so straight in): the pass.
async fn admitted(client: &TestClient, concert: &str) -> String {
    let (status, place) = json_of(
        client
            .http
            .post(client.url(&format!("/api/v1/concerts/{concert}/queue")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{place}");
    assert_eq!(place["state"], "ADMITTED", "{place}");
    place["token"].as_str().unwrap().to_owned()
}

/// Reads Server-Sent Events from `url` into a channel of (event name, data).
async fn listen(url: String) -> tokio::sync::mpsc::UnboundedReceiver<(String, Value)> {
    listen_to(raw_client().get(url)).await
}

/// Reads the Server-Sent Events of a request; the channel closes when the stream ends.
async fn listen_to(
    req: reqwest::RequestBuilder,
) -> tokio::sync::mpsc::UnboundedReceiver<(String, Value)> {
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut res = res;
        let mut buf = String::new();
        while let Ok(Some(chunk)) = res.chunk().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let mut name = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if !name.is_empty()
                    && tx
                        .send((name, serde_json::from_str(&data).unwrap_or_default()))
                        .is_err()
                {
                    return;
                }
            }
        }
    });
    rx
}

#[sqlx::test(migrations = "../migrations")]
async fn two_instances_never_double_book_and_stream_each_others_holds(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (concert, seats) = open_concert(&app, "A S 1x30").await;
    let b = app.another_instance().await;
    let on_b = TestClient::signed_in(&db, &b, "fan-b@example.com", "customer").await;
    admitted(&app.customer, &concert).await;
    admitted(&on_b, &concert).await;

    // A browser on instance B watches the map.
    let mut events = listen(format!("{b}/api/v1/concerts/{concert}/seats/events")).await;
    let (name, snapshot) = events.recv().await.unwrap();
    assert_eq!(name, "snapshot");
    assert_eq!(snapshot["seats"].as_array().unwrap().len(), 30);

    // The same seat, asked for through both instances at once, twenty times over.
    let mut won_on_a = Vec::new();
    for seat in &seats[..20] {
        let body = json!({ "seatIds": [seat] });
        let path = format!("/api/v1/concerts/{concert}/holds");
        let (a, b) = tokio::join!(
            app.customer.post_json(&path, &body),
            on_b.post_json(&path, &body)
        );
        let (a, b) = (a.status(), b.status());
        let one_each = matches!(
            (a, b),
            (StatusCode::CREATED, StatusCode::CONFLICT)
                | (StatusCode::CONFLICT, StatusCode::CREATED)
        );
        // The account limit (4) stops each side after four seats.
        let limited =
            a == StatusCode::UNPROCESSABLE_ENTITY || b == StatusCode::UNPROCESSABLE_ENTITY;
        assert!(one_each || limited, "seat {seat}: {a} and {b}");
        if a == StatusCode::CREATED {
            won_on_a.push(*seat);
        }
    }
    let double: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT seat_id FROM seat_reservations
           WHERE status IN ('TEMPORARILY_RESERVED', 'CONFIRMED') GROUP BY seat_id HAVING count(*) > 1) d",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(double, 0);
    assert!(!won_on_a.is_empty());

    // A hold made through A shows up on B's stream.
    let fresh = seats[25];
    let started = Instant::now();
    let res = app
        .customer
        .post_json(
            &format!("/api/v1/concerts/{concert}/holds"),
            &json!({ "seatIds": [fresh] }),
        )
        .await;
    // The customer may be at the limit already: let one hold go first if so.
    let res = if res.status() == StatusCode::UNPROCESSABLE_ENTITY {
        let holds: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT hold_id::text FROM seat_reservations WHERE user_id = $1",
        )
        .bind(app.customer.user_id.unwrap())
        .fetch_all(&db)
        .await
        .unwrap();
        for h in holds {
            let del = app
                .customer
                .http
                .delete(app.customer.url(&format!("/api/v1/holds/{h}")))
                .send()
                .await
                .unwrap();
            assert_eq!(del.status(), StatusCode::NO_CONTENT);
        }
        app.customer
            .post_json(
                &format!("/api/v1/concerts/{concert}/holds"),
                &json!({ "seatIds": [fresh] }),
            )
            .await
    } else {
        res
    };
    assert_eq!(res.status(), StatusCode::CREATED);
    let held_at = Instant::now();
    let seen = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some((name, e)) = events.recv().await {
            let hit =
                e["seats"].as_array().into_iter().flatten().any(|s| {
                    s["id"].as_i64() == Some(fresh) && s["status"] == "TEMPORARILY_RESERVED"
                });
            if name == "seats" && hit {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(
        seen,
        Ok(true),
        "instance B's stream never showed the hold made on A"
    );
    eprintln!(
        "hold on A seen on B {:?} after the hold answered ({:?} after it was sent)",
        held_at.elapsed(),
        started.elapsed()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn holds_and_payment_over_rest_are_idempotent_and_private(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (concert, seats) = open_concert(&app, "A R 1x10").await;
    points(&db, app.customer.user_id.unwrap(), 100_000).await;
    let (status, _) = json_of(
        app.anon
            .post_json(
                &format!("/api/v1/concerts/{concert}/holds"),
                &json!({ "seatIds": [seats[0]] }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Not through the waiting room yet.
    let (status, _) = json_of(
        app.customer
            .post_json(
                &format!("/api/v1/concerts/{concert}/holds"),
                &json!({ "seatIds": [seats[0]] }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let pass = admitted(&app.customer, &concert).await;
    // Someone else's pass is no pass.
    admitted(&app.seller, &concert).await;
    let forged = app
        .seller
        .http
        .post(app.seller.url(&format!("/api/v1/concerts/{concert}/holds")))
        .header("X-Queue-Token", &pass)
        .json(&json!({ "seatIds": [seats[0]] }))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let (status, body) = json_of(
        app.customer
            .http
            .post(
                app.customer
                    .url(&format!("/api/v1/concerts/{concert}/holds")),
            )
            .header("X-Queue-Token", &pass)
            .json(&json!({ "grade": "R", "count": 2 }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let hold = body["id"].as_str().unwrap().to_owned();
    // Another shopper can neither see nor pay it.
    let (status, _) = app.seller.get_json(&format!("/api/v1/holds/{hold}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let pay = |key: &'static str| {
        let client = &app.customer;
        let url = client.url(&format!("/api/v1/holds/{hold}/pay"));
        async move {
            client
                .http
                .post(url)
                .header("Idempotency-Key", key)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(pay("pay-1").await, StatusCode::NO_CONTENT);
    assert_eq!(pay("pay-1").await, StatusCode::NO_CONTENT, "a replay");
    assert_eq!(pay("pay-2").await, StatusCode::CONFLICT, "paid already");
    let balance = app::wallet::service::balance(&db, app.customer.user_id.unwrap())
        .await
        .unwrap();
    assert_eq!(balance, rust_decimal::Decimal::from(40_000));
    let (status, tickets) = app.customer.get_json("/api/v1/me/tickets").await;
    assert_eq!(status, StatusCode::OK);
    let tickets = tickets.as_array().unwrap();
    assert_eq!(tickets.len(), 2);
    assert!(tickets.iter().all(|t| t["status"] == "CONFIRMED"));
    assert!(tickets[0]["code"].as_str().unwrap().starts_with("JT1."));
    // Over the account limit of 4: refused on the field.
    let (status, body) = json_of(
        app.customer
            .post_json(
                &format!("/api/v1/concerts/{concert}/holds"),
                &json!({ "seatIds": [seats[7], seats[8], seats[9]] }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shopper_books_without_javascript(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (concert, seats) = open_concert(&app, "A S 2x5").await;
    points(&db, app.customer.user_id.unwrap(), 50_000).await;
    let page = format!("/tickets/{concert}");
    let (status, html) = app.customer.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("id=\"seat-{}\"", seats[3])),
        "the map has checkboxes"
    );
    let at = html.find("id=\"seat-").unwrap_or(0);
    assert!(
        html.contains("A구역 1열 4번, S석 ₩20,000, 선택 가능"),
        "seats say where they are: {}",
        &html[at..(at + 600).min(html.len())]
    );

    let seat = seats[3].to_string();
    let res = app
        .customer
        .post_plain_form(
            "/fn/tickets/hold",
            &app.customer.url(&page),
            &[("form[concert]", &concert), ("form[seats][]", &seat)],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let hold_page = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(hold_page.starts_with("/tickets/holds/"), "{hold_page}");
    let (_, html) = app.customer.page(&hold_page).await;
    assert!(html.contains("A구역 1열 4번"));
    assert!(html.contains("20,000"));

    // The seat is gone for everyone else, also without JavaScript.
    let (_, other) = app.seller.page(&page).await;
    assert!(other.contains("A구역 1열 4번, S석 ₩20,000, 선택 중"));
    let taken = app
        .seller
        .post_plain_form(
            "/fn/tickets/hold",
            &app.seller.url(&page),
            &[("form[concert]", &concert), ("form[seats][]", &seat)],
        )
        .await;
    assert!(taken.status().is_redirection());
    let back = taken.headers()["location"].to_str().unwrap().to_owned();
    let back = back.trim_start_matches(&app.seller.base).to_owned();
    let (_, back_html) = app.seller.page(&back).await;
    assert!(
        back_html.contains("이미 다른 분이 잡은 좌석이 있습니다"),
        "{back}"
    );

    let hold = hold_page.trim_start_matches("/tickets/holds/").to_owned();
    let once = uuid::Uuid::new_v4().to_string();
    let res = app
        .customer
        .post_plain_form(
            "/fn/tickets/holds/pay",
            &app.customer.url(&hold_page),
            &[("form[once]", &once), ("form[hold]", &hold)],
        )
        .await;
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/tickets/me");
    let (_, mine) = app.customer.page("/tickets/me").await;
    assert!(mine.contains("예매 완료"));
    assert!(mine.contains("<svg"), "the ticket has its QR code");
}

fn poster_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 400, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 60])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn post_poster(client: &TestClient, concert: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("poster.png")
        .mime_str("image/png")
        .unwrap();
    client
        .http
        .post(client.url(&format!("/tickets/{concert}/poster")))
        .header("referer", client.url(&format!("/tickets/{concert}/edit")))
        .multipart(reqwest::multipart::Form::new().part("image", part))
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_organiser_puts_up_a_poster_and_nobody_else_can(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (concert, _) = open_concert(&app, "A S 1x5").await;
    // A seller who does not run this concert.
    let res = post_poster(&app.seller, &concert, poster_png()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Not an image: back to the form with the reason.
    let res = post_poster(&app.admin, &concert, b"not an image".to_vec()).await;
    assert!(res.status().is_redirection());
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .contains("image_error="));
    let res = post_poster(&app.admin, &concert, poster_png()).await;
    assert!(res.status().is_redirection());
    assert_eq!(
        res.headers()["location"],
        format!("/tickets/{concert}/edit")
    );
    let (_, body) = app
        .anon
        .get_json(&format!("/api/v1/concerts/{concert}"))
        .await;
    let url = body["concert"]["poster_url"]
        .as_str()
        .expect("a poster")
        .to_owned();
    assert!(url.starts_with("/media/concert/"), "{url}");
    let first_file: uuid::Uuid =
        sqlx::query_scalar("SELECT poster_file_id FROM concerts WHERE id = $1::uuid")
            .bind(&concert)
            .fetch_one(&db)
            .await
            .unwrap();
    // A second poster replaces the first, whose file row goes.
    let res = post_poster(&app.admin, &concert, poster_png()).await;
    assert!(res.status().is_redirection());
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM files WHERE id = $1")
        .bind(first_file)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let (status, _) = app.anon.get_json(&url).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the old file is gone from disk too"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_waiting_shopper_sees_the_place_live_until_admitted(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let (concert, _) = open_concert(&app, "A R 1x10").await;
    sqlx::query("UPDATE concerts SET queue_active_cap = 1 WHERE id = $1::uuid")
        .bind(&concert)
        .execute(&db)
        .await
        .unwrap();
    // The admin takes the one slot; the shopper waits behind.
    admitted(&app.admin, &concert).await;
    let queue = format!("/api/v1/concerts/{concert}/queue");
    let (status, place) = json_of(
        app.customer
            .http
            .post(app.customer.url(&queue))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(place["state"], "WAITING", "{place}");

    let c = &app.customer;
    let mut events = listen_to(c.http.get(c.url(&format!("{queue}/events")))).await;
    let (name, first) = events.recv().await.unwrap();
    assert_eq!(name, "place");
    assert_eq!(first["state"], "WAITING", "{first}");
    assert_eq!(first["position"], 1, "{first}");

    // The admin leaves: the slot goes to the shopper, and the stream says so and ends.
    let left = app
        .admin
        .http
        .delete(app.admin.url(&queue))
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let until = Instant::now() + Duration::from_secs(10);
    let admitted = loop {
        let next = tokio::time::timeout_at(until.into(), events.recv()).await;
        let (_, place) = next.expect("admitted within seconds").expect("stream open");
        if place["state"] != "WAITING" {
            break place;
        }
    };
    assert_eq!(admitted["state"], "ADMITTED", "{admitted}");
    assert!(admitted["token"].as_str().is_some_and(|t| !t.is_empty()));
    let end = tokio::time::timeout(Duration::from_secs(5), events.recv()).await;
    assert!(matches!(end, Ok(None)), "the stream ends after admission");
}
