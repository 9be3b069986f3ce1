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

/// The console's "쿠폰 만들기" form: the same coupon, with times as a `datetime-local` input
/// types them (Seoul time) and one target picked from a list.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CouponPageForm {
    /// A double submit makes one coupon (`OnceField`).
    pub once: crate::platform::once::FormToken,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    pub discount_type: DiscountType,
    #[serde(default)]
    pub discount_value: String,
    #[serde(default)]
    pub max_discount_amount: String,
    #[serde(default)]
    pub min_purchase_amount: String,
    /// Empty: unlimited.
    #[serde(default)]
    pub total_quantity: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_until: String,
    /// `all`, or `{scope}:{id}` (`category:…`, `seller:…`, `product:…`).
    #[serde(default)]
    pub target: String,
}

/// A `datetime-local` value (`2026-12-24T09:00`), read as Seoul time.
pub fn seoul_time(field: &str, raw: &str) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| FieldError::new(field, Msg::ErrDateTime))?;
    naive
        .and_local_timezone(crate::ui::format::seoul())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| FieldError::new(field, Msg::ErrDateTime))
}

/// A console target: everything, or one category, seller or product.
pub fn target(raw: &str) -> Result<(Scope, Vec<Uuid>), FieldError> {
    let raw = raw.trim();
    if raw == Scope::All.as_str() {
        return Ok((Scope::All, Vec::new()));
    }
    let bad = || FieldError::new("target", Msg::ErrCouponScope);
    let (scope, id) = raw.split_once(':').ok_or_else(bad)?;
    let scope = Scope::parse(scope).ok_or_else(bad)?;
    let id: Uuid = id.parse().map_err(|_| bad())?;
    if scope == Scope::All {
        return Err(bad());
    }
    Ok((scope, vec![id]))
}

impl TryFrom<&CouponPageForm> for NewCoupon {
    type Error = Vec<FieldError>;

    fn try_from(f: &CouponPageForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let from = p.check(seoul_time("valid_from", &f.valid_from));
        let until = p.check(seoul_time("valid_until", &f.valid_until));
        let target = p.check(target(&f.target));
        let some = |s: &str| Some(s.to_owned());
        // The rest is the REST form's rules; a time that did not parse is checked there as
        // a placeholder, and its window error dropped.
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        let (scope, ids) = target.clone().unwrap_or((Scope::All, Vec::new()));
        let rest = NewCoupon::try_from(&CouponForm {
            code: f.code.clone(),
            name: f.name.clone(),
            discount_type: f.discount_type,
            discount_value: f.discount_value.clone(),
            max_discount_amount: some(&f.max_discount_amount),
            min_purchase_amount: some(&f.min_purchase_amount),
            total_quantity: some(&f.total_quantity),
            valid_from: from.unwrap_or(epoch),
            valid_until: until.unwrap_or(epoch + chrono::Duration::seconds(1)),
            applicable_to: scope,
            applicable_ids: ids,
        });
        let mut errors = p.finish(|| Some(())).err().unwrap_or_default();
        match rest {
            Ok(new) if errors.is_empty() => Ok(new),
            Ok(_) => Err(errors),
            Err(more) => {
                let times_ok = from.is_some() && until.is_some();
                errors.extend(more.into_iter().filter(|e| {
                    times_ok || e.field != "valid_until" || e.msg != Msg::ErrCouponWindow
                }));
                Err(errors)
            }
        }
    }
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

/// A positive whole amount of won, said about a coupon rather than a price.
fn amount(field: &str, raw: &str) -> Result<Decimal, FieldError> {
    Price::parse(field, raw)
        .map(Price::get)
        .map_err(|e| match e.msg {
            Msg::ErrPricePositive => FieldError::new(field, Msg::ErrCouponValue),
            _ => e,
        })
}

fn optional_won(field: &str, raw: Option<&str>) -> Result<Option<Decimal>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(r) => amount(field, r).map(Some),
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
        let value = p.check(amount("discount_value", &f.discount_value));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CouponPageForm {
        CouponPageForm {
            once: crate::platform::once::FormToken(uuid::Uuid::nil().to_string()),
            code: " xmas-10 ".into(),
            name: "크리스마스 10%".into(),
            discount_type: DiscountType::Percentage,
            discount_value: "10".into(),
            max_discount_amount: "5,000".into(),
            min_purchase_amount: "".into(),
            total_quantity: "".into(),
            valid_from: "2026-12-24T09:00".into(),
            valid_until: "2026-12-26T00:00".into(),
            target: "all".into(),
        }
    }

    #[test]
    fn the_console_form_reads_seoul_times_and_one_target() {
        let new = NewCoupon::try_from(&form()).unwrap();
        assert_eq!(new.code, "XMAS-10");
        assert_eq!(new.valid_from.to_rfc3339(), "2026-12-24T00:00:00+00:00");
        assert_eq!(new.total_quantity, None, "empty is unlimited");
        assert_eq!(new.max_discount_amount, Some(Decimal::from(5_000)));
        let id = Uuid::new_v4();
        let mut f = form();
        f.target = format!("category:{id}");
        let new = NewCoupon::try_from(&f).unwrap();
        assert_eq!(
            (new.applicable_to, new.applicable_ids),
            (Scope::Category, vec![id])
        );
    }

    #[test]
    fn the_console_form_names_every_bad_field() {
        let mut f = form();
        f.valid_from = "tomorrow".into();
        f.target = "planet:mars".into();
        f.discount_value = "150".into();
        let errors = NewCoupon::try_from(&f).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["valid_from", "target", "discount_value"],
            "{errors:?}"
        );
        let mut f = form();
        f.valid_until = "2026-12-01T00:00".into();
        let errors = NewCoupon::try_from(&f).unwrap_err();
        assert_eq!(errors[0].msg, Msg::ErrCouponWindow);
    }
}
