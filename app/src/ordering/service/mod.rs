//! Checkout and orders. Placing a checkout holds its stock first (inventory, all lines or
//! none), then writes the checkout, its orders, their events and the points payment in one
//! transaction whose last step commits the held stock, so the hot SKU rows stay locked for as
//! little as possible. Every status change goes through `transition`, which locks the order
//! row, refuses a move the status machine does not allow, and writes the order event and its
//! outbox twin in the same transaction.

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
pub use place::{checkout_page, place};

#[cfg(test)]
mod tests;
