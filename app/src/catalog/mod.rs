//! Catalog (seeds 000 products_db, 004 product service): the category tree, products with
//! options and variants, their review, and the storefront queries.

pub mod api;
pub mod domain;
pub mod pages;
pub mod search;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::CatalogError;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::seller::SellerId;

crate::id_type!(
    /// A product.
    ProductId
);
crate::id_type!(
    /// One purchasable combination of a product's option values.
    VariantId
);
crate::id_type!(
    /// A node of the category tree.
    CategoryId
);
crate::id_type!(
    /// A product image.
    ImageId
);

crate::code_enum! {
    /// Where a product is in its life: a draft, in review, on sale or off it.
    pub enum ProductStatus {
        Draft = "draft",
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Active = "active",
        Inactive = "inactive",
        TakenDown = "taken_down",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub id: CategoryId,
    pub name: String,
    pub name_en: String,
    pub slug: String,
    pub level: i32,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<CategoryNode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Crumb {
    pub name: String,
    pub name_en: String,
    pub slug: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductCard {
    pub id: ProductId,
    pub slug: String,
    pub name: String,
    pub price: Decimal,
    pub original_price: Option<Decimal>,
    pub discount_rate: Decimal,
    pub seller_name: String,
    pub rating_avg: Decimal,
    pub review_count: i32,
    pub status: ProductStatus,
    pub created_at: DateTime<Utc>,
    /// The primary image's thumbnail, if the product has images.
    pub thumbnail_url: Option<String>,
    /// No active variant has the stock for one more purchase.
    pub sold_out: bool,
}

/// What a product card in a grid shows: the storefront's server functions answer with this
/// instead of the whole `ProductCard`. It travels as a JSON array (see `wire`), not an
/// object: the field names were a third of the payload.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "wire::Card")]
pub struct CardView {
    /// For the card's heart.
    pub id: ProductId,
    pub slug: String,
    pub name: String,
    pub price: Decimal,
    pub original_price: Option<Decimal>,
    pub discount_rate: Decimal,
    pub seller_name: String,
    pub thumbnail_url: Option<String>,
    pub sold_out: bool,
}

impl From<ProductCard> for CardView {
    fn from(p: ProductCard) -> Self {
        CardView {
            id: p.id,
            slug: p.slug,
            name: p.name,
            price: p.price,
            original_price: p.original_price,
            discount_rate: p.discount_rate,
            seller_name: p.seller_name,
            thumbnail_url: p.thumbnail_url,
            sold_out: p.sold_out,
        }
    }
}

/// The array form of `CardView` on the wire. Serializing
/// borrows the fields (no copy); the browser reads them back through `From`.
mod wire {
    use super::{CardView, ProductId};
    use rust_decimal::Decimal;
    use serde::ser::{Serialize, SerializeTuple, Serializer};
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Card(
        String,
        String,
        Decimal,
        Option<Decimal>,
        Decimal,
        String,
        Option<String>,
        ProductId,
        #[serde(default)] bool,
    );

    impl From<Card> for CardView {
        fn from(
            Card(
                slug,
                name,
                price,
                original_price,
                discount_rate,
                seller_name,
                thumbnail_url,
                id,
                sold_out,
            ): Card,
        ) -> Self {
            CardView {
                id,
                slug,
                name,
                price,
                original_price,
                discount_rate,
                seller_name,
                thumbnail_url,
                sold_out,
            }
        }
    }

    impl Serialize for CardView {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut t = s.serialize_tuple(9)?;
            t.serialize_element(&self.slug)?;
            t.serialize_element(&self.name)?;
            t.serialize_element(&self.price)?;
            t.serialize_element(&self.original_price)?;
            t.serialize_element(&self.discount_rate)?;
            t.serialize_element(&self.seller_name)?;
            t.serialize_element(&self.thumbnail_url)?;
            t.serialize_element(&self.id)?;
            t.serialize_element(&self.sold_out)?;
            t.end()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn cards_round_trip_as_arrays() {
            let card = CardView {
                id: ProductId(uuid::Uuid::nil()),
                slug: "linen-shirt".into(),
                name: "린넨 셔츠 \"Linen\"".into(),
                price: Decimal::new(1990000, 2),
                original_price: Some(Decimal::from(25000)),
                discount_rate: Decimal::from(20),
                seller_name: "장터상회".into(),
                thumbnail_url: None,
                sold_out: true,
            };
            let json = serde_json::to_string(&card).unwrap();
            assert!(json.starts_with("[\"linen-shirt\","), "{json}");
            assert_eq!(serde_json::from_str::<CardView>(&json).unwrap(), card);
        }
    }
}

/// One image of a product's gallery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct ProductImage {
    pub id: ImageId,
    pub url: String,
    pub thumbnail_url: Option<String>,
    pub alt_text: Option<String>,
    pub is_primary: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionView {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VariantView {
    pub id: VariantId,
    pub name: String,
    pub option_values: BTreeMap<String, String>,
    pub price: Decimal,
    pub available: i32,
    /// For bundles: what is inside (SKU name × quantity).
    pub contents: Vec<(String, i32)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub card: ProductCard,
    /// For the link to the seller's shop (`/s/{seller}`).
    pub seller_id: SellerId,
    pub description: String,
    pub product_type: String,
    pub status_reason: Option<String>,
    pub breadcrumbs: Vec<Crumb>,
    pub options: Vec<OptionView>,
    pub variants: Vec<VariantView>,
    /// The gallery in display order.
    pub images: Vec<ProductImage>,
}

/// One page of a listing plus the cursor of the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    PriceAsc,
    PriceDesc,
    Rating,
    Popular,
    /// Best match first: only with a search (without one it is `Newest`).
    Relevance,
}

impl Sort {
    pub fn parse(s: &str) -> Self {
        match s {
            "relevance" => Self::Relevance,
            "price_asc" => Self::PriceAsc,
            "price_desc" => Self::PriceDesc,
            "rating" => Self::Rating,
            "popular" => Self::Popular,
            _ => Self::Newest,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Rating => "rating",
            Self::Popular => "popular",
            Self::Relevance => "relevance",
        }
    }
}

crate::code_enum! {
    /// How the seller's product table is sorted.
    pub enum SellerSort {
        Newest = "newest",
        Name = "name",
        PriceAsc = "price_asc",
        PriceDesc = "price_desc",
        Updated = "updated",
    }
}

/// The seller's product table query (`/seller/products?q=&status=&sort=&cursor=`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SellerProductQuery {
    /// Part of a name, or of a SKU code.
    pub q: Option<String>,
    pub status: Option<ProductStatus>,
    pub sort: SellerSort,
    pub cursor: Option<String>,
}

/// A row of the seller's product table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SellerProductRow {
    pub id: ProductId,
    pub slug: String,
    pub name: String,
    pub price: Decimal,
    pub status: ProductStatus,
    /// The SKU codes of its variants, comma-separated (the first few).
    pub codes: String,
    /// Units available over its SKUs.
    pub available: i64,
    pub updated_at: DateTime<Utc>,
}

/// Storefront filters, as they come from the query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub q: Option<String>,
    pub category: Option<String>,
    /// One seller's shop (`/s/{seller}`).
    pub seller: Option<SellerId>,
    pub min_price: Option<Decimal>,
    pub max_price: Option<Decimal>,
    /// Chosen option values (name, value): any value of one name, every name chosen.
    pub options: Vec<(String, String)>,
    /// Leave out products with nothing to sell ("품절 제외").
    pub in_stock: bool,
    pub sort: Sort,
    pub cursor: Option<String>,
}

impl Filter {
    /// `name:value` as a facet link or the REST `option` writes it.
    pub fn parse_option(raw: &str) -> Option<(String, String)> {
        let (name, value) = raw.split_once(':')?;
        let (name, value) = (name.trim(), value.trim());
        // A control character (a NUL from `%00`) cannot be in an option; Postgres refuses it
        // in JSON, so it is no option rather than an error of ours.
        let clean = !name.chars().chain(value.chars()).any(char::is_control);
        (clean && !name.is_empty() && !value.is_empty())
            .then(|| (name.to_owned(), value.to_owned()))
    }
}

/// Facets of a listing: the option values in the result, with how many products each would
/// show (counting every other choice made), and the result's price range.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// The number of products the listing has in all.
    pub total: i64,
    pub options: Vec<FacetGroup>,
    pub min_price: Option<Decimal>,
    pub max_price: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetGroup {
    pub name: String,
    /// (value, products), most products first.
    pub values: Vec<(String, i64)>,
}

/// The home page's shelves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HomeShelves {
    pub featured: Vec<ProductCard>,
    pub popular: Vec<ProductCard>,
    pub newest: Vec<ProductCard>,
    pub recently_viewed: Vec<ProductCard>,
}

/// A category as the admin console lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CategoryAdminRow {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub name_en: String,
    pub slug: String,
    pub level: i32,
    pub display_order: i32,
    pub is_active: bool,
}

/// Category pickers on the edit page (the service allows as many).
pub const MAX_CATEGORY_FIELDS: usize = 5;

/// A seller's product as the edit page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductEdit {
    pub id: ProductId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub price: Decimal,
    pub original_price: Option<Decimal>,
    pub status: ProductStatus,
    pub status_reason: Option<String>,
    pub product_type: String,
    /// The primary category first.
    pub category_ids: Vec<CategoryId>,
    pub options: Vec<OptionView>,
    pub variants: Vec<VariantEdit>,
    pub images: Vec<ProductImage>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantEdit {
    pub id: VariantId,
    pub name: String,
    pub price_adjustment: Decimal,
    pub is_active: bool,
    /// The SKUs behind the variant: one for a normal product, the contents of a bundle.
    pub items: Vec<SkuItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SkuItem {
    pub sku_id: crate::inventory::SkuId,
    pub code: String,
    pub name: String,
    pub quantity: i32,
    pub available: i32,
}
