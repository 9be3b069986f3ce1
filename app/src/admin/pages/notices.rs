use crate::admin::api::{notice_detail, notices};
use crate::admin::NoticeId;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ticketing::pages::show_time;
use crate::ui::components::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/notices`: the notices for me, pinned first, in pages.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()));
    let data = Resource::new(page, notices);
    let locale = use_locale();
    view! {
        <Title text=t(Msg::NoticesTitle) />
        <h1>{t(Msg::NoticesTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="muted">{t(Msg::NoticesEmpty)}</p> }.into_any(),
                    Ok(p) => view! {
                        <ul class="notice-list" role="list" data-testid="notices">
                            {p.items.into_iter().map(|n| view! {
                                <li class="notice-item" class:pinned=n.is_pinned data-testid="notice-item">
                                    <span class=format!("badge notice-{}", n.notice_type)>{n.notice_type.label().text(locale)}</span>
                                    {n.is_pinned.then(|| view! { <span class="badge">{t(Msg::NoticePinned)}</span> })}
                                    <a href=format!("/notices/{}", n.id)>{n.title}</a>
                                    <time class="muted small" datetime=n.published_at.map(|a| a.to_rfc3339())>
                                        {n.published_at.map(|a| show_time(a, locale))}
                                    </time>
                                </li>
                            }).collect_view()}
                        </ul>
                        <Pager page=p.page pages=p.pages />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "이전" / "다음" links between pages of `/notices` (or another list at `base`, keeping the
/// `filters` it was asked with).
#[component]
pub(super) fn Pager(
    page: i64,
    pages: i64,
    #[prop(default = "/notices")] base: &'static str,
    #[prop(optional)] filters: Vec<(&'static str, String)>,
) -> impl IntoView {
    let link = move |to: i64| {
        let to = to.to_string();
        let mut pairs: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.push(("page", &to));
        crate::ui::format::href(base, &pairs)
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=t(Msg::Pages)>
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{t(Msg::PagePrev)}</a> })}
                <span>{format!("{page} / {pages}")}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{t(Msg::PageNext)}</a> })}
            </nav>
        }
    })
}

/// `/notices/{id}`: one notice, its Markdown body rendered and sanitised on the server.
#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").and_then(|s| s.parse::<NoticeId>().ok())),
        |id| async move {
            match id {
                Some(id) => notice_detail(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    let locale = use_locale();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(n) => view! {
                        <Title text=n.title.clone() />
                        <article class="notice" data-testid="notice-article">
                            <p><span class=format!("badge notice-{}", n.notice_type)>{n.notice_type.label().text(locale)}</span></p>
                            <h1>{n.title}</h1>
                            <p class="muted small">
                                {n.published_at.map(|a| show_time(a, locale))}
                            </p>
                            <div class="notice-body" data-testid="notice-body" inner_html=n.html></div>
                            <p><a href="/notices">{t(Msg::NoticesBack)}</a></p>
                        </article>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
