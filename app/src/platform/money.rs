//! Money as sellers type it: whole won, positive and bounded. Every form and REST body that
//! carries a price parses into these types, so `1.5`, `0`, `-19900` or a 17-digit number
//! never reach a product; each refusal says what is wrong on its field.

use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most a product, a variant or an extra price may cost: ₩100,000,000.
pub const MAX_WON: i64 = 100_000_000;

fn max() -> Decimal {
    Decimal::from(MAX_WON)
}

/// A price in whole won, 1 ..= `MAX_WON`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Price(Decimal);

/// A variant's extra price in whole won, -`MAX_WON` ..= `MAX_WON` (0 when left empty). The
/// variant's own price, base plus this, must still be a `Price`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PriceAdjustment(Decimal);

/// An amount in whole won, 0 ..= `MAX_WON` (a fee or a threshold, where zero means none).
pub fn amount(field: &str, raw: &str) -> Result<Decimal, FieldError> {
    match won(field, raw)? {
        None => Err(FieldError::new(field, Msg::ErrRequired)),
        Some(n) if n < Decimal::ZERO => Err(FieldError::new(field, Msg::ErrAmountNegative)),
        Some(n) if n > max() => Err(FieldError::new(field, Msg::ErrPriceTooHigh)),
        Some(n) => Ok(n.trunc()),
    }
}

/// "19,900", "₩19900" or "19900원" → 19900; signs are kept for adjustments.
fn won(field: &str, raw: &str) -> Result<Option<Decimal>, FieldError> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '₩' | '원' | '+'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let digits = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(FieldError::new(field, Msg::ErrPriceNumber));
    }
    if fraction.chars().any(|c| c != '0') {
        return Err(FieldError::new(field, Msg::ErrPriceWhole));
    }
    // Longer than the bound has digits: too high, whatever it says.
    if whole.trim_start_matches('0').len() > MAX_WON.to_string().len() {
        return Err(FieldError::new(field, Msg::ErrPriceTooHigh));
    }
    let n: Decimal = whole
        .parse()
        .map_err(|_| FieldError::new(field, Msg::ErrPriceNumber))?;
    Ok(Some(if cleaned.starts_with('-') { -n } else { n }))
}

impl Price {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let n = won(field, raw)?.ok_or_else(|| FieldError::new(field, Msg::ErrRequired))?;
        Self::new(field, n)
    }

    /// Checks an amount that is already a number (a variant's price, a stored value).
    pub fn new(field: &str, n: Decimal) -> Result<Self, FieldError> {
        if n.fract() != Decimal::ZERO {
            Err(FieldError::new(field, Msg::ErrPriceWhole))
        } else if n <= Decimal::ZERO {
            Err(FieldError::new(field, Msg::ErrPricePositive))
        } else if n > max() {
            Err(FieldError::new(field, Msg::ErrPriceTooHigh))
        } else {
            Ok(Self(n))
        }
    }

    pub fn get(self) -> Decimal {
        self.0
    }
}

impl PriceAdjustment {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        match won(field, raw)? {
            None => Ok(Self(Decimal::ZERO)),
            Some(n) if n.abs() > max() => Err(FieldError::new(field, Msg::ErrPriceTooHigh)),
            Some(n) => Ok(Self(n)),
        }
    }

    pub fn get(self) -> Decimal {
        self.0
    }

    /// The variant's price: base plus this, itself a valid price.
    pub fn apply(self, field: &str, base: Decimal) -> Result<Price, FieldError> {
        Price::new(field, base + self.0).map_err(|e| match e.msg {
            Msg::ErrPricePositive => FieldError::new(field, Msg::ErrVariantPrice),
            _ => e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg<T: std::fmt::Debug>(r: Result<T, FieldError>) -> Msg {
        r.unwrap_err().msg
    }

    #[test]
    fn prices_are_whole_positive_won_within_bounds() {
        assert_eq!(
            Price::parse("p", "19,900").unwrap().get(),
            Decimal::from(19_900)
        );
        assert_eq!(
            Price::parse("p", "₩19900").unwrap().get(),
            Decimal::from(19_900)
        );
        assert_eq!(
            Price::parse("p", "19900원").unwrap().get(),
            Decimal::from(19_900)
        );
        assert_eq!(
            Price::parse("p", "19900.00").unwrap().get(),
            Decimal::from(19_900)
        );
        assert_eq!(msg(Price::parse("p", "1.5")), Msg::ErrPriceWhole);
        assert_eq!(msg(Price::parse("p", "0")), Msg::ErrPricePositive);
        assert_eq!(msg(Price::parse("p", "-19900")), Msg::ErrPricePositive);
        assert_eq!(msg(Price::parse("p", "")), Msg::ErrRequired);
        assert_eq!(msg(Price::parse("p", "abc")), Msg::ErrPriceNumber);
        assert_eq!(msg(Price::parse("p", "1e5")), Msg::ErrPriceNumber);
        assert_eq!(msg(Price::parse("p", "100000001")), Msg::ErrPriceTooHigh);
        assert_eq!(
            msg(Price::parse("p", "12345678901234567")),
            Msg::ErrPriceTooHigh
        );
        assert_eq!(
            Price::parse("p", "100000000").unwrap().get(),
            Decimal::from(MAX_WON)
        );
    }

    #[test]
    fn adjustments_keep_the_variant_price_valid() {
        let base = Decimal::from(19_900);
        assert_eq!(
            PriceAdjustment::parse("a", "").unwrap().get(),
            Decimal::ZERO
        );
        assert_eq!(
            PriceAdjustment::parse("a", "+1,000").unwrap().get(),
            Decimal::from(1_000)
        );
        assert_eq!(msg(PriceAdjustment::parse("a", "1.5")), Msg::ErrPriceWhole);
        assert_eq!(
            msg(PriceAdjustment::parse("a", "2147483648")),
            Msg::ErrPriceTooHigh
        );
        let minus = PriceAdjustment::parse("a", "-19900").unwrap();
        assert_eq!(msg(minus.apply("a", base)), Msg::ErrVariantPrice);
        let plus = PriceAdjustment::parse("a", "100000000").unwrap();
        assert_eq!(msg(plus.apply("a", base)), Msg::ErrPriceTooHigh);
        let ok = PriceAdjustment::parse("a", "-900").unwrap();
        assert_eq!(ok.apply("a", base).unwrap().get(), Decimal::from(19_000));
    }
}
