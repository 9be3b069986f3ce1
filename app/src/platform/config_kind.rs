//! What a system config value is, shared by the registry and the admin form: the kind decides
//! the input shown, how typed text becomes the stored JSON, and how a stored value is shown.

use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;
use rust_decimal::Decimal;
use serde_json::Value;

crate::code_enum! {
    /// The input a config key takes.
    pub enum ConfigKind {
        /// Whole won, stored as a decimal string.
        Money = "money",
        /// 0–100 with up to two decimals, stored as a decimal string.
        Percent = "percent",
        /// A whole number > 0.
        Count = "count",
        /// A duration in seconds (> 0).
        Seconds = "seconds",
        /// A duration in minutes (> 0).
        Minutes = "minutes",
        Boolean = "boolean",
        Text = "text",
    }
}

crate::code_enum! {
    /// The group a key is listed under.
    pub enum ConfigCategory {
        Shop = "shop",
        Shipping = "shipping",
        Settlement = "settlement",
        Tickets = "tickets",
        Users = "users",
        Security = "security",
    }
}

impl ConfigCategory {
    pub fn label(self) -> Msg {
        match self {
            Self::Shop => Msg::ConfigCatShop,
            Self::Shipping => Msg::ConfigCatShipping,
            Self::Settlement => Msg::ConfigCatSettlement,
            Self::Tickets => Msg::ConfigCatTickets,
            Self::Users => Msg::ConfigCatUsers,
            Self::Security => Msg::ConfigCatSecurity,
        }
    }
}

/// Longest text value.
pub const MAX_TEXT: usize = 500;
/// Largest whole number a count or duration takes (a typo guard, not a business limit).
pub const MAX_COUNT: i64 = 1_000_000_000;

impl ConfigKind {
    /// The unit shown after the input.
    pub fn unit(self) -> Option<Msg> {
        match self {
            Self::Money => Some(Msg::UnitWon),
            Self::Percent => Some(Msg::UnitPercent),
            Self::Seconds => Some(Msg::UnitSeconds),
            Self::Minutes => Some(Msg::UnitMinutes),
            Self::Count | Self::Boolean | Self::Text => None,
        }
    }

    /// Typed text (a form field) → the stored value. Errors name the field `value`.
    pub fn from_input(self, raw: &str) -> Result<Value, FieldError> {
        let raw = raw.trim();
        let bad = |msg| FieldError::new("value", msg);
        match self {
            Self::Money => {
                let n = crate::platform::money::amount("value", raw).map_err(|e| match e.msg {
                    Msg::ErrPriceTooHigh => e,
                    _ => bad(Msg::ErrConfigMoney),
                })?;
                Ok(Value::String(n.to_string()))
            }
            Self::Percent => {
                let n: Decimal = raw
                    .trim_end_matches('%')
                    .trim()
                    .parse()
                    .map_err(|_| bad(Msg::ErrConfigPercent))?;
                if n < Decimal::ZERO || n > Decimal::ONE_HUNDRED || n.scale() > 2 {
                    return Err(bad(Msg::ErrConfigPercent));
                }
                Ok(Value::String(format!("{:.2}", n)))
            }
            Self::Count | Self::Seconds | Self::Minutes => {
                let n: i64 = raw
                    .replace(',', "")
                    .parse()
                    .map_err(|_| bad(Msg::ErrConfigPositive))?;
                if n <= 0 || n > MAX_COUNT {
                    return Err(bad(Msg::ErrConfigPositive));
                }
                Ok(Value::from(n))
            }
            Self::Boolean => match raw {
                "true" | "on" => Ok(Value::Bool(true)),
                "false" | "off" | "" => Ok(Value::Bool(false)),
                _ => Err(bad(Msg::ErrConfigBoolean)),
            },
            Self::Text => {
                if raw.chars().count() > MAX_TEXT {
                    return Err(bad(Msg::ErrTooLong));
                }
                if raw.chars().any(|c| c.is_control()) {
                    return Err(bad(Msg::ErrConfigText));
                }
                Ok(Value::String(raw.to_owned()))
            }
        }
    }

    /// A stored value as the input shows it (and as `from_input` takes it back).
    pub fn to_input(self, v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_the_stored_value_or_a_message() {
        use ConfigKind::*;
        assert_eq!(
            Money.from_input("3,500원").unwrap(),
            Value::String("3500".into())
        );
        assert_eq!(Money.from_input("0").unwrap(), Value::String("0".into()));
        assert_eq!(Money.from_input("-1").unwrap_err().msg, Msg::ErrConfigMoney);
        assert_eq!(
            Money.from_input("12.5").unwrap_err().msg,
            Msg::ErrConfigMoney
        );
        assert_eq!(
            Money.from_input("삼천원").unwrap_err().msg,
            Msg::ErrConfigMoney
        );
        assert_eq!(
            Percent.from_input("12.5%").unwrap(),
            Value::String("12.50".into())
        );
        assert_eq!(
            Percent.from_input("100.01").unwrap_err().msg,
            Msg::ErrConfigPercent
        );
        assert_eq!(
            Percent.from_input("1.234").unwrap_err().msg,
            Msg::ErrConfigPercent
        );
        assert_eq!(Seconds.from_input(" 1,200 ").unwrap(), Value::from(1200));
        assert_eq!(
            Count.from_input("0").unwrap_err().msg,
            Msg::ErrConfigPositive
        );
        assert_eq!(
            Count.from_input("abc").unwrap_err().msg,
            Msg::ErrConfigPositive
        );
        assert_eq!(Boolean.from_input("on").unwrap(), Value::Bool(true));
        assert_eq!(Boolean.from_input("").unwrap(), Value::Bool(false));
        assert_eq!(
            Boolean.from_input("yes").unwrap_err().msg,
            Msg::ErrConfigBoolean
        );
        assert_eq!(
            Text.from_input("a\u{0}b").unwrap_err().msg,
            Msg::ErrConfigText
        );
        for (kind, raw) in [(Money, "3000"), (Percent, "10.00"), (Minutes, "15")] {
            assert_eq!(kind.to_input(&kind.from_input(raw).unwrap()), raw);
        }
    }
}
