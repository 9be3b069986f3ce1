//! Cancelling an order, whole or some of its items, before it ships. The refund goes back the
//! way it was paid (points now; the gateway's part with the payment context), stock comes
//! back, and refunds can never pass what was paid: whole-order cancels refund exactly what is
//! left, and the table's CHECK backs that up.

use super::events::{record, transition, Actor, Event};
use crate::catalog::VariantId;
use crate::identity::UserId;
use crate::inventory::service as inventory;
use crate::ordering::{OrderId, OrderItemId, OrderStatus, OrderingError};
use crate::payment::pg::{Pg, PgAnswer};
use crate::seller::SellerId;
use crate::wallet::{service as wallet, TxKind};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgPool;

crate::code_enum! {
    /// Seed 000 `refunds.refund_reason`.
    pub enum CancelReason {
        CustomerRequest = "customer_request",
        OutOfStock = "out_of_stock",
        SellerCancel = "seller_cancel",
        /// The checkout was not paid (declined, abandoned, deposit not made in time).
        PaymentFailed = "payment_failed",
    }
}

/// Who cancels: the shopper (any of their orders before it ships) or the seller (their paid
/// orders, e.g. out of stock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canceller {
    Customer(UserId),
    Seller(SellerId),
    /// The shop itself: a checkout that will not be paid.
    System,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub refunded: Decimal,
    /// The whole order is cancelled now.
    pub whole: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: OrderId,
    status: OrderStatus,
    user_id: UserId,
    seller_id: SellerId,
    points_used: Decimal,
    paid_amount: Decimal,
    refunded_amount: Decimal,
}

#[derive(sqlx::FromRow)]
struct Line {
    id: OrderItemId,
    variant_id: Option<VariantId>,
    quantity: i32,
    cancelled_quantity: i32,
    unit_price: Decimal,
    discount_amount: Decimal,
}

impl Line {
    fn remaining(&self) -> i32 {
        self.quantity - self.cancelled_quantity
    }

    /// What the rest of this line cost, after its share of the discount.
    fn refundable(&self) -> Decimal {
        let left = Decimal::from(self.remaining());
        let share = (self.discount_amount * left / Decimal::from(self.quantity)).floor();
        self.unit_price * left - share
    }
}

pub async fn cancel(
    db: &PgPool,
    pg: &Pg,
    number: &str,
    who: Canceller,
    items: &[OrderItemId],
    reason: CancelReason,
    actor: &Actor,
) -> Result<Cancelled, OrderingError> {
    let mut tx = db.begin().await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, status, user_id, seller_id, points_used, paid_amount, refunded_amount
         FROM orders WHERE order_number = $1 FOR UPDATE",
    )
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?;
    let row = row.ok_or(OrderingError::NotFound)?;
    let unpaid = matches!(
        row.status,
        OrderStatus::Pending | OrderStatus::PaymentWaiting
    );
    let allowed = match who {
        Canceller::Customer(u) if u == row.user_id => row.status.customer_can_cancel(),
        // A seller does not see unpaid orders at all.
        Canceller::Seller(s) if s == row.seller_id && !unpaid => {
            matches!(row.status, OrderStatus::Paid | OrderStatus::Preparing)
        }
        Canceller::System => row.status.customer_can_cancel(),
        _ => return Err(OrderingError::NotFound),
    };
    if !allowed {
        return Err(OrderingError::IllegalTransition {
            from: row.status,
            to: OrderStatus::Cancelled,
        });
    }
    let lines: Vec<Line> = sqlx::query_as(
        "SELECT id, variant_id, quantity, cancelled_quantity, unit_price, discount_amount
         FROM order_items WHERE order_id = $1 ORDER BY created_at, id FOR UPDATE",
    )
    .bind(row.id)
    .fetch_all(&mut *tx)
    .await?;
    let open: Vec<&Line> = lines.iter().filter(|l| l.remaining() > 0).collect();
    let chosen: Vec<&Line> = if items.is_empty() {
        open.clone()
    } else {
        let mut picked = Vec::new();
        for id in items {
            let line = open
                .iter()
                .find(|l| l.id == *id)
                .ok_or(OrderingError::NotFound)?;
            if !picked.iter().any(|l: &&Line| l.id == *id) {
                picked.push(*line);
            }
        }
        picked
    };
    if chosen.is_empty() {
        return Err(OrderingError::IllegalTransition {
            from: row.status,
            to: OrderStatus::Cancelled,
        });
    }
    let whole = chosen.len() == open.len();
    // An unpaid order's gateway amount is fixed for its whole checkout: all or nothing.
    if unpaid && !whole {
        return Err(OrderingError::IllegalTransition {
            from: row.status,
            to: OrderStatus::Cancelled,
        });
    }
    let paid = row.points_used + row.paid_amount;
    let left = paid - row.refunded_amount;
    // `paid_amount` is 0 until the gateway collects, so an unpaid order gives back its points.
    let refund = if whole {
        // Everything not yet refunded, shipping included: no won lost to rounding.
        left
    } else {
        chosen
            .iter()
            .map(|l| l.refundable())
            .sum::<Decimal>()
            .min(left)
    };
    let ids: Vec<OrderItemId> = chosen.iter().map(|l| l.id).collect();
    sqlx::query(
        "UPDATE order_items SET cancelled_quantity = quantity, status = 'cancelled'
         WHERE id = ANY($1)",
    )
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    if refund > Decimal::ZERO {
        // The gateway's part first, then points.
        let gateway_refunded: Decimal = sqlx::query_scalar(
            "SELECT COALESCE(SUM(gateway_amount), 0) FROM refunds WHERE order_id = $1",
        )
        .bind(row.id)
        .fetch_one(&mut *tx)
        .await?;
        let gateway = refund
            .min(row.paid_amount - gateway_refunded)
            .max(Decimal::ZERO);
        let points = refund - gateway;
        let refund_id = uuid::Uuid::new_v4();
        let mut payment_id = None;
        if gateway > Decimal::ZERO {
            let (pid, key): (crate::payment::PaymentId, Option<String>) = sqlx::query_as(
                "SELECT p.id, p.payment_key FROM payments p JOIN orders o ON o.checkout_id = p.checkout_id
                 WHERE o.id = $1",
            )
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await?;
            let key = key.ok_or(OrderingError::MethodUnavailable)?;
            let amount = rust_decimal::prelude::ToPrimitive::to_i64(&gateway)
                .ok_or(OrderingError::MethodUnavailable)?;
            // The order row stays locked while the gateway answers, so two cancels of one
            // order cannot both refund; the refund id keys the gateway call.
            match pg
                .cancel(
                    &key,
                    reason.as_str(),
                    Some(amount),
                    &format!("refund-{refund_id}"),
                )
                .await
            {
                Ok(PgAnswer::Payment(_)) => {}
                Ok(PgAnswer::Refused { code, .. }) => {
                    tracing::error!(%code, number, "the gateway refused a refund");
                    return Err(OrderingError::RefundRefused);
                }
                Err(e) => {
                    tracing::warn!(error = %e, number, "the gateway could not refund");
                    return Err(OrderingError::RefundRefused);
                }
            }
            sqlx::query(
                "UPDATE payments SET refunded_amount = refunded_amount + $2,
                     status = CASE WHEN refunded_amount + $2 >= amount THEN 'refunded'
                                   ELSE 'partial_refunded' END
                 WHERE id = $1",
            )
            .bind(pid)
            .bind(gateway)
            .execute(&mut *tx)
            .await?;
            payment_id = Some(pid);
        }
        sqlx::query(
            "INSERT INTO refunds (id, payment_id, order_id, refund_amount, points_amount,
                 gateway_amount, refund_reason, status, processed_at, completed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'completed', now(), now())",
        )
        .bind(refund_id)
        .bind(payment_id)
        .bind(row.id)
        .bind(refund)
        .bind(points)
        .bind(gateway)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        let previous: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM order_events WHERE order_id = $1
               AND event_type IN ('order.cancelled', 'order.items_cancelled')",
        )
        .bind(row.id)
        .fetch_one(&mut *tx)
        .await?;
        let related = format!("refund:{number}:{}", previous + 1);
        if points > Decimal::ZERO {
            wallet::apply(
                &mut tx,
                row.user_id,
                wallet::Change {
                    kind: TxKind::Refund,
                    amount: points,
                    related_id: Some(&related),
                    memo: Some(number),
                },
            )
            .await?;
        }
        sqlx::query("UPDATE orders SET refunded_amount = refunded_amount + $2 WHERE id = $1")
            .bind(row.id)
            .bind(refund)
            .execute(&mut *tx)
            .await?;
    }
    let data = json!({ "reason": reason, "refund": refund, "items": ids });
    if whole {
        give_back_coupon(&mut tx, row.id).await?;
    }
    if whole {
        transition(&mut tx, actor, row.id, number, OrderStatus::Cancelled, data).await?;
    } else {
        record(
            &mut tx,
            actor,
            Event {
                order: row.id,
                number,
                event_type: "order.items_cancelled",
                from: Some(row.status),
                to: Some(row.status),
                data,
            },
        )
        .await?;
    }
    if unpaid {
        release_if_unneeded(&mut tx, row.id, actor).await?;
    } else {
        let back: Vec<(VariantId, i32)> = chosen
            .iter()
            .filter_map(|l| l.variant_id.map(|v| (v, l.remaining())))
            .collect();
        if !back.is_empty() {
            inventory::return_in(&mut tx, &back, number, actor.id).await?;
        }
    }
    tx.commit().await?;
    Ok(Cancelled {
        refunded: refund,
        whole,
    })
}

/// A used coupon comes back once every order of its checkout that it discounted is cancelled,
/// if it is still in date.
async fn give_back_coupon(
    conn: &mut sqlx::PgConnection,
    order: OrderId,
) -> Result<(), OrderingError> {
    let coupon: Option<(
        Option<crate::promotion::UserCouponId>,
        crate::ordering::CheckoutId,
    )> = sqlx::query_as("SELECT user_coupon_id, checkout_id FROM orders WHERE id = $1")
        .bind(order)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((Some(user_coupon), checkout)) = coupon else {
        return Ok(());
    };
    let others_open: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM orders WHERE checkout_id = $1 AND id <> $2
           AND user_coupon_id = $3 AND status NOT IN ('cancelled', 'refunded'))",
    )
    .bind(checkout)
    .bind(order)
    .bind(user_coupon)
    .fetch_one(&mut *conn)
    .await?;
    if others_open {
        return Ok(());
    }
    sqlx::query(
        "WITH back AS (
             UPDATE user_coupons SET status = 'available', used_at = NULL, checkout_id = NULL
             WHERE id = $1 AND status = 'used' AND expires_at > now() RETURNING coupon_id)
         UPDATE coupons SET used_quantity = used_quantity - 1 WHERE id IN (SELECT coupon_id FROM back)",
    )
    .bind(user_coupon)
    .execute(&mut *conn)
    .await?;
    // An unpaid checkout's held coupon is simply let go.
    sqlx::query(
        "UPDATE user_coupons SET checkout_id = NULL WHERE id = $1 AND status = 'available'",
    )
    .bind(user_coupon)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An unpaid order's stock is held by its checkout's reservation; once none of the
/// checkout's orders still wants it, it goes back at once instead of at expiry.
async fn release_if_unneeded(
    conn: &mut sqlx::PgConnection,
    order: OrderId,
    actor: &Actor,
) -> Result<(), OrderingError> {
    let pending: Option<(Option<crate::inventory::ReservationId>, i64)> = sqlx::query_as(
        "SELECT c.reservation_id,
                (SELECT count(*) FROM orders o2 WHERE o2.checkout_id = c.id
                   AND o2.status NOT IN ('cancelled', 'refunded'))
         FROM orders o JOIN checkouts c ON c.id = o.checkout_id WHERE o.id = $1",
    )
    .bind(order)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((Some(reservation), 0)) = pending {
        match inventory::release_in(conn, reservation, actor.id).await {
            Ok(()) | Err(crate::inventory::InventoryError::NotActive) => {}
            Err(e) => return Err(e.into()),
        }
        sqlx::query(
            "UPDATE checkouts SET status = 'CANCELLED'
             WHERE reservation_id = $1 AND status = 'PENDING'",
        )
        .bind(reservation)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
