//! The cart page and the product page's buy box.

mod buy_box;
mod cart;

pub use buy_box::BuyBox;
pub use cart::CartPage;
