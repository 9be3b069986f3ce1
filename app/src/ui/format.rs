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

/// `base?k=v&...` with the non-empty pairs encoded; just `base` when all are empty.
pub fn href(base: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", query_value(v)))
        .collect();
    if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// ₩19,900: whole won with thousands separators.
pub fn won(amount: Decimal) -> String {
    let mut out = String::with_capacity(16);
    write_won(&mut out, amount);
    out
}

/// `won`, appended to `out`: listings write every card's prices into one buffer.
pub fn write_won(out: &mut String, amount: Decimal) {
    let rounded = amount.round();
    let whole = rounded.mantissa() / 10i128.pow(rounded.scale());
    let mut digits = [0u8; 40];
    let mut n = whole.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if whole < 0 {
        out.push('-');
    }
    out.push('₩');
    for i in (0..len).rev() {
        out.push(digits[i] as char);
        if i > 0 && i.is_multiple_of(3) {
            out.push(',');
        }
    }
}

/// Korea Standard Time. Korea has kept UTC+9 without daylight saving since 1988, so a fixed
/// offset is exact, and the server and an island in the browser render the same text. Users are shown times in Seoul until accounts have a zone of their own.
pub fn seoul() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(9 * 3600).expect("a valid offset")
}

/// A moment as a Seoul wall-clock time, `pattern` in chrono's syntax.
pub fn local(at: chrono::DateTime<chrono::Utc>, pattern: &str) -> String {
    at.with_timezone(&seoul()).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::{href, local, query_value, won};

    #[test]
    fn times_show_in_seoul() {
        let at: chrono::DateTime<chrono::Utc> = "2026-12-01T15:30:00Z".parse().unwrap();
        assert_eq!(local(at, "%Y-%m-%d %H:%M"), "2026-12-02 00:30");
    }
    use rust_decimal::Decimal;

    #[test]
    fn links_keep_only_the_filters_in_use() {
        assert_eq!(
            href("/admin/users", &[("q", ""), ("role", "")]),
            "/admin/users"
        );
        assert_eq!(
            href("/admin/users", &[("q", "김 철"), ("page", "2")]),
            "/admin/users?q=%EA%B9%80%20%EC%B2%A0&page=2"
        );
    }

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
