//! Wishlists (seed 000 Wishlists): products a shopper keeps for later, and how many shoppers
//! keep each product (the seed's productId index).

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::WishlistError;

use crate::catalog::{ProductId, ProductStatus};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A kept product, with its price as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct WishItem {
    pub product_id: ProductId,
    pub slug: String,
    pub name: String,
    pub price: Decimal,
    pub original_price: Option<Decimal>,
    pub discount_rate: Decimal,
    pub thumbnail_url: Option<String>,
    pub status: ProductStatus,
    pub added_at: DateTime<Utc>,
}

/// Whether the viewer keeps a product, and how many do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishState {
    pub wished: bool,
    pub count: i64,
}
