//! The heart and the wishlist page.

mod heart;
mod wishlist;

pub use heart::WishButton;
pub use wishlist::WishlistPage;
