//! The coupon page and my coupons.

mod coupons;

pub use coupons::{CouponsPage, MyCouponsPage};
