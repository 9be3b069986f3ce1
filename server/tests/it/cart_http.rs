//! The cart, wishlist and point balance over HTTP: REST for scripts, and the product page's
//! plain form for a guest whose cart joins the account at sign-in.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

/// The text right inside the element with `data-testid={id}`.
fn testid_text<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let at = html.find(&format!(r#"data-testid="{id}""#))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')?;
    Some(&rest[start..start + end])
}

fn once() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn cart_lines_over_rest_are_the_owners_alone(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "머그컵", 5, true).await;
    let add = json!({ "variantId": p.variant, "quantity": 2 });

    let res = app.anon.post_json("/api/v1/cart/items", &add).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let (status, added) = json_of(app.customer.post_json("/api/v1/cart/items", &add).await).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let id = added["id"].as_str().unwrap().to_owned();
    assert_eq!(added["cart"]["line_count"], 1);
    let group = &added["cart"]["groups"][0];
    assert_eq!(group["lines"][0]["quantity"], 2);
    // ₩20,000 is below the free-shipping threshold: the default fee applies.
    assert_eq!(group["shipping_fee"], "3000");

    // More than can be sold is refused, and said on the quantity.
    let (status, body) = json_of(
        app.customer
            .post_json(
                "/api/v1/cart/items",
                &json!({ "variantId": p.variant, "quantity": 4 }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "quantity");

    // Another shopper cannot see, change or remove the line: it does not exist for them.
    let other = TestClient::signed_in(&db, &app.base, "other@example.com", "customer").await;
    let line = format!("/api/v1/cart/items/{id}");
    let patch = other
        .http
        .patch(other.url(&line))
        .json(&json!({ "quantity": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::NOT_FOUND);
    let delete = other.http.delete(other.url(&line)).send().await.unwrap();
    assert_eq!(delete.status(), StatusCode::NOT_FOUND);
    let (_, theirs) = other.get_json("/api/v1/cart").await;
    assert_eq!(theirs["line_count"], 0);

    let (status, cart) = json_of(
        app.customer
            .http
            .patch(app.customer.url(&line))
            .json(&json!({ "quantity": 5 }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{cart}");
    assert_eq!(cart["groups"][0]["lines"][0]["quantity"], 5);
    // ₩50,000 ships free.
    assert_eq!(cart["shipping"], "0");
    let res = app
        .customer
        .http
        .delete(app.customer.url(&line))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, cart) = app.customer.get_json("/api/v1/cart").await;
    assert_eq!(cart["line_count"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_guest_cart_joins_the_account_at_sign_in(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "텀블러", 6, true).await;
    let product = p.id.to_string();
    let variant = p.variant.to_string();
    let page = app.anon.url(&format!("/p/{}", p.slug));

    // The account already holds 2; the guest adds 3 without JavaScript.
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
    let guest = TestClient::anonymous(&app.base);
    let token = once();
    let res = guest
        .post_plain_form(
            "/fn/cart/add",
            &page,
            &[
                ("form[product_id]", &product),
                ("form[once]", &token),
                ("form[variant_id]", &variant),
                ("form[quantity]", "3"),
                ("form[intent]", "cart"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/cart");
    let (status, html) = guest.page("/cart").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("텀블러"), "the guest's cart shows the line");
    assert_eq!(
        testid_text(&html, "cart-count"),
        Some("1"),
        "the header counts it"
    );

    // A double submit of the same form adds once.
    guest
        .post_plain_form(
            "/fn/cart/add",
            &page,
            &[
                ("form[product_id]", &product),
                ("form[once]", &token),
                ("form[variant_id]", &variant),
                ("form[quantity]", "3"),
                ("form[intent]", "cart"),
            ],
        )
        .await;

    // Signing in merges: 2 + 3 = 5, within the 6 in stock.
    let res = guest
        .post_plain_form(
            "/fn/login",
            &app.anon.url("/login"),
            &[
                ("form[email]", &app.customer.email),
                ("form[password]", PASSWORD),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let (_, cart) = guest.get_json("/api/v1/cart").await;
    assert_eq!(cart["line_count"], 1, "{cart}");
    assert_eq!(cart["groups"][0]["lines"][0]["quantity"], 5);
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_up_over_rest_signs_in_and_keeps_the_guest_cart(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "보온병", 4, true).await;
    let guest = TestClient::anonymous(&app.base);
    let res = guest
        .post_plain_form(
            "/fn/cart/add",
            &app.anon.url(&format!("/p/{}", p.slug)),
            &[
                ("form[product_id]", &p.id.to_string()),
                ("form[once]", &once()),
                ("form[variant_id]", &p.variant.to_string()),
                ("form[quantity]", "2"),
                ("form[intent]", "cart"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());

    let signup =
        json!({ "email": "New@Example.com", "password": "long enough pass", "name": "새 손님" });
    let (status, me) = json_of(guest.post_json("/api/v1/auth/signup", &signup).await).await;
    assert_eq!(status, StatusCode::CREATED, "{me}");
    assert_eq!(me["email"], "new@example.com");
    assert_eq!(me["role"], "customer");
    let (status, me_again) = guest.get_json("/api/v1/me").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the session cookie signs the caller in"
    );
    assert_eq!(me_again["id"], me["id"]);
    let (_, cart) = guest.get_json("/api/v1/cart").await;
    assert_eq!(cart["groups"][0]["lines"][0]["quantity"], 2, "{cart}");

    // The same email again, and a short password, are refused on their fields.
    let again = TestClient::anonymous(&app.base);
    let (status, body) = json_of(again.post_json("/api/v1/auth/signup", &signup).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "email");
    let short = json!({ "email": "short@example.com", "password": "short", "name": "짧은" });
    let (status, body) = json_of(again.post_json("/api/v1/auth/signup", &short).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "password");
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE email LIKE '%@example.com' AND name IN ('새 손님', '짧은')")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(users, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_product_form_names_what_is_wrong(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "접시", 2, true).await;
    let product = p.id.to_string();
    let variant = p.variant.to_string();
    let token = once();
    let res = app
        .customer
        .post_form(
            "/fn/cart/add",
            &[
                ("form[product_id]", &product),
                ("form[once]", &token),
                ("form[variant_id]", &variant),
                ("form[quantity]", "3"),
            ],
        )
        .await;
    let (status, body) = json_of(res).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["Validation"][0]["field"], "quantity", "{body}");
    let (_, cart) = app.customer.get_json("/api/v1/cart").await;
    assert_eq!(cart["line_count"], 0, "nothing was added");
}

#[sqlx::test(migrations = "../migrations")]
async fn wishlist_and_balance_over_rest(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let p = app.product(&app.seller, "찻잔", 2, true).await;
    let path = format!("/api/v1/wishlist/{}", p.id);
    for _ in 0..2 {
        let res = app
            .customer
            .http
            .put(app.customer.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
    let (_, list) = app.customer.get_json("/api/v1/wishlist").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["price"], "10000");
    let (_, html) = app.anon.page(&format!("/p/{}", p.slug)).await;
    assert!(
        testid_text(&html, "wish-count") == Some("1"),
        "the product shows its wish count"
    );
    let missing = format!("/api/v1/wishlist/{}", uuid::Uuid::new_v4());
    let res = app
        .customer
        .http
        .put(app.customer.url(&missing))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .customer
        .http
        .delete(app.customer.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, list) = app.customer.get_json("/api/v1/wishlist").await;
    assert_eq!(list.as_array().unwrap().len(), 0);

    let user = app.customer.user_id.unwrap();
    app::wallet::service::grant(
        &db,
        user,
        rust_decimal::Decimal::from(50_000),
        "welcome:t",
        "환영",
    )
    .await
    .unwrap();
    let (_, b) = app.customer.get_json("/api/v1/balance").await;
    assert_eq!(b["balance"], "50000");
    let (_, t) = app.customer.get_json("/api/v1/balance/transactions").await;
    assert_eq!(t["entries"][0]["kind"], "GRANT");
    assert_eq!(t["entries"][0]["balance_after"], "50000");
    let (status, _) = app.anon.get_json("/api/v1/balance").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, html) = app.customer.page("/account/points").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("₩50,000"),
        "the points page shows the balance"
    );
}
