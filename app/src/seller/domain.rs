//! Parsing seller input.

use super::SellerId;
use crate::identity::domain as idd;
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A Korean business registration number (사업자등록번호): 10 digits, the last a check digit
/// computed with the weights 1,3,7,1,3,7,1,3,5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessNumber(String);

impl BusinessNumber {
    /// Accepts `1234567890` or `123-45-67890`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new("business_number", Msg::ErrBusinessNumber);
        if raw.trim().is_empty() {
            return Err(FieldError::new("business_number", Msg::ErrRequired));
        }
        if !raw
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            return Err(bad());
        }
        let digits: Vec<u32> = raw.chars().filter_map(|c| c.to_digit(10)).collect();
        if digits.len() != 10 {
            return Err(bad());
        }
        const WEIGHTS: [u32; 9] = [1, 3, 7, 1, 3, 7, 1, 3, 5];
        let mut sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
        sum += digits[8] * 5 / 10;
        if (10 - sum % 10) % 10 != digits[9] {
            return Err(bad());
        }
        Ok(Self(
            digits
                .iter()
                .filter_map(|d| char::from_digit(*d, 10))
                .collect(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 0000001237 → 000-00-01237
pub fn format_business_number(digits: &str) -> String {
    if digits.len() == 10 {
        format!("{}-{}-{}", &digits[..3], &digits[3..5], &digits[5..])
    } else {
        digits.to_owned()
    }
}

/// Shows only the last four digits of an account number.
pub fn mask_account(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(|c| c.is_ascii_digit()).collect();
    let tail: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("****{tail}")
}

pub fn parse_business_type(raw: &str) -> Result<&'static str, FieldError> {
    match raw {
        "individual" => Ok("individual"),
        "corporation" => Ok("corporation"),
        _ => Err(FieldError::new("business_type", Msg::ErrRequired)),
    }
}

/// The seller application form, as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub business_name: String,
    pub business_number: String,
    pub business_type: String,
    pub representative_name: String,
    pub business_address: String,
    pub business_phone: String,
    pub bank_name: String,
    pub bank_account_holder: String,
    pub bank_account_number: String,
}

/// An application that passed every rule.
#[derive(Debug, Clone)]
pub struct Application {
    pub business_name: String,
    pub business_number: BusinessNumber,
    pub business_type: &'static str,
    pub representative_name: String,
    pub business_address: String,
    pub business_phone: String,
    pub bank_name: String,
    pub bank_account_holder: String,
    pub bank_account_number: String,
}

impl TryFrom<ApplicationForm> for Application {
    type Error = Vec<FieldError>;

    fn try_from(f: ApplicationForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let business_name = p.check(idd::required_text("business_name", &f.business_name, 255));
        let business_number = p.check(BusinessNumber::parse(&f.business_number));
        let business_type = p.check(parse_business_type(&f.business_type));
        let representative_name = p.check(idd::required_text(
            "representative_name",
            &f.representative_name,
            100,
        ));
        let business_address = p.check(idd::required_text(
            "business_address",
            &f.business_address,
            500,
        ));
        let business_phone = p.check(idd::parse_phone("business_phone", &f.business_phone));
        let bank_name = p.check(idd::required_text("bank_name", &f.bank_name, 100));
        let bank_account_holder = p.check(idd::required_text(
            "bank_account_holder",
            &f.bank_account_holder,
            100,
        ));
        let bank_account_number = p.check(parse_bank_account(&f.bank_account_number));
        p.finish(|| {
            Some(Application {
                business_name: business_name?,
                business_number: business_number?,
                business_type: business_type?,
                representative_name: representative_name?,
                business_address: business_address?,
                business_phone: business_phone?,
                bank_name: bank_name?,
                bank_account_holder: bank_account_holder?,
                bank_account_number: bank_account_number?,
            })
        })
    }
}

/// Digits and dashes, at most 30 characters.
pub fn parse_bank_account(raw: &str) -> Result<String, FieldError> {
    let account = raw.trim();
    if account.is_empty() {
        return Err(FieldError::new("bank_account_number", Msg::ErrRequired));
    }
    if account.len() > 30 || !account.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(FieldError::new("bank_account_number", Msg::ErrBankAccount));
    }
    Ok(account.to_owned())
}

/// A commission rate in percent, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommissionRate(Decimal);

impl CommissionRate {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || FieldError::new("commission_rate", Msg::ErrPercentage);
        let rate: Decimal = raw.trim().parse().map_err(|_| bad())?;
        if rate < Decimal::ZERO || rate > Decimal::ONE_HUNDRED || rate.scale() > 2 {
            return Err(bad());
        }
        Ok(Self(rate))
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

/// The admin's approval form; an empty rate means the configured default.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApprovalForm {
    pub id: SellerId,
    #[serde(default)]
    pub commission_rate: Option<String>,
}

impl ApprovalForm {
    pub fn rate(&self) -> Result<Option<CommissionRate>, FieldError> {
        match self.commission_rate.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(raw) => CommissionRate::parse(raw).map(Some),
        }
    }
}

/// Rejecting or suspending a seller: the reason is shown to the seller.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DecisionForm {
    pub id: SellerId,
    pub reason: String,
}

/// A reason an admin gives: 1 to 1000 characters.
pub fn parse_reason(raw: &str) -> Result<String, FieldError> {
    idd::required_text("reason", raw, 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_is_validated() {
        // Real, published numbers.
        assert_eq!(
            BusinessNumber::parse("000-00-01237").unwrap().as_str(),
            "0000001237"
        );
        assert!(BusinessNumber::parse("220-81-62517").is_ok());
        assert!(BusinessNumber::parse("2208162517").is_ok());
        // One digit off, the check digit catches it.
        assert!(BusinessNumber::parse("124-81-00997").is_err());
        assert!(BusinessNumber::parse("1234567890").is_err());
        // Shape errors.
        assert!(BusinessNumber::parse("12345").is_err());
        assert!(BusinessNumber::parse("124-81-0099a").is_err());
        assert_eq!(BusinessNumber::parse("").unwrap_err().msg, Msg::ErrRequired);
        #[cfg(feature = "ssr")]
        for _ in 0..100 {
            let n = crate::platform::testing::business_number();
            assert!(BusinessNumber::parse(&n).is_ok(), "{n}");
        }
    }

    #[test]
    fn formatting_and_masking() {
        assert_eq!(format_business_number("0000001237"), "000-00-01237");
        assert_eq!(mask_account("123-456-789012"), "****9012");
    }
}
