//! Selling on Jangteo (seed 000 sellers): applications, review by admins, seller status.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
mod extract;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::SellerError;
#[cfg(feature = "ssr")]
pub use extract::ApprovedSeller;

use crate::platform::i18n::Msg;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// A seller account (one per user).
    SellerId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SellerStatus {
    Pending,
    Approved,
    Rejected,
    Suspended,
}

/// A stored status the code does not know fails the read: guessing would change what the
/// seller may do.
impl TryFrom<String> for SellerStatus {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).ok_or_else(|| format!("unknown seller status {s:?}"))
    }
}

impl SellerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "suspended" => Self::Suspended,
            _ => return None,
        })
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Pending => Msg::SellerStatusPending,
            Self::Approved => Msg::SellerStatusApproved,
            Self::Rejected => Msg::SellerStatusRejected,
            Self::Suspended => Msg::SellerStatusSuspended,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SellerView {
    pub id: SellerId,
    pub user_id: crate::identity::UserId,
    pub user_email: String,
    pub business_name: String,
    /// Formatted 123-45-67890.
    pub business_number: String,
    pub business_type: String,
    pub representative_name: String,
    pub business_address: String,
    pub business_phone: String,
    pub status: SellerStatus,
    pub status_reason: Option<String>,
    pub commission_rate: Option<Decimal>,
    pub approval_date: Option<DateTime<Utc>>,
    pub bank_name: String,
    pub bank_account_holder: String,
    /// Masked except the last four digits.
    pub bank_account_number: String,
    pub created_at: DateTime<Utc>,
}
