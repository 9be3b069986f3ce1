//! The seller's product table over hundreds of products, SKU codes, and the bundle picker.

use super::*;
use crate::catalog::{ProductStatus, SellerProductQuery, SellerProductRow, SellerSort};
use crate::platform::money::PriceAdjustment;
use crate::platform::testing::{sellable, seller};

fn query(q: Option<&str>, status: Option<ProductStatus>, sort: SellerSort) -> SellerProductQuery {
    SellerProductQuery {
        q: q.map(Into::into),
        status,
        sort,
        cursor: None,
    }
}

/// Every row of the table, `per` at a time, following the cursors.
async fn walk(
    db: &PgPool,
    s: SellerId,
    mut q: SellerProductQuery,
    per: i64,
) -> Vec<SellerProductRow> {
    let mut rows = Vec::new();
    loop {
        let (page, total) = seller_product_page(db, s, &q, per).await.unwrap();
        assert!(page.items.len() as i64 <= per);
        rows.extend(page.items);
        assert!(rows.len() as i64 <= total);
        match page.next {
            Some(next) => q.cursor = Some(next),
            None => return rows,
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_table_pages_searches_filters_and_sorts_over_300_products(db: PgPool) {
    let s = seller(&db).await;
    let other = seller(&db).await;
    // 310 products in one INSERT (names 상품 000 … 상품 309, prices repeat so sorts have ties).
    sqlx::query(
        "INSERT INTO products (seller_id, name, slug, price, status, created_at)
         SELECT $1, '상품 ' || lpad(i::text, 3, '0'), 'p-' || gen_random_uuid(), 1000 + (i % 7) * 100,
                CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'active' END,
                now() - make_interval(secs => i)
         FROM generate_series(0, 309) i",
    )
    .bind(s)
    .execute(&db)
    .await
    .unwrap();
    sellable(&db, other, "상품 남의 것", 1000, &[1]).await;
    let (mug, variants) = sellable(&db, s, "머그컵", 9000, &[4]).await;
    let code: String = sqlx::query_scalar("SELECT code FROM skus WHERE id = $1")
        .bind(variants[0].1)
        .fetch_one(&db)
        .await
        .unwrap();

    // Every sort walks every row once, in its order; the first page holds SELLER_PAGE rows.
    for sort in SellerSort::ALL {
        let rows = walk(&db, s, query(None, None, *sort), 45).await;
        assert_eq!(rows.len(), 311, "{sort:?}");
        let mut ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 311, "{sort:?}");
        if *sort == SellerSort::PriceAsc {
            assert!(rows.windows(2).all(|w| w[0].price <= w[1].price));
        }
        if *sort == SellerSort::Name {
            assert!(rows.windows(2).all(|w| w[0].name <= w[1].name));
        }
    }
    let (first, total) =
        seller_product_page(&db, s, &query(None, None, SellerSort::Newest), SELLER_PAGE)
            .await
            .unwrap();
    assert_eq!((first.items.len() as i64, total), (SELLER_PAGE, 311));
    assert_eq!(first.items[0].name, "머그컵", "newest first");

    // Search by name, by SKU code; filter by status.
    let (found, n) =
        seller_product_page(&db, s, &query(Some("상품 30"), None, SellerSort::Name), 50)
            .await
            .unwrap();
    assert_eq!(n, 10);
    assert_eq!(found.items[0].name, "상품 300");
    let (by_code, n) = seller_product_page(
        &db,
        s,
        &query(Some(&code[..8]), None, SellerSort::Newest),
        50,
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(by_code.items[0].id, mug);
    assert_eq!(by_code.items[0].codes, code);
    assert_eq!(by_code.items[0].available, 4);
    let drafts = walk(
        &db,
        s,
        query(None, Some(ProductStatus::Draft), SellerSort::Newest),
        50,
    )
    .await;
    assert_eq!(drafts.len(), 31);
    assert!(drafts.iter().all(|r| r.status == ProductStatus::Draft));
    // A hand-edited cursor is a clear error, not a 500.
    let bad = SellerProductQuery {
        cursor: Some("yesterday~not-a-uuid".into()),
        ..query(None, None, SellerSort::Newest)
    };
    assert!(matches!(
        seller_product_page(&db, s, &bad, 50).await,
        Err(CatalogError::Invalid(_))
    ));
    let bad = SellerProductQuery {
        cursor: Some(format!("not-a-date~{}", Uuid::new_v4())),
        ..query(None, None, SellerSort::Newest)
    };
    assert!(matches!(
        seller_product_page(&db, s, &bad, 50).await,
        Err(CatalogError::Invalid(_))
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn sellers_set_their_own_sku_codes_unique_among_their_skus(db: PgPool) {
    let s = seller(&db).await;
    let other = seller(&db).await;
    let (a, va) = sellable(&db, s, "머그컵 A", 9000, &[1]).await;
    let (_, vb) = sellable(&db, s, "머그컵 B", 9000, &[1]).await;
    let (c, vc) = sellable(&db, other, "남의 머그컵", 9000, &[1]).await;
    let zero = || PriceAdjustment::parse("price_adjustment", "0").unwrap();
    let code_of = |sku| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT code FROM skus WHERE id = $1")
                .bind(sku)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    update_variant(&db, s, a, va[0].0, zero(), true, Some("MUG-A"))
        .await
        .unwrap();
    assert_eq!(code_of(va[0].1).await, "MUG-A");
    // Another seller may use the same code.
    update_variant(&db, other, c, vc[0].0, zero(), true, Some("MUG-A"))
        .await
        .unwrap();
    // The same seller may not, and nothing else of the save happens.
    let (b, _) = (vb[0].0, ());
    let product_b: ProductId =
        sqlx::query_scalar("SELECT product_id FROM product_variants WHERE id = $1")
            .bind(b)
            .fetch_one(&db)
            .await
            .unwrap();
    let err = update_variant(&db, s, product_b, b, zero(), true, Some("MUG-A"))
        .await
        .unwrap_err();
    match err {
        CatalogError::Invalid(f) => assert_eq!(
            (f[0].field.as_str(), f[0].msg),
            ("sku_code", Msg::ErrSkuCodeTaken)
        ),
        other => panic!("{other:?}"),
    }
    assert_ne!(code_of(vb[0].1).await, "MUG-A");
    // The bundle picker finds SKUs by code or name, only the seller's own.
    let found = seller_skus(&db, s, "mug-a").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, va[0].1);
    assert_eq!(seller_skus(&db, s, "").await.unwrap().len(), 2);
}
