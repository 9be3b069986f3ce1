//! Display formats shared by pages.

use rust_decimal::Decimal;

/// Percent-encodes a query-string value (names, codes and search words may hold anything).
pub fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// ₩19,900: whole won with thousands separators.
pub fn won(amount: Decimal) -> String {
    let whole = amount.round().to_string();
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(d) => ("-", d.to_owned()),
        None => ("", whole),
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}₩{out}")
}

#[cfg(test)]
mod tests {
    use super::won;
    use rust_decimal::Decimal;

    #[test]
    fn formats_won() {
        assert_eq!(won(Decimal::new(1990000, 2)), "₩19,900");
        assert_eq!(won(Decimal::from(1_234_567)), "₩1,234,567");
        assert_eq!(won(Decimal::from(999)), "₩999");
        assert_eq!(won(Decimal::ZERO), "₩0");
    }
}
