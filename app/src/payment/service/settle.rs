//! Settling a payment from what the gateway says: paid, waiting for a deposit, or failed; the
//! deposit webhook; dropping a checkout that will not be paid; and the reconcile job.

use super::confirm::fail_payment;
use super::numbers;
use crate::identity::UserId;
use crate::inventory::{service as inventory, InventoryError, Item, ReservationId};
use crate::ordering::service::{self as ordering, Actor, CancelReason, Canceller};
use crate::ordering::{CheckoutId, CheckoutPurpose, OrderId, OrderStatus};
use crate::payment::pg::{Pg, PgAnswer};
use crate::payment::{Confirmed, PaymentError, PaymentId, PaymentStatus};
use serde_json::{json, Value};
use sqlx::PgPool;

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut at = v;
    for p in path {
        at = at.get(p)?;
    }
    at.as_str()
}

/// Acts on the gateway's record of a payment.
pub(crate) async fn apply(
    db: &PgPool,
    pg: &Pg,
    payment: PaymentId,
    body: &Value,
) -> Result<Confirmed, PaymentError> {
    let checkout: CheckoutId = sqlx::query_scalar("SELECT checkout_id FROM payments WHERE id = $1")
        .bind(payment)
        .fetch_one(db)
        .await?;
    match text(body, &["status"]).unwrap_or("") {
        "DONE" => settle_paid(db, pg, payment, body).await,
        "WAITING_FOR_DEPOSIT" => {
            let due: Option<chrono::DateTime<chrono::Utc>> =
                text(body, &["virtualAccount", "dueDate"]).and_then(|d| d.parse().ok());
            let due = due.unwrap_or_else(|| chrono::Utc::now() + chrono::Duration::hours(24));
            let bank = text(body, &["virtualAccount", "bank"])
                .unwrap_or("")
                .to_owned();
            let account = text(body, &["virtualAccount", "accountNumber"])
                .unwrap_or("")
                .to_owned();
            let mut tx = db.begin().await?;
            sqlx::query(
                "UPDATE payments SET status = 'waiting_for_deposit', virtual_account_bank = $2,
                     virtual_account_number = $3, virtual_account_holder = $4,
                     virtual_account_due_date = $5, webhook_secret = $6, pg_response = $7
                 WHERE id = $1 AND status = 'in_progress'",
            )
            .bind(payment)
            .bind(&bank)
            .bind(&account)
            .bind(text(body, &["virtualAccount", "customerName"]))
            .bind(due)
            .bind(text(body, &["secret"]))
            .bind(body)
            .execute(&mut *tx)
            .await?;
            // The stock stays held until the deposit is due.
            let reservation: Option<ReservationId> =
                sqlx::query_scalar("SELECT reservation_id FROM checkouts WHERE id = $1")
                    .bind(checkout)
                    .fetch_one(&mut *tx)
                    .await?;
            if let Some(r) = reservation {
                inventory::extend_in(&mut tx, r, due).await?;
            }
            sqlx::query("UPDATE checkouts SET expires_at = $2 WHERE id = $1")
                .bind(checkout)
                .bind(due)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Confirmed::AwaitingDeposit {
                order_numbers: numbers(db, checkout).await?,
                bank,
                account_number: account,
                due_date: due,
            })
        }
        "EXPIRED" | "ABORTED" | "CANCELED" => {
            let code = text(body, &["status"]).unwrap_or("FAILED").to_owned();
            fail_payment(db, payment, &code, body).await?;
            abandon(db, pg, checkout, "payment_failed").await?;
            Err(PaymentError::Declined { code })
        }
        _ => Ok(Confirmed::Processing {
            order_numbers: numbers(db, checkout).await?,
        }),
    }
}

/// The gateway collected the money: the payment completes and its orders are paid, once. If
/// the stock hold ran out meanwhile the stock is held again; when that fails the payment is
/// cancelled at the gateway and the checkout dropped (`StockGone`).
pub async fn settle_paid(
    db: &PgPool,
    pg: &Pg,
    payment: PaymentId,
    body: &Value,
) -> Result<Confirmed, PaymentError> {
    let mut tx = db.begin().await?;
    type Claimed = (
        CheckoutId,
        UserId,
        Option<ReservationId>,
        Option<String>,
        CheckoutPurpose,
        rust_decimal::Decimal,
    );
    let claimed: Option<Claimed> = sqlx::query_as(
        "UPDATE payments p SET status = 'completed', approved_at = now(), pg_response = $2,
                 pg_transaction_id = $3, card_company = $4, card_number = $5,
                 installment_months = $6
             FROM checkouts c
             WHERE p.id = $1 AND c.id = p.checkout_id
               AND p.status IN ('in_progress', 'waiting_for_deposit')
             RETURNING p.checkout_id, p.user_id, c.reservation_id, p.payment_key, c.purpose,
                 p.amount",
    )
    .bind(payment)
    .bind(body)
    .bind(text(body, &["card", "approveNo"]))
    .bind(text(body, &["card", "company"]))
    .bind(text(body, &["card", "number"]))
    .bind(
        body.get("card")
            .and_then(|c| c.get("installmentPlanMonths"))
            .and_then(Value::as_i64)
            .unwrap_or(0) as i32,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some((checkout, user, reservation, payment_key, purpose, amount)) = claimed else {
        // Settled already (the webhook and the redirect raced): nothing to do twice.
        drop(tx);
        let (status, checkout): (PaymentStatus, CheckoutId) =
            sqlx::query_as("SELECT status, checkout_id FROM payments WHERE id = $1")
                .bind(payment)
                .fetch_one(db)
                .await?;
        return match status {
            PaymentStatus::Completed | PaymentStatus::PartialRefunded | PaymentStatus::Refunded => {
                match super::charge::charged(db, checkout).await? {
                    Some(charged) => Ok(charged),
                    None => Ok(Confirmed::Paid {
                        order_numbers: numbers(db, checkout).await?,
                    }),
                }
            }
            _ => Err(PaymentError::Declined {
                code: status.as_str().into(),
            }),
        };
    };
    if purpose == CheckoutPurpose::PointCharge {
        sqlx::query("UPDATE checkouts SET status = 'PAID', paid_at = now() WHERE id = $1")
            .bind(checkout)
            .execute(&mut *tx)
            .await?;
        let charged = super::charge::credit(&mut tx, payment, user, amount).await?;
        tx.commit().await?;
        return Ok(charged);
    }
    let orders: Vec<(OrderId, String)> = sqlx::query_as(
        "SELECT id, order_number FROM orders WHERE checkout_id = $1 ORDER BY order_number FOR UPDATE",
    )
    .bind(checkout)
    .fetch_all(&mut *tx)
    .await?;
    let actor = Actor::system();
    for (id, number) in &orders {
        sqlx::query("UPDATE orders SET paid_amount = total_amount - points_used WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ordering::transition(
            &mut tx,
            &actor,
            *id,
            number,
            OrderStatus::Paid,
            json!({ "gateway": true, "method": text(body, &["method"]) }),
        )
        .await?;
    }
    sqlx::query("UPDATE checkouts SET status = 'PAID', paid_at = now() WHERE id = $1")
        .bind(checkout)
        .execute(&mut *tx)
        .await?;
    // The coupon the checkout holds is used now.
    sqlx::query(
        "WITH used AS (
             UPDATE user_coupons SET status = 'used', used_at = now()
             WHERE checkout_id = $1 AND status = 'available' RETURNING coupon_id)
         UPDATE coupons SET used_quantity = used_quantity + 1 WHERE id IN (SELECT coupon_id FROM used)",
    )
    .bind(checkout)
    .execute(&mut *tx)
    .await?;
    let items: Vec<(crate::catalog::VariantId, i32)> = sqlx::query_as(
        "SELECT i.variant_id, i.quantity - i.cancelled_quantity FROM order_items i
         JOIN orders o ON o.id = i.order_id
         WHERE o.checkout_id = $1 AND i.variant_id IS NOT NULL AND i.quantity > i.cancelled_quantity",
    )
    .bind(checkout)
    .fetch_all(&mut *tx)
    .await?;
    let variants: Vec<_> = items.iter().map(|(v, _)| *v).collect();
    crate::cart::service::remove_variants(&mut tx, user, &variants).await?;
    // The stock, last: its rows are the hot ones.
    let held = match reservation {
        Some(r) => match inventory::commit_in(&mut tx, r, Some(user)).await {
            Ok(()) => true,
            Err(InventoryError::NotActive) => false,
            Err(e) => return Err(e.into()),
        },
        None => false,
    };
    if !held {
        let lines: Vec<(Item, i32)> = items.iter().map(|(v, q)| (Item::Variant(*v), *q)).collect();
        // In this transaction (a savepoint of it): taking a second connection while holding
        // this one could wait forever on a busy pool.
        let again = inventory::reserve_in(
            &mut tx,
            &checkout.to_string(),
            &lines,
            std::time::Duration::from_secs(60),
            Some(user),
        )
        .await;
        match again {
            Ok(r) => {
                inventory::commit_in(&mut tx, r.id, Some(user)).await?;
                sqlx::query("UPDATE checkouts SET reservation_id = $2 WHERE id = $1")
                    .bind(checkout)
                    .bind(r.id)
                    .execute(&mut *tx)
                    .await?;
            }
            Err(InventoryError::Insufficient { .. }) => {
                drop(tx);
                // Paid for stock that is gone: give the money back and drop the checkout.
                if let Some(key) = payment_key {
                    let refund_key = format!("stock-gone-{checkout}");
                    match pg
                        .cancel(&key, "재고 소진으로 결제 취소", None, &refund_key)
                        .await
                    {
                        Ok(PgAnswer::Payment(_)) => {}
                        other => {
                            tracing::error!(?other, %checkout, "could not cancel a payment for stock that is gone")
                        }
                    }
                }
                sqlx::query("UPDATE payments SET status = 'cancelled', failure_reason = 'stock gone' WHERE id = $1")
                    .bind(payment)
                    .execute(db)
                    .await?;
                abandon(db, pg, checkout, "stock_gone").await?;
                return Err(PaymentError::StockGone);
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(Confirmed::Paid {
        order_numbers: orders.into_iter().map(|(_, n)| n).collect(),
    })
}

/// Drops a checkout that will not be paid: its open orders are cancelled (points back, stock
/// released) and it is marked cancelled.
pub async fn abandon(
    db: &PgPool,
    pg: &Pg,
    checkout: CheckoutId,
    why: &str,
) -> Result<(), PaymentError> {
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT order_number FROM orders WHERE checkout_id = $1
           AND status IN ('pending', 'payment_waiting') ORDER BY order_number",
    )
    .bind(checkout)
    .fetch_all(db)
    .await?;
    let actor = Actor::system();
    for number in open {
        match ordering::cancel(
            db,
            pg,
            &number,
            Canceller::System,
            &[],
            CancelReason::PaymentFailed,
            &actor,
        )
        .await
        {
            Ok(_) | Err(crate::ordering::OrderingError::IllegalTransition { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    sqlx::query("UPDATE checkouts SET status = 'CANCELLED' WHERE id = $1 AND status = 'PENDING'")
        .bind(checkout)
        .execute(db)
        .await?;
    // A coupon it held is free again.
    sqlx::query("UPDATE user_coupons SET checkout_id = NULL WHERE checkout_id = $1 AND status = 'available'")
        .bind(checkout)
        .execute(db)
        .await?;
    tracing::info!(%checkout, why, "checkout dropped");
    Ok(())
}

/// The gateway's webhook. Only a deposit callback carrying the payment's own secret changes
/// anything; a replay finds the payment settled and changes nothing.
pub async fn webhook(db: &PgPool, pg: &Pg, event: &Value) -> Result<(), PaymentError> {
    if text(event, &["eventType"]) != Some("DEPOSIT_CALLBACK") {
        return Ok(());
    }
    let data = event.get("data").cloned().unwrap_or(Value::Null);
    let checkout: CheckoutId = text(&data, &["orderId"])
        .and_then(|o| o.parse().ok())
        .ok_or(PaymentError::BadWebhook)?;
    let row: Option<(PaymentId, Option<String>)> =
        sqlx::query_as("SELECT id, webhook_secret FROM payments WHERE checkout_id = $1")
            .bind(checkout)
            .fetch_optional(db)
            .await?;
    let (payment, secret) = row.ok_or(PaymentError::BadWebhook)?;
    let given = text(&data, &["secret"]);
    if secret.is_none() || secret.as_deref() != given {
        tracing::warn!(%checkout, "payment webhook with a wrong secret ignored");
        return Err(PaymentError::BadWebhook);
    }
    match text(&data, &["status"]) {
        Some("DONE") => match settle_paid(db, pg, payment, &data).await {
            Ok(_) | Err(PaymentError::StockGone) => Ok(()),
            Err(e) => Err(e),
        },
        Some("CANCELED") | Some("EXPIRED") => {
            fail_payment(db, payment, "DEPOSIT_EXPIRED", &data).await?;
            abandon(db, pg, checkout, "deposit_expired").await
        }
        _ => Ok(()),
    }
}

/// The reconcile job: payments whose confirm got no answer are asked about and settled;
/// virtual accounts past their due date and checkouts whose shopper never came back from
/// the gateway are dropped. Returns how many it settled or dropped.
pub async fn reconcile_due(db: &PgPool, pg: &Pg) -> Result<usize, PaymentError> {
    let mut done = 0;
    let unknown: Vec<(PaymentId, CheckoutId)> = sqlx::query_as(
        "SELECT id, checkout_id FROM payments
         WHERE status = 'in_progress' AND updated_at < now() - INTERVAL '20 seconds'
         ORDER BY updated_at LIMIT 50",
    )
    .fetch_all(db)
    .await?;
    for (payment, checkout) in unknown {
        match pg.by_order(&checkout.to_string()).await {
            Ok(PgAnswer::Payment(body)) => {
                // A declined or stock-gone outcome is settled too; only say what happened.
                if let Err(e) = apply(db, pg, payment, &body).await {
                    tracing::info!(%checkout, error = %e, "reconciled payment did not go through");
                }
                done += 1;
            }
            Ok(PgAnswer::Refused { code, .. }) if code == "NOT_FOUND_PAYMENT" => {
                // The gateway never saw a confirm: back to waiting for the shopper.
                sqlx::query("UPDATE payments SET status = 'pending' WHERE id = $1 AND status = 'in_progress'")
                    .bind(payment)
                    .execute(db)
                    .await?;
            }
            _ => {} // still unreachable; next run
        }
    }
    let lapsed: Vec<(PaymentId, CheckoutId)> = sqlx::query_as(
        "SELECT id, checkout_id FROM payments
         WHERE status = 'waiting_for_deposit' AND virtual_account_due_date < now() LIMIT 50",
    )
    .fetch_all(db)
    .await?;
    for (payment, checkout) in lapsed {
        fail_payment(
            db,
            payment,
            "DEPOSIT_EXPIRED",
            &json!({ "reason": "due date passed" }),
        )
        .await?;
        abandon(db, pg, checkout, "deposit_expired").await?;
        done += 1;
    }
    let stale: Vec<CheckoutId> = sqlx::query_scalar(
        "SELECT c.id FROM checkouts c LEFT JOIN payments p ON p.checkout_id = c.id
         WHERE c.status = 'PENDING' AND c.expires_at < now()
           AND (p.id IS NULL OR p.status = 'pending')
         ORDER BY c.expires_at LIMIT 50",
    )
    .fetch_all(db)
    .await?;
    for checkout in stale {
        sqlx::query(
            "UPDATE payments SET status = 'failed', failed_at = now(), failure_reason = 'expired'
             WHERE checkout_id = $1 AND status = 'pending'",
        )
        .bind(checkout)
        .execute(db)
        .await?;
        abandon(db, pg, checkout, "checkout_expired").await?;
        done += 1;
    }
    Ok(done)
}
