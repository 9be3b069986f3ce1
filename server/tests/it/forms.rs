//! The form idiom over HTTP as a browser without JavaScript uses it: one struct per form
//! (`form[field]` inputs), the refusal on its own field, and what was typed put back.

use crate::common::TestApp;
use reqwest::StatusCode;
use sqlx::PgPool;

/// Where a redirect sends the browser, as a path on the app.
fn path_of(app: &TestApp, res: &reqwest::Response) -> String {
    let location = res.headers()["location"].to_str().unwrap();
    location.trim_start_matches(app.base.as_str()).to_owned()
}

/// The `<input …>` tag with this id.
fn input_tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no input #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_approval_is_shown_on_its_row_with_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let pending = app::seller::service::apply(
        &db,
        app.customer.user_id.unwrap(),
        app::platform::testing::application("심사 대기 가게"),
    )
    .await
    .unwrap();
    let id = pending.id.to_string();
    let queue = app.admin.url("/admin/sellers");
    let res = app
        .admin
        .post_plain_form(
            "/fn/admin/sellers/approve",
            &queue,
            &[("form[id]", id.as_str()), ("form[commission_rate]", "abc")],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = path_of(&app, &res);
    let (status, html) = app.admin.page(&back).await;
    assert_eq!(status, StatusCode::OK);
    let field = input_tag(&html, &format!("approve-{id}-commission_rate"));
    assert!(field.contains("aria-invalid=\"true\""), "{field}");
    assert!(field.contains("value=\"abc\""), "{field}");
    assert!(field.contains("name=\"form[commission_rate]\""), "{field}");
    assert!(
        html.contains("0에서 100 사이의 숫자를 입력해 주세요."),
        "the reason is said"
    );
    // The application is still pending: nothing was approved.
    let status: String = sqlx::query_scalar("SELECT status FROM sellers WHERE id = $1")
        .bind(pending.id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "pending");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_sign_in_keeps_the_email_but_never_the_password(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app
        .anon
        .post_plain_form(
            "/fn/login",
            &app.anon.url("/login"),
            &[
                ("form[email]", "nobody@example.com"),
                ("form[password]", "wrong horse battery"),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = path_of(&app, &res);
    let (_, html) = app.anon.page(&back).await;
    assert!(input_tag(&html, "email").contains("value=\"nobody@example.com\""));
    assert!(
        !html.contains("wrong horse battery"),
        "the password is not echoed"
    );
}

/// "상품 만들기" as a browser without JavaScript posts it.
async fn create_product_plain(
    app: &TestApp,
    once: &str,
    name: &str,
    price: &str,
    category: &str,
) -> reqwest::Response {
    app.seller
        .post_plain_form(
            "/fn/seller/products/create",
            &app.seller.url("/seller/products"),
            &[
                ("form[once]", once),
                ("form[name]", name),
                ("form[price]", price),
                ("form[category_id]", category),
                ("form[product_type]", "normal"),
            ],
        )
        .await
}

async fn products_named(db: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM products WHERE name = $1")
        .bind(name)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_double_submit_creates_one_product_and_says_so_once(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let category = app.category("test-goods", "테스트 상품").await.to_string();
    let once = uuid::Uuid::new_v4().to_string();
    let (a, b) = tokio::join!(
        create_product_plain(&app, &once, "두 번 누른 머그", "12000", &category),
        create_product_plain(&app, &once, "두 번 누른 머그", "12000", &category),
    );
    assert_eq!(products_named(&db, "두 번 누른 머그").await, 1);
    // Both land on the one product's edit page.
    assert!(a.status().is_redirection(), "{}", a.status());
    assert!(b.status().is_redirection(), "{}", b.status());
    let (to_a, to_b) = (path_of(&app, &a), path_of(&app, &b));
    assert_eq!(to_a, to_b);
    assert!(to_a.starts_with("/seller/products/"), "{to_a}");

    // The confirmation shows on the page the form led to, and only once.
    let (status, html) = app.seller.page(&to_a).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("상품을 만들었습니다."), "no confirmation");
    let (_, again) = app.seller.page(&to_a).await;
    assert!(!again.contains("상품을 만들었습니다."), "shown twice");

    // A new form (a new token) is a new product.
    let fresh = uuid::Uuid::new_v4().to_string();
    let c = create_product_plain(&app, &fresh, "두 번 누른 머그", "12000", &category).await;
    assert!(c.status().is_redirection(), "{}", c.status());
    assert_eq!(products_named(&db, "두 번 누른 머그").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_submit_frees_its_token_and_a_form_without_one_is_refused(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let category = app.category("test-goods", "테스트 상품").await.to_string();
    let once = uuid::Uuid::new_v4().to_string();
    let post = |once: String, price: &'static str| {
        let req = app
            .seller
            .http
            .post(app.seller.url("/fn/seller/products/create"))
            .header("accept", "application/json")
            .form(&[
                ("form[once]", once.as_str()),
                ("form[name]", "고친 머그"),
                ("form[price]", price),
                ("form[category_id]", category.as_str()),
            ]);
        async move { crate::common::json_of(req.send().await.unwrap()).await }
    };
    let (status, body) = post(once.clone(), "1.5").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The corrected form goes through with the same token.
    let (status, body) = post(once.clone(), "15000").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(products_named(&db, "고친 머그").await, 1);
    // No token: refused, nothing made.
    let (status, body) = post(String::new(), "15000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("ErrBadForm"), "{body}");
    assert_eq!(products_named(&db, "고친 머그").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn deleting_an_address_says_so_on_the_next_page(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let once = uuid::Uuid::new_v4().to_string();
    let res = app
        .customer
        .post_form(
            "/fn/addresses/save",
            &[
                ("form[once]", once.as_str()),
                ("form[recipient_name]", "홍길동"),
                ("form[phone]", "010-1234-5678"),
                ("form[postal_code]", "06236"),
                ("form[address]", "서울 강남구 테헤란로 1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, saved) = crate::common::json_of(res).await;
    let id = saved["id"].as_str().unwrap().to_owned();
    // A JavaScript client takes the confirmation right after the action.
    let (_, notice) = crate::common::json_of(app.customer.post_form("/fn/notice", &[]).await).await;
    assert_eq!(notice, serde_json::json!("NoticeAddressAdded"));
    let res = app
        .customer
        .post_plain_form(
            "/fn/addresses/delete",
            &app.customer.url("/account/addresses"),
            &[("id", id.as_str())],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let (_, html) = app.customer.page(&path_of(&app, &res)).await;
    assert!(html.contains("배송지를 삭제했습니다."), "no confirmation");
}
