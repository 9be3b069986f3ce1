//! Changes made through one instance show on another within a second or two: the outbox
//! relay and the `cache` consumer group run because `startup::serve` starts them.

use crate::common::*;
use app::catalog::service::{self as catalog, ProductInput, ProductType};
use reqwest::StatusCode;
use sqlx::PgPool;

fn ok(res: &reqwest::Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

#[sqlx::test(migrations = "../migrations")]
async fn changes_on_one_instance_show_on_the_other(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let b = app.client_of(&app.another_instance().await);

    let mut conn = db.acquire().await.unwrap();
    let category = catalog::seed_category(&mut conn, None, "그릇", "Bowls", "bowls", 1)
        .await
        .unwrap();
    drop(conn);
    let seller = app.seller.seller_id.unwrap();
    let product = catalog::create_product(
        &db,
        seller,
        app.seller.user_id,
        ProductInput {
            name: "캐시 머그".into(),
            description: String::new(),
            price: "12000".into(),
            original_price: None,
            category_id: Some(category),
            options: vec![],
            initial_stock: 4,
            product_type: ProductType::Normal,
        },
    )
    .await
    .unwrap();
    app::platform::testing::picture(&db, product).await;
    catalog::submit(&db, seller, product).await.unwrap();
    let slug: String = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(&db)
        .await
        .unwrap();
    let page = format!("/p/{slug}");

    // Instance B has the pending product (and the tree) cached before anything changes.
    assert_eq!(b.page(&page).await.0, StatusCode::NOT_FOUND);
    assert!(b.page("/shop").await.1.contains("그릇"));

    let id = product.to_string();
    let res = app
        .admin
        .post_form(
            "/fn/admin/products/review",
            &[("form[id]", &id), ("form[decision]", "approve")],
        )
        .await;
    assert!(ok(&res), "approve: {}", res.status());
    within_seconds("approval", || async {
        b.page(&page).await.0 == StatusCode::OK
    })
    .await;

    let res = app
        .seller
        .post_form(
            "/fn/seller/products/sale",
            &[("id", &id), ("on_sale", "false")],
        )
        .await;
    assert!(ok(&res), "take off sale: {}", res.status());
    within_seconds("take off sale", || async {
        b.page(&page).await.0 == StatusCode::NOT_FOUND
    })
    .await;

    let category = category.to_string();
    let rename = [
        ("form[id]", category.as_str()),
        ("form[name]", "접시"),
        ("form[name_en]", "Plates"),
        ("form[display_order]", "1"),
        ("form[is_active]", "on"),
    ];
    let res = app
        .admin
        .post_form("/fn/admin/categories/update", &rename)
        .await;
    assert!(ok(&res), "rename: {}", res.status());
    within_seconds("category rename", || async {
        let shop = b.page("/shop").await.1;
        shop.contains("접시") && !shop.contains("그릇")
    })
    .await;

    let hide = &rename[..4];
    let res = app
        .admin
        .post_form("/fn/admin/categories/update", hide)
        .await;
    assert!(ok(&res), "hide: {}", res.status());
    within_seconds("hidden category", || async {
        !b.page("/shop").await.1.contains("접시")
    })
    .await;
}
