//! Payment flows. A checkout the gateway must collect gets one `payments` row (unique per
//! checkout). Confirming claims it (`pending` → `in_progress` in one guarded UPDATE) before
//! calling the gateway, so a double click, a refreshed success page and a retried confirm
//! call the gateway at most once per claim, and the gateway's `Idempotency-Key` makes even a
//! repeated call one payment. Settling (`settle_paid`) flips the row to `completed` in one
//! guarded UPDATE inside the transaction that marks the orders paid, so a webhook racing the
//! redirect marks nothing paid twice.

mod charge;
mod confirm;
mod settle;

pub use charge::{start_charge, StartedCharge, BACK as CHARGE_BACK};
pub use confirm::{confirm, fail, start, NewPayment};
pub use settle::{abandon, reconcile_due, settle_paid, webhook};

use super::{PaymentId, PaymentStatus, PaymentView};
use crate::ordering::CheckoutId;
use sqlx::PgPool;

/// The payment of a checkout, as the order page shows it.
pub async fn of_checkout(
    db: &PgPool,
    checkout: CheckoutId,
) -> Result<Option<PaymentView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, method, amount, refunded_amount, card_company, card_number,
                installment_months, virtual_account_bank, virtual_account_number,
                virtual_account_due_date, approved_at, failure_reason
         FROM payments WHERE checkout_id = $1",
    )
    .bind(checkout)
    .fetch_optional(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Row {
    pub id: PaymentId,
    pub user_id: crate::identity::UserId,
    pub status: PaymentStatus,
    pub amount: rust_decimal::Decimal,
}

pub(crate) async fn row_of_checkout(
    db: &PgPool,
    checkout: CheckoutId,
) -> Result<Option<Row>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, status, amount FROM payments
         WHERE checkout_id = $1",
    )
    .bind(checkout)
    .fetch_optional(db)
    .await
}

/// The order numbers of a checkout, in order.
pub(crate) async fn numbers(db: &PgPool, checkout: CheckoutId) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT order_number FROM orders WHERE checkout_id = $1 ORDER BY order_number",
    )
    .bind(checkout)
    .fetch_all(db)
    .await
}
