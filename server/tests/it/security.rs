//! Security defects found in review, each pinned by a test that failed before its fix.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn only_the_seller_reserves_their_stock_through_rest(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mug = app.product(&app.seller, "예약 머그", 5, true).await;
    let draft = app.product(&app.seller, "초안 머그", 5, false).await;
    let one = |variant: app::catalog::VariantId| json!({ "orderId": "hold-1", "lines": [{ "variantId": variant, "quantity": 5 }] });
    let path = "/api/v1/inventory/reservations";

    // A shopper cannot hold stock outside checkout.
    let res = app.customer.post_json(path, &one(mug.variant)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Another seller's variant or SKU looks missing.
    let res = app.seller2.post_json(path, &one(mug.variant)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .seller2
        .post_json(
            path,
            &json!({ "orderId": "x", "skuId": mug.sku, "quantity": 1 }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Not on sale: refused even to its seller.
    let res = app.seller.post_json(path, &one(draft.variant)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Bounded lines and hold time.
    let lines: Vec<_> = (0..10_000)
        .map(|_| json!({ "variantId": mug.variant, "quantity": 1 }))
        .collect();
    let res = app
        .seller
        .post_json(path, &json!({ "orderId": "many", "lines": lines }))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = json_of(
        app.seller
            .post_json(
                path,
                &json!({ "orderId": "day", "skuId": mug.sku, "quantity": 1, "ttl": 86400 }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "ttl");
    // Nothing was held by any of that.
    let (_, avail) = json_of(
        app.anon
            .post_json(
                "/api/v1/inventory/availability",
                &json!({ "variantIds": [mug.variant] }),
            )
            .await,
    )
    .await;
    assert_eq!(avail["variants"][0]["available"], 5);
    // The seller's own, on sale, within bounds: held.
    let res = app.seller.post_json(path, &one(mug.variant)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app.admin.post_json(path, &one(mug.variant)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "sold out now");
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_wrong_passwords_are_counted_before_they_are_judged(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let email = app.customer.email.clone();
    let tries = (0..20).map(|_| {
        let c = TestClient::anonymous(&app.base);
        let body = json!({ "email": email, "password": "wrong password 123" });
        async move { c.post_json("/api/v1/auth/login", &body).await.status() }
    });
    let statuses = futures::future::join_all(tries).await;
    // A wrong password is a refusal on the password field (422).
    let judged = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((judged, limited), (5, 15), "{statuses:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_birth_date_guesses_reach_kos_at_most_five_times(db: PgPool) {
    let (sim, kos) = start_kos().await;
    sim.set_faults(server::kos_sim::Faults {
        latency_ms: 200,
        ..Default::default()
    });
    let mut cfg = config();
    cfg.kos_base_url = kos;
    let app = TestApp::spawn_with(db.clone(), cfg).await;
    let guesses = (0..50).map(|i| {
        let c = &app.customer;
        let birth = format!("{:06}", 100_000 + i);
        async move {
            c.post_form(
                "/fn/mobile/link",
                &[
                    ("form[line_number]", "010-5550-0001"),
                    ("form[birth_date]", &birth),
                ],
            )
            .await
            .status()
        }
    });
    futures::future::join_all(guesses).await;
    let calls: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM product_change.pc_kos_integration_log
         WHERE integration_type = 'CUSTOMER_INFO'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(calls <= 5, "{calls} customer lookups reached KOS");
    assert!(calls >= 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_suspended_sellers_products_leave_the_store(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mug = app.product(&app.seller, "정지 머그", 3, true).await;
    let other = app.product(&app.seller2, "정지 안 된 머그", 3, true).await;
    let listed = |body: &serde_json::Value, id: app::catalog::ProductId| {
        body["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i["id"] == id.to_string()))
    };
    let page = format!("/p/{}", mug.slug);
    // Cached everywhere it shows before the suspension.
    assert_eq!(app.anon.page(&page).await.0, StatusCode::OK);
    let (_, all) = app.anon.get_json("/api/v1/products").await;
    assert!(listed(&all, mug.id));

    let seller = app.seller.seller_id.unwrap().to_string();
    let res = app
        .admin
        .post_form(
            "/fn/admin/sellers/suspend",
            &[("form[id]", &seller), ("form[reason]", "위조품 판매")],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());

    let (_, all) = app.anon.get_json("/api/v1/products").await;
    assert!(!listed(&all, mug.id), "REST still lists it");
    assert!(listed(&all, other.id));
    let (_, found) = app.anon.get_json("/api/v1/products?q=머그").await;
    assert!(!listed(&found, mug.id), "search still finds it");
    let (_, shop) = app.anon.page("/shop/c/test-goods").await;
    assert!(!shop.contains("정지 머그<") && shop.contains("정지 안 된 머그"));
    // The cached page goes within a second or two, through the outbox.
    within_seconds("suspended seller's page", || async {
        app.anon.page(&page).await.0 == StatusCode::NOT_FOUND
    })
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_takes_a_product_down_and_its_seller_cannot_undo_it(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let mug = app.product(&app.seller, "게시 중단 머그", 3, true).await;
    let id = mug.id.to_string();
    let res = app
        .seller
        .post_form(
            "/fn/admin/products/take-down",
            &[("form[id]", &id), ("form[reason]", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .admin
        .post_form(
            "/fn/admin/products/take-down",
            &[("form[id]", &id), ("form[reason]", "허위 광고")],
        )
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    assert_eq!(
        app.anon.page(&format!("/p/{}", mug.slug)).await.0,
        StatusCode::NOT_FOUND
    );
    let res = app
        .seller
        .post_form(
            "/fn/seller/products/sale",
            &[("id", &id), ("on_sale", "true")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, status_reason FROM products WHERE id = $1")
            .bind(mug.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("taken_down", Some("허위 광고"))
    );
}

/// Peak resident memory of this process, in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn sign_up(
    base: &str,
    email: String,
    from: String,
) -> impl std::future::Future<Output = StatusCode> {
    let c = TestClient::anonymous(base);
    async move {
        c.http
            .post(c.url("/fn/signup"))
            .header("x-forwarded-for", from)
            .form(&[
                ("form[email]", email.as_str()),
                ("form[password]", "a long enough password"),
                ("form[name]", "버스트"),
            ])
            .send()
            .await
            .unwrap()
            .status()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_burst_of_sign_ups_is_refused_and_memory_stays_bounded(db: PgPool) {
    let mut cfg = config();
    cfg.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let app = TestApp::spawn_with(db.clone(), cfg).await;
    // From one address: ten accounts, then 429 without hashing anything.
    let burst = (0..60).map(|i| {
        sign_up(
            &app.base,
            format!("one{i}@example.com"),
            "198.51.100.1".into(),
        )
    });
    let statuses = futures::future::join_all(burst).await;
    let created: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE email LIKE 'one%'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(created, 10, "{statuses:?}");
    let limited = statuses.iter().filter(|s| s.as_u16() == 429).count();
    assert_eq!(limited, 50, "{statuses:?}");

    // From 200 addresses at once: the hashes queue for a few permits instead of taking
    // 19 MiB each at the same time; what waits too long is told to retry (503).
    let before = peak_rss_kib();
    let burst = (0..200).map(|i| {
        sign_up(
            &app.base,
            format!("many{i}@example.com"),
            format!("203.0.113.{}", i % 250 + 1),
        )
    });
    let statuses = futures::future::join_all(burst).await;
    assert!(
        statuses
            .iter()
            .all(|s| s.is_success() || s.is_redirection() || s.as_u16() == 503),
        "{statuses:?}"
    );
    let grown_mib = (peak_rss_kib().saturating_sub(before)) / 1024;
    assert!(grown_mib < 1024, "peak memory grew by {grown_mib} MiB");
    assert!(app::identity::password::peak_in_flight() <= app::identity::password::MAX_CONCURRENT);
}

#[sqlx::test(migrations = "../migrations")]
async fn strangers_cannot_lock_the_owner_out(db: PgPool) {
    let mut cfg = config();
    cfg.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let app = TestApp::spawn_with(db, cfg).await;
    let email = app.customer.email.clone();
    let attempt = |from: String, password: &'static str| {
        let c = TestClient::anonymous(&app.base);
        let body = json!({ "email": email, "password": password });
        async move {
            c.http
                .post(c.url("/api/v1/auth/login"))
                .header("x-forwarded-for", from)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Rotating through one IPv6 /64 buys no extra guesses.
    let mut statuses = Vec::new();
    for i in 1..=6 {
        statuses.push(attempt(format!("2001:db8:7:7::{i:x}"), "wrong guess 1").await);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    // A spread-out attack: 60 failures from 12 addresses, past the account-wide window.
    for host in 1..=12 {
        for _ in 0..5 {
            attempt(format!("198.51.100.{host}"), "wrong guess 2").await;
        }
    }
    // Now each new address gets one try, not five: the guessers are slowed down...
    assert_eq!(
        attempt("203.0.113.50".into(), "wrong guess 3").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        attempt("203.0.113.50".into(), "wrong guess 4").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...but the owner, from a fresh address, still gets in.
    assert_eq!(
        attempt("203.0.113.77".into(), PASSWORD).await,
        StatusCode::OK
    );
}

fn upload(bytes: Vec<u8>, name: &str, mime: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part(
        "image",
        reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)
            .unwrap(),
    )
}

const GPS: &[u8] = b"GPSLatitude 37.5665N GPSLongitude 126.9780E";

/// A JPEG whose APP1 (EXIF) segment carries a position.
fn jpeg_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([30, 120, 200]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut plain)
        .encode_image(&img)
        .unwrap();
    let mut body = b"Exif\0\0".to_vec();
    body.extend_from_slice(GPS);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&plain[2..]);
    out
}

#[sqlx::test(migrations = "../migrations")]
async fn published_originals_carry_no_gps(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let shirt = app.product(&app.seller, "위치 셔츠", 1, false).await;
    let photo = jpeg_with_gps();
    assert!(photo.windows(GPS.len()).any(|w| w == GPS));
    let res = app
        .seller
        .http
        .post(
            app.seller
                .url(&format!("/api/v1/products/{}/images", shirt.id)),
        )
        .multipart(upload(photo, "photo.jpg", "image/jpeg"))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(res).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let served = app
        .anon
        .get(body["url"].as_str().unwrap())
        .await
        .bytes()
        .await
        .unwrap();
    assert!(image::load_from_memory(&served).is_ok());
    assert!(
        !served.windows(GPS.len()).any(|w| w == GPS),
        "GPS is published"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_large_uploads_do_not_stall_the_site(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let shirt = app.product(&app.seller, "큰 사진 셔츠", 1, false).await;
    // Small on the wire, 48 MB once decoded.
    let big = {
        let img = image::RgbImage::from_pixel(4000, 4000, image::Rgb([240, 240, 240]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let path = format!("/api/v1/products/{}/images", shirt.id);
    let uploads = (0..25).map(|_| {
        let form = upload(big.clone(), "big.png", "image/png");
        let req = app.seller.http.post(app.seller.url(&path)).multipart(form);
        async move { req.send().await.unwrap().status() }
    });
    let done = std::sync::atomic::AtomicBool::new(false);
    let poll = async {
        let mut slowest = std::time::Duration::ZERO;
        while !done.load(std::sync::atomic::Ordering::Relaxed) {
            let start = std::time::Instant::now();
            let status = app.anon.get("/ready").await.status();
            assert_eq!(status, StatusCode::OK);
            slowest = slowest.max(start.elapsed());
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        slowest
    };
    let uploads = async {
        let statuses = futures::future::join_all(uploads).await;
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        statuses
    };
    let (statuses, slowest) = tokio::join!(uploads, poll);
    // Ten fit in a gallery; the rest are refused by the limit, none by the server.
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 10, "{statuses:?}");
    assert!(statuses.iter().all(|s| s.as_u16() < 500), "{statuses:?}");
    assert!(
        // Before the fix the pool ran dry and /ready timed out (503 after 2 s); a loaded CI
        // machine still answers well within this.
        slowest < std::time::Duration::from_millis(1500),
        "/ready took {slowest:?} during the uploads"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn idempotent_uploads_past_a_mebibyte_and_no_replayed_refusals(db: PgPool) {
    let mut cfg = config();
    cfg.max_upload_mb = 4;
    let app = TestApp::spawn_with(db.clone(), cfg).await;
    let shirt = app.product(&app.seller, "무거운 셔츠", 1, false).await;
    // Noise does not compress: about 2.4 MB.
    let noisy = {
        use rand::Rng;
        let mut rng = rand::thread_rng();
        let img = image::RgbImage::from_fn(900, 900, |_, _| image::Rgb(rng.gen()));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    assert!(noisy.len() > 2 << 20);
    // A retry sends the same bytes, boundary included.
    let boundary = "jangteo-retry-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"noise.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&noisy);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let send = || {
        app.seller
            .http
            .post(
                app.seller
                    .url(&format!("/api/v1/products/{}/images", shirt.id)),
            )
            .header("Idempotency-Key", "upload-1")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body.clone())
            .send()
    };
    let first = send().await.unwrap();
    let status = first.status();
    let first_body = first.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{first_body}");
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.unwrap(), first_body);

    // A refusal that depends on who is asking is not replayed once that changes.
    let sku = json!({ "code": "LATER-1", "name": "나중 상품" });
    let create = || {
        app.customer
            .http
            .post(app.customer.url("/api/v1/skus"))
            .header("Idempotency-Key", "sku-1")
            .json(&sku)
            .send()
    };
    let (status, body) = json_of(create().await.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let s = app::seller::service::apply(
        &db,
        app.customer.user_id.unwrap(),
        app::platform::testing::application("나중 가게"),
    )
    .await
    .unwrap();
    app::seller::service::approve(
        &db,
        &app.redis,
        &app.configs,
        s.id,
        &app::platform::testing::admin_actor(app.admin.user_id.unwrap()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(create().await.unwrap().status(), StatusCode::CREATED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_long_lived_session_stays_listed_and_revocable(db: PgPool) {
    use fred::prelude::*;
    let app = TestApp::spawn(db).await;
    let uid = app.customer.user_id.unwrap();
    let index = app.redis.key(&format!("auth:u:{uid}"));
    let sids: Vec<String> = app.redis.pool.smembers(&index).await.unwrap();
    let record = app.redis.key(&format!("auth:s:{}", sids[0]));
    // The device was last seen a while ago, and the index's first TTL has run out (what used
    // to happen to a device used every few days).
    let _: i64 = app.redis.pool.del(&index).await.unwrap();
    let earlier = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    let _: () = app
        .redis
        .pool
        .hset(&record, ("seen", earlier))
        .await
        .unwrap();

    assert_eq!(
        app.customer.get("/api/v1/me").await.status(),
        StatusCode::OK
    );
    let index_ttl: i64 = app.redis.pool.ttl(&index).await.unwrap();
    let record_ttl: i64 = app.redis.pool.ttl(&record).await.unwrap();
    assert!(
        index_ttl >= record_ttl,
        "index {index_ttl}s, record {record_ttl}s"
    );
    let (status, listed) = json_of(app.customer.post_form("/fn/sessions", &[]).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    // "Sign out everywhere" reaches it.
    app::platform::auth::registry::revoke_all(&app.redis, uid)
        .await
        .unwrap();
    assert_eq!(
        app.customer.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_session_ends_thirty_days_after_sign_in_however_active(db: PgPool) {
    use fred::prelude::*;
    let app = TestApp::spawn(db).await;
    let uid = app.customer.user_id.unwrap();
    let sids: Vec<String> = app
        .redis
        .pool
        .smembers(app.redis.key(&format!("auth:u:{uid}")))
        .await
        .unwrap();
    let record = app.redis.key(&format!("auth:s:{}", sids[0]));
    let month_ago = (chrono::Utc::now() - chrono::Duration::days(31)).to_rfc3339();
    let _: () = app
        .redis
        .pool
        .hset(&record, ("created", month_ago))
        .await
        .unwrap();
    assert_eq!(
        app.customer.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn personal_pages_are_never_cached(db: PgPool) {
    let app = TestApp::spawn(db).await;
    for path in ["/account", "/api/v1/me", "/"] {
        let res = app.customer.get(path).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app.anon.get("/").await;
    assert!(res.headers().get("cache-control").is_none());
    // No HSTS over plain HTTP; the page's policy allows no websocket outside `leptos watch`.
    assert!(res.headers().get("strict-transport-security").is_none());
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("ws://"), "{csp}");
}

#[sqlx::test(migrations = "../migrations")]
async fn https_deployments_send_hsts(db: PgPool) {
    let mut cfg = config();
    cfg.cookie_secure = true;
    let redis = app::platform::testing::test_redis().await;
    let base = spawn_with(db, redis, cfg).await;
    let res = TestClient::anonymous(&base).get("/health").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}
