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

crate::code_enum! {
    /// Where a seller application stands; it decides what the seller may do.
    pub enum SellerStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Suspended = "suspended",
    }
}

impl SellerStatus {
    pub fn label(self) -> Msg {
        match self {
            Self::Pending => Msg::SellerStatusPending,
            Self::Approved => Msg::SellerStatusApproved,
            Self::Rejected => Msg::SellerStatusRejected,
            Self::Suspended => Msg::SellerStatusSuspended,
        }
    }
}

/// The admin's review queue: the sellers, and each one's recent decisions from the audit log
/// (by seller id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SellerQueue {
    pub sellers: Vec<SellerView>,
    pub history: std::collections::HashMap<String, Vec<crate::platform::audit::AuditEntry>>,
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
