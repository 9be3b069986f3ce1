//! Catalog pages: the storefront, product pages, the seller's products and admin review.

mod admin_categories;
mod admin_products;
pub(crate) mod card;
mod home;
mod product;
mod seller_edit;
mod seller_products;
mod shop;
#[cfg(feature = "ssr")]
pub(crate) mod shop_html;

pub use admin_categories::AdminCategoriesPage;
pub use admin_products::AdminProductsPage;
pub use home::HomeShelvesView;
pub use product::ProductPage;
pub use seller_edit::SellerProductEditPage;
pub use seller_products::SellerProductsPage;
pub use shop::ShopPage;

use crate::catalog::ProductStatus;
use crate::platform::i18n::Msg;

pub fn status_label(status: ProductStatus) -> Msg {
    match status {
        ProductStatus::Draft => Msg::ProductStatusDraft,
        ProductStatus::Pending => Msg::ProductStatusPending,
        ProductStatus::Approved => Msg::ProductStatusApproved,
        ProductStatus::Rejected => Msg::ProductStatusRejected,
        ProductStatus::Active => Msg::ProductStatusActive,
        ProductStatus::Inactive => Msg::ProductStatusInactive,
        ProductStatus::TakenDown => Msg::ProductStatusTakenDown,
    }
}
