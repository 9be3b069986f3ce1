//! Rush benchmarks (`server rush coupon|checkout`): many shoppers at once on one first-come
//! coupon, or on one hot SKU paid with points. They call the services the server runs, with
//! its Redis and Postgres, so they measure the rules and the stores; HTTP is measured by
//! `scripts/bench.sh`. Each prints its rate, p50/p99 and its invariant; `scripts/rush.sh`
//! runs them beside `redis-benchmark` and `pgbench` baselines.

use app::identity::UserId;
use app::ordering::domain::NewCheckout;
use app::ordering::service::Actor;
use app::ordering::PaymentMethod;
use app::platform::state::AppState;
use app::promotion::domain::NewCoupon;
use app::promotion::service::Maker;
use app::promotion::{CouponId, DiscountType, PromotionError, Scope};
use rust_decimal::Decimal;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Latencies of one run, sorted.
struct Timings(Vec<Duration>);

impl Timings {
    fn at(&self, q: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        let i = ((self.0.len() as f64 - 1.0) * q).round() as usize;
        self.0[i].as_secs_f64() * 1000.0
    }
}

/// Runs `work(i)` for `0..n`, at most `concurrency` at a time, all released together.
/// Returns each outcome, the latencies and the wall time.
async fn rush<T, F, Fut>(n: usize, concurrency: usize, work: F) -> (Vec<T>, Timings, Duration)
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let gate = Arc::new(Semaphore::new(0));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let gate = gate.clone();
            let fut = work(i);
            tokio::spawn(async move {
                let _permit = gate.acquire().await.expect("the gate stays open");
                let t0 = Instant::now();
                let out = fut.await;
                (out, t0.elapsed())
            })
        })
        .collect();
    let start = Instant::now();
    gate.add_permits(concurrency);
    let mut outs = Vec::with_capacity(n);
    let mut times = Vec::with_capacity(n);
    for t in tasks {
        let (out, took) = t.await.expect("a rush task");
        outs.push(out);
        times.push(took);
    }
    let wall = start.elapsed();
    times.sort();
    (outs, Timings(times), wall)
}

/// `n` customer accounts made in one statement (no passwords: they never sign in).
async fn shoppers(state: &AppState, n: usize, tag: &str) -> Result<Vec<UserId>, String> {
    sqlx::query_scalar(
        "INSERT INTO users (email, name)
         SELECT 'rush-' || lower($2) || '-' || g || '@bench.test', '러시'
         FROM generate_series(1, $1) g RETURNING id",
    )
    .bind(n as i32)
    .bind(tag)
    .fetch_all(&state.db)
    .await
    .map_err(|e| e.to_string())
}

fn tag() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_uppercase()
}

/// `claims` shoppers claim one coupon of which `total` may be issued.
pub async fn coupon(
    state: &AppState,
    claims: usize,
    total: i32,
    concurrency: usize,
) -> Result<(), String> {
    let tag = tag();
    let users = shoppers(state, claims, &tag).await?;
    let now = chrono::Utc::now();
    let new = NewCoupon {
        code: format!("RUSH-{tag}"),
        name: "러시".into(),
        discount_type: DiscountType::FixedAmount,
        discount_value: Decimal::from(1_000),
        max_discount_amount: None,
        min_purchase_amount: Decimal::ZERO,
        total_quantity: Some(total),
        valid_from: now - chrono::Duration::minutes(1),
        valid_until: now + chrono::Duration::days(1),
        applicable_to: Scope::All,
        applicable_ids: Vec::new(),
    };
    let id: CouponId = app::promotion::service::create(&state.db, Maker::Admin(users[0]), &new)
        .await
        .map_err(|e| e.to_string())?;
    let users = Arc::new(users);
    let (outs, times, wall) = rush(claims, concurrency, |i| {
        let (db, redis, users) = (state.db.clone(), state.redis.clone(), users.clone());
        async move { app::promotion::service::claim(&db, &redis, users[i], id).await }
    })
    .await;
    let won = outs.iter().filter(|o| o.is_ok()).count();
    let sold_out = outs
        .iter()
        .filter(|o| matches!(o, Err(PromotionError::SoldOut)))
        .count();
    let failed: Vec<String> = outs
        .iter()
        .filter_map(|o| match o {
            Err(PromotionError::SoldOut) | Ok(_) => None,
            Err(e) => Some(e.to_string()),
        })
        .take(3)
        .collect();
    let (issued, rows): (i32, i64) = sqlx::query_as(
        "SELECT issued_quantity, (SELECT count(*) FROM user_coupons WHERE coupon_id = $1)
         FROM coupons WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "coupon rush: {claims} claims, {concurrency} at a time: {:.0} claims/s, p50 {:.2} ms, \
         p99 {:.2} ms; issued {issued} of {total} ({rows} rows, {won} won, {sold_out} sold out)",
        claims as f64 / wall.as_secs_f64(),
        times.at(0.5),
        times.at(0.99),
    );
    if !failed.is_empty() {
        println!("  other outcomes, e.g.: {}", failed.join("; "));
    }
    if issued != total.min(claims as i32) || rows != i64::from(issued) {
        return Err(format!("issued {issued} ({rows} rows), expected {total}"));
    }
    Ok(())
}

/// `shoppers` check out one unit each of one SKU holding `stock`, paying with points.
pub async fn checkout(
    state: &AppState,
    buyers: usize,
    stock: i32,
    concurrency: usize,
) -> Result<(), String> {
    let tag = tag();
    let users = shoppers(state, buyers, &tag).await?;
    let seller: app::seller::SellerId = sqlx::query_scalar(
        "SELECT id FROM sellers WHERE status = 'approved' ORDER BY created_at LIMIT 1",
    )
    .fetch_one(&state.db)
    .await
    .map_err(|e| format!("no approved seller (run `server seed --demo`): {e}"))?;
    // One demo variant on a SKU of its own becomes the hot one: ₩10,000, `stock` units.
    let (variant, sku): (app::catalog::VariantId, app::inventory::SkuId) = sqlx::query_as(
        "SELECT m.variant_id, m.sku_id FROM sku_mappings m
         JOIN product_variants v ON v.id = m.variant_id JOIN products p ON p.id = v.product_id
         WHERE p.seller_id = $1 AND p.status = 'active' AND p.product_type <> 'BUNDLE'
           AND m.quantity = 1 AND p.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM sku_mappings o WHERE o.variant_id = m.variant_id AND o.sku_id <> m.sku_id)
         ORDER BY p.created_at, v.position LIMIT 1",
    )
    .bind(seller)
    .fetch_one(&state.db)
    .await
    .map_err(|e| format!("no demo product to rush: {e}"))?;
    sqlx::query(
        "WITH v AS (SELECT product_id FROM product_variants WHERE id = $1)
         UPDATE products SET price = 10000, original_price = NULL, discount_rate = 0
         WHERE id = (SELECT product_id FROM v)",
    )
    .bind(variant)
    .execute(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query("UPDATE product_variants SET price_adjustment = 0, is_active = TRUE WHERE id = $1")
        .bind(variant)
        .execute(&state.db)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query("UPDATE inventory SET stock = $2, reserved = 0 WHERE sku_id = $1")
        .bind(sku)
        .bind(stock)
        .execute(&state.db)
        .await
        .map_err(|e| e.to_string())?;
    // Each buyer: an address, enough points and the SKU in the cart (set up in bulk).
    let addresses: Vec<app::identity::AddressId> = sqlx::query_scalar(
        "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address, is_default)
         SELECT u, '러시', '010-1234-5678', '04524', '서울 중구 세종대로 110', TRUE
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(u, n) ORDER BY n RETURNING id",
    )
    .bind(&users)
    .fetch_all(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    let mut tx = state.db.begin().await.map_err(|e| e.to_string())?;
    sqlx::query(
        "WITH w AS (INSERT INTO wallets (user_id, balance)
                    SELECT u, 13000 FROM unnest($1::uuid[]) u RETURNING user_id)
         INSERT INTO balance_transactions (user_id, tx_type, amount, balance_before, balance_after, related_id)
         SELECT user_id, 'GRANT', 13000, 0, 13000, 'rush:' || user_id FROM w",
    )
    .bind(&users)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO carts (user_id) SELECT unnest($1::uuid[])")
        .bind(&users)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO cart_items (user_id, variant_id, quantity, unit_price)
         SELECT u, $2, 1, 10000 FROM unnest($1::uuid[]) u",
    )
    .bind(&users)
    .bind(variant)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;

    let users = Arc::new(users);
    let addresses = Arc::new(addresses);
    let (outs, times, wall) = rush(buyers, concurrency, |i| {
        let (db, configs) = (state.checkout_db.clone(), state.configs.clone());
        let (users, addresses) = (users.clone(), addresses.clone());
        async move {
            let new = NewCheckout {
                address: addresses[i],
                memo: None,
                // ₩10,000 and ₩3,000 shipping, all in points.
                points: Decimal::from(13_000),
                method: PaymentMethod::Points,
                coupon: None,
            };
            app::ordering::service::place(
                &db,
                &configs,
                users[i],
                &new,
                &Actor::customer(users[i], None),
            )
            .await
        }
    })
    .await;
    let paid = outs.iter().filter(|o| o.is_ok()).count();
    // Refused for want of stock (at the hold, or by the cart once it reads sold out): the
    // expected outcome past the stock.
    let sold_out = |e: &app::ordering::OrderingError| {
        matches!(
            e,
            app::ordering::OrderingError::CartBlocked
                | app::ordering::OrderingError::Inventory(
                    app::inventory::InventoryError::Insufficient { .. }
                )
        )
    };
    let refused = outs
        .iter()
        .filter(|o| o.as_ref().err().is_some_and(sold_out))
        .count();
    let failed: Vec<String> = outs
        .iter()
        .filter_map(|o| {
            o.as_ref()
                .err()
                .filter(|e| !sold_out(e))
                .map(|e| e.to_string())
        })
        .take(3)
        .collect();
    let level = app::inventory::service::level(&state.db, sku)
        .await
        .map_err(|e| e.to_string())?;
    let (orders, negative): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id
                 WHERE i.variant_id = $1 AND o.user_id = ANY($2)),
                (SELECT count(*) FROM wallets WHERE balance < 0)",
    )
    .bind(variant)
    .bind(&users[..])
    .fetch_one(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    let sold = i64::from(stock - level.stock);
    let oversold = (orders - i64::from(stock)).max(0) + i64::from((-level.stock).max(0));
    println!(
        "hot-SKU checkout: {buyers} buyers for {stock} units, {concurrency} at a time: {:.0} \
         orders/s ({paid} paid in {:.2} s), p50 {:.2} ms, p99 {:.2} ms; sold {sold}, oversold \
         {oversold}, refused {refused}, reserved left {}, negative balances {negative}",
        paid as f64 / wall.as_secs_f64(),
        wall.as_secs_f64(),
        times.at(0.5),
        times.at(0.99),
        level.reserved,
    );
    if !failed.is_empty() {
        println!("  other outcomes, e.g.: {}", failed.join("; "));
    }
    let expected = (buyers as i64).min(i64::from(stock));
    if oversold != 0 || orders != expected || paid as i64 != expected || negative != 0 {
        return Err(format!(
            "expected {expected} paid and nothing oversold, got {paid} paid, {orders} order lines"
        ));
    }
    Ok(())
}
