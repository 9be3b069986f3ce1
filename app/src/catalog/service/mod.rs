//! Catalog rules: the category tree, creating products with their variants and SKUs, the
//! review lifecycle, and the storefront queries.

use super::{
    CardView, CatalogError, CategoryId, CategoryNode, Crumb, Filter, HomeShelves, ImageId,
    OptionView, Page, ProductCard, ProductDetail, ProductId, ProductStatus, Sort, VariantId,
    VariantView,
};
use crate::identity::domain as idd;
use crate::identity::UserId;
use crate::inventory::service as inventory;
use crate::inventory::SkuId;
use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;
use crate::platform::outbox::{self, NewEvent};
use crate::seller::SellerId;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub const MAX_OPTIONS: usize = 3;
pub const MAX_VARIANTS: usize = 100;
pub const PAGE_SIZE: i64 = 24;
/// How long an instance serves a browsed listing page it rendered, without asking Postgres.
/// Catalog changes drop it at once (on every instance, through the cache invalidator); this
/// bounds what they do not announce, such as a seller's suspension.
pub const LISTING_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(2);

mod cards;
mod categories;
mod detail;
pub mod editing;
#[cfg(test)]
mod editing_tests;
mod home;
pub mod images;
mod invalidation;
mod products;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod seller_table_tests;
mod storefront;
#[cfg(test)]
mod tests;
pub mod views;

pub use cards::*;
pub use categories::*;
pub use detail::*;
pub use editing::*;
pub use home::*;
pub use invalidation::*;
pub use products::*;
pub use storefront::*;
