//! REST v1 for catalog and inventory, including idempotent creates and reservations.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

/// A POST with an optional `Idempotency-Key`.
async fn post_keyed(
    client: &TestClient,
    path: &str,
    body: &Value,
    key: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = client.http.post(client.url(path)).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    json_of(req.send().await.unwrap()).await
}

async fn delete(client: &TestClient, path: &str) -> StatusCode {
    client
        .http
        .delete(client.url(path))
        .send()
        .await
        .unwrap()
        .status()
}

#[sqlx::test(migrations = "../migrations")]
async fn skus_stock_and_reservations_over_rest(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let seller = &app.seller;
    // Creating a SKU twice with one key creates it once.
    let body = json!({ "code": "MUG-01", "name": "머그컵", "initialStock": 3 });
    let (status, first) = post_keyed(seller, "/api/v1/skus", &body, Some("sku-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (_, again) = post_keyed(seller, "/api/v1/skus", &body, Some("sku-1")).await;
    assert_eq!(first["skuId"], again["skuId"]);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM skus")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 1);
    // Without the key, the same code is a conflict.
    let (status, _) = post_keyed(seller, "/api/v1/skus", &body, None).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let sku = first["skuId"].as_str().unwrap().to_owned();
    let receive = format!("/api/v1/inventory/{sku}/receive");
    let (_, received) = post_keyed(seller, &receive, &json!({ "quantity": 2 }), None).await;
    assert_eq!(received["totalQuantity"], 5);

    // Reserve 4 of 5; a second reservation of 2 does not fit.
    let reserve = json!({ "skuId": sku, "quantity": 4, "orderId": "ORD-1", "ttl": 60 });
    let (status, r) = post_keyed(seller, "/api/v1/inventory/reservations", &reserve, None).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let over = json!({ "skuId": sku, "quantity": 2, "orderId": "ORD-2" });
    let (status, _) = post_keyed(seller, "/api/v1/inventory/reservations", &over, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let ask = json!({ "skuIds": [sku] });
    let avail = json_of(
        app.anon
            .post_json("/api/v1/inventory/availability", &ask)
            .await,
    )
    .await;
    assert_eq!(avail.1["skus"][0]["available"], 1);

    // Someone else cannot release it; the creator can, once.
    let release = format!(
        "/api/v1/inventory/reservations/{}",
        r["id"].as_str().unwrap()
    );
    assert_eq!(delete(&app.customer, &release).await, StatusCode::NOT_FOUND);
    assert_eq!(delete(&app.seller2, &release).await, StatusCode::NOT_FOUND);
    assert_eq!(delete(seller, &release).await, StatusCode::NO_CONTENT);
    assert_eq!(delete(seller, &release).await, StatusCode::CONFLICT);
    let (_, stock) = seller.get_json(&format!("/api/v1/inventory/{sku}")).await;
    assert_eq!(
        (
            stock["totalQuantity"].as_i64(),
            stock["reservedQuantity"].as_i64()
        ),
        (Some(5), Some(0))
    );
    // A customer is not a seller; another seller's SKU does not exist for them.
    let (status, _) = app
        .customer
        .get_json(&format!("/api/v1/inventory/{sku}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a customer is not a seller");
    let (status, _) = app
        .seller2
        .get_json(&format!("/api/v1/inventory/{sku}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another seller's SKU");
}

#[sqlx::test(migrations = "../migrations")]
async fn products_and_categories_over_rest(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let mut conn = db.acquire().await.unwrap();
    let root =
        app::catalog::service::seed_category(&mut conn, None, "디지털", "Digital", "digital", 0)
            .await
            .unwrap();
    let leaf = app::catalog::service::seed_category(
        &mut conn,
        Some(root),
        "이어폰",
        "Earbuds",
        "earbuds",
        0,
    )
    .await
    .unwrap();
    drop(conn);
    let product = json!({ "name": "무선 이어폰 Pro", "price": "89000", "categoryIds": [leaf],
                          "options": [{ "name": "색상", "values": ["화이트", "블랙"] }], "initialStock": 4 });
    let (status, created) = json_of(app.seller.post_json("/api/v1/products", &product).await).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();

    // A draft is visible to its seller, not to the public or another seller.
    let path = format!("/api/v1/products/{id}");
    assert_eq!(app.anon.get_json(&path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.seller2.get_json(&path).await.0, StatusCode::NOT_FOUND);
    let (_, own) = app.seller.get_json(&path).await;
    assert_eq!(own["variants"].as_array().unwrap().len(), 2);
    assert_eq!(own["variants"][0]["available"], 4);

    let pid: uuid::Uuid = id.parse().unwrap();
    sqlx::query("UPDATE products SET status = 'active' WHERE id = $1")
        .bind(pid)
        .execute(&db)
        .await
        .unwrap();
    let (_, tree) = app.anon.get_json("/api/v1/categories/tree").await;
    assert_eq!(tree[0]["children"][0]["slug"], "earbuds");
    let (_, in_root) = app
        .anon
        .get_json(&format!("/api/v1/categories/{root}/products"))
        .await;
    assert_eq!(in_root["items"][0]["name"], "무선 이어폰 Pro");
    let (_, search) = app
        .anon
        .get_json("/api/v1/products?q=%EC%9D%B4%EC%96%B4%ED%8F%B0&maxPrice=90000")
        .await;
    assert_eq!(search["items"].as_array().unwrap().len(), 1);
    let (_, doc) = app.anon.get_json("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/products",
        "/api/v1/products/{id}",
        "/api/v1/inventory/reservations",
        "/api/v1/skus",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from OpenAPI"
        );
    }
}
