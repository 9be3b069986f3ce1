use crate::catalog::ProductId;
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::promotion::api::{claimable, my_coupons, product_coupons, ClaimCoupon};
use crate::promotion::{Coupon, DiscountType, UserCouponStatus};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;

fn benefit(c: &Coupon, locale: Locale) -> String {
    let main = match c.discount_type {
        DiscountType::Percentage => format!("{}%", c.discount_value),
        DiscountType::FixedAmount => won(c.discount_value),
    };
    let mut parts = vec![main];
    if let Some(m) = c.max_discount_amount {
        parts.push(Msg::CouponMax.text(locale).replace("{amount}", &won(m)));
    }
    if c.min_purchase_amount > rust_decimal::Decimal::ZERO {
        parts.push(
            Msg::CouponMin
                .text(locale)
                .replace("{amount}", &won(c.min_purchase_amount)),
        );
    }
    parts.join(" · ")
}

#[component]
fn CouponCard(coupon: Coupon, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li class="panel coupon" data-testid="coupon">
            <p class="coupon-benefit">{benefit(&coupon, locale)}</p>
            <h2 class="coupon-name">{coupon.name.clone()}</h2>
            <p class="muted small">
                {t(Msg::CouponUntil)}" "{local(coupon.valid_until, "%Y-%m-%d %H:%M")}
                {coupon.left().map(|n| format!(" · {}", Msg::CouponLeft.text(locale).replace("{n}", &n.to_string())))}
            </p>
            {children.map(|c| c())}
        </li>
    }
}

/// `/coupons`: what can be claimed now.
#[component]
pub fn CouponsPage() -> impl IntoView {
    let claim = ServerAction::<ClaimCoupon>::new();
    let error = action_error(claim.value());
    let list = Resource::new(move || claim.version().get(), |_| claimable());
    view! {
        <Title text=t(Msg::CouponsTitle) />
        <h1>{t(Msg::CouponsTitle)}</h1>
        <FormAlert error=error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <p class="panel empty-state">{t(Msg::CouponsEmpty)}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="coupon-grid" role="list">
                            {l.into_iter().map(|(c, mine)| {
                                let id = c.id.to_string();
                                let gone = c.left() == Some(0);
                                view! {
                                    <CouponCard coupon=c>
                                        {if mine {
                                            view! { <p class="badge status-ok">{t(Msg::CouponHeld)}</p> }.into_any()
                                        } else if gone {
                                            view! { <p class="badge status-error">{t(Msg::ErrCouponSoldOut)}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=claim>
                                                    <input type="hidden" name="coupon" value=id.clone() />
                                                    <input type="hidden" name="back" value="/coupons" />
                                                    <button type="submit" class="button primary">{t(Msg::CouponClaim)}</button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </CouponCard>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "받을 수 있는 쿠폰" on a product page: the coupons that cover it, each with its claim button.
/// Nothing is shown when there are none.
#[component]
pub fn ProductCoupons(product: ProductId, back: String) -> impl IntoView {
    let locale = use_locale();
    let claim = ServerAction::<ClaimCoupon>::new();
    let error = action_error(claim.value());
    let list = Resource::new(
        move || claim.version().get(),
        move |_| product_coupons(product),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    let these = list.await.unwrap_or_default();
                    (!these.is_empty()).then(|| view! {
                        <section class="product-coupons" aria-labelledby="product-coupons-title" data-testid="product-coupons">
                            <h2 id="product-coupons-title" class="small-heading">{t(Msg::CouponProductTitle)}</h2>
                            <FormAlert error=error />
                            <ul class="plain-list" role="list">
                                {these.into_iter().map(move |(c, mine)| {
                                    let back = back.clone();
                                    let gone = c.left() == Some(0);
                                    let id = c.id.to_string();
                                    view! {
                                        <li class="product-coupon">
                                            <span><strong>{benefit(&c, locale)}</strong>" "{c.name.clone()}</span>
                                            {if mine {
                                                view! { <span class="badge status-ok">{t(Msg::CouponHeld)}</span> }.into_any()
                                            } else if gone {
                                                view! { <span class="badge status-error">{t(Msg::ErrCouponSoldOut)}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=claim>
                                                        <input type="hidden" name="coupon" value=id />
                                                        <input type="hidden" name="back" value=back />
                                                        <button type="submit" class="button small">{t(Msg::CouponClaim)}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}

/// `/account/coupons`: mine, split into available, used and expired.
#[component]
pub fn MyCouponsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_coupons());
    view! {
        <Title text=t(Msg::MyCouponsTitle) />
        <h1>{t(Msg::MyCouponsTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(all) => [
                        (UserCouponStatus::Available, Msg::CouponAvailable),
                        (UserCouponStatus::Used, Msg::CouponUsed),
                        (UserCouponStatus::Expired, Msg::CouponExpired),
                    ].into_iter().map(|(status, title)| {
                        let these: Vec<Coupon> = all.iter().filter(|(_, _, s)| *s == status).map(|(_, c, _)| c.clone()).collect();
                        let heading = format!("coupons-{status}");
                        let labelled = heading.clone();
                        view! {
                            <section class="panel" aria-labelledby=labelled data-testid=format!("my-coupons-{status}")>
                                <h2 id=heading>{t(title)}" "<span class="muted">{these.len()}</span></h2>
                                <ul class="coupon-grid" role="list">
                                    {these.into_iter().map(|c| view! { <CouponCard coupon=c /> }).collect_view()}
                                </ul>
                            </section>
                        }
                    }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}
