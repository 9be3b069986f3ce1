//! Where a redirect may go after a form (language switch, sign-in): a path on this site only,
//! so `next=` can never become an open redirect.

/// `next` if it is a path on this site, else `/`.
///
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example`
/// would become `//evil.example`, another site. Any control character, whitespace or
/// backslash is refused, as is a second leading slash.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n[1..].starts_with('/')
                && !n
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            n
        }
        _ => "/",
    }
}

/// `/login?next=…` for the page at `path` (with its query), to come back after signing in.
pub fn login_for(path: &str) -> String {
    if path.is_empty() || path == "/" || path.starts_with("/login") {
        return "/login".into();
    }
    let mut out = String::from("/login?next=");
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{login_for, safe_next};

    #[test]
    fn login_links_carry_the_page_encoded() {
        assert_eq!(
            login_for("/seller/products"),
            "/login?next=/seller/products"
        );
        assert_eq!(
            login_for("/shop?q=머그&x=1"),
            "/login?next=/shop%3Fq%3D%EB%A8%B8%EA%B7%B8%26x%3D1"
        );
        assert_eq!(login_for("/"), "/login");
        assert_eq!(login_for("/login?next=/a"), "/login");
    }

    #[test]
    fn only_same_site_paths_pass() {
        assert_eq!(safe_next(Some("/account?x=1")), "/account?x=1");
        assert_eq!(safe_next(Some("/seller/products")), "/seller/products");
        for evil in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "/ /evil.example",
            "",
            "evil.example",
        ] {
            assert_eq!(safe_next(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
