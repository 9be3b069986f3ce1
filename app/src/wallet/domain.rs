//! Point amounts as a shopper types them.

use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;
use crate::platform::money::Price;
use crate::platform::once::FormToken;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The least one charge may buy.
pub const MIN_CHARGE: i64 = 1_000;
/// The most one charge may buy; Korean prepaid-point rules cap a balance's top-up per charge.
pub const MAX_CHARGE: i64 = 2_000_000;

/// Points to spend at checkout: empty is none; otherwise a whole, positive amount.
pub fn points_to_use(field: &str, raw: Option<&str>) -> Result<Decimal, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Decimal::ZERO),
        Some("0") => Ok(Decimal::ZERO),
        Some(raw) => Price::parse(field, raw)
            .map(Price::get)
            .map_err(|e| FieldError::new(field, points_msg(e.msg))),
    }
}

/// A price error said about points.
fn points_msg(msg: Msg) -> Msg {
    match msg {
        Msg::ErrPriceTooHigh => Msg::ErrPointsTooHigh,
        _ => Msg::ErrPointsAmount,
    }
}

/// "포인트 충전": buy points by card.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChargeForm {
    /// A double submit starts one charge (`OnceField`).
    pub once: FormToken,
    #[serde(default)]
    pub amount: String,
}

/// A charge amount, `MIN_CHARGE ..= MAX_CHARGE` whole won.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChargeAmount(Decimal);

impl ChargeAmount {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let n = Price::parse(field, raw)
            .map_err(|e| FieldError::new(field, points_msg(e.msg)))?
            .get();
        if n < Decimal::from(MIN_CHARGE) {
            Err(FieldError::new(field, Msg::ErrChargeTooLow))
        } else if n > Decimal::from(MAX_CHARGE) {
            Err(FieldError::new(field, Msg::ErrChargeTooHigh))
        } else {
            Ok(Self(n))
        }
    }

    pub fn get(self) -> Decimal {
        self.0
    }
}

impl TryFrom<&ChargeForm> for ChargeAmount {
    type Error = Vec<FieldError>;

    fn try_from(f: &ChargeForm) -> Result<Self, Self::Error> {
        Self::parse("amount", &f.amount).map_err(|e| vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_to_use_reads_empty_as_none_and_refuses_fractions() {
        assert_eq!(points_to_use("p", None).unwrap(), Decimal::ZERO);
        assert_eq!(points_to_use("p", Some(" ")).unwrap(), Decimal::ZERO);
        assert_eq!(points_to_use("p", Some("0")).unwrap(), Decimal::ZERO);
        assert_eq!(
            points_to_use("p", Some("3,000")).unwrap(),
            Decimal::from(3000)
        );
        assert_eq!(
            points_to_use("p", Some("1.5")).unwrap_err().msg,
            Msg::ErrPointsAmount
        );
        assert_eq!(
            points_to_use("p", Some("-5")).unwrap_err().msg,
            Msg::ErrPointsAmount
        );
        assert_eq!(
            points_to_use("p", Some("999999999999")).unwrap_err().msg,
            Msg::ErrPointsTooHigh
        );
    }

    #[test]
    fn charge_is_bounded() {
        assert_eq!(
            ChargeAmount::parse("a", "999").unwrap_err().msg,
            Msg::ErrChargeTooLow
        );
        assert_eq!(
            ChargeAmount::parse("a", "2,000,001").unwrap_err().msg,
            Msg::ErrChargeTooHigh
        );
        assert_eq!(
            ChargeAmount::parse("a", "10000원").unwrap().get(),
            Decimal::from(10_000)
        );
    }
}
