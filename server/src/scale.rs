//! `seed --scale N`: N more products on sale, in batches, for load tests. Each product has one
//! variant, one SKU with stock, and a leaf category of the demo tree.

use app::platform::state::AppState;
use app::seller::SellerId;
use std::io::Write;
use uuid::Uuid;

const BATCH: i64 = 5_000;

pub async fn seed(state: &AppState, seller_id: SellerId, n: i64) -> Result<(), String> {
    let err = |e: sqlx::Error| format!("scale seed: {e}");
    let leaves: Vec<Uuid> = sqlx::query_scalar(
        "SELECT c.id FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) ORDER BY c.slug",
    )
    .fetch_all(&state.db)
    .await
    .map_err(err)?;
    if leaves.is_empty() {
        return Err("scale seed: no categories; run `seed --demo` first".into());
    }
    let start: i64 = sqlx::query_scalar("SELECT count(*) FROM products WHERE slug LIKE 'scale-%'")
        .fetch_one(&state.db)
        .await
        .map_err(err)?;
    let mut done = 0;
    while done < n {
        let from = start + done + 1;
        let to = start + (done + BATCH).min(n);
        sqlx::query(
            "WITH p AS (
                 INSERT INTO products (seller_id, name, slug, description, price, status, created_at, purchase_count, rating_avg)
                 SELECT $1,
                        (ARRAY['베이직','프리미엄','데일리','클래식','모던','내추럴'])[1 + g % 6] || ' 상품 ' || g
                            || ' ' || (ARRAY['Basic','Premium','Daily','Classic','Modern','Natural'])[1 + g % 6] || ' item',
                        'scale-' || g, 'Load test product ' || g,
                        1000 + (g % 500) * 100, 'active', now() - make_interval(secs => g), g % 1000, (g % 50) / 10.0
                 FROM generate_series($2::bigint, $3::bigint) g
                 RETURNING id, slug),
             pc AS (
                 INSERT INTO product_categories (product_id, category_id, is_primary)
                 SELECT p.id, ($4::uuid[])[1 + abs(hashtext(p.slug)) % cardinality($4::uuid[])], TRUE FROM p),
             v AS (
                 INSERT INTO product_variants (product_id, name) SELECT id, '' FROM p RETURNING id),
             k AS (
                 INSERT INTO skus (seller_id, code, name) SELECT $1, 'SCALE-' || v.id, 'scale' FROM v RETURNING id, code),
             m AS (
                 INSERT INTO sku_mappings (variant_id, sku_id, quantity)
                 SELECT v.id, k.id, 1 FROM v JOIN k ON k.code = 'SCALE-' || v.id)
             INSERT INTO inventory (sku_id, stock) SELECT id, 100 FROM k",
        )
        .bind(seller_id)
        .bind(from)
        .bind(to)
        .bind(&leaves)
        .execute(&state.db)
        .await
        .map_err(err)?;
        done = to - start;
        eprint!("\rscale seed: {done}/{n} products ({}%)", done * 100 / n);
        let _ = std::io::stderr().flush();
    }
    eprintln!();
    // VACUUM as well: until the visibility map is set, every index-only scan (categories of a
    // product, its primary image) visits the heap too, and autovacuum would set it at some
    // unpredictable point during a load test.
    // One statement per call: VACUUM cannot run inside the implicit transaction of a batch.
    for table in [
        "products",
        "product_categories",
        "product_images",
        "inventory",
    ] {
        sqlx::raw_sql(&format!("VACUUM ANALYZE {table}"))
            .execute(&state.db)
            .await
            .map_err(err)?;
    }
    Ok(())
}
