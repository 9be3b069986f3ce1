//! Display formats shared by pages.

use rust_decimal::Decimal;

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
