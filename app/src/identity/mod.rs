//! Identity (seeds 000 users_db, 001 users): accounts, sign-up and login, sessions, API
//! tokens and the address book.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(all(test, feature = "ssr"))]
mod account_tests;
#[cfg(feature = "ssr")]
pub mod addresses;
#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod tokens;

#[cfg(feature = "ssr")]
pub use error::IdentityError;

use crate::platform::i18n::Msg;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// A user account.
    UserId
);
crate::id_type!(
    /// An entry in a user's address book.
    AddressId
);
crate::id_type!(
    /// An API token.
    TokenId
);

crate::code_enum! {
    /// Whether an account may sign in.
    pub enum UserStatus {
        Active = "active",
        Suspended = "suspended",
        Deleted = "deleted",
    }
}

crate::code_enum! {
    /// What an account may do. A stored role the code does not know fails the read: reading
    /// it as any known role would change that.
    pub enum Role {
        Customer = "customer",
        Seller = "seller",
        Admin = "admin",
    }
}

impl Role {
    pub fn label(self) -> Msg {
        match self {
            Role::Customer => Msg::RoleCustomer,
            Role::Seller => Msg::RoleSeller,
            Role::Admin => Msg::RoleAdmin,
        }
    }
}

crate::code_enum! {
    /// Seed 000 `users.user_grade`: from the last 12 months of purchases, or set by an admin.
    pub enum Grade {
        Bronze = "bronze",
        Silver = "silver",
        Gold = "gold",
        Vip = "vip",
    }
}

impl Grade {
    pub fn label(self) -> Msg {
        match self {
            Grade::Bronze => Msg::GradeBronze,
            Grade::Silver => Msg::GradeSilver,
            Grade::Gold => Msg::GradeGold,
            Grade::Vip => Msg::GradeVip,
        }
    }
}

pub fn grade_label(grade: &str) -> Msg {
    Grade::parse(grade).unwrap_or(Grade::Bronze).label()
}

/// What the UI knows about the signed-in user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub grade: String,
    pub total_purchase_amount: Decimal,
    pub created_at: DateTime<Utc>,
}

/// Before a withdrawal: the points it would forfeit, and what refuses it, if anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WithdrawalPreview {
    pub balance: Decimal,
    pub blocked_by: Option<Msg>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub user_agent: String,
    pub ip: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Address {
    pub id: AddressId,
    pub recipient_name: String,
    pub phone: String,
    pub postal_code: String,
    pub address: String,
    pub address_detail: Option<String>,
    pub label: Option<String>,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TokenView {
    pub id: TokenId,
    pub name: String,
    pub token_prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Short, readable description of a user agent for the sessions list.
pub fn describe_user_agent(ua: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Chrome/", "Chrome"),
        ("Firefox/", "Firefox"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} · {o}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(o)) => o.to_owned(),
        (None, None) => ua.chars().take(60).collect(),
    }
}
