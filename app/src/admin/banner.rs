//! The banner of urgent and maintenance notices at the top of every page. A reader dismisses
//! one with a plain form post; the dismissed ids live in a cookie, so it works without
//! JavaScript and without an account.

use super::api::{banners, DismissBanner};
use crate::platform::i18n::{t, use_locale, Msg};
use leptos::prelude::*;

/// The cookie that lists dismissed banners (notice ids, comma-separated).
pub const DISMISSED_COOKIE: &str = "jt_dismissed";
/// The most ids it keeps (the oldest go first).
pub const MAX_DISMISSED: usize = 20;

/// The ids in a `Cookie` header's `jt_dismissed`.
pub fn dismissed_in(cookie_header: &str) -> Vec<super::NoticeId> {
    crate::platform::cookies::values(cookie_header, DISMISSED_COOKIE)
        .flat_map(|v| {
            v.split(',')
                .filter_map(|id| id.parse().ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[component]
pub fn Banners() -> impl IntoView {
    let list = Resource::new(|| (), |_| banners());
    let dismiss = ServerAction::<DismissBanner>::new();
    let locale = use_locale();
    let here = leptos_router::hooks::use_location();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let items = list.await.unwrap_or_default();
                let back = here.pathname.get_untracked();
                (!items.is_empty()).then(|| view! {
                    <section class="banners" aria-label=t(Msg::BannerLabel)>
                        {items.into_iter().map(|b| { let back = back.clone(); view! {
                            <div class=format!("banner banner-{}", b.notice_type) data-testid="banner" role="note">
                                <span class="badge">{b.notice_type.label().text(locale)}</span>
                                <a href=format!("/notices/{}", b.id)>{b.title}</a>
                                <ActionForm action=dismiss attr:class="inline-form">
                                    <input type="hidden" name="id" value=b.id.to_string() />
                                    <input type="hidden" name="back" value=back />
                                    <button type="submit" class="button small" aria-label=t(Msg::BannerDismiss)>
                                        {t(Msg::BannerDismissShort)}
                                    </button>
                                </ActionForm>
                            </div>
                        }}).collect_view()}
                    </section>
                })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dismissed_ids_come_from_their_cookie_only() {
        let a = uuid::Uuid::from_u128(1);
        let b = uuid::Uuid::from_u128(2);
        let header = format!("jangteo_sid=x; {DISMISSED_COOKIE}={a},nonsense,{b}; other={a}");
        let ids: Vec<uuid::Uuid> = dismissed_in(&header)
            .into_iter()
            .map(|i| i.into_uuid())
            .collect();
        assert_eq!(ids, [a, b]);
        assert!(dismissed_in("other=1").is_empty());
    }
}
