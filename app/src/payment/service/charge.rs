//! Buying points by card. A charge is a checkout of purpose `POINT_CHARGE` with no orders,
//! so it is paid through the same hosted page, confirm, reconcile and expiry as an order;
//! settling it credits the balance once (the ledger row is keyed by the payment).

use super::confirm::{start, NewPayment};
use crate::identity::UserId;
use crate::ordering::{CheckoutId, CheckoutPurpose};
use crate::payment::pg::Pg;
use crate::payment::{Confirmed, GatewayMethod, NextStep, PaymentError, PaymentId};
use crate::platform::config::{Configs, CHECKOUT_HOLD_MINUTES};
use crate::wallet::domain::ChargeAmount;
use crate::wallet::service::{self as wallet, Change};
use crate::wallet::TxKind;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};

/// Where the gateway sends a charge's shopper back to.
pub const BACK: &str = "/account/points/charge";

/// A charge waiting for the shopper to pay on the gateway's page.
#[derive(Clone, Debug)]
pub struct StartedCharge {
    pub checkout: CheckoutId,
    pub next: NextStep,
}

/// Starts a charge of `amount` points. A gateway that is refusing calls is found out first.
pub async fn start_charge(
    db: &PgPool,
    pg: &Pg,
    configs: &Configs,
    user: UserId,
    amount: ChargeAmount,
    site: &str,
) -> Result<StartedCharge, PaymentError> {
    if let Some(wait) = pg.open_for().await {
        return Err(PaymentError::Unavailable {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let minutes = configs.get(&CHECKOUT_HOLD_MINUTES).await.unwrap_or(15);
    let checkout: CheckoutId = sqlx::query_scalar(
        "INSERT INTO checkouts (user_id, purpose, payment_method, items_total, shipping_total,
                                amount_due, expires_at)
         VALUES ($1, 'POINT_CHARGE', 'CARD', $2, 0, $2, now() + make_interval(mins => $3))
         RETURNING id",
    )
    .bind(user)
    .bind(amount.get())
    .bind(minutes as i32)
    .fetch_one(db)
    .await?;
    let name = format!("장터 포인트 {} 충전", crate::ui::format::won(amount.get()));
    let next = start(
        db,
        pg,
        NewPayment {
            checkout,
            user,
            method: GatewayMethod::Card,
            amount: amount.get(),
            order_name: &name,
            back: BACK,
        },
        site,
    )
    .await?;
    Ok(StartedCharge { checkout, next })
}

/// The balance gets the points a settled charge paid for, in the caller's transaction.
pub(crate) async fn credit(
    conn: &mut PgConnection,
    payment: PaymentId,
    user: UserId,
    amount: Decimal,
) -> Result<Confirmed, PaymentError> {
    let related = payment.to_string();
    let entry = wallet::apply(
        conn,
        user,
        Change {
            kind: TxKind::Charge,
            amount,
            related_id: Some(&related),
            memo: Some("카드 충전"),
        },
    )
    .await?;
    Ok(Confirmed::Charged {
        amount,
        balance: entry.balance_after,
    })
}

/// What a charge that is already settled says: its amount and today's balance. `None` for
/// an order checkout.
pub(crate) async fn charged(
    db: &PgPool,
    checkout: CheckoutId,
) -> Result<Option<Confirmed>, PaymentError> {
    let row: (CheckoutPurpose, Decimal, UserId) =
        sqlx::query_as("SELECT purpose, items_total, user_id FROM checkouts WHERE id = $1")
            .bind(checkout)
            .fetch_one(db)
            .await?;
    Ok(match row {
        (CheckoutPurpose::PointCharge, amount, user) => Some(Confirmed::Charged {
            amount,
            balance: wallet::balance(db, user).await?,
        }),
        _ => None,
    })
}
