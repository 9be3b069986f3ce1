//! Payments through the payment gateway (seed 000 payments_db): the hosted card page,
//! confirm, virtual accounts and their deposit webhook, refunds, and reconciliation of
//! payments whose outcome the gateway has not told us yet.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod pg;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::PaymentError;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// One payment at the gateway, for one checkout.
    PaymentId
);

crate::code_enum! {
    /// Seed 000 `payments.status`.
    pub enum PaymentStatus {
        Pending = "pending",
        InProgress = "in_progress",
        WaitingForDeposit = "waiting_for_deposit",
        Completed = "completed",
        Failed = "failed",
        Cancelled = "cancelled",
        PartialRefunded = "partial_refunded",
        Refunded = "refunded",
    }
}

crate::code_enum! {
    /// Seed 000 `payments.method`.
    pub enum GatewayMethod {
        Card = "card",
        VirtualAccount = "virtual_account",
        Transfer = "transfer",
    }
}

impl GatewayMethod {
    /// The gateway's name for it on its hosted page.
    pub fn pg_code(self) -> &'static str {
        match self {
            GatewayMethod::Card => "CARD",
            GatewayMethod::VirtualAccount => "VIRTUAL_ACCOUNT",
            GatewayMethod::Transfer => "TRANSFER",
        }
    }
}

/// A payment as its shopper sees it on the order page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct PaymentView {
    pub id: PaymentId,
    pub status: PaymentStatus,
    pub method: GatewayMethod,
    pub amount: Decimal,
    pub refunded_amount: Decimal,
    pub card_company: Option<String>,
    pub card_number: Option<String>,
    pub installment_months: i32,
    pub virtual_account_bank: Option<String>,
    pub virtual_account_number: Option<String>,
    pub virtual_account_due_date: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub failure_reason: Option<String>,
}

/// Where the shopper goes next after placing a checkout that the gateway must collect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NextStep {
    /// The gateway's hosted payment page.
    pub redirect_url: String,
}

/// What confirming told the shopper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Confirmed {
    /// Paid: the orders are paid.
    Paid { order_numbers: Vec<String> },
    /// A virtual account is waiting for the deposit.
    AwaitingDeposit {
        order_numbers: Vec<String>,
        bank: String,
        account_number: String,
        due_date: DateTime<Utc>,
    },
    /// Points bought by card: the balance has them.
    Charged { amount: Decimal, balance: Decimal },
    /// The gateway has not answered in time; the payment is settled in the background.
    Processing { order_numbers: Vec<String> },
}
