//! Notice bodies: Markdown rendered by pulldown-cmark, then sanitised by ammonia, so no raw
//! HTML an author typed (a `<script>`, an `onclick`) reaches a reader's browser.

use pulldown_cmark::{html, Options, Parser};

/// The body as safe HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_html_is_made_inert() {
        let html = render("# 점검 안내\n\n**12월 10일** 02:00–04:00\n\n- 결제\n- 주문");
        assert!(html.contains("<h1>점검 안내</h1>"), "{html}");
        assert!(html.contains("<strong>12월 10일</strong>"), "{html}");
        assert!(html.contains("<li>결제</li>"), "{html}");

        let html = render(
            "hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        let html = render("[장터](https://jangteo.test)");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
