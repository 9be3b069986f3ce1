//! What the OpenAPI document promises about every route, held by the API itself. The
//! schemathesis run (scripts/api-check.sh) fuzzes the same promises; these pin the ones a
//! refactor is most likely to break.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn shared_refusals_are_documented_on_every_operation_that_can_give_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (status, doc) = app.anon.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let create = &doc["paths"]["/api/v1/products"]["post"]["responses"];
    for code in ["201", "400", "401", "403", "409", "415", "422"] {
        assert!(create.get(code).is_some(), "POST /products lacks {code}");
    }
    let product = &doc["paths"]["/api/v1/products/{id}"]["get"]["responses"];
    assert!(product.get("404").is_some());
    // The key's shape is stated where it is taken.
    let params = doc["paths"]["/api/v1/skus"]["post"]["parameters"]
        .as_array()
        .unwrap();
    let key = params
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .unwrap();
    assert_eq!(key["schema"]["maxLength"], json!(255));
    // Request constraints are in the schema, not only in the code.
    let body = &doc["components"]["schemas"]["CreateProduct"]["properties"];
    assert_eq!(body["name"]["minLength"], json!(1));
    assert_eq!(body["categoryIds"]["minItems"], json!(1));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_body_that_is_not_an_object_and_an_unknown_method_are_refused_plainly(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app
        .anon
        .http
        .post(app.anon.url("/api/v1/inventory/availability"))
        .header("content-type", "application/json")
        .body("[]")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(res).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "body");

    // A method the route does not have is 405, whatever Idempotency-Key says.
    let res = app
        .seller
        .http
        .put(app.seller.url("/api/v1/products"))
        .header("idempotency-key", "not a valid key")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);

    // Empty query values are no filter; an unknown sort or a page size out of range is a 422.
    let (status, _) = app
        .anon
        .get_json("/api/v1/products?q=&minPrice=&sort=")
        .await;
    assert_eq!(status, StatusCode::OK);
    for query in ["sort=cheapest", "size=0", "size=101", "minPrice=abc"] {
        let (status, body): (StatusCode, Value) = app
            .anon
            .get_json(&format!("/api/v1/products?{query}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["code"], "validation_failed", "{query}: {body}");
    }
}
