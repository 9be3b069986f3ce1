//! The admin console over HTTP: configs, users and the audit log, through REST and the
//! console's server functions, as admins and as everyone else.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

async fn put(client: &TestClient, path: &str, body: serde_json::Value) -> reqwest::Response {
    client
        .http
        .put(client.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn patch(client: &TestClient, path: &str, body: serde_json::Value) -> reqwest::Response {
    client
        .http
        .patch(client.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn field(body: &serde_json::Value) -> Option<&str> {
    body["fields"][0]["field"].as_str()
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_reach_the_admin_api(db: PgPool) {
    let app = TestApp::spawn(db).await;
    for path in [
        "/api/v1/admin/users",
        "/api/v1/admin/configs",
        "/api/v1/admin/audit",
    ] {
        assert_eq!(
            app.anon.get(path).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            app.seller.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(app.admin.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let res = put(
        &app.customer,
        "/api/v1/admin/configs/shop.shipping_fee",
        json!({ "value": "0" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, _) = app
        .admin
        .get_json("/api/v1/admin/users?role=superuser")
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown role is refused"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_config_change_is_checked_by_kind_takes_effect_and_keeps_its_history(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let path = "/api/v1/admin/configs/shop.shipping_fee";
    let (status, body) = json_of(put(&app.admin, path, json!({ "value": "3.5" })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field(&body), Some("value"));
    let res = put(
        &app.admin,
        "/api/v1/admin/configs/no.such.key",
        json!({ "value": "1" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = put(
        &app.admin,
        path,
        json!({ "value": "3,500", "reason": "택배비 인상" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.configs
            .get(&app::platform::config::SHIPPING_FEE)
            .await
            .unwrap(),
        rust_decimal::Decimal::from(3500)
    );
    let (status, one) = app
        .admin
        .get_json("/api/v1/admin/configs/shop.shipping_fee")
        .await;
    assert_eq!(
        (status, one["value"].as_str()),
        (StatusCode::OK, Some("3500"))
    );
    let (_, list) = app.admin.get_json("/api/v1/admin/configs").await;
    let fee = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "shop.shipping_fee")
        .unwrap();
    assert_eq!(
        (fee["value"].as_str(), fee["default"].as_str()),
        (Some("3500"), Some("3000"))
    );
    assert_eq!(fee["kind"], "money");
    assert_eq!(fee["history"][0]["before"], json!({ "value": "3000" }));
    assert_eq!(fee["history"][0]["reason"], "택배비 인상");
    assert_eq!(fee["history"][0]["actor_email"], app.admin.email.as_str());

    // The console's form, posted without JavaScript: refused at its field, nothing kept.
    let res = app
        .admin
        .post_plain_form(
            "/fn/admin/configs/save",
            &app.admin.url("/admin/configs"),
            &[
                ("form[key]", "tickets.hold_ttl_seconds"),
                ("form[value]", "0"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("__err"), "{location}");
    assert_eq!(
        app.configs
            .get(&app::platform::config::HOLD_TTL_SECONDS)
            .await
            .unwrap(),
        300
    );
    let (status, html) = app.admin.page("/admin/configs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("판매자 주문당 배송비") && html.contains("택배비 인상"));
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_change_roles_and_suspend_with_the_log_and_sign_out_following(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let customer = app.customer.user_id.unwrap();
    let role_path = format!("/api/v1/admin/users/{customer}");
    let (status, body) = json_of(
        patch(
            &app.admin,
            &role_path,
            json!({ "role": "admin", "reason": "운영 충원" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field(&body), Some("confirm"));
    let res = patch(
        &app.admin,
        &role_path,
        json!({ "role": "admin", "confirm": true, "reason": "운영 충원" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, me) = app.customer.get_json("/api/v1/me").await;
    assert_eq!(me["role"], "admin", "the new role counts at once");
    let res = patch(
        &app.admin,
        &role_path,
        json!({ "role": "customer", "reason": "운영 종료" }),
    )
    .await;
    // One change a request.
    let (status, body) = json_of(
        patch(
            &app.admin,
            &role_path,
            json!({ "role": "admin", "grade": "vip", "reason": "둘 다" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // The last admin stays one, and nobody suspends themself.
    let me_id = app.admin.user_id.unwrap();
    let (status, body) = json_of(
        patch(
            &app.admin,
            &format!("/api/v1/admin/users/{me_id}"),
            json!({ "role": "customer", "reason": "실수" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let res = patch(
        &app.admin,
        &format!("/api/v1/admin/users/{me_id}"),
        json!({ "status": "suspended", "reason": "실수" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    let res = patch(
        &app.admin,
        &format!("/api/v1/admin/users/{customer}"),
        json!({ "status": "suspended", "reason": "결제 도용" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.customer.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "signed out at once"
    );

    let (status, user) = app
        .admin
        .get_json(&format!("/api/v1/admin/users/{customer}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["user"]["status"], "suspended");
    assert_eq!(user["status_reason"], "결제 도용");
    let (_, log) = app
        .admin
        .get_json(&format!("/api/v1/admin/audit?resource=user&id={customer}"))
        .await;
    let actions: Vec<(&str, &str)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("READ", ""),
            ("UPDATE", "결제 도용"),
            ("UPDATE", "운영 종료"),
            ("UPDATE", "운영 충원")
        ]
    );
    let (_, reads) = app
        .admin
        .get_json(&format!(
            "/api/v1/admin/audit?resource=user&id={customer}&action=READ"
        ))
        .await;
    assert_eq!(reads["items"].as_array().unwrap().len(), 1);
    let (status, _) = app
        .admin
        .get_json("/api/v1/admin/audit?from=yesterday")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The console's pages show the same.
    let (status, html) = app.admin.page(&format!("/admin/users/{customer}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("결제 도용"), "the reason is on the user page");
    let (status, html) = app.admin.page("/admin/users?status=suspended").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&app.customer.email));
    let (_, html) = app.admin.page("/admin/audit?resource=user").await;
    assert!(html.contains("status: active → suspended"));
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_need_their_token_and_count_each_route(db: PgPool) {
    let mut cfg = config();
    cfg.metrics_token = Some("scrape-token-123".into());
    let app = TestApp::spawn_with(db, cfg).await;
    app.anon.get("/health").await;
    assert_eq!(
        app.anon.get("/metrics").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let scrape = |token: &'static str| {
        app.anon
            .http
            .get(app.anon.url("/metrics"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(
        scrape("wrong").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let res = scrape("scrape-token-123").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    for line in [
        r#"http_requests_total{method="GET",route="/health",status="200"}"#,
        "http_request_duration_seconds_bucket",
        "db_pool_connections",
        "redis_up 1",
        r#"breaker_state{service="KOS_CUSTOMER"} 0"#,
        "outbox_backlog",
        "outbox_lag_seconds",
    ] {
        assert!(text.contains(line), "missing {line} in:\n{text}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn without_a_token_there_is_no_metrics_endpoint(db: PgPool) {
    let app = TestApp::spawn(db).await;
    assert_eq!(
        app.admin.get("/metrics").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_seller_queue_shows_each_sellers_decisions(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let user = app::platform::testing::user(&db, "queue-seller@example.com").await;
    let s =
        app::seller::service::apply(&db, user, app::platform::testing::application("기록 상점"))
            .await
            .unwrap();
    let by = app.admin_actor();
    app::seller::service::approve(&db, &app.redis, &app.configs, s.id, &by, None)
        .await
        .unwrap();
    app::seller::service::suspend(&db, s.id, &by, "허위 광고")
        .await
        .unwrap();
    let (status, html) = app.admin.page("/admin/sellers?status=suspended").await;
    assert_eq!(status, StatusCode::OK);
    let card = html.split("기록 상점").nth(1).expect("the seller's card");
    assert!(card.contains("status: approved → suspended"), "{card}");
    assert!(card.contains("허위 광고"));
    assert!(card.contains("status: pending → approved"));
}
