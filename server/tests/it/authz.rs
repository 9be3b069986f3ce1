//! Authorization matrix for the seller and admin endpoints: a seller never reaches another
//! seller's products or stock, customers never reach seller endpoints, only admins review.

use crate::common::*;
use app::catalog::service::{self as catalog, ProductInput};
use app::catalog::{CategoryId, ImageId, ProductId, VariantId};
use app::inventory::SkuId;
use reqwest::StatusCode;
use sqlx::PgPool;

/// `app.seller` owns the product and SKU; `app.seller2` is another approved seller.
struct World {
    app: TestApp,
    product_b: ProductId,
    sku_b: SkuId,
    variant_b: VariantId,
    image_b: ImageId,
    category: CategoryId,
}

async fn world(db: PgPool) -> World {
    let app = TestApp::spawn(db.clone()).await;
    let mut conn = db.acquire().await.unwrap();
    let cat = catalog::seed_category(&mut conn, None, "패션", "Fashion", "fashion", 0)
        .await
        .unwrap();
    drop(conn);
    let product_b = catalog::create_product(
        &db,
        app.seller.seller_id.unwrap(),
        None,
        ProductInput {
            name: "B의 셔츠".into(),
            description: String::new(),
            price: "10000".into(),
            original_price: None,
            category_id: Some(cat),
            options: vec![],
            initial_stock: 3,
            product_type: app::catalog::service::ProductType::Normal,
        },
    )
    .await
    .unwrap();
    let sku_b: SkuId = sqlx::query_scalar(
        "SELECT m.sku_id FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id WHERE v.product_id = $1",
    )
    .bind(product_b)
    .fetch_one(&db)
    .await
    .unwrap();
    let variant_b: VariantId =
        sqlx::query_scalar("SELECT id FROM product_variants WHERE product_id = $1")
            .bind(product_b)
            .fetch_one(&db)
            .await
            .unwrap();
    let image_b: ImageId = sqlx::query_scalar(
        "INSERT INTO product_images (product_id, url, is_primary) VALUES ($1, '/media/x.png', TRUE) RETURNING id",
    )
    .bind(product_b)
    .fetch_one(&db)
    .await
    .unwrap();
    World {
        app,
        product_b,
        sku_b,
        variant_b,
        image_b,
        category: cat,
    }
}

/// A server function called as `client` would call it from a page.
async fn call(client: &TestClient, path: &str, form: &[(&str, String)]) -> StatusCode {
    let res = client
        .http
        .post(client.url(&format!("/fn/{path}")))
        .form(form);
    res.send().await.unwrap().status()
}

#[sqlx::test(migrations = "../migrations")]
async fn sellers_customers_and_admins_reach_only_what_is_theirs(db: PgPool) {
    let w = world(db.clone()).await;
    let pid = w.product_b.to_string();
    let sku = w.sku_b.to_string();
    let seller_calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("seller/products/submit", vec![("id", pid.clone())]),
        (
            "seller/products/sale",
            vec![("id", pid.clone()), ("on_sale", "false".into())],
        ),
        (
            "seller/stock/receive",
            vec![
                ("form[sku_id]", sku.clone()),
                ("form[once]", uuid::Uuid::new_v4().to_string()),
                ("form[quantity]", "5".into()),
            ],
        ),
        (
            "seller/stock/adjust",
            vec![
                ("form[sku_id]", sku.clone()),
                ("form[once]", uuid::Uuid::new_v4().to_string()),
                ("form[delta]", "-1".into()),
                ("form[reason]", "x".into()),
            ],
        ),
        ("seller/stock/movements", vec![("sku_id", sku.clone())]),
        // The product edit page and each of its actions.
        ("seller/product", vec![("id", pid.clone())]),
        (
            "seller/product/update",
            vec![
                ("form[id]", pid.clone()),
                ("form[name]", "빼앗긴 셔츠".into()),
                ("form[description]", String::new()),
                ("form[price]", "1".into()),
                ("form[category1]", w.category.to_string()),
            ],
        ),
        (
            "seller/product/variant",
            vec![
                ("form[id]", pid.clone()),
                ("form[variant_id]", w.variant_b.to_string()),
                ("form[price_adjustment]", "-9000".into()),
            ],
        ),
        (
            "seller/product/option-value",
            vec![
                ("form[id]", pid.clone()),
                ("form[option]", "색상".into()),
                ("form[value]", "검정".into()),
            ],
        ),
        (
            "seller/product/bundle-item",
            vec![
                ("form[id]", pid.clone()),
                ("form[variant_id]", w.variant_b.to_string()),
                ("form[sku_id]", sku.clone()),
                ("form[quantity]", "1".into()),
            ],
        ),
        (
            "seller/product/image",
            vec![
                ("form[id]", pid.clone()),
                ("form[image_id]", w.image_b.to_string()),
                ("form[change]", "down".into()),
            ],
        ),
        (
            "seller/product/image/delete",
            vec![("id", pid.clone()), ("image_id", w.image_b.to_string())],
        ),
        (
            "seller/product/delete",
            vec![("form[id]", pid.clone()), ("form[confirm]", "yes".into())],
        ),
    ];
    for (path, form) in &seller_calls {
        // Another seller: the product and SKU do not exist for them.
        assert_eq!(
            call(&w.app.seller2, path, form).await,
            StatusCode::NOT_FOUND,
            "seller A → {path}"
        );
        // A customer is not a seller at all.
        assert_eq!(
            call(&w.app.customer, path, form).await,
            StatusCode::FORBIDDEN,
            "customer → {path}"
        );
        // Nobody signed in.
        assert_eq!(
            call(&w.app.anon, path, form).await,
            StatusCode::UNAUTHORIZED,
            "anonymous → {path}"
        );
    }
    for path in ["seller/products", "seller/stock"] {
        let form: Vec<(&str, String)> = vec![];
        assert_eq!(
            call(&w.app.customer, path, &form).await,
            StatusCode::FORBIDDEN,
            "customer → {path}"
        );
        assert_eq!(
            call(&w.app.seller2, path, &form).await,
            StatusCode::OK,
            "seller A → {path}"
        );
    }
    // Nothing changed for B.
    let level = app::inventory::service::level(&db, w.sku_b).await.unwrap();
    assert_eq!((level.stock, level.reserved), (3, 0));
    let status: String = sqlx::query_scalar("SELECT status FROM products WHERE id = $1")
        .bind(w.product_b)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "draft");
    let untouched: (String, bool, i64, i64) = sqlx::query_as(
        "SELECT p.name, p.deleted_at IS NULL,
                (SELECT count(*) FROM product_images WHERE product_id = p.id),
                (SELECT count(*) FROM product_variants WHERE product_id = p.id AND is_active AND price_adjustment = 0)
         FROM products p WHERE p.id = $1",
    )
    .bind(w.product_b)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(untouched, ("B의 셔츠".to_owned(), true, 1, 1));

    // The owner may do all of it.
    assert_eq!(
        call(&w.app.seller, "seller/stock/receive", &seller_calls[2].1).await,
        StatusCode::OK
    );
    assert_eq!(
        call(&w.app.seller, "seller/products/submit", &seller_calls[0].1).await,
        StatusCode::OK
    );

    // Review is for admins only.
    let review = vec![
        ("form[id]", pid.clone()),
        ("form[decision]", "approve".to_owned()),
    ];
    for who in [&w.app.seller2, &w.app.seller, &w.app.customer] {
        assert_eq!(
            call(who, "admin/products/review", &review).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(who, "admin/products", &[]).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(call(who, "admin/sellers", &[]).await, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        call(&w.app.admin, "admin/products/review", &review).await,
        StatusCode::OK
    );
    let level = app::inventory::service::level(&db, w.sku_b).await.unwrap();
    assert_eq!(level.stock, 8, "only the owner's receipt counted");
}

/// A shopper who opens the admin console gets the 403 page, not the console's menu; the
/// account page offers selling only to those who do not sell yet.
#[sqlx::test(migrations = "../migrations")]
async fn consoles_and_the_account_page_fit_the_role(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (status, html) = app.customer.page("/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        !html.contains("href=\"/admin/users\""),
        "no admin menu for a shopper"
    );
    let (status, html) = app.admin.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/admin/users\""));
    // A visitor is sent to sign in (the browser tests follow it); no console either way.
    let (_, html) = app.anon.page("/admin").await;
    assert!(!html.contains("href=\"/admin/users\""));

    let (_, html) = app.customer.page("/account").await;
    assert!(html.contains("판매자 신청"));
    let (_, html) = app.seller.page("/account").await;
    assert!(
        !html.contains("판매자 신청"),
        "an approved seller is not offered to apply"
    );
    assert!(html.contains("판매자 센터"));
}
