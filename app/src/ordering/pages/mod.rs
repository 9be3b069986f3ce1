//! Checkout, my orders, one order with its timeline, and the seller's orders.

mod checkout;
mod order;
mod orders;
mod seller;

pub use checkout::CheckoutPage;
pub use order::OrderPage;
pub use orders::OrdersPage;
pub use seller::SellerOrdersPage;
