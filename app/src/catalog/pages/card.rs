//! Product cards and breadcrumbs. Both are written as markup by one function each, so the
//! storefront listing (rendered to one string on the server) and the components used by other
//! pages show the same thing.

use crate::catalog::{CardView, Crumb};
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ui::format::write_won;
use crate::ui::html::{attr, text};
use leptos::prelude::*;
use rust_decimal::Decimal;
use std::fmt::Write;

/// A product in a grid.
#[component]
pub fn ProductCardView(
    #[prop(into)] product: CardView,
    /// Where the shopper found it (search, category, ...), for recently viewed.
    #[prop(optional)]
    from: Option<&'static str>,
) -> impl IntoView {
    let mut inner = String::with_capacity(512);
    write_card_content(&mut inner, &product, from);
    // Static markup: hydration keeps the server's nodes (`inner_html` is not re-applied).
    view! { <li class="product-card" data-testid="product-card" inner_html=inner></li> }
}

/// Shop › category › subcategory, each a link.
#[component]
pub fn Breadcrumbs(crumbs: Vec<Crumb>) -> impl IntoView {
    let mut list = String::with_capacity(256);
    write_crumb_list(&mut list, &crumbs, use_locale());
    view! { <nav class="breadcrumbs" aria-label=t(Msg::ShopBreadcrumbs) inner_html=list></nav> }
}

/// `<li class="product-card">…</li>` for every card.
#[cfg(feature = "ssr")]
pub fn write_cards(buf: &mut String, cards: &[CardView], from: Option<&str>) {
    for card in cards {
        buf.push_str(r#"<li class="product-card" data-testid="product-card">"#);
        write_card_content(buf, card, from);
        buf.push_str("</li>");
    }
}

/// What is inside a card's `<li>`: the linked image and name, the seller, the price.
fn write_card_content(buf: &mut String, p: &CardView, from: Option<&str>) {
    buf.push_str(r#"<a href="/p/"#);
    attr(buf, &p.slug);
    if let Some(f) = from {
        buf.push_str("?from=");
        attr(buf, f);
    }
    buf.push_str(r#"">"#);
    match &p.thumbnail_url {
        // The name follows as the link text, so the image itself is decorative.
        Some(src) => {
            buf.push_str(r#"<img class="product-thumb" src=""#);
            attr(buf, src);
            buf.push_str(r#"" alt="" width="480" height="480" loading="lazy" decoding="async">"#);
        }
        None => {
            buf.push_str(r#"<div class="product-thumb" aria-hidden="true">"#);
            let first = p.name.chars().next().map_or(0, char::len_utf8);
            text(buf, &p.name[..first]);
            buf.push_str("</div>");
        }
    }
    buf.push_str(r#"<h3 class="product-name">"#);
    text(buf, &p.name);
    buf.push_str(r#"</h3></a><p class="product-seller muted small">"#);
    text(buf, &p.seller_name);
    buf.push_str(r#"</p><p class="product-price">"#);
    let discounted = p.discount_rate > Decimal::ZERO;
    if discounted {
        buf.push_str(r#"<span class="discount">"#);
        let _ = write!(buf, "{}", p.discount_rate.round());
        buf.push_str("%</span> ");
    }
    buf.push_str("<strong>");
    write_won(buf, p.price);
    buf.push_str("</strong>");
    if let Some(o) = p.original_price.filter(|_| discounted) {
        buf.push_str(r#" <s class="muted small">"#);
        write_won(buf, o);
        buf.push_str("</s>");
    }
    buf.push_str("</p>");
}

/// `<nav class="breadcrumbs">`: the shop, then each category down to the current one.
#[cfg(feature = "ssr")]
pub fn write_breadcrumbs(buf: &mut String, crumbs: &[Crumb], locale: Locale) {
    buf.push_str(r#"<nav class="breadcrumbs" aria-label=""#);
    attr(buf, Msg::ShopBreadcrumbs.text(locale));
    buf.push_str(r#"">"#);
    write_crumb_list(buf, crumbs, locale);
    buf.push_str("</nav>");
}

fn write_crumb_list(buf: &mut String, crumbs: &[Crumb], locale: Locale) {
    buf.push_str(r#"<ol><li><a href="/shop">"#);
    text(buf, Msg::ShopTitle.text(locale));
    buf.push_str("</a></li>");
    for c in crumbs {
        buf.push_str(r#"<li><a href="/shop/c/"#);
        attr(buf, &c.slug);
        buf.push_str(r#"">"#);
        text(
            buf,
            if locale == Locale::En {
                &c.name_en
            } else {
                &c.name
            },
        );
        buf.push_str("</a></li>");
    }
    buf.push_str("</ol>");
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn card() -> CardView {
        CardView {
            slug: "linen-shirt".into(),
            name: "<b>린넨</b> 셔츠".into(),
            price: Decimal::new(1990000, 2),
            original_price: Some(Decimal::from(25000)),
            discount_rate: Decimal::from(20),
            seller_name: "장터 & 상회".into(),
            thumbnail_url: None,
        }
    }

    #[test]
    fn card_shows_escaped_name_seller_and_both_prices() {
        let mut out = String::new();
        write_cards(&mut out, &[card()], Some("category"));
        assert_eq!(
            out,
            "<li class=\"product-card\" data-testid=\"product-card\">\
             <a href=\"/p/linen-shirt?from=category\">\
             <div class=\"product-thumb\" aria-hidden=\"true\">&lt;</div>\
             <h3 class=\"product-name\">&lt;b&gt;린넨&lt;/b&gt; 셔츠</h3></a>\
             <p class=\"product-seller muted small\">장터 &amp; 상회</p>\
             <p class=\"product-price\"><span class=\"discount\">20%</span> \
             <strong>₩19,900</strong> <s class=\"muted small\">₩25,000</s></p></li>"
        );
    }

    #[test]
    fn card_without_discount_hides_the_original_price_and_shows_the_image() {
        let mut c = card();
        c.discount_rate = Decimal::ZERO;
        c.thumbnail_url = Some("/media/t/1.webp?v=\"2\"".into());
        let mut out = String::new();
        write_card_content(&mut out, &c, None);
        assert!(out.starts_with(
            "<a href=\"/p/linen-shirt\"><img class=\"product-thumb\" src=\"/media/t/1.webp?v=&quot;2&quot;\" alt=\"\""
        ), "{out}");
        assert!(!out.contains("discount") && !out.contains("<s "), "{out}");
        assert!(out.ends_with("<strong>₩19,900</strong></p>"), "{out}");
    }

    #[test]
    fn breadcrumbs_follow_the_locale() {
        let crumbs = [Crumb {
            name: "패션".into(),
            name_en: "Fashion".into(),
            slug: "fashion".into(),
        }];
        let mut ko = String::new();
        write_breadcrumbs(&mut ko, &crumbs, Locale::Ko);
        assert!(ko.contains(r#"<a href="/shop/c/fashion">패션</a>"#), "{ko}");
        let mut en = String::new();
        write_breadcrumbs(&mut en, &crumbs, Locale::En);
        assert!(
            en.contains(r#"<a href="/shop/c/fashion">Fashion</a>"#),
            "{en}"
        );
        assert!(en.contains(r#"aria-label="Breadcrumbs""#), "{en}");
    }
}
