//! Markup written straight into a string, for the regions that are rendered as one piece of
//! HTML (see `ServerHtml`). Every value from data goes through `text` or `attr`.

/// Appends `s` as element content: `&`, `<` and `>` escaped.
pub fn text(buf: &mut String, s: &str) {
    escape::<false>(buf, s);
}

/// Appends `s` as a double-quoted attribute value: `&`, `"`, `<` and `>` escaped.
pub fn attr(buf: &mut String, s: &str) {
    escape::<true>(buf, s);
}

/// Copies runs of plain text in one go; only the characters to escape are replaced.
fn escape<const ATTR: bool>(buf: &mut String, s: &str) {
    let mut plain = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        // Everything to escape is at or below '>': letters and every byte of a multi-byte
        // character (Korean) skip the match.
        if b > b'>' {
            continue;
        }
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if ATTR => "&quot;",
            _ => continue,
        };
        // The byte is ASCII, so `i` is a character boundary.
        buf.push_str(&s[plain..i]);
        buf.push_str(entity);
        plain = i + 1;
    }
    buf.push_str(&s[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        let mut out = String::new();
        text(&mut out, "<script>\"톰 & 제리\"</script>");
        assert_eq!(out, "&lt;script&gt;\"톰 &amp; 제리\"&lt;/script&gt;");
        out.clear();
        attr(&mut out, "a\" onmouseover=\"x'&<");
        assert_eq!(out, "a&quot; onmouseover=&quot;x'&amp;&lt;");
        out.clear();
        text(&mut out, "린넨 셔츠");
        attr(&mut out, "");
        assert_eq!(out, "린넨 셔츠");
    }
}
