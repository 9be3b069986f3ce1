//! Reading a `Cookie` header and writing `Set-Cookie` values: the one format every cookie of
//! the app uses (site-wide path, SameSite=Lax, Secure behind HTTPS).

/// The values of the cookies named `name` in a `Cookie` header, in order.
pub fn values<'a>(cookie_header: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    cookie_header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .filter(move |(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The value of the first cookie named `name`.
pub fn value<'a>(cookie_header: &'a str, name: &'a str) -> Option<&'a str> {
    values(cookie_header, name).next()
}

/// A `Set-Cookie` value for the whole site (`max_age` 0 forgets the cookie).
pub fn set(name: &str, value: &str, max_age: u32, http_only: bool, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax{}{}",
        if http_only { "; HttpOnly" } else { "" },
        if secure { "; Secure" } else { "" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name_and_written_in_one_format() {
        let header = "a=1; jt=x;b=2; jt=y";
        assert_eq!(values(header, "jt").collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(value(header, "b"), Some("2"));
        assert_eq!(value(header, "c"), None);
        assert_eq!(
            set("jt", "x", 60, true, true),
            "jt=x; Path=/; Max-Age=60; SameSite=Lax; HttpOnly; Secure"
        );
        assert_eq!(
            set("jt", "", 0, false, false),
            "jt=; Path=/; Max-Age=0; SameSite=Lax"
        );
    }
}
