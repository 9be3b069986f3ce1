//! The account's own settings over REST and plain forms, the seller shop listing, and the
//! storefront's refusals of malformed filters.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

const NEW_PASSWORD: &str = "autumn market 2027";

async fn send(
    client: &TestClient,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    json_of(
        client
            .http
            .request(method, client.url(path))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn profile_and_password_change_over_rest_sign_out_the_other_device(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let me = &app.customer;
    let (status, body) = send(
        me,
        reqwest::Method::PATCH,
        "/api/v1/me",
        json!({ "phone": "12" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "phone");
    let (status, body) = send(
        me,
        reqwest::Method::PATCH,
        "/api/v1/me",
        json!({ "phone": "01055556666" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["phone"], "010-5555-6666");
    assert_eq!(body["name"], "테스터", "a field left out stays");

    // A second device, signed in through the same REST login.
    let phone = TestClient::anonymous(&app.base);
    let phone = TestClient {
        email: me.email.clone(),
        ..phone
    };
    phone.login().await;
    assert_eq!(phone.get("/api/v1/me").await.status(), StatusCode::OK);

    let (status, body) = send(
        me,
        reqwest::Method::POST,
        "/api/v1/me/password",
        json!({ "currentPassword": "wrong wrong 2026", "newPassword": NEW_PASSWORD }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "current_password");
    let (status, body) = send(
        me,
        reqwest::Method::POST,
        "/api/v1/me/password",
        json!({ "currentPassword": PASSWORD, "newPassword": NEW_PASSWORD, "signOutOthers": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["signedOut"], 1);
    assert_eq!(
        me.get("/api/v1/me").await.status(),
        StatusCode::OK,
        "this device stays"
    );
    assert_eq!(
        phone.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The old password is refused at login, the new one works.
    let (status, _) = json_of(
        phone
            .post_json(
                "/api/v1/auth/login",
                &json!({ "email": me.email, "password": PASSWORD }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = phone
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": me.email, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn withdrawal_over_rest_ends_every_credential_and_frees_the_email(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let me = &app.customer;
    // A token, to see it die with the account.
    let token = app::identity::tokens::create(&db, me.user_id.unwrap(), "script")
        .await
        .unwrap();
    let bearer = |path: &str| {
        app.anon
            .http
            .get(app.anon.url(path))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(bearer("/api/v1/me").await.unwrap().status(), StatusCode::OK);

    let (status, body) = send(
        me,
        reqwest::Method::DELETE,
        "/api/v1/me",
        json!({ "password": PASSWORD, "reason": "bored" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "reason");
    let (status, body) = send(
        me,
        reqwest::Method::DELETE,
        "/api/v1/me",
        json!({ "password": PASSWORD, "reason": "rarely_used" }),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        me.get("/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        bearer("/api/v1/me").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let again = app
        .anon
        .post_json(
            "/api/v1/auth/signup",
            &json!({ "email": me.email, "password": NEW_PASSWORD, "name": "다시 왔어요" }),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_seller_with_open_orders_is_told_why_it_cannot_withdraw(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let buyer = app.customer.user_id.unwrap();
    app::platform::testing::paid_order(&db, buyer, 12_000, 0).await;
    sqlx::query("UPDATE orders SET seller_id = $1 WHERE user_id = $2")
        .bind(app.seller.seller_id.unwrap())
        .bind(buyer)
        .execute(&db)
        .await
        .unwrap();
    let (status, body) = send(
        &app.seller,
        reqwest::Method::DELETE,
        "/api/v1/me",
        json!({ "password": PASSWORD, "reason": "service" }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("판매 주문"),
        "{body}"
    );
    assert_eq!(app.seller.get("/api/v1/me").await.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_seller_shop_lists_its_products_and_is_gone_with_the_seller(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let mine = app.product(&app.seller, "가게 머그컵", 5, true).await;
    let seller = app.seller.seller_id.unwrap();
    let path = format!("/api/v1/sellers/{seller}/products");
    let (status, body) = app.anon.get_json(&path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ids: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![mine.id.to_string()]);
    assert_eq!(body["items"][0]["sold_out"], false);
    let (status, html) = app.anon.page(&format!("/s/{seller}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("가게 머그컵"), "{html}");
    // Search in the shop, with the words run together.
    let (_, body) = app
        .anon
        .get_json(&format!(
            "{path}?q=%EA%B0%80%EA%B2%8C%EB%A8%B8%EA%B7%B8%EC%BB%B5"
        ))
        .await;
    assert_eq!(body["items"].as_array().unwrap().len(), 1, "{body}");

    sqlx::query("UPDATE sellers SET status = 'suspended' WHERE id = $1")
        .bind(seller)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(app.anon.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.anon.get(&format!("/s/{seller}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.anon.get("/s/not-a-seller").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_malformed_option_filter_is_refused_not_ignored(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app
        .anon
        .get_json("/api/v1/products?option=%EB%B8%94%EB%9E%99")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "option");
    // A NUL in an option is refused the same way, not a server error.
    let (status, _) = app.anon.get_json("/api/v1/products?option=a%3Ab%00c").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_plain_form_post_redirects_without_a_stray_question_mark(db: PgPool) {
    let app = TestApp::spawn(db).await;
    // A server function that answers by sending the browser back where it came from.
    let referer = app.customer.url("/account");
    let res = app
        .customer
        .post_plain_form(
            "/fn/tokens/create",
            &referer,
            &[("form[name]", "deploy script")],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(location, referer);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_in_a_form_post_is_refused_by_name_and_nothing_is_saved(db: PgPool) {
    use app::platform::error::AppError;
    use base64::Engine;
    let app = TestApp::spawn(db.clone()).await;
    let named = |e: AppError| matches!(e, AppError::Validation(f) if f[0].field == "form[name]");
    // Without JavaScript: back to the page, with the error for the form to show.
    let referer = app.customer.url("/account");
    let res = app
        .customer
        .post_plain_form(
            "/fn/tokens/create",
            &referer,
            &[("form[name]", "deploy\0script")],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = reqwest::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(&referer), "{location}");
    let err = location
        .query_pairs()
        .find(|(k, _)| k == "__err")
        .map(|(_, v)| v.into_owned())
        .expect("the error rides along");
    let err = base64::engine::general_purpose::URL_SAFE
        .decode(err)
        .unwrap();
    assert!(named(serde_json::from_slice(&err).unwrap()));
    // From the page's script: the error itself, with its status.
    let res = app
        .customer
        .http
        .post(app.customer.url("/fn/tokens/create"))
        .form(&[("form[name]", "deploy\0script")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.headers().contains_key("serverfnerror"));
    assert!(named(res.json().await.unwrap()));
    let tokens: i64 =
        sqlx::query_scalar("SELECT count(*) FROM auth_tokens WHERE name LIKE 'deploy%'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(tokens, 0);
}
