//! The admin console's own data (seed 000 admin_db): notices for shoppers and sellers, the
//! system configs form, users. The audit log every context writes is `platform::audit`.

pub mod api;
pub mod banner;
pub mod dashboard;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::AdminError;

use crate::identity::{Grade, Role, UserId, UserStatus};
use crate::platform::audit::AuditEntry;
pub use crate::platform::config_kind::{ConfigCategory, ConfigKind};
use crate::platform::i18n::Msg;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// A notice.
    NoticeId
);

crate::code_enum! {
    /// What a notice is about; urgent and maintenance notices show as a banner.
    pub enum NoticeType {
        General = "general",
        Maintenance = "maintenance",
        Event = "event",
        Urgent = "urgent",
    }
}

impl NoticeType {
    pub fn label(self) -> Msg {
        match self {
            Self::General => Msg::NoticeTypeGeneral,
            Self::Maintenance => Msg::NoticeTypeMaintenance,
            Self::Event => Msg::NoticeTypeEvent,
            Self::Urgent => Msg::NoticeTypeUrgent,
        }
    }

    /// Shown as a banner on every page of its audience until dismissed.
    pub fn is_banner(self) -> bool {
        matches!(self, Self::Maintenance | Self::Urgent)
    }
}

crate::code_enum! {
    /// Who a notice is for.
    pub enum NoticeTarget {
        All = "all",
        Customers = "customers",
        Sellers = "sellers",
    }
}

impl NoticeTarget {
    pub fn label(self) -> Msg {
        match self {
            Self::All => Msg::NoticeTargetAll,
            Self::Customers => Msg::NoticeTargetCustomers,
            Self::Sellers => Msg::NoticeTargetSellers,
        }
    }
}

/// Who is reading: what decides which notices they see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// Visitors and shoppers: notices for all and for customers.
    Customers,
    /// Sellers: notices for all and for sellers.
    Sellers,
    /// Admins see every published notice.
    Everyone,
}

impl Audience {
    pub fn of(role: Option<crate::identity::Role>) -> Self {
        use crate::identity::Role;
        match role {
            Some(Role::Admin) => Self::Everyone,
            Some(Role::Seller) => Self::Sellers,
            Some(Role::Customer) | None => Self::Customers,
        }
    }

    pub fn sees(self, target: NoticeTarget) -> bool {
        match (self, target) {
            (Self::Everyone, _) | (_, NoticeTarget::All) => true,
            (Self::Customers, t) => t == NoticeTarget::Customers,
            (Self::Sellers, t) => t == NoticeTarget::Sellers,
        }
    }

    /// The targets this audience sees, as stored.
    pub fn targets(self) -> Vec<&'static str> {
        NoticeTarget::ALL
            .iter()
            .filter(|t| self.sees(**t))
            .map(|t| t.as_str())
            .collect()
    }
}

/// Where a notice stands, for the admin list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeState {
    Draft,
    /// Published, to show from a later time.
    Scheduled,
    Published,
}

/// A notice as its pages show it. `html` is the Markdown body rendered and sanitised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: NoticeId,
    pub notice_type: NoticeType,
    pub title: String,
    /// The Markdown as written.
    pub content: String,
    /// The body as HTML: rendered from Markdown and sanitised (no raw HTML survives).
    pub html: String,
    pub target: NoticeTarget,
    pub is_pinned: bool,
    pub is_published: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub view_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl NoticeView {
    pub fn state(&self, now: DateTime<Utc>) -> NoticeState {
        match (self.is_published, self.published_at) {
            (true, Some(at)) if at > now => NoticeState::Scheduled,
            (true, _) => NoticeState::Published,
            (false, _) => NoticeState::Draft,
        }
    }
}

/// One page of notices, pinned first, then newest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeList {
    pub items: Vec<NoticeView>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// An urgent or maintenance notice, as the banner on every page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Banner {
    pub id: NoticeId,
    pub notice_type: NoticeType,
    pub title: String,
}

/// One system config key as `/admin/configs` shows it: what it means, its value and default
/// as the input takes them, and who changed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConfigField {
    pub key: String,
    pub category: ConfigCategory,
    pub kind: ConfigKind,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub label: Msg,
    /// The current value, as typed into the form.
    pub value: String,
    pub default: String,
    pub is_default: bool,
    /// Newest first, at most `CONFIG_HISTORY` changes.
    pub history: Vec<AuditEntry>,
}

/// How many past changes each config key shows.
pub const CONFIG_HISTORY: i64 = 10;

/// A row of `/admin/users`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// Masked: `010-****-5678`.
    pub phone: Option<String>,
    pub role: Role,
    pub status: UserStatus,
    pub grade: Grade,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// One page of users, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserList {
    pub items: Vec<UserRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// An address with the parts that name a person masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaskedAddress {
    pub label: Option<String>,
    pub recipient_name: String,
    pub phone: String,
    pub postal_code: String,
    /// The street address; the detail (flat, floor) is hidden.
    pub address: String,
    pub is_default: bool,
}

/// A signed-in device of the user, as the admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserSession {
    pub device: String,
    pub ip: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// `/admin/users/{id}`: the account, what it bought, where it is signed in, and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserDetail {
    pub user: UserRow,
    pub status_reason: Option<String>,
    /// An admin set the grade; the grades job leaves it alone.
    pub grade_manual: bool,
    pub orders_count: i64,
    /// Paid minus refunded, all time.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub total_purchase: Decimal,
    /// Paid minus refunded over the last 12 months: what the grade is computed from.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub purchase_12_months: Decimal,
    pub sessions: Vec<UserSession>,
    pub addresses: Vec<MaskedAddress>,
    pub history: Vec<AuditEntry>,
}

/// Keeps the first and last characters of a name: 김철수 → 김*수, 홍길 → 홍*.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Hides the middle of a phone number: 010-1234-5678 → 010-****-5678.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() < 8 {
        return "*".repeat(phone.chars().count());
    }
    let head: String = digits[..3].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}-****-{tail}")
}

#[cfg(test)]
mod mask_tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_tells_people_apart() {
        assert_eq!(mask_name("김철수"), "김*수");
        assert_eq!(mask_name("홍길"), "홍*");
        assert_eq!(mask_name("남궁민수"), "남**수");
        assert_eq!(mask_phone("010-1234-5678"), "010-****-5678");
        assert_eq!(mask_phone("01012345678"), "010-****-5678");
        assert_eq!(mask_phone("12"), "**");
    }
}

/// A page of the audit log and the cursor of the next (older) one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next: Option<String>,
}
