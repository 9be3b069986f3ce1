//! The coupon page, my coupons, and the consoles' coupon page.

mod console;
mod coupons;

pub use console::CouponConsolePage;
pub use coupons::{CouponsPage, MyCouponsPage, ProductCoupons};
