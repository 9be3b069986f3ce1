//! Bad input gets a clear refusal and loses no data; concurrent writers cannot silently
//! overwrite each other; stored values the code does not know fail loudly.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn two_admins_creating_one_slug_get_one_category_and_one_refusal(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let second = TestClient::anonymous(&app.base);
    let second = TestClient {
        email: app.admin.email.clone(),
        ..second
    };
    second.login().await;
    let create = |c: &TestClient, name: &'static str| {
        let once = uuid::Uuid::new_v4().to_string();
        let form = [
            ("form[once]", once.as_str()),
            ("form[name]", name),
            ("form[name_en]", "Mugs"),
            ("form[slug]", "mugs"),
            ("form[display_order]", "1"),
        ];
        let req = c
            .http
            .post(c.url("/fn/admin/categories/create"))
            .header("accept", "application/json")
            .form(&form);
        async move { json_of(req.send().await.unwrap()).await }
    };
    let ((s1, b1), (s2, b2)) = tokio::join!(create(&app.admin, "머그"), create(&second, "컵"));
    let mut statuses = [s1.as_u16(), s2.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 422], "{b1} {b2}");
    let refusal = if s1 == StatusCode::UNPROCESSABLE_ENTITY {
        b1
    } else {
        b2
    };
    assert!(refusal.to_string().contains("slug"), "{refusal}");
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM categories WHERE slug = 'mugs'")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(names.len(), 1);
    let winner = if s1 == StatusCode::OK {
        "머그"
    } else {
        "컵"
    };
    assert_eq!(names[0], winner, "the first category was renamed");
}

#[sqlx::test(migrations = "../migrations")]
async fn children_stay_under_their_parent_when_siblings_share_an_order(db: PgPool) {
    let mut conn = db.acquire().await.unwrap();
    use app::catalog::service::seed_category as create;
    let a = create(&mut conn, None, "가", "A", "a", 0).await.unwrap();
    let b = create(&mut conn, None, "나", "B", "b", 0).await.unwrap();
    let a1 = create(&mut conn, Some(a), "가-1", "A1", "a1", 0)
        .await
        .unwrap();
    let b1 = create(&mut conn, Some(b), "나-1", "B1", "b1", 0)
        .await
        .unwrap();
    drop(conn);
    let rows = app::catalog::service::all_categories(&db).await.unwrap();
    let order: Vec<_> = rows.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![a, a1, b, b1]);
}

#[sqlx::test(migrations = "../migrations")]
async fn sku_codes_belong_to_their_seller(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let sku = json!({ "code": "MUG-01", "name": "머그" });
    let res = app.seller.post_json("/api/v1/skus", &sku).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // Another seller may use the same code: nothing to probe, nothing to squat.
    let res = app.seller2.post_json("/api/v1/skus", &sku).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // The seller's own duplicate is a clear conflict.
    let (status, body) = json_of(app.seller.post_json("/api/v1/skus", &sku).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_input_is_refused_with_a_reason_not_a_500(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let mug = app.product(&app.seller, "경계 머그", 22, true).await;
    let id = uuid::Uuid::new_v4();

    // Listing cursors nobody wrote.
    for cursor in [
        format!("x~{id}"),
        format!("9999-99-99~{id}"),
        "garbage".into(),
    ] {
        let (status, body) = app
            .anon
            .get_json(&format!("/api/v1/products?cursor={cursor}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{cursor}: {body}");
        assert_eq!(body["fields"][0]["field"], "cursor");
        let (status, page) = app
            .anon
            .page(&format!("/shop?cursor={}", cursor.replace('~', "%7E")))
            .await;
        assert!(status.as_u16() < 500, "{cursor}: {status}");
        assert!(page.contains("페이지 주소가 올바르지 않습니다"), "{cursor}");
    }
    // NUL bytes in a path or a query.
    assert_eq!(app.anon.page("/p/%00").await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.anon.page("/shop?q=%00").await.0, StatusCode::OK);
    let (status, _) = app.anon.get_json("/api/v1/products?q=%00").await;
    assert_eq!(status, StatusCode::OK);

    // Stock: a receipt past the bound, a reference past 255 characters, an overflow.
    let receive_path = format!("/api/v1/inventory/{}/receive", mug.sku);
    let receive = |body: serde_json::Value| {
        let (seller, path) = (&app.seller, receive_path.clone());
        async move { seller.post_json(&path, &body).await }
    };
    for (body, field) in [
        (json!({ "quantity": 2147483000 }), "quantity"),
        (
            json!({ "quantity": 1, "reference": "r".repeat(256) }),
            "reference",
        ),
    ] {
        let (status, err) = json_of(receive(body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["fields"][0]["field"], field);
    }
    sqlx::query("UPDATE inventory SET stock = 99999999 WHERE sku_id = $1")
        .bind(mug.sku)
        .execute(&db)
        .await
        .unwrap();
    let (status, err) = json_of(receive(json!({ "quantity": 5 })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    // A reservation whose demand overflows i32.
    let res = app
        .seller
        .post_json(
            "/api/v1/inventory/reservations",
            &json!({ "orderId": "o", "lines": [
                { "skuId": mug.sku, "quantity": 1_000_000 },
                { "skuId": mug.sku, "quantity": 2147483647 }
            ] }),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stock: i32 = sqlx::query_scalar("SELECT stock FROM inventory WHERE sku_id = $1")
        .bind(mug.sku)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(stock, 99999999, "nothing changed");

    // A long product name with a long option label still makes its SKUs.
    let name = "가".repeat(200);
    let long = json!({
        "name": name, "price": "10000", "categoryIds": [mug.category],
        "options": [{ "name": "색상", "values": ["아주 긴 색 이름이 붙은 옵션 값 하나 둘 셋 넷 다섯 여섯"] }]
    });
    let (status, body) = json_of(app.seller.post_json("/api/v1/products", &long).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_stored_values_fail_loudly(db: PgPool) {
    use app::platform::integration::breaker::State;
    assert_eq!(State::parse("HALF_OPEN"), Some(State::HalfOpen));
    assert_eq!(State::parse("open"), None, "not read as CLOSED");
    assert!(app::identity::Role::try_from("superuser".to_owned()).is_err());
    assert!(app::catalog::service::ProductType::parse("kit").is_err());
    // A breaker row whose state the code does not know stops calls instead of letting them
    // through as CLOSED.
    sqlx::query("ALTER TABLE product_change.pc_circuit_breaker_state DROP CONSTRAINT IF EXISTS pc_circuit_breaker_state_state_check")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE product_change.pc_circuit_breaker_state SET state = 'BROKEN'")
        .execute(&db)
        .await
        .unwrap();
    let rows = app::platform::integration::breaker::Breakers::new(db.clone(), Default::default())
        .list()
        .await;
    assert!(rows.is_err(), "an unknown state was read as a known one");
}

#[sqlx::test(migrations = "../migrations")]
async fn rest_refusals_use_the_documented_json_shape(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app.anon.get_json("/api/v1/products/not-a-uuid").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");
    let (status, body) = app.anon.get_json("/api/v1/products?minPrice=abc").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "minPrice");
    let not_json = app
        .seller
        .http
        .post(app.seller.url("/api/v1/skus"))
        .header("content-type", "application/json")
        .body("{ this is not json")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(not_json).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let untyped = app
        .seller
        .http
        .post(app.seller.url("/api/v1/skus"))
        .body("code=x")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(untyped).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let (status, body) = json_of(
        app.seller
            .post_json("/api/v1/skus", &json!({ "code": "X", "name": 5 }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "name");
    // A cross-site post is forbidden, and says so in its code.
    let res = app
        .customer
        .http
        .post(app.customer.url("/fn/logout"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(res).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn prices_are_whole_positive_and_bounded(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let category = app.category("test-goods", "테스트 상품").await;
    for (price, expected) in [
        ("1.5", 422),
        ("0", 422),
        ("-100", 422),
        ("12345678901234567", 422),
        ("19,900", 201),
    ] {
        let (status, body) = json_of(
            app.seller
                .post_json(
                    "/api/v1/products",
                    &json!({ "name": format!("가격 {price}"), "price": price, "categoryIds": [category] }),
                )
                .await,
        )
        .await;
        assert_eq!(status.as_u16(), expected, "{price}: {body}");
        if expected == 422 {
            assert_eq!(body["fields"][0]["field"], "price");
        }
    }
    let shirt = app.product(&app.seller, "추가금 셔츠", 1, false).await;
    let (id, variant) = (shirt.id.to_string(), shirt.variant.to_string());
    for (extra, expected) in [
        ("2147483648", 422),
        ("1.5", 422),
        ("-10000", 422),
        ("2000", 200),
    ] {
        let res = app
            .seller
            .http
            .post(app.seller.url("/fn/seller/product/variant"))
            .header("accept", "application/json")
            .form(&[
                ("form[id]", id.as_str()),
                ("form[variant_id]", variant.as_str()),
                ("form[price_adjustment]", extra),
                ("form[is_active]", "on"),
            ])
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(res).await;
        assert_eq!(status.as_u16(), expected, "{extra}: {body}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_form_failing_again_without_javascript_keeps_one_error_in_its_address(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut referer = format!("{}/seller", app.base);
    for _ in 0..3 {
        let res = app
            .customer
            .post_plain_form(
                "/fn/seller/apply",
                &referer,
                &[
                    ("form[business_name]", " "),
                    ("form[business_number]", "123"),
                ],
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location.matches("__err=").count(), 1, "{location}");
        assert_eq!(location.matches("__path=").count(), 1, "{location}");
        referer = if location.starts_with("http") {
            location
        } else {
            format!("{}{location}", app.base)
        };
    }
}
