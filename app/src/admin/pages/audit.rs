//! `/admin/audit`: the whole log, filtered by resource, actor, action and time, in pages.
//! The filter is a plain GET form, so it works without JavaScript.

use super::history::{action_label, HistoryTable};
use crate::admin::api::audit_log;
use crate::admin::domain::AuditQuery;
use crate::platform::audit::{AuditAction, AuditResource};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::LoadError;
use crate::ui::format::href;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub fn resource_label(r: AuditResource) -> Msg {
    match r {
        AuditResource::User => Msg::AuditResUser,
        AuditResource::Seller => Msg::AuditResSeller,
        AuditResource::Product => Msg::AuditResProduct,
        AuditResource::Category => Msg::AuditResCategory,
        AuditResource::Config => Msg::AuditResConfig,
        AuditResource::Notice => Msg::AuditResNotice,
        AuditResource::Breaker => Msg::AuditResBreaker,
    }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let read = move || {
        query.with(|q| AuditQuery {
            resource: q.get("resource").unwrap_or_default(),
            id: q.get("id").unwrap_or_default(),
            actor: q.get("actor").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            before: q.get("before").unwrap_or_default(),
        })
    };
    let page = Resource::new(read, audit_log);
    view! {
        <Title text=t(Msg::AuditTitle) />
        <h1>{t(Msg::AuditTitle)}</h1>
        {move || view! { <AuditFilters query=read() /> }}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let q = read();
                match page.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => {
                        let older = p.next.map(|next| href("/admin/audit", &[
                            ("resource", &q.resource), ("id", &q.id), ("actor", &q.actor),
                            ("action", &q.action), ("from", &q.from), ("to", &q.to),
                            ("before", &next),
                        ]));
                        view! {
                            <section class="panel" aria-labelledby="audit-rows">
                                <h2 id="audit-rows" class="visually-hidden">{t(Msg::AuditTitle)}</h2>
                                <HistoryTable entries=p.items show_resource=true />
                                {older.map(|h| view! {
                                    <nav class="pager" aria-label=t(Msg::Pages)><a rel="next" href=h>{t(Msg::AuditOlder)}</a></nav>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditFilters(query: AuditQuery) -> impl IntoView {
    let locale = use_locale();
    view! {
        <form method="get" action="/admin/audit" class="filters panel" role="search" data-testid="audit-filters">
            <div class="field">
                <label for="resource">{t(Msg::AuditResourceCol)}</label>
                <select id="resource" name="resource">
                    <option value="">{t(Msg::FilterAll)}</option>
                    {AuditResource::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected={query.resource == r.as_str()}>{resource_label(*r).text(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="id">{t(Msg::AuditResourceId)}</label>
                <input type="text" id="id" name="id" value=query.id maxlength="100" />
            </div>
            <div class="field">
                <label for="actor">{t(Msg::AuditWho)}</label>
                <input type="search" id="actor" name="actor" value=query.actor maxlength="255" placeholder="admin@" />
            </div>
            <div class="field">
                <label for="action">{t(Msg::AuditActionCol)}</label>
                <select id="action" name="action">
                    <option value="">{t(Msg::FilterAll)}</option>
                    {AuditAction::ALL.iter().map(|a| view! {
                        <option value=a.as_str() selected={query.action == a.as_str()}>{action_label(*a).text(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="from">{t(Msg::AuditFrom)}</label>
                <input type="date" id="from" name="from" value=query.from />
            </div>
            <div class="field">
                <label for="to">{t(Msg::AuditTo)}</label>
                <input type="date" id="to" name="to" value=query.to />
            </div>
            <button type="submit" class="button">{t(Msg::ShopSearch)}</button>
        </form>
    }
}
