//! Display formats shared by pages.

use rust_decimal::Decimal;

/// Percent-encodes a query-string value (names, codes and search words may hold anything).
pub fn query_value(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// ₩19,900: whole won with thousands separators. Every card shows one or two prices, so
/// this writes the digits straight into one string.
pub fn won(amount: Decimal) -> String {
    let rounded = amount.round();
    let whole = rounded.mantissa() / 10i128.pow(rounded.scale());
    let digits = whole.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    if whole < 0 {
        out.push('-');
    }
    out.push('₩');
    for (i, c) in digits.bytes().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{query_value, won};
    use rust_decimal::Decimal;

    #[test]
    fn encodes_query_values() {
        assert_eq!(query_value("abc-1_2.3~"), "abc-1_2.3~");
        assert_eq!(
            query_value("색상:빨강 &"),
            "%EC%83%89%EC%83%81%3A%EB%B9%A8%EA%B0%95%20%26"
        );
    }

    #[test]
    fn formats_won() {
        assert_eq!(won(Decimal::new(1990000, 2)), "₩19,900");
        assert_eq!(won(Decimal::from(1_234_567)), "₩1,234,567");
        assert_eq!(won(Decimal::from(999)), "₩999");
        assert_eq!(won(Decimal::ZERO), "₩0");
        assert_eq!(won(Decimal::from(-1_500)), "-₩1,500");
        assert_eq!(won(Decimal::new(99_995, 2)), "₩1,000");
        assert_eq!(won(Decimal::from(1_000_000)), "₩1,000,000");
    }
}
