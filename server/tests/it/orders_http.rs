//! Checkout and orders over HTTP: REST with `Idempotency-Key`, authorization, and the
//! checkout form posted without JavaScript.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn address(db: &PgPool, user: app::identity::UserId) -> String {
    let id: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address, is_default)
         VALUES ($1, '김장터', '010-1234-5678', '04524', '서울 중구 세종대로 110', TRUE)
         RETURNING id",
    )
    .bind(user)
    .fetch_one(db)
    .await
    .unwrap();
    id.to_string()
}

async fn post_keyed(
    client: &TestClient,
    path: &str,
    body: &Value,
    key: &str,
) -> (StatusCode, Value) {
    json_of(
        client
            .http
            .post(client.url(path))
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn checkout_over_rest_is_idempotent_and_orders_are_private(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "머그컵", 5, true).await;
    let user = app.customer.user_id.unwrap();
    let addr = address(&db, user).await;
    points(&db, user, 100_000).await;
    let (status, _) = json_of(
        app.customer
            .post_json(
                "/api/v1/cart/items",
                &json!({ "variantId": p.variant, "quantity": 2 }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // 20,000 + 3,000 shipping, all in points.
    let body = json!({ "addressId": addr, "points": "23000", "method": "POINTS", "memo": "문 앞" });
    let (status, placed) = post_keyed(&app.customer, "/api/v1/checkout", &body, "co-1").await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["status"], "PAID");
    assert_eq!(placed["amount_due"], "0");
    let number = placed["order_numbers"][0].as_str().unwrap().to_owned();
    // A replay answers the same; the same key with another body is refused.
    let (status, again) = post_keyed(&app.customer, "/api/v1/checkout", &body, "co-1").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, placed);
    let other_body = json!({ "addressId": addr, "points": "1", "method": "POINTS" });
    let (status, _) = post_keyed(&app.customer, "/api/v1/checkout", &other_body, "co-1").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 1, "one checkout, one order");

    let path = format!("/api/v1/orders/{number}");
    let (status, order) = app.customer.get_json(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(order["order"]["status"], "paid");
    assert_eq!(order["events"].as_array().unwrap().len(), 2);

    // Another shopper: 404 on the order and on its cancel; another seller sees nothing.
    let other = TestClient::signed_in(&db, &app.base, "b@example.com", "customer").await;
    let (status, _) = other.get_json(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let res = other.post_json(&format!("{path}/cancel"), &json!({})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, theirs) = app.seller2.get_json("/api/v1/seller/orders").await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    let res = app
        .seller2
        .post_json(
            &format!("/api/v1/seller/orders/{number}/status"),
            &json!({ "status": "preparing" }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, mine) = app.seller.get_json("/api/v1/seller/orders").await;
    assert_eq!(mine[0]["order_number"], number.as_str());

    // The seller packs it; shipping-only transitions are refused; the shopper cancels.
    let status_path = format!("/api/v1/seller/orders/{number}/status");
    let res = app
        .seller
        .post_json(&status_path, &json!({ "status": "preparing" }))
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .seller
        .post_json(&status_path, &json!({ "status": "preparing" }))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let (status, c) = json_of(
        app.customer
            .post_json(&format!("{path}/cancel"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["refunded"], "23000");
    let (_, b) = app.customer.get_json("/api/v1/balance").await;
    assert_eq!(b["balance"], "100000");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_checkout_form_works_without_javascript(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "텀블러", 5, true).await;
    let user = app.customer.user_id.unwrap();
    let addr = address(&db, user).await;
    points(&db, user, 50_000).await;
    app.customer
        .post_json(
            "/api/v1/cart/items",
            &json!({ "variantId": p.variant, "quantity": 1 }),
        )
        .await;
    let (status, html) = app.customer.page("/checkout").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("₩13,000"), "the total with shipping");
    let once = uuid::Uuid::new_v4().to_string();
    let res = app
        .customer
        .post_plain_form(
            "/fn/checkout/place",
            &app.customer.url("/checkout"),
            &[
                ("form[once]", &once),
                ("form[address_id]", &addr),
                ("form[points]", "13,000"),
                ("form[method]", "POINTS"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/orders/ORD-"), "{location}");
    let (status, html) = app.customer.page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("결제가 완료되었습니다"),
        "the timeline shows the payment"
    );
    // Too few points: the form comes back with the reason, and nothing is ordered.
    app.customer
        .post_json(
            "/api/v1/cart/items",
            &json!({ "variantId": p.variant, "quantity": 1 }),
        )
        .await;
    let res = app
        .customer
        .post_form(
            "/fn/checkout/place",
            &[
                ("form[once]", &uuid::Uuid::new_v4().to_string()),
                ("form[address_id]", &addr),
                ("form[points]", "100"),
                ("form[method]", "POINTS"),
            ],
        )
        .await;
    let (status, body) = json_of(res).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Validation"][0]["field"], "points");
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 1);
}
