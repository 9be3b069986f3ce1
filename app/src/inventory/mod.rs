//! Inventory (seeds 000 inventory/inventory_logs, 003 stock/reservedStock, 004): stock per SKU,
//! every movement, and reservations that are released, committed or expire.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::InventoryError;

use crate::catalog::VariantId;
use crate::identity::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// A stock-keeping unit: what the warehouse counts.
    SkuId
);
crate::id_type!(
    /// A hold on stock until an order is paid or dropped.
    ReservationId
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct StockLevel {
    pub sku_id: SkuId,
    pub stock: i32,
    pub reserved: i32,
    pub available: i32,
    pub low_stock_threshold: i32,
}

crate::code_enum! {
    /// A reservation holds stock while ACTIVE, and settles exactly once.
    pub enum ReservationStatus {
        Active = "ACTIVE",
        Released = "RELEASED",
        Committed = "COMMITTED",
        Expired = "EXPIRED",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub id: ReservationId,
    pub reference: String,
    pub status: ReservationStatus,
    pub expires_at: DateTime<Utc>,
    /// Quantity per SKU, summed over the requested lines.
    pub lines: Vec<(SkuId, i32)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Movement {
    pub id: i64,
    pub sku_id: SkuId,
    pub movement_type: String,
    pub quantity: i32,
    pub stock_before: i32,
    pub stock_after: i32,
    pub reserved_before: i32,
    pub reserved_after: i32,
    pub reason: Option<String>,
    pub reference: Option<String>,
    pub actor_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// What to reserve: a SKU directly, or a variant (a bundle option expands to its SKUs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Item {
    Sku(SkuId),
    Variant(VariantId),
}

/// A SKU as its seller sees it in the stock console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SkuStock {
    pub sku_id: SkuId,
    pub code: String,
    pub name: String,
    pub stock: i32,
    pub reserved: i32,
    pub available: i32,
    pub low_stock_threshold: i32,
}

/// One page of the stock console, and the code to continue after.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockList {
    pub items: Vec<SkuStock>,
    pub next: Option<String>,
}

impl SkuStock {
    pub fn is_low(&self) -> bool {
        self.available <= self.low_stock_threshold
    }
}
