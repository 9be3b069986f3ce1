//! Making and claiming coupons.
//!
//! First come, first served: a limited coupon's remaining count lives in Redis
//! (`coupon:{id}:left`), and one Lua call checks and decrements it, so a rush of claims for a
//! sold-out coupon is answered by Redis alone. A claim that passes Redis then writes the
//! truth in Postgres in one transaction: the unique (coupon, user) row, and the issued count
//! raised by an UPDATE guarded by `issued_quantity < total_quantity` (and a CHECK). If
//! Redis loses the key (a restart, an eviction), the next claim rebuilds it from Postgres
//! (`SET NX` of total − issued); if Redis is down, claims go to Postgres alone. Either way the
//! guarded UPDATE keeps the issued count at or below the total.

mod claim;
mod coupons;

pub use claim::{claim, COUNTER_SCRIPT};
pub use coupons::{available, create, for_product, made_by, mine, targets, Maker};
