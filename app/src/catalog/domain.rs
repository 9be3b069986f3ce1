//! The catalog's forms, and their parsing into what the services take. Raw strings stop
//! here; the services apply the rules that need the database.

use super::{CategoryId, ImageId, ProductId, VariantId};
use crate::inventory::SkuId;
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::once::FormToken;
use serde::{Deserialize, Serialize};

/// "상품 만들기", as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewProductForm {
    /// A double submit creates one product (`OnceField`).
    pub once: FormToken,
    pub name: String,
    pub description: String,
    pub price: String,
    pub original_price: Option<String>,
    pub category_id: Option<String>,
    pub option1_name: Option<String>,
    pub option1_values: Option<String>,
    pub option2_name: Option<String>,
    pub option2_values: Option<String>,
    pub initial_stock: Option<String>,
    pub product_type: Option<String>,
}

pub struct ProductInput {
    pub name: String,
    pub description: String,
    pub price: String,
    pub original_price: Option<String>,
    pub category_id: Option<super::CategoryId>,
    /// (option name, its values). Empty: a single default variant.
    pub options: Vec<(String, Vec<String>)>,
    /// Stock received for every variant at creation (normal products only).
    pub initial_stock: i32,
    pub product_type: ProductType,
}

/// A normal product's variants each have their own SKU; a bundle's variants are filled with
/// other SKUs afterwards (seed 004 sku_mappings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProductType {
    #[default]
    Normal,
    Bundle,
}

impl ProductType {
    /// "normal" (or nothing: the form's default) or "bundle"; anything else is refused rather
    /// than read as a normal product.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "" => Ok(Self::Normal),
            r if r.eq_ignore_ascii_case("normal") => Ok(Self::Normal),
            r if r.eq_ignore_ascii_case("bundle") => Ok(Self::Bundle),
            _ => Err(FieldError::new("product_type", Msg::ErrBadForm)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Bundle => "BUNDLE",
        }
    }
}

/// Splits "빨강, 파랑" into trimmed, distinct values.
pub fn split_values(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in raw.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.chars().take(50).collect());
        }
    }
    out
}

impl TryFrom<NewProductForm> for ProductInput {
    type Error = Vec<FieldError>;

    /// Reads the form's numbers and choices; the rules (price bounds, option limits, the
    /// category existing) are the service's, shared with the REST body.
    fn try_from(f: NewProductForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let initial_stock = p.check(crate::inventory::domain::opening_stock(
            "initial_stock",
            f.initial_stock.as_deref(),
        ));
        let product_type = p.check(ProductType::parse(f.product_type.as_deref().unwrap_or("")));
        let category_id = p.check(picked_id("category_id", f.category_id.as_deref()));
        let options = [
            (f.option1_name, f.option1_values),
            (f.option2_name, f.option2_values),
        ]
        .into_iter()
        .map(|(n, v)| (n.unwrap_or_default(), split_values(&v.unwrap_or_default())))
        .collect();
        p.finish(|| {
            Some(ProductInput {
                name: f.name,
                description: f.description,
                price: f.price,
                original_price: f.original_price,
                category_id: category_id?,
                options,
                initial_stock: initial_stock?,
                product_type: product_type?,
            })
        })
    }
}

/// A product's basic details on its edit page. Up to five categories, the primary first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProductInfoForm {
    pub id: ProductId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub original_price: Option<String>,
    #[serde(default)]
    pub category1: Option<String>,
    #[serde(default)]
    pub category2: Option<String>,
    #[serde(default)]
    pub category3: Option<String>,
    #[serde(default)]
    pub category4: Option<String>,
    #[serde(default)]
    pub category5: Option<String>,
}

impl ProductInfoForm {
    /// The chosen categories in order; an unknown value is refused, not skipped.
    pub fn category_ids(&self) -> Result<Vec<CategoryId>, FieldError> {
        [
            &self.category1,
            &self.category2,
            &self.category3,
            &self.category4,
            &self.category5,
        ]
        .into_iter()
        .filter_map(|c| picked_id("category_ids", c.as_deref()).transpose())
        .collect()
    }
}

/// One variant row: its price adjustment and whether it is offered.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VariantForm {
    pub id: ProductId,
    pub variant_id: VariantId,
    #[serde(default)]
    pub price_adjustment: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub is_active: Option<String>,
    /// The SKU code of a normal product's variant; absent for a bundle's.
    #[serde(default)]
    pub sku_code: Option<String>,
}

impl VariantForm {
    /// The new SKU code, if the form has the field: 1–100 characters without spaces.
    pub fn sku_code(&self) -> Result<Option<String>, FieldError> {
        let Some(raw) = self.sku_code.as_deref() else {
            return Ok(None);
        };
        let code = raw.trim();
        if code.is_empty() {
            return Err(FieldError::new("sku_code", Msg::ErrRequired));
        }
        if code.chars().count() > 100 {
            return Err(FieldError::new("sku_code", Msg::ErrTooLong));
        }
        if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(FieldError::new("sku_code", Msg::ErrSkuCodeSpaces));
        }
        Ok(Some(code.to_owned()))
    }
}

/// A new value for one of the product's options.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OptionValueForm {
    pub id: ProductId,
    #[serde(default)]
    pub option: String,
    #[serde(default)]
    pub value: String,
}

/// A SKU put into a bundle variant (quantity 0 takes it out).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BundleItemForm {
    pub id: ProductId,
    pub variant_id: VariantId,
    #[serde(default)]
    pub sku_id: Option<String>,
    #[serde(default)]
    pub quantity: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleItem {
    pub sku: SkuId,
    pub quantity: i32,
}

impl TryFrom<&BundleItemForm> for BundleItem {
    type Error = Vec<FieldError>;

    fn try_from(f: &BundleItemForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let sku = p.check(
            picked_id("sku_id", f.sku_id.as_deref())
                .and_then(|s| s.ok_or_else(|| FieldError::new("sku_id", Msg::ErrRequired))),
        );
        let quantity = p.check(
            f.quantity
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|q| (0..=1000).contains(q))
                .ok_or_else(|| FieldError::new("quantity", Msg::ErrQuantity)),
        );
        p.finish(|| {
            Some(BundleItem {
                sku: sku?,
                quantity: quantity?,
            })
        })
    }
}

/// Deleting a product asks for a ticked confirmation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeleteProductForm {
    pub id: ProductId,
    #[serde(default)]
    pub confirm: Option<String>,
}

/// Moving an image, or making it the primary one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImageChangeForm {
    pub id: ProductId,
    pub image_id: ImageId,
    #[serde(default)]
    pub change: String,
}

/// An admin's review of a submitted product.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewForm {
    pub id: ProductId,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

impl ReviewForm {
    /// "approve" or "reject"; anything else is refused rather than read as a rejection.
    pub fn decision(&self) -> Result<Decision, FieldError> {
        match self.decision.trim() {
            "approve" => Ok(Decision::Approve),
            "reject" => Ok(Decision::Reject),
            _ => Err(FieldError::new("decision", Msg::ErrBadForm)),
        }
    }
}

/// An admin takes a product off the store, with a reason its seller reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TakeDownForm {
    pub id: ProductId,
    #[serde(default)]
    pub reason: String,
}

/// A new category.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewCategoryForm {
    /// A double submit creates one category (`OnceField`).
    pub once: FormToken,
    pub parent_id: Option<String>,
    pub name: String,
    pub name_en: String,
    pub slug: String,
    pub display_order: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub parent: Option<CategoryId>,
    pub name: String,
    pub name_en: String,
    pub slug: String,
    pub display_order: i32,
}

impl TryFrom<NewCategoryForm> for NewCategory {
    type Error = Vec<FieldError>;

    fn try_from(f: NewCategoryForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let parent = p.check(picked_id("parent_id", f.parent_id.as_deref()));
        let names = category_names(&mut p, &f.name, &f.name_en);
        let slug = p.check(parse_slug(&f.slug));
        let display_order = p.check(parse_display_order(f.display_order.as_deref()));
        p.finish(|| {
            let (name, name_en) = names?;
            Some(NewCategory {
                parent: parent?,
                name,
                name_en,
                slug: slug?,
                display_order: display_order?,
            })
        })
    }
}

/// A category's names, order and visibility.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CategoryForm {
    pub id: CategoryId,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub display_order: Option<String>,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub is_active: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryChange {
    pub name: String,
    pub name_en: String,
    pub display_order: i32,
    pub is_active: bool,
}

impl TryFrom<&CategoryForm> for CategoryChange {
    type Error = Vec<FieldError>;

    fn try_from(f: &CategoryForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let names = category_names(&mut p, &f.name, &f.name_en);
        let display_order = p.check(parse_display_order(f.display_order.as_deref()));
        p.finish(|| {
            let (name, name_en) = names?;
            Some(CategoryChange {
                name,
                name_en,
                display_order: display_order?,
                is_active: f.is_active.is_some(),
            })
        })
    }
}

fn category_names(p: &mut Problems, name: &str, name_en: &str) -> Option<(String, String)> {
    use crate::identity::domain::required_text;
    let name = p.check(required_text("name", name, 100));
    let name_en = p.check(required_text("name_en", name_en, 100));
    Some((name?, name_en?))
}

/// An id chosen in a form (a select or a hidden field): empty is none, and anything else must
/// parse; a bad value is refused, never read as none.
fn picked_id<T: std::str::FromStr>(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<T>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| FieldError::new(field, Msg::ErrBadForm)),
    }
}

/// A category's URL slug: lower-case ASCII letters, digits and inner dashes, up to 100.
pub fn parse_slug(raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim().to_lowercase();
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(slug)
    } else {
        Err(FieldError::new("slug", Msg::ErrSlug))
    }
}

/// Empty is 0; otherwise a whole number from -10000 to 10000.
pub fn parse_display_order(raw: Option<&str>) -> Result<i32, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(0),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|n| (-10_000..=10_000).contains(n))
            .ok_or_else(|| FieldError::new("display_order", Msg::ErrDisplayOrder)),
    }
}

/// The seller's product table query from its URL. Empty values are no filter; a status or
/// sort this build does not know is an error, not silently all products.
pub fn seller_product_query(
    q: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<super::SellerProductQuery, FieldError> {
    let blank = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let status = match blank(status) {
        Some(s) => Some(
            super::ProductStatus::parse(&s)
                .ok_or_else(|| FieldError::new("status", Msg::ErrBadValue))?,
        ),
        None => None,
    };
    let sort = match blank(sort) {
        Some(s) => {
            super::SellerSort::parse(&s).ok_or_else(|| FieldError::new("sort", Msg::ErrBadValue))?
        }
        None => super::SellerSort::Newest,
    };
    let q = blank(q).map(|q| q.chars().filter(|c| !c.is_control()).take(100).collect());
    Ok(super::SellerProductQuery {
        q,
        status,
        sort,
        cursor: blank(cursor),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_reports_every_problem_at_once() {
        let errors = NewCategory::try_from(NewCategoryForm {
            parent_id: Some("not-a-uuid".into()),
            name: "   ".into(),
            name_en: "Mugs".into(),
            slug: "Bad Slug!".into(),
            display_order: Some("first".into()),
            ..NewCategoryForm::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["parent_id", "name", "slug", "display_order"]);
    }

    #[test]
    fn a_bundle_item_needs_a_sku_and_a_bounded_quantity() {
        let form = |sku: Option<&str>, q: &str| BundleItemForm {
            id: ProductId(uuid::Uuid::nil()),
            variant_id: VariantId(uuid::Uuid::nil()),
            sku_id: sku.map(Into::into),
            quantity: q.into(),
        };
        let errors = BundleItem::try_from(&form(None, "1001")).unwrap_err();
        assert_eq!(errors.len(), 2);
        let sku = uuid::Uuid::new_v4();
        let item = BundleItem::try_from(&form(Some(&sku.to_string()), " 2 ")).unwrap();
        assert_eq!(item.sku, SkuId(sku));
        assert_eq!(item.quantity, 2);
    }

    #[test]
    fn an_unknown_review_decision_is_refused() {
        let form = |d: &str| ReviewForm {
            id: ProductId(uuid::Uuid::nil()),
            decision: d.into(),
            reason: None,
        };
        assert_eq!(form("approve").decision(), Ok(Decision::Approve));
        assert_eq!(form("reject").decision(), Ok(Decision::Reject));
        assert!(form("approved").decision().is_err());
    }
}
