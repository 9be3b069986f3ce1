//! Demo orders: a few past orders of the demo shopper in different statuses, placed through
//! the real checkout, so the order pages and the seller console are not empty.

use app::identity::UserId;
use app::ordering::domain::NewCheckout;
use app::ordering::service::{self as ordering, Actor, CancelReason, Canceller};
use app::ordering::PaymentMethod;
use app::platform::state::AppState;
use app::seller::SellerId;
use rust_decimal::Decimal;

/// Places three orders (paid, preparing, cancelled) once; returns how many it placed.
pub async fn demo(state: &AppState, shopper: UserId, seller: SellerId) -> Result<usize, String> {
    let err = |e: &dyn std::fmt::Display| format!("demo orders: {e}");
    let db = &state.db;
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM orders WHERE user_id = $1")
        .bind(shopper)
        .fetch_one(db)
        .await
        .map_err(|e| err(&e))?;
    if existing > 0 {
        return Ok(0);
    }
    let address: Option<app::identity::AddressId> = sqlx::query_scalar(
        "SELECT id FROM addresses WHERE user_id = $1 ORDER BY is_default DESC LIMIT 1",
    )
    .bind(shopper)
    .fetch_optional(db)
    .await
    .map_err(|e| err(&e))?;
    let address = address.ok_or("demo orders: the shopper has no address")?;
    // The cheapest well-stocked variants of the demo seller, one per product.
    let variants: Vec<app::catalog::VariantId> = sqlx::query_scalar(
        "SELECT DISTINCT ON (p.price, p.id) v.id
         FROM products p JOIN product_variants v ON v.product_id = p.id
         JOIN sku_mappings m ON m.variant_id = v.id JOIN inventory i ON i.sku_id = m.sku_id
         WHERE p.seller_id = $1 AND p.status = 'active' AND p.product_type = 'NORMAL'
           AND i.available >= 20
         ORDER BY p.price, p.id, v.position LIMIT 3",
    )
    .bind(seller)
    .fetch_all(db)
    .await
    .map_err(|e| err(&e))?;
    let cause = format!("demo:orders:{shopper}");
    match app::wallet::service::grant(db, shopper, Decimal::from(150_000), &cause, "이벤트 적립")
        .await
    {
        Ok(_) | Err(app::wallet::WalletError::AlreadyApplied) => {}
        Err(e) => return Err(err(&e)),
    }
    let seller_user: UserId = sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
        .bind(seller)
        .fetch_one(db)
        .await
        .map_err(|e| err(&e))?;
    let mut placed = 0;
    for (i, variant) in variants.into_iter().enumerate() {
        app::cart::service::add(db, shopper, variant, 1)
            .await
            .map_err(|e| err(&e))?;
        let total = app::cart::service::view(db, &state.configs, shopper)
            .await
            .map_err(|e| err(&e))?
            .total;
        let new = NewCheckout {
            address,
            memo: Some("문 앞에 놓아 주세요".into()),
            points: total,
            method: PaymentMethod::Points,
            coupon: None,
        };
        let actor = Actor::customer(shopper, None);
        let done = ordering::place(db, &state.configs, shopper, &new, &actor)
            .await
            .map_err(|e| err(&e))?;
        let number = &done.order_numbers[0];
        match i {
            1 => ordering::mark_preparing(db, seller, number, &Actor::seller(seller_user, None))
                .await
                .map_err(|e| err(&e))?,
            2 => {
                ordering::cancel(
                    db,
                    &state.pg,
                    number,
                    Canceller::Customer(shopper),
                    &[],
                    CancelReason::CustomerRequest,
                    &actor,
                )
                .await
                .map_err(|e| err(&e))?;
            }
            _ => {}
        }
        placed += 1;
    }
    Ok(placed)
}
