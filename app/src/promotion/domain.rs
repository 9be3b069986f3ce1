//! A new coupon as its maker types it.

use super::{DiscountType, Scope};
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::money::Price;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most one coupon may be issued.
pub const MAX_QUANTITY: i32 = 10_000_000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CouponForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    pub discount_type: DiscountType,
    #[serde(default)]
    pub discount_value: String,
    #[serde(default)]
    pub max_discount_amount: Option<String>,
    #[serde(default)]
    pub min_purchase_amount: Option<String>,
    /// Empty: unlimited.
    #[serde(default)]
    pub total_quantity: Option<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub applicable_to: Scope,
    #[serde(default)]
    pub applicable_ids: Vec<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCoupon {
    pub code: String,
    pub name: String,
    pub discount_type: DiscountType,
    pub discount_value: Decimal,
    pub max_discount_amount: Option<Decimal>,
    pub min_purchase_amount: Decimal,
    pub total_quantity: Option<i32>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub applicable_to: Scope,
    pub applicable_ids: Vec<Uuid>,
}

fn optional_won(field: &str, raw: Option<&str>) -> Result<Option<Decimal>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => Price::parse(field, r).map(|p| Some(p.get())),
    }
}

impl TryFrom<&CouponForm> for NewCoupon {
    type Error = Vec<FieldError>;

    fn try_from(f: &CouponForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let code = f.code.trim().to_uppercase();
        if code.is_empty()
            || code.len() > 50
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            p.add(FieldError::new("code", Msg::ErrCouponCode));
        }
        let name = p.check(crate::identity::domain::required_text("name", &f.name, 255));
        let value = p.check(Price::parse("discount_value", &f.discount_value).map(Price::get));
        if f.discount_type == DiscountType::Percentage
            && value.is_some_and(|v| v > Decimal::from(100))
        {
            p.add(FieldError::new("discount_value", Msg::ErrCouponPercent));
        }
        let max = p.check(optional_won(
            "max_discount_amount",
            f.max_discount_amount.as_deref(),
        ));
        let min = p.check(optional_won(
            "min_purchase_amount",
            f.min_purchase_amount.as_deref(),
        ));
        let quantity = match f
            .total_quantity
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(None),
            Some(raw) => p.check(
                crate::inventory::domain::quantity("total_quantity", raw).and_then(|q| {
                    if q > MAX_QUANTITY {
                        Err(FieldError::new("total_quantity", Msg::ErrQuantityTooLarge))
                    } else {
                        Ok(Some(q))
                    }
                }),
            ),
        };
        if f.valid_until <= f.valid_from {
            p.add(FieldError::new("valid_until", Msg::ErrCouponWindow));
        }
        if f.applicable_to != Scope::All && f.applicable_ids.is_empty() {
            p.add(FieldError::new("applicable_ids", Msg::ErrCouponScope));
        }
        if f.applicable_ids.len() > 100 {
            p.add(FieldError::new("applicable_ids", Msg::ErrCouponScope));
        }
        p.finish(|| {
            Some(NewCoupon {
                code,
                name: name?,
                discount_type: f.discount_type,
                discount_value: value?,
                max_discount_amount: max?,
                min_purchase_amount: min?.unwrap_or(Decimal::ZERO),
                total_quantity: quantity?,
                valid_from: f.valid_from,
                valid_until: f.valid_until,
                applicable_to: f.applicable_to,
                applicable_ids: if f.applicable_to == Scope::All {
                    Vec::new()
                } else {
                    f.applicable_ids.clone()
                },
            })
        })
    }
}
