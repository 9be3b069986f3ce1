//! Product cards and breadcrumbs. Both are written as markup by one function each, so the
//! storefront listing (rendered to one string on the server) and the components used by other
//! pages show the same thing. The markup is `maud`: every value is escaped unless it is
//! wrapped in `PreEscaped` on purpose.

use crate::catalog::{CardView, Crumb};
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ui::format::write_won;
use leptos::prelude::*;
use maud::{html, Render};
use rust_decimal::Decimal;

/// A product in a grid.
#[component]
pub fn ProductCardView(
    #[prop(into)] product: CardView,
    /// Where the shopper found it (search, category, ...), for recently viewed.
    #[prop(optional)]
    from: Option<&'static str>,
    /// Above the fold: the image loads at once, ahead of the page's scripts.
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let inner = CardContent(&product, from, eager, use_locale())
        .render()
        .into_string();
    // One string of escaped markup from the shared writer (`CardContent`).
    view! { <li class="product-card" data-testid="product-card" inner_html=inner></li> }
}

/// Shop › category › subcategory, each a link.
#[component]
pub fn Breadcrumbs(crumbs: Vec<Crumb>) -> impl IntoView {
    let list = CrumbList(&crumbs, use_locale()).render().into_string();
    view! { <nav class="breadcrumbs" aria-label=t(Msg::ShopBreadcrumbs) inner_html=list></nav> }
}

/// An amount in won, as `₩12,000` (digits, commas and the sign: nothing to escape).
pub struct Won(pub Decimal);

impl Render for Won {
    fn render_to(&self, buf: &mut String) {
        write_won(buf, self.0);
    }
}

/// Cards whose images are above the fold on a phone (two columns) and a desktop (four).
pub const EAGER_CARDS: usize = 4;

/// `<li class="product-card">…</li>` for every card, each with its heart (as for a shopper
/// who keeps none of them: `CardHeart::mark_wished` turns the viewer's own).
#[cfg(feature = "ssr")]
pub struct Cards<'a>(pub &'a [CardView], pub Option<&'a str>, pub Locale);

/// A card's heart: a plain form, so it works without JavaScript. It says which way it goes,
/// so a double submit cannot flip it back.
#[cfg(feature = "ssr")]
pub struct CardHeart<'a> {
    pub card: &'a CardView,
    pub wished: bool,
    pub locale: Locale,
}

#[cfg(feature = "ssr")]
impl CardHeart<'_> {
    /// `html` (a page of `Cards`) with the hearts of `wished` cards shown as kept.
    pub fn mark_wished(
        html: &str,
        cards: &[CardView],
        wished: &[crate::catalog::ProductId],
        locale: Locale,
    ) -> String {
        let mut out = html.to_owned();
        for card in cards.iter().filter(|c| wished.contains(&c.id)) {
            let off = CardHeart {
                card,
                wished: false,
                locale,
            }
            .render()
            .into_string();
            let on = CardHeart {
                card,
                wished: true,
                locale,
            }
            .render()
            .into_string();
            out = out.replacen(&off, &on, 1);
        }
        out
    }
}

#[cfg(feature = "ssr")]
impl Render for CardHeart<'_> {
    fn render_to(&self, buf: &mut String) {
        let (label, mark) = if self.wished {
            (Msg::WishRemove, "♥")
        } else {
            (Msg::WishAdd, "♡")
        };
        html! {
            form method="post" action="/fn/wishlist/set" class="card-wish" {
                input type="hidden" name="form[product_id]" value=(self.card.id);
                input type="hidden" name="form[wish]" value=(!self.wished);
                button type="submit" class="card-heart" aria-pressed=(self.wished) data-testid="card-heart"
                    aria-label={ (label.text(self.locale)) ": " (self.card.name) } {
                    span aria-hidden="true" { (mark) }
                }
            }
        }
        .render_to(buf);
    }
}

#[cfg(feature = "ssr")]
impl Render for Cards<'_> {
    fn render_to(&self, buf: &mut String) {
        for (i, card) in self.0.iter().enumerate() {
            html! {
                li class="product-card" data-testid="product-card" {
                    (CardContent(card, self.1, i < EAGER_CARDS, self.2))
                    (CardHeart { card, wished: false, locale: self.2 })
                }
            }
            .render_to(buf);
        }
    }
}

/// What is inside a card's `<li>`: the linked image and name, the seller, the price; whether
/// its image is above the fold.
struct CardContent<'a>(&'a CardView, Option<&'a str>, bool, Locale);

impl Render for CardContent<'_> {
    fn render_to(&self, buf: &mut String) {
        let (p, from, eager) = (self.0, self.1, self.2);
        let discounted = p.discount_rate > Decimal::ZERO;
        let first = p.name.chars().next().map_or(0, char::len_utf8);
        html! {
            a href={ "/p/" (p.slug) @if let Some(f) = from { "?from=" (f) } } {
                @match &p.thumbnail_url {
                    // The name follows as the link text, so the image itself is decorative.
                    Some(src) => img class="product-thumb" src=(src) alt="" width="480" height="480"
                        loading=[(!eager).then_some("lazy")] fetchpriority=[eager.then_some("high")] decoding="async";
                    None => div class="product-thumb" aria-hidden="true" { (&p.name[..first]) }
                }
                h3 class="product-name" { (p.name) }
                @if p.sold_out {
                    span class="badge sold-out" data-testid="sold-out" { (Msg::ProductSoldOut.text(self.3)) }
                }
            }
            p class="product-seller muted small" { (p.seller_name) }
            p class="product-price" {
                @if discounted {
                    span class="discount" { (maud::display(p.discount_rate.round())) "%" } " "
                }
                strong { (Won(p.price)) }
                @if let Some(o) = p.original_price.filter(|_| discounted) {
                    " " s class="muted small" { (Won(o)) }
                }
            }
        }
        .render_to(buf);
    }
}

/// `<nav class="breadcrumbs">`: the shop, then each category down to the current one.
#[cfg(feature = "ssr")]
pub fn breadcrumbs(crumbs: &[Crumb], locale: Locale) -> maud::Markup {
    html! {
        nav class="breadcrumbs" aria-label=(Msg::ShopBreadcrumbs.text(locale)) {
            (CrumbList(crumbs, locale))
        }
    }
}

struct CrumbList<'a>(&'a [Crumb], Locale);

impl Render for CrumbList<'_> {
    fn render_to(&self, buf: &mut String) {
        let locale = self.1;
        html! {
            ol {
                li { a href="/shop" { (Msg::ShopTitle.text(locale)) } }
                @for c in self.0 {
                    li {
                        a href={ "/shop/c/" (c.slug) } {
                            (if locale == Locale::En { &c.name_en } else { &c.name })
                        }
                    }
                }
            }
        }
        .render_to(buf);
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn card() -> CardView {
        CardView {
            id: crate::catalog::ProductId(uuid::Uuid::nil()),
            slug: "linen-shirt".into(),
            name: "<b>린넨</b> 셔츠".into(),
            price: Decimal::new(1990000, 2),
            original_price: Some(Decimal::from(25000)),
            discount_rate: Decimal::from(20),
            seller_name: "장터 & 상회".into(),
            thumbnail_url: None,
            sold_out: false,
        }
    }

    #[test]
    fn card_shows_escaped_name_seller_and_both_prices() {
        let out = Cards(&[card()], Some("category"), Locale::Ko)
            .render()
            .into_string();
        assert_eq!(
            out,
            "<li class=\"product-card\" data-testid=\"product-card\">\
             <a href=\"/p/linen-shirt?from=category\">\
             <div class=\"product-thumb\" aria-hidden=\"true\">&lt;</div>\
             <h3 class=\"product-name\">&lt;b&gt;린넨&lt;/b&gt; 셔츠</h3></a>\
             <p class=\"product-seller muted small\">장터 &amp; 상회</p>\
             <p class=\"product-price\"><span class=\"discount\">20%</span> \
             <strong>₩19,900</strong> <s class=\"muted small\">₩25,000</s></p>\
             <form method=\"post\" action=\"/fn/wishlist/set\" class=\"card-wish\">\
             <input type=\"hidden\" name=\"form[product_id]\" value=\"00000000-0000-0000-0000-000000000000\">\
             <input type=\"hidden\" name=\"form[wish]\" value=\"true\">\
             <button type=\"submit\" class=\"card-heart\" aria-pressed=\"false\" data-testid=\"card-heart\" \
             aria-label=\"찜하기: &lt;b&gt;린넨&lt;/b&gt; 셔츠\"><span aria-hidden=\"true\">♡</span></button></form></li>"
        );
    }

    #[test]
    fn a_viewers_kept_cards_show_a_full_heart_that_removes() {
        let kept = card();
        let mut other = card();
        other.id = crate::catalog::ProductId(uuid::Uuid::from_u128(7));
        other.slug = "other".into();
        let cards = [other.clone(), kept.clone()];
        let html = Cards(&cards, None, Locale::En).render().into_string();
        let marked = CardHeart::mark_wished(&html, &cards, &[kept.id], Locale::En);
        assert_eq!(marked.matches("aria-pressed=\"true\"").count(), 1);
        let kept_at = marked.find(&kept.id.to_string()).unwrap();
        let kept_heart = &marked[kept_at..];
        assert!(kept_heart.contains("value=\"false\""), "{kept_heart}");
        assert!(kept_heart.contains("Remove from wishlist"), "{kept_heart}");
        let other_at = marked.find(&other.id.to_string()).unwrap();
        assert!(marked[other_at..kept_at].contains("value=\"true\""));
    }

    #[test]
    fn card_without_discount_hides_the_original_price_and_shows_the_image() {
        let mut c = card();
        c.discount_rate = Decimal::ZERO;
        c.thumbnail_url = Some("/media/t/1.webp?v=\"2\"".into());
        let out = CardContent(&c, None, false, Locale::Ko)
            .render()
            .into_string();
        assert!(out.starts_with(
            "<a href=\"/p/linen-shirt\"><img class=\"product-thumb\" src=\"/media/t/1.webp?v=&quot;2&quot;\" alt=\"\""
        ), "{out}");
        assert!(
            out.contains("loading=\"lazy\"") && !out.contains("fetchpriority"),
            "{out}"
        );
        // Above the fold: loaded at once, first.
        let eager = CardContent(&c, None, true, Locale::Ko)
            .render()
            .into_string();
        assert!(
            eager.contains("fetchpriority=\"high\"") && !eager.contains("loading"),
            "{eager}"
        );
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
        let ko = breadcrumbs(&crumbs, Locale::Ko).into_string();
        assert!(ko.contains(r#"<a href="/shop/c/fashion">패션</a>"#), "{ko}");
        let en = breadcrumbs(&crumbs, Locale::En).into_string();
        assert!(
            en.contains(r#"<a href="/shop/c/fashion">Fashion</a>"#),
            "{en}"
        );
        assert!(en.contains(r#"aria-label="Breadcrumbs""#), "{en}");
    }
}
