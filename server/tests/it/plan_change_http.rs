//! Plan change over HTTP: REST v1, and two app instances sharing one breaker through Postgres.

use crate::common::*;
use app::platform::testing::test_redis;
use reqwest::header::{COOKIE, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::kos_sim::Faults;
use sqlx::PgPool;

const LINE: &str = "01055500001";

async fn promote_admin(db: &PgPool, email: &str) {
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = $1")
        .bind(email)
        .execute(db)
        .await
        .unwrap();
}

async fn link(db: &PgPool, email: &str, line: &str, customer: &str) {
    sqlx::query(
        "INSERT INTO product_change.pc_mobile_line (line_number, user_id, customer_id)
         SELECT $1, id, $2 FROM users WHERE email = $3",
    )
    .bind(line)
    .bind(customer)
    .bind(email)
    .execute(db)
    .await
    .unwrap();
}

async fn get(base: &str, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = raw_client().get(format!("{base}/api/v1/{path}"));
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    req.send().await.unwrap()
}

async fn post(
    base: &str,
    path: &str,
    cookie: &str,
    body: Value,
    key: Option<&str>,
) -> reqwest::Response {
    let mut req = raw_client()
        .post(format!("{base}/api/v1/{path}"))
        .header(COOKIE, cookie)
        .json(&body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn two_instances_share_one_breaker(db: PgPool) {
    let (sim, kos) = start_kos().await;
    let redis = test_redis().await;
    let mut cfg = config();
    cfg.kos_base_url = kos;
    let a = spawn_with(db.clone(), redis.clone(), cfg.clone()).await;
    let b = spawn_with(db.clone(), redis, cfg).await;
    create_user(&db, "mobile@example.com").await;
    let shopper = login(&a, "mobile@example.com", None).await;
    create_user(&db, "ops@example.com").await;
    promote_admin(&db, "ops@example.com").await;
    let admin = login(&b, "ops@example.com", None).await;
    sqlx::query(
        "UPDATE product_change.pc_circuit_breaker_state SET failure_threshold = 3 WHERE service_name = 'KOS_PRODUCT'",
    )
    .execute(&db)
    .await
    .unwrap();

    sim.set_faults(Faults {
        down: true,
        ..Faults::default()
    });
    // Instance A meets the outage and opens the breaker (three attempts of one read).
    let res = get(&a, "mobile/plans", Some(&shopper)).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(sim.calls("products"), 3);
    // Instance B refuses at once, without calling KOS, and says when to come back.
    let res = get(&b, "mobile/plans", Some(&shopper)).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry: u64 = res.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "busy");
    assert_eq!(sim.calls("products"), 3);
    // Both instances report it OPEN to an admin.
    for base in [&a, &b] {
        let list: Value = get(base, "admin/integrations/breakers", Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        let product = list
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["service_name"] == "KOS_PRODUCT")
            .unwrap();
        assert_eq!(product["state"], "OPEN");
    }
    // A reset on B lets A call again.
    sim.set_faults(Faults::default());
    let res = post(
        &b,
        "admin/integrations/breakers/KOS_PRODUCT/reset",
        &admin,
        json!({}),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = get(&a, "mobile/plans", Some(&shopper)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<Value>().await.unwrap().as_array().unwrap().len(),
        6
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn rest_plan_change_with_idempotency_and_ownership(db: PgPool) {
    let (sim, kos) = start_kos().await;
    let redis = test_redis().await;
    let mut cfg = config();
    cfg.kos_base_url = kos;
    let base = spawn_with(db.clone(), redis, cfg).await;
    create_user(&db, "owner@example.com").await;
    create_user(&db, "other@example.com").await;
    link(&db, "owner@example.com", LINE, "C07300001").await;
    let owner = login(&base, "owner@example.com", None).await;
    let other = login(&base, "other@example.com", None).await;

    assert_eq!(
        get(&base, "mobile/plans", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let plan: Value = get(&base, &format!("mobile/lines/{LINE}/plan"), Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["line"]["current"]["code"], "LTE-DATA");
    assert_eq!(plan["options"].as_array().unwrap().len(), 4);
    assert_eq!(
        get(&base, &format!("mobile/lines/{LINE}/plan"), Some(&other))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let body = json!({ "lineNumber": "010-5550-0001", "targetProductCode": "5G-PREMIUM" });
    let first = post(
        &base,
        "mobile/changes",
        &owner,
        body.clone(),
        Some("change-1"),
    )
    .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["status"], "COMPLETED");
    let replay: Value = post(
        &base,
        "mobile/changes",
        &owner,
        body.clone(),
        Some("change-1"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(replay["requestId"], first["requestId"]);
    assert_eq!(sim.calls("change"), 1, "the replay did not reach KOS");
    // The same key with another body is refused.
    let other_body = json!({ "lineNumber": LINE, "targetProductCode": "5G-SLIM" });
    assert_eq!(
        post(
            &base,
            "mobile/changes",
            &owner,
            other_body,
            Some("change-1")
        )
        .await
        .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let id = first["requestId"].as_str().unwrap();
    let got: Value = get(&base, &format!("mobile/changes/{id}"), Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (got["targetProductCode"].as_str(), got["version"].as_i64()),
        (Some("5G-PREMIUM"), Some(3))
    );
    assert_eq!(
        get(&base, &format!("mobile/changes/{id}"), Some(&other))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Someone else's line: 404, and nothing is asked of KOS.
    let res = post(&base, "mobile/changes", &other, body, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Only admins see or reset breakers.
    assert_eq!(
        get(&base, "admin/integrations/breakers", Some(&owner))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &base,
            "admin/integrations/breakers/KOS_CHANGE/reset",
            &owner,
            json!({}),
            None
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // The OpenAPI document lists the mobile API.
    let doc: Value = get(&base, "openapi.json", None).await.json().await.unwrap();
    for path in [
        "/api/v1/mobile/changes",
        "/api/v1/mobile/changes/{request_id}",
        "/api/v1/mobile/lines/{line}/plan",
        "/api/v1/mobile/plans",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

/// The Mobile page's follow-up (`FollowChange`) asks `change_status`: the owner is told where
/// the change stands; anyone else gets 404 and a visitor 401.
#[sqlx::test(migrations = "../migrations")]
async fn change_status_answers_only_the_owner(db: PgPool) {
    let (_sim, kos) = start_kos().await;
    let mut cfg = config();
    cfg.kos_base_url = kos;
    let app = TestApp::spawn_with(db.clone(), cfg).await;
    link(&db, "customer@example.com", LINE, "C07300001").await;
    let request_id = uuid::Uuid::new_v4().to_string();
    let res = app
        .customer
        .post_form(
            "/fn/mobile/change",
            &[
                ("form[line_number]", LINE),
                ("form[target]", "5G-PREMIUM"),
                ("form[request_id]", &request_id),
            ],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());

    let ask = |client: &'static str| {
        let (app, id) = (&app, request_id.clone());
        async move {
            let client = match client {
                "customer" => &app.customer,
                "seller" => &app.seller,
                _ => &app.anon,
            };
            let res = client
                .post_form("/fn/mobile/change/status", &[("request_id", &id)])
                .await;
            (res.status(), res.text().await.unwrap())
        }
    };
    assert_eq!(
        ask("customer").await,
        (StatusCode::OK, "\"COMPLETED\"".to_owned())
    );
    assert_eq!(ask("seller").await.0, StatusCode::NOT_FOUND);
    assert_eq!(ask("anon").await.0, StatusCode::UNAUTHORIZED);
}
