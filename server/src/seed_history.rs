//! A month of demo shop history, so the dashboards have something true to draw: shoppers who
//! signed up over the last 30 days, and their orders, placed and paid through the real
//! checkout and then moved back in time (the one shortcut a seed takes: the clock).

use app::identity::{service, Role, UserId};
use app::ordering::domain::NewCheckout;
use app::ordering::service::{self as ordering, Actor};
use app::ordering::PaymentMethod;
use app::platform::state::AppState;
use app::seller::SellerId;
use rust_decimal::Decimal;

const BUYERS: &[&str] = &[
    "이서연",
    "김민준",
    "박지우",
    "최하은",
    "정도윤",
    "강서준",
    "조예린",
    "윤시우",
    "장하린",
    "임주원",
    "한지호",
    "오수아",
    "서은우",
    "신채원",
    "권건우",
    "황다은",
    "안유진",
    "송현우",
];

/// Places the history once; returns how many orders it placed.
pub async fn demo(state: &AppState, seller: SellerId) -> Result<usize, String> {
    let err = |e: &dyn std::fmt::Display| format!("demo history: {e}");
    let db = &state.db;
    let done: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE email = 'buyer01@jangteo.test')",
    )
    .fetch_one(db)
    .await
    .map_err(|e| err(&e))?;
    if done {
        return Ok(0);
    }
    let variants: Vec<app::catalog::VariantId> = sqlx::query_scalar(
        "SELECT DISTINCT ON (p.id) v.id
         FROM products p JOIN product_variants v ON v.product_id = p.id
         JOIN sku_mappings m ON m.variant_id = v.id JOIN inventory i ON i.sku_id = m.sku_id
         WHERE p.seller_id = $1 AND p.status = 'active' AND p.product_type = 'NORMAL'
           AND i.available >= 50 AND p.price <= 80000
         ORDER BY p.id, v.position LIMIT 24",
    )
    .bind(seller)
    .fetch_all(db)
    .await
    .map_err(|e| err(&e))?;
    if variants.is_empty() {
        return Ok(0);
    }
    let seller_user: UserId = sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
        .bind(seller)
        .fetch_one(db)
        .await
        .map_err(|e| err(&e))?;
    let password = &state.settings.demo_password;
    let mut placed = 0;
    for (i, name) in BUYERS.iter().enumerate() {
        let email = format!("buyer{:02}@jangteo.test", i + 1);
        let buyer = service::upsert_account(db, &email, password, name, Role::Customer)
            .await
            .map_err(|e| err(&e))?;
        let address = app::identity::addresses::save(
            db,
            buyer,
            None,
            app::identity::domain::NewAddress {
                recipient_name: (*name).to_owned(),
                phone: format!("010-{:04}-{:04}", 2000 + i * 37, 5000 + i * 53),
                postal_code: "06236".into(),
                address: "서울특별시 강남구 테헤란로 152".into(),
                address_detail: Some(format!("{}층", i + 2)),
                label: Some("집".into()),
                make_default: true,
            },
        )
        .await
        .map_err(|e| err(&e))?;
        let cause = format!("demo:history:{buyer}");
        app::wallet::service::grant(db, buyer, Decimal::from(400_000), &cause, "이벤트 적립")
            .await
            .map_err(|e| err(&e))?;
        // Joined 0–29 days ago; ordered 1–3 times since.
        let joined = (i * 7 + 3) % 30;
        backdate_user(state, buyer, joined as i32).await?;
        for k in 0..(1 + (i * 5) % 3) {
            let variant = variants[(i * 3 + k * 5) % variants.len()];
            app::cart::service::add(db, buyer, variant, 1 + (k as i32 % 2))
                .await
                .map_err(|e| err(&e))?;
            let total = app::cart::service::view(db, &state.configs, buyer)
                .await
                .map_err(|e| err(&e))?
                .total;
            let new = NewCheckout {
                address: address.id,
                memo: None,
                points: total,
                method: PaymentMethod::Points,
                coupon: None,
            };
            let actor = Actor::customer(buyer, None);
            let placed_now = ordering::place(db, &state.configs, buyer, &new, &actor)
                .await
                .map_err(|e| err(&e))?;
            let days_ago = joined.saturating_sub(k * 4 + (i % 3)) as i32;
            let hours = ((i * 5 + k * 3) % 12) as i32;
            sqlx::query(
                "WITH moved AS (
                     UPDATE orders SET ordered_at = now() - make_interval(days => $2, hours => $3),
                         paid_at = now() - make_interval(days => $2, hours => $3)
                     WHERE order_number = ANY($1) RETURNING checkout_id)
                 UPDATE checkouts SET created_at = now() - make_interval(days => $2, hours => $3),
                     paid_at = now() - make_interval(days => $2, hours => $3)
                 WHERE id IN (SELECT checkout_id FROM moved)",
            )
            .bind(&placed_now.order_numbers)
            .bind(days_ago)
            .bind(hours)
            .execute(db)
            .await
            .map_err(|e| err(&e))?;
            // Some are already being prepared, as a real month has them.
            if (i + k) % 3 == 0 {
                for number in &placed_now.order_numbers {
                    let by = Actor::seller(seller_user, None);
                    ordering::mark_preparing(db, seller, number, &by)
                        .await
                        .map_err(|e| err(&e))?;
                }
            }
            placed += placed_now.order_numbers.len();
        }
    }
    Ok(placed)
}

async fn backdate_user(state: &AppState, id: UserId, days: i32) -> Result<(), String> {
    sqlx::query("UPDATE users SET created_at = now() - make_interval(days => $2) WHERE id = $1")
        .bind(id)
        .bind(days)
        .execute(&state.db)
        .await
        .map(|_| ())
        .map_err(|e| format!("demo history: {e}"))
}
