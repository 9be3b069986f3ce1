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
    let cart = cart::view(db, configs, user).await?;
    Ok(CheckoutPage {
        coupons: super::coupon::usable(db, user, &cart).await?,
        addresses: crate::identity::addresses::list(db, user).await?,
        balance: wallet::balance(db, user).await?,
        cart,
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
    let applied = match new.coupon {
        Some(chosen) => Some(super::coupon::apply(db, user, chosen, &view).await?),
        None => None,
    };
    let discount = applied.as_ref().map_or(Decimal::ZERO, |a| a.total);
    let total = view.total - discount;
    if new.points > total {
        return Err(OrderingError::PointsOverTotal);
    }
    match new.method {
        PaymentMethod::Points if new.points != total => return Err(OrderingError::PointsShort),
        // Points covering everything need no gateway.
        m if m != PaymentMethod::Points && new.points == total => {
            return Err(OrderingError::PointsCoverAll)
        }
        _ => {}
    }
    let amount_due = total - new.points;
    // Each group's and line's share of the coupon.
    let line_discount = |gi: usize, li: usize| {
        applied
            .as_ref()
            .map_or(Decimal::ZERO, |a| a.per_line[gi][li])
    };
    let group_discount = |gi: usize| -> Decimal {
        (0..view.groups[gi].lines.len())
            .map(|li| line_discount(gi, li))
            .sum()
    };
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
    let written =
        async {
            let mut tx = db.begin().await?;
            let paid_now = amount_due == Decimal::ZERO;
            sqlx::query(
                "INSERT INTO checkouts (id, user_id, status, payment_method, items_total,
                 shipping_total, points_used, amount_due, reservation_id, expires_at, paid_at,
                 discount_total)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                     CASE WHEN $3 = 'PAID' THEN now() END, $11)",
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
            .bind(discount)
            .execute(&mut *tx)
            .await?;
            if let Some(a) = &applied {
                // Held by this checkout; used once it is paid (at once for points).
                let held = sqlx::query(
                    "UPDATE user_coupons SET checkout_id = $2,
                     status = CASE WHEN $3 THEN 'used' ELSE status END,
                     used_at = CASE WHEN $3 THEN now() ELSE used_at END
                 WHERE id = $1 AND status = 'available' AND (checkout_id IS NULL OR NOT EXISTS (
                     SELECT 1 FROM checkouts k WHERE k.id = user_coupons.checkout_id
                       AND k.status = 'PENDING'))",
                )
                .bind(a.user_coupon)
                .bind(checkout)
                .bind(paid_now)
                .execute(&mut *tx)
                .await?;
                if held.rows_affected() == 0 {
                    return Err(OrderingError::CouponUnavailable);
                }
                if paid_now {
                    sqlx::query(
                        "UPDATE coupons SET used_quantity = used_quantity + 1 WHERE id = $1",
                    )
                    .bind(a.coupon)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            let totals: Vec<Decimal> = view
                .groups
                .iter()
                .enumerate()
                .map(|(gi, g)| g.subtotal + g.shipping_fee - group_discount(gi))
                .collect();
            let points = allocate(new.points, &totals);
            let mut orders: Vec<(OrderId, &str)> = Vec::new();
            for (gi, ((group, number), pts)) in
                view.groups.iter().zip(&numbers).zip(&points).enumerate()
            {
                let share = group_discount(gi);
                let order: OrderId = sqlx::query_scalar(
                "INSERT INTO orders (order_number, checkout_id, user_id, seller_id, items_total,
                     shipping_fee, total_amount, points_used, recipient_name, recipient_phone,
                     postal_code, address, address_detail, delivery_memo, discount_amount,
                     coupon_id, user_coupon_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $5 + $6 - $14, $7, $8, $9, $10, $11, $12, $13,
                         $14, $15, $16)
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
            .bind(share)
            .bind(applied.as_ref().filter(|_| share > Decimal::ZERO).map(|a| a.coupon))
            .bind(applied.as_ref().filter(|_| share > Decimal::ZERO).map(|a| a.user_coupon))
            .fetch_one(&mut *tx)
            .await?;
                for (li, l) in group.lines.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO order_items (order_id, product_id, variant_id, product_name,
                         variant_name, product_image, option_values, quantity, unit_price,
                         total_price, discount_amount)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9 * $8, $10)",
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
                    .bind(line_discount(gi, li))
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
                        data: json!({ "checkoutId": checkout,
                                  "total": group.subtotal + group.shipping_fee - share,
                                  "discount": share, "lines": group.lines.len(),
                                  "method": new.method }),
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
