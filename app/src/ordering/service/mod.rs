//! Checkout and orders. Placing a checkout reads the cart and the stock it needs, then writes
//! the checkout, its orders, their items and events and the points payment in one
//! transaction whose last statements take the stock, so the hot SKU rows stay locked for as
//! little as possible; callers pass a small pool of their own (`AppState::checkout_db`) so
//! that only a few write at once. Every later status
//! change goes through `transition`, which locks the order row, refuses a move the status
//! machine does not allow, and writes the order event and its outbox twin in the same
//! transaction.

mod cancel;
mod coupon;
mod events;
mod numbers;
mod orders;
mod place;

pub use cancel::{cancel, CancelReason, Cancelled, Canceller};
pub use events::{transition, Actor};
pub use numbers::next_numbers;
pub use orders::{
    detail_for_seller, detail_for_user, list_for_seller, list_for_user, mark_preparing,
};
pub use place::{checkout_page, place, DEFAULT_CONCURRENT_CHECKOUTS};

#[cfg(test)]
mod tests;
