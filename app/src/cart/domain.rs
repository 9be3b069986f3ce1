//! What a shopper submits to the cart, parsed into what to add or change.

use super::{CartItemId, MAX_QUANTITY};
use crate::catalog::{ProductId, VariantId};
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::once::FormToken;
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// Which button sent the product form.
    pub enum Intent {
        /// "장바구니": add and go to the cart.
        Cart = "cart",
        /// "바로 구매": add and go straight to checkout.
        Buy = "buy",
    }
}

/// A line quantity: 1 ..= `MAX_QUANTITY`.
pub fn line_quantity(field: &str, raw: &str) -> Result<i32, FieldError> {
    let q = crate::inventory::domain::quantity(field, raw)?;
    if q > MAX_QUANTITY {
        return Err(FieldError::new(field, Msg::ErrCartQuantityMax));
    }
    Ok(q)
}

/// The product page's form. A product with options sends one value per option (`o1`, `o2`,
/// `o3`, in the product's option order); one without sends the variant it lists.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AddToCartForm {
    pub product_id: ProductId,
    /// A double click adds once (`OnceField`).
    pub once: FormToken,
    #[serde(default)]
    pub variant_id: Option<String>,
    #[serde(default)]
    pub o1: Option<String>,
    #[serde(default)]
    pub o2: Option<String>,
    #[serde(default)]
    pub o3: Option<String>,
    #[serde(default)]
    pub quantity: String,
    #[serde(default = "default_intent")]
    pub intent: Intent,
}

fn default_intent() -> Intent {
    Intent::Cart
}

/// The option most products have is the variant itself, or its option values in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Variant(VariantId),
    Options(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLine {
    pub product: ProductId,
    pub choice: Choice,
    pub quantity: i32,
    pub intent: Intent,
}

impl TryFrom<&AddToCartForm> for NewLine {
    type Error = Vec<FieldError>;

    fn try_from(f: &AddToCartForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let quantity = p.check(line_quantity("quantity", &f.quantity));
        let values: Vec<String> = [&f.o1, &f.o2, &f.o3]
            .into_iter()
            .map_while(|v| v.as_deref().map(str::trim).filter(|v| !v.is_empty()))
            .map(str::to_owned)
            .collect();
        let choice = match f
            .variant_id
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(raw) => p.check(
                raw.parse::<VariantId>()
                    .map(Choice::Variant)
                    .map_err(|_| FieldError::new("variant_id", Msg::ErrCartPickOption)),
            ),
            None if values.is_empty() => {
                p.add(FieldError::new("variant_id", Msg::ErrCartPickOption));
                None
            }
            None => Some(Choice::Options(values)),
        };
        p.finish(|| {
            Some(NewLine {
                product: f.product_id,
                choice: choice?,
                quantity: quantity?,
                intent: f.intent,
            })
        })
    }
}

/// A new quantity for one line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateLineForm {
    pub id: CartItemId,
    #[serde(default)]
    pub quantity: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineChange {
    pub id: CartItemId,
    pub quantity: i32,
}

impl TryFrom<&UpdateLineForm> for LineChange {
    type Error = Vec<FieldError>;

    fn try_from(f: &UpdateLineForm) -> Result<Self, Self::Error> {
        Ok(LineChange {
            id: f.id,
            quantity: line_quantity("quantity", &f.quantity).map_err(|e| vec![e])?,
        })
    }
}

/// Removes one line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RemoveLineForm {
    pub id: CartItemId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(quantity: &str) -> AddToCartForm {
        AddToCartForm {
            product_id: ProductId(uuid::Uuid::nil()),
            once: FormToken::default(),
            variant_id: None,
            o1: Some("빨강".into()),
            o2: Some(" L ".into()),
            o3: Some(String::new()),
            quantity: quantity.into(),
            intent: Intent::Buy,
        }
    }

    #[test]
    fn option_values_are_read_in_order_and_trimmed() {
        let line = NewLine::try_from(&form("2")).unwrap();
        assert_eq!(
            line.choice,
            Choice::Options(vec!["빨강".into(), "L".into()])
        );
        assert_eq!((line.quantity, line.intent), (2, Intent::Buy));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut f = form("1000");
        f.o1 = None;
        let errors = NewLine::try_from(&f).unwrap_err();
        let fields: Vec<(&str, Msg)> = errors.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(
            fields,
            [
                ("quantity", Msg::ErrCartQuantityMax),
                ("variant_id", Msg::ErrCartPickOption)
            ]
        );
    }

    #[test]
    fn an_unknown_intent_fails_loudly() {
        let err = serde_json::from_value::<Intent>(serde_json::json!("wish")).unwrap_err();
        assert!(err.to_string().contains("unknown Intent"), "{err}");
    }
}
