//! Stock quantities as the seller types them, parsed once with a message that says what is
//! wrong: not a whole number, too small, or past the bounds that keep `i32` arithmetic safe.

use super::SkuId;
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::once::FormToken;
use serde::{Deserialize, Serialize};

/// The most one receipt, adjustment or reservation line may move.
pub const MAX_MOVE: i32 = 1_000_000;
/// The most one SKU may hold. With `MAX_MOVE`, `stock + quantity` can never overflow.
pub const MAX_STOCK: i32 = 100_000_000;

fn whole(field: &str, raw: &str) -> Result<i64, FieldError> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return Err(FieldError::new(field, Msg::ErrRequired));
    }
    // Digits only (with an optional sign), so "1.5" and "1e3" are not whole numbers; a
    // 30-digit number is simply too large, not unreadable.
    let digits = cleaned.strip_prefix(['-', '+']).unwrap_or(&cleaned);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(field, Msg::ErrWholeNumber));
    }
    Ok(cleaned
        .parse::<i64>()
        .unwrap_or(if cleaned.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        }))
}

/// A positive quantity, at most `MAX_MOVE`.
pub fn quantity(field: &str, raw: &str) -> Result<i32, FieldError> {
    match whole(field, raw)? {
        n if n < 1 => Err(FieldError::new(field, Msg::ErrQuantity)),
        n if n > i64::from(MAX_MOVE) => Err(FieldError::new(field, Msg::ErrQuantityTooLarge)),
        n => Ok(n as i32),
    }
}

/// A non-zero change of stock, at most `MAX_MOVE` either way.
pub fn delta(field: &str, raw: &str) -> Result<i32, FieldError> {
    match whole(field, raw)? {
        0 => Err(FieldError::new(field, Msg::ErrDeltaZero)),
        n if n.abs() > i64::from(MAX_MOVE) => Err(FieldError::new(field, Msg::ErrQuantityTooLarge)),
        n => Ok(n as i32),
    }
}

/// The stock a new product or SKU starts with: empty is 0, at most `MAX_MOVE`.
pub fn opening_stock(field: &str, raw: Option<&str>) -> Result<i32, FieldError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(0);
    };
    match whole(field, raw)? {
        n if n < 0 => Err(FieldError::new(field, Msg::ErrNotNegative)),
        n if n > i64::from(MAX_MOVE) => Err(FieldError::new(field, Msg::ErrQuantityTooLarge)),
        n => Ok(n as i32),
    }
}

/// "입고": stock received for one SKU.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReceiveForm {
    pub sku_id: SkuId,
    /// A double submit records one receipt (`OnceField`).
    pub once: FormToken,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub quantity: i32,
    pub reference: Option<String>,
}

impl TryFrom<&ReceiveForm> for Receipt {
    type Error = Vec<FieldError>;

    fn try_from(f: &ReceiveForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let quantity = p.check(quantity("quantity", &f.quantity));
        let reference = p.check(crate::identity::domain::optional_text(
            "reference",
            f.reference.as_deref(),
            255,
        ));
        p.finish(|| {
            Some(Receipt {
                quantity: quantity?,
                reference: reference?,
            })
        })
    }
}

/// "조정": a correction of one SKU's stock, with the reason.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AdjustForm {
    pub sku_id: SkuId,
    /// A double submit adjusts once (`OnceField`).
    pub once: FormToken,
    #[serde(default)]
    pub delta: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub delta: i32,
    pub reason: String,
}

impl TryFrom<&AdjustForm> for Adjustment {
    type Error = Vec<FieldError>;

    fn try_from(f: &AdjustForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let delta = p.check(delta("delta", &f.delta));
        let reason = p.check(crate::identity::domain::required_text(
            "reason", &f.reason, 500,
        ));
        p.finish(|| {
            Some(Adjustment {
                delta: delta?,
                reason: reason?,
            })
        })
    }
}

/// A new SKU as the REST body gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSku {
    pub code: String,
    pub name: String,
    pub initial_stock: i32,
}

impl NewSku {
    pub fn parse(code: &str, name: &str, initial_stock: i32) -> Result<Self, Vec<FieldError>> {
        use crate::identity::domain::required_text;
        let mut p = Problems::default();
        let code = p.check(required_text("code", code, 100));
        let name = p.check(required_text("name", name, 255));
        let initial_stock = p.check(opening_stock(
            "initialStock",
            Some(&initial_stock.to_string()),
        ));
        p.finish(|| {
            Some(NewSku {
                code: code?,
                name: name?,
                initial_stock: initial_stock?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_stock_may_be_zero_and_says_what_is_wrong() {
        let msg = |raw: &str| opening_stock("initial_stock", Some(raw)).unwrap_err().msg;
        assert_eq!(opening_stock("initial_stock", None), Ok(0));
        assert_eq!(opening_stock("initial_stock", Some(" ")), Ok(0));
        assert_eq!(opening_stock("initial_stock", Some("0")), Ok(0));
        assert_eq!(opening_stock("initial_stock", Some("1,000")), Ok(1000));
        assert_eq!(msg("-5"), Msg::ErrNotNegative);
        assert_eq!(msg("2147483648"), Msg::ErrQuantityTooLarge);
        assert_eq!(msg("1.5"), Msg::ErrWholeNumber);
    }

    #[test]
    fn quantities_say_what_is_wrong() {
        assert_eq!(quantity("q", " 1,200 "), Ok(1200));
        assert_eq!(quantity("q", "0").unwrap_err().msg, Msg::ErrQuantity);
        assert_eq!(quantity("q", "-3").unwrap_err().msg, Msg::ErrQuantity);
        assert_eq!(quantity("q", "1.5").unwrap_err().msg, Msg::ErrWholeNumber);
        assert_eq!(quantity("q", "abc").unwrap_err().msg, Msg::ErrWholeNumber);
        assert_eq!(quantity("q", "").unwrap_err().msg, Msg::ErrRequired);
        for big in [
            "1000001",
            "2147483648",
            "2147483000",
            "99999999999999999999999",
        ] {
            assert_eq!(
                quantity("q", big).unwrap_err().msg,
                Msg::ErrQuantityTooLarge,
                "{big}"
            );
        }
        assert_eq!(delta("d", "-5"), Ok(-5));
        assert_eq!(delta("d", "0").unwrap_err().msg, Msg::ErrDeltaZero);
        assert_eq!(
            delta("d", "-2147483648").unwrap_err().msg,
            Msg::ErrQuantityTooLarge
        );
    }
}
