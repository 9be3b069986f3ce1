//! The storefront listing (`/shop`, `/shop/c/:slug`) as one string of markup: breadcrumbs,
//! heading, category tree, the filter form, the product grid and the pager. It is all links,
//! text and a GET form, so it is written as one string (see `ServerHtml`).

use super::card::{breadcrumbs, Cards};
use crate::catalog::{CardView, CategoryNode, Crumb, Page};
use crate::platform::i18n::{Locale, Msg};
use crate::ui::format::query_value;
use crate::ui::server_html::ServerHtml;
use maud::{html, Markup, Render};

/// The query string as the shopper sent it: the form shows it back, and the next page keeps it.
#[derive(Clone, Debug, Default)]
pub struct ShopQuery {
    pub q: Option<String>,
    pub min_price: Option<String>,
    pub max_price: Option<String>,
    pub option: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
}

pub struct Listing<'a> {
    /// The category slug of `/shop/c/:slug`.
    pub category: Option<&'a str>,
    pub query: &'a ShopQuery,
    pub tree: &'a [CategoryNode],
    pub crumbs: &'a [Crumb],
    pub page: &'a Page<CardView>,
}

const SORTS: [(&str, Msg); 5] = [
    ("newest", Msg::SortNewest),
    ("price_asc", Msg::SortPriceAsc),
    ("price_desc", Msg::SortPriceDesc),
    ("rating", Msg::SortRating),
    ("popular", Msg::SortPopular),
];

pub fn render(l: &Listing<'_>, locale: Locale) -> ServerHtml {
    let tr = |m: Msg| m.text(locale);
    let title = match l.crumbs.last() {
        Some(c) if locale == Locale::En => c.name_en.clone(),
        Some(c) => c.name.clone(),
        None => tr(Msg::ShopAllProducts).to_owned(),
    };
    let action = match l.category {
        Some(slug) => format!("/shop/c/{slug}"),
        None => "/shop".to_owned(),
    };
    let q = l.query;
    let source = if q.q.is_some() { "search" } else { "category" };
    let markup = html! {
        @if !l.crumbs.is_empty() { (breadcrumbs(l.crumbs, locale)) }
        h1 { (title) }
        // Search and products come first on a phone, with the tree folded between them; on a
        // wide screen the tree is a column beside them, always open (style/main.css).
        div class="shop-layout" {
            form method="get" action=(action) class="filters" role="search" {
                div class="field grow" {
                    label for="q" { (tr(Msg::ShopSearchLabel)) }
                    input id="q" name="q" type="search" value=[q.q.as_deref()]
                        placeholder=(tr(Msg::ShopSearchPlaceholder));
                }
                div class="field" {
                    label for="sort" { (tr(Msg::ShopSort)) }
                    select id="sort" name="sort" {
                        @for (key, msg) in SORTS {
                            option value=(key) selected[q.sort.as_deref() == Some(key)] { (tr(msg)) }
                        }
                    }
                }
                @for (id, msg, v) in [
                    ("min_price", Msg::ShopMinPrice, &q.min_price),
                    ("max_price", Msg::ShopMaxPrice, &q.max_price),
                ] {
                    div class="field narrow" {
                        label for=(id) { (tr(msg)) }
                        input id=(id) name=(id) inputmode="numeric" value=[v.as_deref()];
                    }
                }
                div class="field" {
                    label for="option" { (tr(Msg::ShopOptionFilter)) }
                    input id="option" name="option" value=[q.option.as_deref()];
                }
                button type="submit" class="button primary" { (tr(Msg::ShopSearch)) }
            }
            aside class="shop-aside" aria-labelledby="cat-title" {
                h2 id="cat-title" { (tr(Msg::ShopCategories)) }
                details class="shop-tree" {
                    summary { (tr(Msg::ShopBrowseCategories)) }
                    (Tree(l.tree, locale))
                }
            }
            div class="shop-results" {
                @if l.page.items.is_empty() {
                    p class="muted" { (tr(Msg::ShopNoResults)) }
                }
                ul class="product-grid" role="list" { (Cards(&l.page.items, Some(source), locale)) }
                nav class="pager" aria-label=(tr(Msg::ShopNextPage)) {
                    @if q.cursor.is_some() {
                        a href=(action) class="button" { (tr(Msg::ShopFirstPage)) }
                    }
                    @if let Some(cursor) = &l.page.next {
                        a href=(next_href(&action, q, cursor)) class="button" rel="next" { (tr(Msg::ShopNextPage)) }
                    }
                }
            }
        }
    };
    ServerHtml {
        title,
        html: markup.into_string().into(),
    }
}

/// The same filters and sort, from the given cursor.
fn next_href(action: &str, q: &ShopQuery, cursor: &str) -> String {
    let mut href = format!("{action}?");
    let kept = [
        ("q", &q.q),
        ("min_price", &q.min_price),
        ("max_price", &q.max_price),
        ("option", &q.option),
        ("sort", &q.sort),
    ];
    for (key, v) in kept {
        if let Some(v) = v {
            href.push_str(key);
            href.push('=');
            href.push_str(&query_value(v));
            href.push('&');
        }
    }
    href.push_str("cursor=");
    href.push_str(&query_value(cursor));
    href
}

/// The category tree as nested lists.
struct Tree<'a>(&'a [CategoryNode], Locale);

impl Render for Tree<'_> {
    fn render(&self) -> Markup {
        let locale = self.1;
        html! {
            ul class="category-tree" {
                @for n in self.0 {
                    li {
                        a href={ "/shop/c/" (n.slug) } {
                            (if locale == Locale::En { &n.name_en } else { &n.name })
                        }
                        @if !n.children.is_empty() { (Tree(&n.children, locale)) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use uuid::Uuid;

    fn node(slug: &str, name: &str, name_en: &str, children: Vec<CategoryNode>) -> CategoryNode {
        CategoryNode {
            id: Uuid::nil().into(),
            name: name.into(),
            name_en: name_en.into(),
            slug: slug.into(),
            level: 1,
            children,
        }
    }

    fn card(slug: &str) -> CardView {
        CardView {
            id: crate::catalog::ProductId(uuid::Uuid::new_v4()),
            slug: slug.into(),
            name: format!("상품 {slug}"),
            price: Decimal::from(12_000),
            original_price: None,
            discount_rate: Decimal::ZERO,
            seller_name: "장터상회".into(),
            thumbnail_url: None,
        }
    }

    fn tree() -> Vec<CategoryNode> {
        vec![node(
            "fashion",
            "패션",
            "Fashion",
            vec![node("fashion-women", "여성의류", "Women", vec![])],
        )]
    }

    fn crumbs() -> Vec<Crumb> {
        vec![Crumb {
            name: "패션".into(),
            name_en: "Fashion".into(),
            slug: "fashion".into(),
        }]
    }

    #[test]
    fn category_page_shows_crumbs_tree_cards_and_a_next_link_that_keeps_the_filters() {
        let query = ShopQuery {
            q: Some("셔츠 & 바지".into()),
            sort: Some("price_asc".into()),
            min_price: Some("1,000".into()),
            ..ShopQuery::default()
        };
        let (tree, crumbs) = (tree(), crumbs());
        let page = Page {
            items: vec![card("a"), card("b")],
            next: Some("12000~0f0e".into()),
        };
        let listing = Listing {
            category: Some("fashion"),
            query: &query,
            tree: &tree,
            crumbs: &crumbs,
            page: &page,
        };
        let out = render(&listing, Locale::Ko);
        assert_eq!(out.title, "패션");
        let h = out.html;
        assert!(h.starts_with(r#"<nav class="breadcrumbs""#), "{h}");
        assert!(h.contains("<h1>패션</h1>"), "{h}");
        assert!(
            h.contains(r#"<li><a href="/shop/c/fashion">패션</a><ul class="category-tree"><li><a href="/shop/c/fashion-women">여성의류</a></li></ul></li>"#),
            "{h}"
        );
        assert!(
            h.contains(r#"<form method="get" action="/shop/c/fashion""#),
            "{h}"
        );
        assert!(
            h.contains(r#"name="q" type="search" value="셔츠 &amp; 바지""#),
            "{h}"
        );
        assert!(h.contains(r#"<option value="price_asc" selected>"#), "{h}");
        assert!(h.contains(r#"<option value="newest">"#), "{h}");
        assert!(
            h.contains(r#"name="min_price" inputmode="numeric" value="1,000">"#),
            "{h}"
        );
        assert!(
            h.contains(r#"<input id="max_price" name="max_price" inputmode="numeric">"#),
            "{h}"
        );
        assert_eq!(h.matches(r#"data-testid="product-card""#).count(), 2);
        // Found by search: the product page records where the shopper came from.
        assert!(h.contains(r#"href="/p/a?from=search""#), "{h}");
        assert!(
            !h.contains("class=\"muted\">"),
            "no empty-result message: {h}"
        );
        assert!(
            h.contains(r#"<a href="/shop/c/fashion?q=%EC%85%94%EC%B8%A0%20%26%20%EB%B0%94%EC%A7%80&amp;min_price=1%2C000&amp;sort=price_asc&amp;cursor=12000~0f0e" class="button" rel="next">"#),
            "{h}"
        );
        // The first page has no link back to itself.
        assert!(!h.contains(r#"class="button">처음"#), "{h}");
        assert!(h.ends_with("</nav></div></div>"), "{h}");
    }

    #[test]
    fn last_page_of_all_products_in_english() {
        let query = ShopQuery {
            cursor: Some("x~y".into()),
            ..ShopQuery::default()
        };
        let tree = tree();
        let page = Page {
            items: vec![],
            next: None,
        };
        let listing = Listing {
            category: None,
            query: &query,
            tree: &tree,
            crumbs: &[],
            page: &page,
        };
        let out = render(&listing, Locale::En);
        assert_eq!(out.title, Msg::ShopAllProducts.text(Locale::En));
        let h = out.html;
        assert!(!h.contains("breadcrumbs"), "{h}");
        assert!(
            h.contains(r#"<a href="/shop/c/fashion">Fashion</a>"#),
            "{h}"
        );
        assert!(h.contains(r#"action="/shop""#), "{h}");
        assert!(
            h.contains(&format!(
                r#"<p class="muted">{}</p>"#,
                Msg::ShopNoResults.text(Locale::En)
            )),
            "{h}"
        );
        assert!(
            h.contains(r#"<ul class="product-grid" role="list"></ul>"#),
            "{h}"
        );
        assert!(h.contains(r#"<a href="/shop" class="button">"#), "{h}");
        assert!(!h.contains(r#"rel="next""#), "{h}");
    }
}
