//! Starting a payment, and confirming it when the shopper comes back from the gateway.

use super::settle::{abandon, apply};
use super::{numbers, row_of_checkout};
use crate::identity::UserId;
use crate::ordering::CheckoutId;
use crate::payment::pg::{Pg, PgAnswer};
use crate::payment::{Confirmed, GatewayMethod, NextStep, PaymentError, PaymentStatus};
use crate::platform::integration::CallError;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sqlx::PgPool;

/// What the gateway is to collect for a placed checkout.
#[derive(Clone, Debug)]
pub struct NewPayment<'a> {
    pub checkout: CheckoutId,
    pub user: UserId,
    pub method: GatewayMethod,
    pub amount: Decimal,
    /// What the gateway's page calls it ("장터 주문 ORD-… 외 1건").
    pub order_name: &'a str,
    /// The path under which this site's `/success` and `/fail` pages for it live.
    pub back: &'static str,
}

/// The payment row for a placed checkout, and where to send the shopper: the gateway's page
/// (`site` is this shop as the browser reaches it, for the return URLs).
pub async fn start(
    db: &PgPool,
    pg: &Pg,
    new: NewPayment<'_>,
    site: &str,
) -> Result<NextStep, PaymentError> {
    let NewPayment {
        checkout,
        user,
        method,
        amount,
        order_name,
        back,
    } = new;
    sqlx::query(
        "INSERT INTO payments (checkout_id, user_id, amount, method) VALUES ($1, $2, $3, $4)
         ON CONFLICT (checkout_id) DO NOTHING",
    )
    .bind(checkout)
    .bind(user)
    .bind(amount)
    .bind(method)
    .execute(db)
    .await?;
    let won = amount.to_i64().ok_or(PaymentError::Mismatch)?;
    Ok(NextStep {
        redirect_url: pg.page_url(&checkout.to_string(), order_name, won, method, site, back),
    })
}

/// What a payment already settled says, without calling the gateway again.
async fn settled(
    db: &PgPool,
    checkout: CheckoutId,
    status: PaymentStatus,
) -> Result<Confirmed, PaymentError> {
    let order_numbers = numbers(db, checkout).await?;
    Ok(match status {
        PaymentStatus::Completed | PaymentStatus::PartialRefunded | PaymentStatus::Refunded => {
            match super::charge::charged(db, checkout).await? {
                Some(charged) => charged,
                None => Confirmed::Paid { order_numbers },
            }
        }
        PaymentStatus::WaitingForDeposit => {
            let (bank, account, due): (
                Option<String>,
                Option<String>,
                Option<chrono::DateTime<chrono::Utc>>,
            ) = sqlx::query_as(
                "SELECT virtual_account_bank, virtual_account_number, virtual_account_due_date
                     FROM payments WHERE checkout_id = $1",
            )
            .bind(checkout)
            .fetch_one(db)
            .await?;
            Confirmed::AwaitingDeposit {
                order_numbers,
                bank: bank.unwrap_or_default(),
                account_number: account.unwrap_or_default(),
                due_date: due.unwrap_or_else(chrono::Utc::now),
            }
        }
        PaymentStatus::InProgress | PaymentStatus::Pending => {
            Confirmed::Processing { order_numbers }
        }
        PaymentStatus::Failed | PaymentStatus::Cancelled => {
            return Err(PaymentError::Declined {
                code: "ALREADY_FAILED".into(),
            })
        }
    })
}

/// The shopper is back from the gateway with `paymentKey`, `orderId` (our checkout) and
/// `amount`. Safe to repeat: a second visit reads what the first one settled.
pub async fn confirm(
    db: &PgPool,
    pg: &Pg,
    user: UserId,
    payment_key: &str,
    order_id: &str,
    amount: Decimal,
) -> Result<Confirmed, PaymentError> {
    let checkout: CheckoutId = order_id.parse().map_err(|_| PaymentError::NotFound)?;
    let row = row_of_checkout(db, checkout)
        .await?
        .filter(|r| r.user_id == user)
        .ok_or(PaymentError::NotFound)?;
    // The amount comes back through the browser: one that differs was tampered with.
    if amount != row.amount {
        return Err(PaymentError::Mismatch);
    }
    if row.status != PaymentStatus::Pending {
        return settled(db, checkout, row.status).await;
    }
    let claimed: Option<crate::payment::PaymentId> = sqlx::query_scalar(
        "UPDATE payments SET status = 'in_progress', payment_key = $2
         WHERE id = $1 AND status = 'pending' RETURNING id",
    )
    .bind(row.id)
    .bind(payment_key)
    .fetch_optional(db)
    .await?;
    if claimed.is_none() {
        // Another tab claimed it first.
        let now = row_of_checkout(db, checkout)
            .await?
            .ok_or(PaymentError::NotFound)?;
        return settled(db, checkout, now.status).await;
    }
    let won = row.amount.to_i64().ok_or(PaymentError::Mismatch)?;
    let unclaim = || async {
        sqlx::query(
            "UPDATE payments SET status = 'pending' WHERE id = $1 AND status = 'in_progress'",
        )
        .bind(row.id)
        .execute(db)
        .await
    };
    match pg.confirm(payment_key, order_id, won).await {
        Ok(PgAnswer::Payment(body)) => apply(db, pg, row.id, &body).await,
        Ok(PgAnswer::Refused { code, .. }) if code == "ALREADY_PROCESSED_PAYMENT" => {
            // Confirmed by an earlier attempt whose answer we lost: ask what it became.
            match pg.by_order(order_id).await {
                Ok(PgAnswer::Payment(body)) => apply(db, pg, row.id, &body).await,
                _ => Ok(Confirmed::Processing {
                    order_numbers: numbers(db, checkout).await?,
                }),
            }
        }
        Ok(PgAnswer::Refused { code, body }) => {
            fail_payment(db, row.id, &code, &body).await?;
            abandon(db, pg, checkout, "payment_declined").await?;
            Err(PaymentError::Declined { code })
        }
        // Nothing reached the gateway: the shopper may try again.
        Err(e @ (CallError::Open { .. } | CallError::Connect(_))) => {
            unclaim().await?;
            Err(match e {
                CallError::Open { retry_after, .. } => PaymentError::Unavailable {
                    retry_after_secs: retry_after.as_secs().max(1),
                },
                other => PaymentError::Call(other),
            })
        }
        // It may have been approved: the reconcile job asks the gateway and settles it.
        Err(e) if e.outcome_unknown() => Ok(Confirmed::Processing {
            order_numbers: numbers(db, checkout).await?,
        }),
        Err(e) => {
            unclaim().await?;
            Err(PaymentError::Call(e))
        }
    }
}

pub(crate) async fn fail_payment(
    db: &PgPool,
    payment: crate::payment::PaymentId,
    code: &str,
    body: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payments SET status = 'failed', failed_at = now(), failure_reason = $2,
             pg_response = $3
         WHERE id = $1 AND status IN ('pending', 'in_progress', 'waiting_for_deposit')",
    )
    .bind(payment)
    .bind(code)
    .bind(body)
    .execute(db)
    .await
    .map(|_| ())
}

/// The shopper came back through the fail URL (cancelled on the gateway's page, card
/// refused). The checkout is dropped: points back, stock released, the cart as it was.
pub async fn fail(
    db: &PgPool,
    pg: &Pg,
    user: UserId,
    order_id: &str,
    code: &str,
) -> Result<(), PaymentError> {
    let checkout: CheckoutId = order_id.parse().map_err(|_| PaymentError::NotFound)?;
    let row = row_of_checkout(db, checkout)
        .await?
        .filter(|r| r.user_id == user)
        .ok_or(PaymentError::NotFound)?;
    if row.status == PaymentStatus::Pending {
        fail_payment(db, row.id, code, &serde_json::json!({ "code": code })).await?;
        abandon(db, pg, checkout, "payment_cancelled").await?;
    }
    Ok(())
}
