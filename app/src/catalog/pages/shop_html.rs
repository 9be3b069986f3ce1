//! The storefront listing (`/shop`, `/shop/c/:slug`) as one string of markup: breadcrumbs,
//! heading, category tree, the filter form, the product grid and the pager. It is all links,
//! text and a GET form, so it is written as one string (see `ServerHtml`).

use super::card::{breadcrumbs, Cards};
use crate::catalog::{CardView, CategoryNode, Crumb, Facets, Page};
use crate::platform::i18n::{Locale, Msg};
use crate::ui::server_html::ServerHtml;
use maud::{html, Markup, Render};

/// The query string as the shopper sent it: the form shows it back, and the next page keeps it.
#[derive(Clone, Debug, Default)]
pub struct ShopQuery {
    pub q: Option<String>,
    pub min_price: Option<String>,
    pub max_price: Option<String>,
    /// Ticked facet values, `name:value` each.
    pub opts: Vec<String>,
    /// "품절 제외" ticked.
    pub in_stock: bool,
    pub sort: Option<String>,
    pub cursor: Option<String>,
}

impl ShopQuery {
    /// The query string of this search from `cursor` (none: the first page), without empty
    /// parameters.
    pub fn href(&self, base: &str, cursor: Option<&str>) -> String {
        let text = |v: &Option<String>| v.as_deref().unwrap_or_default().trim().to_owned();
        let (q, min, max) = (text(&self.q), text(&self.min_price), text(&self.max_price));
        let mut pairs: Vec<(&str, &str)> =
            vec![("q", &q), ("min_price", &min), ("max_price", &max)];
        pairs.extend(self.opts.iter().map(|o| ("opt", o.as_str())));
        if self.in_stock {
            pairs.push(("in_stock", "1"));
        }
        pairs.push(("sort", self.sort.as_deref().unwrap_or_default()));
        pairs.push(("cursor", cursor.unwrap_or_default()));
        crate::ui::format::href(base, &pairs)
    }
}

pub struct Listing<'a> {
    /// Where the form goes: `/shop`, `/shop/c/:slug` or `/s/:seller`.
    pub base: &'a str,
    /// The category's or the shop's name; `None` for all products.
    pub heading: Option<String>,
    pub query: &'a ShopQuery,
    pub tree: &'a [CategoryNode],
    pub crumbs: &'a [Crumb],
    pub page: &'a Page<CardView>,
    pub facets: &'a Facets,
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
    let q = l.query;
    let search = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let place = l
        .heading
        .clone()
        .unwrap_or_else(|| tr(Msg::ShopAllProducts).to_owned());
    let heading = match search {
        Some(text) => tr(Msg::ShopSearchResults)
            .replace("{q}", text)
            .replace("{n}", &l.facets.total.to_string()),
        None => place.clone(),
    };
    let source = if search.is_some() {
        "search"
    } else {
        "category"
    };
    let sort = q.sort.as_deref().unwrap_or(if search.is_some() {
        "relevance"
    } else {
        "newest"
    });
    let markup = html! {
        @if !l.crumbs.is_empty() { (breadcrumbs(l.crumbs, locale)) }
        h1 data-testid="shop-heading" { (heading) }
        @if search.is_some() && l.heading.is_some() { p class="muted" { (place) } }
        // Search and products come first on a phone, with the tree folded between them; on a
        // wide screen the tree is a column beside them, always open (style/main.css).
        div class="shop-layout" {
            form method="get" action=(l.base) class="filters" role="search" {
                div class="field grow" {
                    label for="q" { (tr(Msg::ShopSearchLabel)) }
                    input id="q" name="q" type="search" value=[q.q.as_deref()]
                        placeholder=(tr(Msg::ShopSearchPlaceholder));
                }
                div class="field" {
                    label for="sort" { (tr(Msg::ShopSort)) }
                    select id="sort" name="sort" {
                        @if search.is_some() {
                            option value="relevance" selected[sort == "relevance"] { (tr(Msg::SortRelevance)) }
                        }
                        @for (key, msg) in SORTS {
                            option value=(key) selected[sort == key] { (tr(msg)) }
                        }
                    }
                }
                button type="submit" class="button primary" { (tr(Msg::ShopSearch)) }
                (FacetFields(l, locale))
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
                        a href=(q.href(l.base, None)) class="button" { (tr(Msg::ShopFirstPage)) }
                    }
                    @if let Some(cursor) = &l.page.next {
                        a href=(q.href(l.base, Some(cursor))) class="button" rel="next" { (tr(Msg::ShopNextPage)) }
                    }
                }
            }
        }
    };
    ServerHtml {
        title: heading,
        html: markup.into_string().into(),
    }
}

/// The facet part of the filter form: option values with counts, the price range, and
/// "hide sold out". All plain inputs of the one GET form.
struct FacetFields<'a>(&'a Listing<'a>, Locale);

impl Render for FacetFields<'_> {
    fn render(&self) -> Markup {
        let (l, locale) = (self.0, self.1);
        let tr = |m: Msg| m.text(locale);
        let q = l.query;
        let f = l.facets;
        let chosen =
            |name: &str, value: &str| q.opts.iter().any(|o| o == &format!("{name}:{value}"));
        // A ticked value the result no longer has stays, so it can be unticked.
        let stray: Vec<&String> = q
            .opts
            .iter()
            .filter(|o| {
                !f.options.iter().any(|g| {
                    g.values
                        .iter()
                        .any(|(v, _)| **o == format!("{}:{v}", g.name))
                })
            })
            .collect();
        let placeholder = |p: Option<rust_decimal::Decimal>| p.map(|p| p.round().to_string());
        let active =
            !q.opts.is_empty() || q.in_stock || q.min_price.is_some() || q.max_price.is_some();
        // Folded on a phone (open while a filter is on), always open on a wide screen.
        html! {
            details class="facet-panel" open[active] {
            summary { (tr(Msg::ShopFilters)) }
            div class="facets" {
                fieldset class="facet" {
                    legend { (tr(Msg::ShopPriceRange)) }
                    div class="price-range" {
                        @for (id, msg, v, hint) in [
                            ("min_price", Msg::ShopMinPrice, &q.min_price, placeholder(f.min_price)),
                            ("max_price", Msg::ShopMaxPrice, &q.max_price, placeholder(f.max_price)),
                        ] {
                            div class="field narrow" {
                                label for=(id) { (tr(msg)) }
                                input id=(id) name=(id) inputmode="numeric" value=[v.as_deref()] placeholder=[hint];
                            }
                        }
                    }
                    div class="field checkbox" {
                        input type="checkbox" id="in_stock" name="in_stock" value="1" checked[q.in_stock];
                        label for="in_stock" { (tr(Msg::ShopHideSoldOut)) }
                    }
                }
                @for (gi, g) in f.options.iter().enumerate() {
                    fieldset class="facet" data-testid="facet" {
                        legend { (g.name) }
                        ul role="list" {
                            @for (vi, (value, n)) in g.values.iter().enumerate() {
                                li class="field checkbox" {
                                    input type="checkbox" id={ "opt-" (gi) "-" (vi) } name="opt"
                                        value={ (g.name) ":" (value) } checked[chosen(&g.name, value)];
                                    label for={ "opt-" (gi) "-" (vi) } {
                                        (value) " " span class="facet-count muted" { "(" (n) ")" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !stray.is_empty() {
                    fieldset class="facet" {
                        legend { (tr(Msg::ShopChosen)) }
                        ul role="list" {
                            @for (i, o) in stray.iter().enumerate() {
                                li class="field checkbox" {
                                    input type="checkbox" id={ "opt-x-" (i) } name="opt" value=(o) checked;
                                    label for={ "opt-x-" (i) } { (o.replacen(':', ": ", 1)) " (0)" }
                                }
                            }
                        }
                    }
                }
                button type="submit" class="button" { (tr(Msg::ShopApply)) }
            }
            }
        }
    }
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
    use crate::catalog::FacetGroup;
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

    fn card(slug: &str, sold_out: bool) -> CardView {
        CardView {
            id: crate::catalog::ProductId(uuid::Uuid::new_v4()),
            slug: slug.into(),
            name: format!("상품 {slug}"),
            price: Decimal::from(12_000),
            original_price: None,
            discount_rate: Decimal::ZERO,
            seller_name: "장터상회".into(),
            thumbnail_url: None,
            sold_out,
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

    fn facets() -> Facets {
        Facets {
            total: 57,
            options: vec![FacetGroup {
                name: "색상".into(),
                values: vec![("빨강".into(), 12), ("파랑".into(), 3)],
            }],
            min_price: Some(Decimal::from(9_900)),
            max_price: Some(Decimal::from(45_000)),
        }
    }

    #[test]
    fn a_search_says_what_it_found_and_the_next_link_keeps_every_filter() {
        let query = ShopQuery {
            q: Some("셔츠 & 바지".into()),
            sort: Some("price_asc".into()),
            min_price: Some("1,000".into()),
            opts: vec!["색상:빨강".into(), "사이즈:M".into()],
            in_stock: true,
            ..ShopQuery::default()
        };
        let (tree, crumbs, facets) = (tree(), crumbs(), facets());
        let page = Page {
            items: vec![card("a", false), card("b", true)],
            next: Some("12000~0f0e".into()),
        };
        let listing = Listing {
            base: "/shop/c/fashion",
            heading: Some("패션".into()),
            query: &query,
            tree: &tree,
            crumbs: &crumbs,
            page: &page,
            facets: &facets,
        };
        let out = render(&listing, Locale::Ko);
        let h = out.html;
        assert_eq!(out.title, "'셔츠 & 바지' 검색 결과 57개");
        assert!(h.starts_with(r#"<nav class="breadcrumbs""#), "{h}");
        assert!(
            h.contains(r#"<h1 data-testid="shop-heading">'셔츠 &amp; 바지' 검색 결과 57개</h1>"#),
            "{h}"
        );
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
        assert!(h.contains(r#"<option value="relevance">"#), "{h}");
        assert!(h.contains(r#"<option value="price_asc" selected>"#), "{h}");
        // Facets: each value with its count, the chosen one ticked; a chosen value the result
        // lacks stays, to be unticked.
        assert!(
            h.contains(r#"name="opt" value="색상:빨강" checked><label for="opt-0-0">빨강 <span class="facet-count muted">(12)</span>"#),
            "{h}"
        );
        assert!(h.contains(r#"name="opt" value="색상:파랑"><label"#), "{h}");
        assert!(h.contains(r#"name="opt" value="사이즈:M" checked"#), "{h}");
        assert!(h.contains(r#"name="in_stock" value="1" checked"#), "{h}");
        assert!(
            h.contains(r#"name="min_price" inputmode="numeric" value="1,000" placeholder="9900">"#),
            "{h}"
        );
        assert!(
            h.contains(
                r#"<input id="max_price" name="max_price" inputmode="numeric" placeholder="45000">"#
            ),
            "{h}"
        );
        assert_eq!(h.matches(r#"data-testid="product-card""#).count(), 2);
        assert_eq!(h.matches(r#"data-testid="sold-out""#).count(), 1);
        assert!(h.contains(r#"href="/p/a?from=search""#), "{h}");
        assert!(
            h.contains(r#"<a href="/shop/c/fashion?q=%EC%85%94%EC%B8%A0%20%26%20%EB%B0%94%EC%A7%80&amp;min_price=1%2C000&amp;opt=%EC%83%89%EC%83%81%3A%EB%B9%A8%EA%B0%95&amp;opt=%EC%82%AC%EC%9D%B4%EC%A6%88%3AM&amp;in_stock=1&amp;sort=price_asc&amp;cursor=12000~0f0e" class="button" rel="next">"#),
            "{h}"
        );
        assert!(!h.contains(r#"class="button">처음"#), "{h}");
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
            base: "/shop",
            heading: None,
            query: &query,
            tree: &tree,
            crumbs: &[],
            page: &page,
            facets: &Facets::default(),
        };
        let out = render(&listing, Locale::En);
        assert_eq!(out.title, Msg::ShopAllProducts.text(Locale::En));
        let h = out.html;
        assert!(!h.contains("breadcrumbs"), "{h}");
        assert!(
            !h.contains("relevance"),
            "no relevance sort without a search: {h}"
        );
        assert!(h.contains(r#"<option value="newest" selected>"#), "{h}");
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
        // The first page's link has no stray `?`.
        assert!(h.contains(r#"<a href="/shop" class="button">"#), "{h}");
        assert!(!h.contains(r#"rel="next""#), "{h}");
    }
}
