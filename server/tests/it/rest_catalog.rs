//! REST v1 for catalog and inventory, including idempotent creates and reservations.

use crate::common::*;
use app::platform::config::Configs;
use app::platform::testing::test_redis;
use reqwest::header::COOKIE;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn skus_stock_and_reservations_over_rest(db: PgPool) {
    let redis = test_redis().await;
    let configs = Configs::new(db.clone(), redis.clone());
    let base = spawn(db.clone(), redis).await;
    let cookie = approved_seller_cookie(&db, &base, &configs, "rest-seller@example.com").await;
    let post = |path: &str, body: Value, key: Option<&str>| {
        let mut req = raw_client()
            .post(format!("{base}/api/v1/{path}"))
            .header(COOKIE, &cookie)
            .json(&body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        req.send()
    };
    // Creating a SKU twice with one key creates it once.
    let body = json!({ "code": "MUG-01", "name": "머그컵", "initialStock": 3 });
    let first = post("skus", body.clone(), Some("sku-1")).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again: Value = post("skus", body.clone(), Some("sku-1"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["skuId"], again["skuId"]);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM skus")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 1);
    // Without the key, the same code is a conflict.
    assert_eq!(
        post("skus", body, None).await.unwrap().status(),
        StatusCode::CONFLICT
    );

    let sku = first["skuId"].as_str().unwrap().to_owned();
    let received: Value = post(
        &format!("inventory/{sku}/receive"),
        json!({ "quantity": 2 }),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(received["totalQuantity"], 5);

    // Reserve 4 of 5; a second reservation of 2 does not fit.
    let r = post(
        "inventory/reservations",
        json!({ "skuId": sku, "quantity": 4, "orderId": "ORD-1", "ttl": 60 }),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r: Value = r.json().await.unwrap();
    let over = post(
        "inventory/reservations",
        json!({ "skuId": sku, "quantity": 2, "orderId": "ORD-2" }),
        None,
    )
    .await
    .unwrap();
    assert_eq!(over.status(), StatusCode::CONFLICT);
    let avail: Value = raw_client()
        .post(format!("{base}/api/v1/inventory/availability"))
        .json(&json!({ "skuIds": [sku] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(avail["skus"][0]["available"], 1);

    // Someone else cannot release it; the creator can, once.
    create_user(&db, "other@example.com").await;
    let other = login(&base, "other@example.com", None).await;
    let del = |c: String| {
        raw_client()
            .delete(format!(
                "{base}/api/v1/inventory/reservations/{}",
                r["id"].as_str().unwrap()
            ))
            .header(COOKIE, c)
            .send()
    };
    assert_eq!(
        del(other.clone()).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        del(cookie.clone()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        del(cookie.clone()).await.unwrap().status(),
        StatusCode::CONFLICT
    );
    let stock: Value =
        get_json_with_cookie(format!("{base}/api/v1/inventory/{sku}"), &cookie).await;
    assert_eq!(
        (
            stock["totalQuantity"].as_i64(),
            stock["reservedQuantity"].as_i64()
        ),
        (Some(5), Some(0))
    );
    // Another user's view of the SKU: it does not exist for them.
    let theirs = raw_client()
        .get(format!("{base}/api/v1/inventory/{sku}"))
        .header(COOKIE, &other)
        .send()
        .await
        .unwrap();
    assert_eq!(
        theirs.status(),
        StatusCode::FORBIDDEN,
        "a customer is not a seller"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn products_and_categories_over_rest(db: PgPool) {
    let redis = test_redis().await;
    let configs = Configs::new(db.clone(), redis.clone());
    let base = spawn(db.clone(), redis).await;
    let cookie = approved_seller_cookie(&db, &base, &configs, "rest-seller@example.com").await;
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
    let created = raw_client()
        .post(format!("{base}/api/v1/products"))
        .header(COOKIE, &cookie)
        .json(&json!({ "name": "무선 이어폰 Pro", "price": "89000", "categoryIds": [leaf],
                       "options": [{ "name": "색상", "values": ["화이트", "블랙"] }], "initialStock": 4 }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A draft is visible to its seller, not to the public.
    let public = raw_client()
        .get(format!("{base}/api/v1/products/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    let own: Value = get_json_with_cookie(format!("{base}/api/v1/products/{id}"), &cookie).await;
    assert_eq!(own["variants"].as_array().unwrap().len(), 2);
    assert_eq!(own["variants"][0]["available"], 4);

    let pid: Uuid = id.parse().unwrap();
    sqlx::query("UPDATE products SET status = 'active' WHERE id = $1")
        .bind(pid)
        .execute(&db)
        .await
        .unwrap();
    let tree: Value = raw_client()
        .get(format!("{base}/api/v1/categories/tree"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tree[0]["children"][0]["slug"], "earbuds");
    let in_root: Value = raw_client()
        .get(format!("{base}/api/v1/categories/{root}/products"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(in_root["items"][0]["name"], "무선 이어폰 Pro");
    let search: Value = raw_client()
        .get(format!(
            "{base}/api/v1/products?q=%EC%9D%B4%EC%96%B4%ED%8F%B0&maxPrice=90000"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(search["items"].as_array().unwrap().len(), 1);
    let doc: Value = raw_client()
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
