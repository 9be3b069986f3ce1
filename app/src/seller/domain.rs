//! Parsing seller input.

use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;

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
