//! Point balance (seeds 001 and 003): one balance per account and a ledger row for every
//! change. The shop's checkout and the ticket office both pay from it.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::WalletError;

use crate::platform::i18n::Msg;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// Why a balance changed (seed 001 `balance_transactions.type`).
    pub enum TxKind {
        /// Points bought through the payment gateway.
        Charge = "CHARGE",
        /// Points spent on an order or a ticket.
        Payment = "PAYMENT",
        /// Points given back by a cancel or a refund.
        Refund = "REFUND",
        /// Points given by the shop (welcome points, compensation).
        Grant = "GRANT",
    }
}

impl TxKind {
    pub fn label(self) -> Msg {
        match self {
            TxKind::Charge => Msg::PointsCharge,
            TxKind::Payment => Msg::PointsPayment,
            TxKind::Refund => Msg::PointsRefund,
            TxKind::Grant => Msg::PointsGrant,
        }
    }

    /// Only a payment takes points away.
    pub fn is_debit(self) -> bool {
        self == TxKind::Payment
    }
}

/// One ledger row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct LedgerEntry {
    pub id: i64,
    pub kind: TxKind,
    /// Signed: a payment is negative.
    pub amount: Decimal,
    pub balance_before: Decimal,
    pub balance_after: Decimal,
    pub related_id: Option<String>,
    pub memo: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The balance and the newest ledger rows, with the id to page on from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WalletView {
    pub balance: Decimal,
    pub entries: Vec<LedgerEntry>,
    /// Pass as `before` for the next, older page.
    pub next: Option<i64>,
}
