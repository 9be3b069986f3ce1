//! Placing a checkout: the cart split into one order per seller.

use super::events::{record, transition, Actor, Event};
use super::numbers::next_numbers;
use crate::cart::service as cart;
use crate::catalog::VariantId;
use crate::identity::UserId;
use crate::inventory::{service as inventory, Item};
use crate::ordering::domain::NewCheckout;
use crate::ordering::{
    allocate, CheckoutId, CheckoutPage, CheckoutStatus, OrderId, OrderStatus, OrderingError,
    PaymentMethod, Placed,
};
use crate::platform::config::{Configs, CHECKOUT_HOLD_MINUTES};
use crate::wallet::{service as wallet, TxKind};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;

/// What `/checkout` shows: the cart as it is now, the address book and the balance.
pub async fn checkout_page(
    db: &PgPool,
    configs: &Configs,
    user: UserId,
) -> Result<CheckoutPage, OrderingError> {
    Ok(CheckoutPage {
        cart: cart::view(db, configs, user).await?,
        addresses: crate::identity::addresses::list(db, user).await?,
        balance: wallet::balance(db, user).await?,
    })
}

/// Places the shopper's cart. Points-only checkouts are paid at once. Otherwise the points
/// are taken now, the orders wait for the gateway (`payment_waiting`), the stock stays held,
/// and the cart keeps its lines until the payment completes (`payment::service`).
pub async fn place(
    db: &PgPool,
    configs: &Configs,
    user: UserId,
    new: &NewCheckout,
    actor: &Actor,
) -> Result<Placed, OrderingError> {
    let view = cart::view(db, configs, user).await?;
    if view.is_empty() {
        return Err(OrderingError::EmptyCart);
    }
    if view.blocked_lines > 0 {
        return Err(OrderingError::CartBlocked);
    }
    let address = crate::identity::addresses::get(db, user, new.address).await?;
    if new.points > view.total {
        return Err(OrderingError::PointsOverTotal);
    }
    match new.method {
        PaymentMethod::Points if new.points != view.total => {
            return Err(OrderingError::PointsShort)
        }
        // Points covering everything need no gateway.
        m if m != PaymentMethod::Points && new.points == view.total => {
            return Err(OrderingError::PointsCoverAll)
        }
        _ => {}
    }
    let amount_due = view.total - new.points;
    let hold_minutes: i64 = configs.get(&CHECKOUT_HOLD_MINUTES).await?;
    let hold = Duration::from_secs(u64::try_from(hold_minutes.clamp(1, 60)).unwrap_or(15) * 60);
    let numbers = next_numbers(db, view.groups.len()).await?;
    let checkout = CheckoutId(uuid::Uuid::new_v4());

    // 1. Hold every line's stock, all or none, in its own short transaction.
    let items: Vec<(Item, i32)> = view
        .groups
        .iter()
        .flat_map(|g| {
            g.lines
                .iter()
                .map(|l| (Item::Variant(l.variant_id), l.quantity))
        })
        .collect();
    let reservation =
        inventory::reserve(db, &checkout.to_string(), &items, hold, Some(user)).await?;

    // 2. The rest in one transaction; the held stock is committed last.
    let written = async {
        let mut tx = db.begin().await?;
        let paid_now = amount_due == Decimal::ZERO;
        sqlx::query(
            "INSERT INTO checkouts (id, user_id, status, payment_method, items_total,
                 shipping_total, points_used, amount_due, reservation_id, expires_at, paid_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                     CASE WHEN $3 = 'PAID' THEN now() END)",
        )
        .bind(checkout)
        .bind(user)
        .bind(if paid_now {
            CheckoutStatus::Paid
        } else {
            CheckoutStatus::Pending
        })
        .bind(new.method)
        .bind(view.subtotal)
        .bind(view.shipping)
        .bind(new.points)
        .bind(amount_due)
        .bind(reservation.id)
        .bind(reservation.expires_at)
        .execute(&mut *tx)
        .await?;
        let totals: Vec<Decimal> = view
            .groups
            .iter()
            .map(|g| g.subtotal + g.shipping_fee)
            .collect();
        let points = allocate(new.points, &totals);
        let mut orders: Vec<(OrderId, &str)> = Vec::new();
        for ((group, number), pts) in view.groups.iter().zip(&numbers).zip(&points) {
            let order: OrderId = sqlx::query_scalar(
                "INSERT INTO orders (order_number, checkout_id, user_id, seller_id, items_total,
                     shipping_fee, total_amount, points_used, recipient_name, recipient_phone,
                     postal_code, address, address_detail, delivery_memo)
                 VALUES ($1, $2, $3, $4, $5, $6, $5 + $6, $7, $8, $9, $10, $11, $12, $13)
                 RETURNING id",
            )
            .bind(number)
            .bind(checkout)
            .bind(user)
            .bind(group.seller_id)
            .bind(group.subtotal)
            .bind(group.shipping_fee)
            .bind(pts)
            .bind(&address.recipient_name)
            .bind(&address.phone)
            .bind(&address.postal_code)
            .bind(&address.address)
            .bind(address.address_detail.as_deref())
            .bind(new.memo.as_deref())
            .fetch_one(&mut *tx)
            .await?;
            for l in &group.lines {
                sqlx::query(
                    "INSERT INTO order_items (order_id, product_id, variant_id, product_name,
                         variant_name, product_image, option_values, quantity, unit_price,
                         total_price)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9 * $8)",
                )
                .bind(order)
                .bind(l.product_id)
                .bind(l.variant_id)
                .bind(&l.product_name)
                .bind(&l.variant_name)
                .bind(l.thumbnail_url.as_deref())
                .bind(sqlx::types::Json(&l.options))
                .bind(l.quantity)
                .bind(l.unit_price)
                .execute(&mut *tx)
                .await?;
            }
            record(
                &mut tx,
                actor,
                Event {
                    order,
                    number,
                    event_type: "order.created",
                    from: None,
                    to: Some(OrderStatus::Pending),
                    data: json!({ "checkoutId": checkout, "total": group.subtotal + group.shipping_fee,
                                  "lines": group.lines.len(), "method": new.method }),
                },
            )
            .await?;
            orders.push((order, number.as_str()));
        }
        if new.points > Decimal::ZERO {
            let related = format!("checkout:{checkout}");
            wallet::apply(
                &mut tx,
                user,
                wallet::Change {
                    kind: TxKind::Payment,
                    amount: new.points,
                    related_id: Some(&related),
                    memo: Some(numbers.first().map_or("", String::as_str)),
                },
            )
            .await?;
        }
        let next = if paid_now {
            OrderStatus::Paid
        } else {
            OrderStatus::PaymentWaiting
        };
        for (order, number) in &orders {
            transition(
                &mut tx,
                actor,
                *order,
                number,
                next,
                json!({ "method": new.method, "points": new.points }),
            )
            .await?;
        }
        if paid_now {
            let variants: Vec<VariantId> = view
                .groups
                .iter()
                .flat_map(|g| g.lines.iter().map(|l| l.variant_id))
                .collect();
            cart::remove_variants(&mut tx, user, &variants).await?;
            inventory::commit_in(&mut tx, reservation.id, Some(user)).await?;
        }
        tx.commit().await?;
        Ok::<_, OrderingError>(paid_now)
    }
    .await;
    let paid_now = match written {
        Ok(paid) => paid,
        Err(e) => {
            // Nothing was written; give the held stock back now rather than at expiry.
            if let Err(release) = inventory::release(db, reservation.id, Some(user)).await {
                tracing::error!(error = %release, "could not release a failed checkout's stock");
            }
            return Err(e);
        }
    };
    Ok(Placed {
        checkout_id: checkout,
        order_numbers: numbers,
        amount_due,
        status: if paid_now {
            CheckoutStatus::Paid
        } else {
            CheckoutStatus::Pending
        },
    })
}
