use super::ChangeRow;
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
    let line = move || query.with(|q| q.get("line")).unwrap_or_default();
    let list = Resource::new(line, change_history);
    view! {
        <Title text=t(Msg::MobileHistoryTitle) />
        <p><a href=move || format!("/mobile?line={}", line())>{t(Msg::MobileBack)}</a></p>
        <h1>{t(Msg::MobileHistoryTitle)} " " <small>{move || format_line(&line())}</small></h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="muted">{t(Msg::MobileNoRequests)}</p> }.into_any(),
                    Ok(items) => view! {
                        <div class="table-wrap"><table>
                            <thead><tr>
                                <th scope="col">{t(Msg::MobileRequestedAt)}</th>
                                <th scope="col">{t(Msg::MobileChange)}</th>
                                <th scope="col">{t(Msg::MobileStatus)}</th>
                                <th scope="col">{t(Msg::MobileReason)}</th>
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|c| view! { <ChangeRow change=c /> }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
