mod admin_queue;
mod home;

pub use admin_queue::AdminSellersPage;
pub use home::SellerHomePage;
