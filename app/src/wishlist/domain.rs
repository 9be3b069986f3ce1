//! The heart's form.

use crate::catalog::ProductId;
use serde::{Deserialize, Serialize};

/// The heart on a product: `wish` says which way it goes, so a double submit leaves the
/// state the shopper meant (a toggle would flip it back).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WishForm {
    pub product_id: ProductId,
    pub wish: bool,
}
