//! Jangteo application crate: everything both the server and the browser compile.
//!
//! Each bounded context lives in its own folder (`identity/`, ...). Code that touches
//! Postgres or Redis is compiled only with the `ssr` feature.
#![recursion_limit = "256"]

pub mod admin;
pub mod cart;
pub mod catalog;
pub mod identity;
pub mod inventory;
pub mod media;
pub mod ordering;
pub mod payment;
pub mod plan_change;
pub mod platform;
pub mod promotion;
pub mod seller;
pub mod ticketing;
pub mod ui;
pub mod wallet;
pub mod wishlist;

pub use ui::app::{shell, App};
