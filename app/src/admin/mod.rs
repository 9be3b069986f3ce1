//! The admin console's own data (seed 000 admin_db): notices for shoppers and sellers. The
//! audit log every context writes is `platform::audit`.

pub mod api;
pub mod banner;
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

use crate::platform::i18n::Msg;
use chrono::{DateTime, Utc};
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
