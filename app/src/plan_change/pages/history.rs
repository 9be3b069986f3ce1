use super::ChangeTable;
use crate::plan_change::api::change_history;
use crate::plan_change::format_line;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/mobile/history?line=…`: every request of one of the shopper's lines.
#[component]
pub fn MobileHistoryPage() -> impl IntoView {
    let query = use_query_map();
    let line = move || query.with(|q| q.get("line"));
    let list = Resource::new(line, change_history);
    view! {
        <Title text=t(Msg::MobileHistoryTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok((None, ..)) => view! {
                        <p><a href="/mobile">{t(Msg::MobileBack)}</a></p>
                        <h1>{t(Msg::MobileHistoryTitle)}</h1>
                        <p class="muted">{t(Msg::MobileNoLines)}</p>
                    }.into_any(),
                    Ok((Some(line), items, names)) => view! {
                        <p><a href=format!("/mobile?line={line}")>{t(Msg::MobileBack)}</a></p>
                        <h1>{t(Msg::MobileHistoryTitle)} " " <small>{format_line(&line)}</small></h1>
                        <ChangeTable changes=items names />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
