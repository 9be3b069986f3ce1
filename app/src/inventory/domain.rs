//! Stock quantities as the seller types them, parsed once with a message that says what is
//! wrong: not a whole number, too small, or past the bounds that keep `i32` arithmetic safe.

use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;

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

/// Checks an amount that arrived already typed (REST).
pub fn bounded(field: &str, n: i32) -> Result<i32, FieldError> {
    quantity(field, &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
