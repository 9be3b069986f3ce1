//! The cart (seed 000 Carts): lines per variant, grouped by seller, each group with its own
//! shipping fee. A guest's cart lives in the session and joins the account's at sign-in.

pub mod api;
pub mod domain;
pub mod pages;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod guest;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::CartError;

use crate::catalog::{ProductId, VariantId};
use crate::platform::i18n::Msg;
use crate::seller::SellerId;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::id_type!(
    /// One line of a cart: a variant and how many.
    CartItemId
);

/// The most lines one cart may hold.
pub const MAX_LINES: i64 = 100;
/// The most of one variant one line may hold.
pub const MAX_QUANTITY: i32 = 999;

crate::code_enum! {
    /// Whether a line can be checked out as it is.
    pub enum LineState {
        Ok = "OK",
        /// The product was taken off sale (or the option withdrawn).
        OffSale = "OFF_SALE",
        SoldOut = "SOLD_OUT",
        /// Fewer are left than the line asks for.
        ShortStock = "SHORT_STOCK",
    }
}

impl LineState {
    pub fn can_checkout(self) -> bool {
        self == LineState::Ok
    }

    pub fn label(self) -> Option<Msg> {
        match self {
            LineState::Ok => None,
            LineState::OffSale => Some(Msg::CartOffSale),
            LineState::SoldOut => Some(Msg::ProductSoldOut),
            LineState::ShortStock => Some(Msg::CartShortStock),
        }
    }
}

/// A line as the shopper sees it, with the product as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CartLine {
    pub id: CartItemId,
    pub variant_id: VariantId,
    pub product_id: ProductId,
    pub product_slug: String,
    pub product_name: String,
    pub variant_name: String,
    pub options: BTreeMap<String, String>,
    pub thumbnail_url: Option<String>,
    pub quantity: i32,
    /// The price now.
    pub unit_price: Decimal,
    /// The price when the line was added.
    pub added_price: Decimal,
    /// How many can be sold now (bundles: what their parts allow).
    pub available: i32,
    pub state: LineState,
}

impl CartLine {
    pub fn price_changed(&self) -> bool {
        self.unit_price != self.added_price
    }

    pub fn total(&self) -> Decimal {
        self.unit_price * Decimal::from(self.quantity)
    }
}

/// One seller's lines: they ship together and pay one shipping fee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SellerGroup {
    pub seller_id: SellerId,
    pub seller_name: String,
    pub lines: Vec<CartLine>,
    /// Of the lines that can be checked out.
    pub subtotal: Decimal,
    pub shipping_fee: Decimal,
    /// How much more (of this seller) ships free; `None` once it does, or when nothing counts.
    pub free_shipping_gap: Option<Decimal>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CartView {
    pub groups: Vec<SellerGroup>,
    pub line_count: usize,
    pub subtotal: Decimal,
    pub shipping: Decimal,
    pub total: Decimal,
    /// Lines that cannot be checked out as they are (sold out, off sale, short).
    pub blocked_lines: usize,
}

impl CartView {
    pub fn is_empty(&self) -> bool {
        self.line_count == 0
    }
}

/// Shipping per seller group: a fee below the free-shipping threshold, nothing from it on.
pub fn shipping_for(
    subtotal: Decimal,
    fee: Decimal,
    free_from: Decimal,
) -> (Decimal, Option<Decimal>) {
    if subtotal <= Decimal::ZERO || subtotal >= free_from {
        (Decimal::ZERO, None)
    } else {
        (fee, Some(free_from - subtotal))
    }
}

/// The state of a line from what the product is now.
pub fn line_state(on_sale: bool, available: i32, quantity: i32) -> LineState {
    if !on_sale {
        LineState::OffSale
    } else if available <= 0 {
        LineState::SoldOut
    } else if quantity > available {
        LineState::ShortStock
    } else {
        LineState::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipping_is_free_from_the_threshold_and_nothing_for_an_empty_group() {
        let (fee, free) = (Decimal::from(3_000), Decimal::from(50_000));
        assert_eq!(
            shipping_for(Decimal::from(20_000), fee, free),
            (fee, Some(Decimal::from(30_000)))
        );
        assert_eq!(
            shipping_for(Decimal::from(50_000), fee, free),
            (Decimal::ZERO, None)
        );
        assert_eq!(
            shipping_for(Decimal::ZERO, fee, free),
            (Decimal::ZERO, None)
        );
    }

    #[test]
    fn line_state_puts_off_sale_before_stock() {
        assert_eq!(line_state(false, 10, 1), LineState::OffSale);
        assert_eq!(line_state(true, 0, 1), LineState::SoldOut);
        assert_eq!(line_state(true, 2, 3), LineState::ShortStock);
        assert_eq!(line_state(true, 3, 3), LineState::Ok);
    }
}
