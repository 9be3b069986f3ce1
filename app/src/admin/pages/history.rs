//! One resource's change history (or the whole audit log's page of it) as a table: when, who,
//! what, the fields before and after, and why.

use crate::platform::audit::{AuditAction, AuditEntry, AuditResource};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::format::local;
use leptos::prelude::*;

/// A JSON value as a person reads it: strings without quotes, nothing for null.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// "field: before → after" per changed field (or just the value for a create or delete).
pub fn change_lines(e: &AuditEntry) -> Vec<String> {
    let empty = serde_json::Map::new();
    let obj = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_object()).cloned();
    let before = obj(&e.before).unwrap_or_else(|| empty.clone());
    let after = obj(&e.after).unwrap_or(empty);
    let mut keys: Vec<&String> = after.keys().chain(before.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| match (before.get(k), after.get(k)) {
            (Some(b), Some(a)) => format!("{k}: {} → {}", shown(b), shown(a)),
            (None, Some(a)) => format!("{k}: {}", shown(a)),
            (Some(b), None) => format!("{k}: {}", shown(b)),
            (None, None) => k.clone(),
        })
        .collect()
}

pub fn action_label(a: AuditAction) -> Msg {
    match a {
        AuditAction::Create => Msg::AuditCreate,
        AuditAction::Read => Msg::AuditRead,
        AuditAction::Update => Msg::AuditUpdate,
        AuditAction::Delete => Msg::AuditDelete,
    }
}

/// The rows of a history; `show_resource` adds the resource column (the audit log page).
#[component]
pub fn HistoryTable(
    entries: Vec<AuditEntry>,
    #[prop(optional)] show_resource: bool,
) -> impl IntoView {
    let locale = use_locale();
    if entries.is_empty() {
        return view! { <p class="muted">{t(Msg::AuditEmpty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::AuditHistory)>
            <table class="table history" data-testid="history">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::AuditWhen)}</th>
                        {show_resource.then(|| view! { <th scope="col">{t(Msg::AuditResourceCol)}</th> })}
                        <th scope="col">{t(Msg::AuditWho)}</th>
                        <th scope="col">{t(Msg::AuditActionCol)}</th>
                        <th scope="col">{t(Msg::AuditChange)}</th>
                        <th scope="col">{t(Msg::AuditReason)}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let lines = change_lines(&e);
                        let who = e.actor_email.clone().unwrap_or_else(|| e.actor_id.map(|i| i.to_string()).unwrap_or_default());
                        view! {
                            <tr data-testid="history-row">
                                <td><time datetime=e.created_at.to_rfc3339()>{local(e.created_at, "%Y-%m-%d %H:%M:%S")}</time></td>
                                {show_resource.then(|| {
                                    let label = super::audit::resource_label(e.resource_type).text(locale);
                                    let id = e.resource_id.clone();
                                    let target = match e.resource_type {
                                        AuditResource::User => Some(format!("/admin/users/{id}")),
                                        AuditResource::Notice => Some(format!("/admin/notices/{id}/edit")),
                                        AuditResource::Config => Some(format!("/admin/configs#{id}")),
                                        _ => None,
                                    };
                                    let id_view = match target {
                                        Some(href) => view! { <a href=href><code>{id}</code></a> }.into_any(),
                                        None => view! { <code>{id}</code> }.into_any(),
                                    };
                                    view! { <td><span class="badge">{label}</span>" "{id_view}</td> }
                                })}
                                <td>
                                    {who}<br />
                                    <small class="muted">{e.actor_role.label().text(locale)}" · "{e.actor_ip.clone()}</small>
                                </td>
                                <td>{action_label(e.action).text(locale)}</td>
                                <td><ul class="plain changes">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></td>
                                <td>{e.reason.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A resource's recent history, loaded for its admin page (rendered on the server).
#[component]
pub fn ResourceHistory(
    resource: crate::platform::audit::AuditResource,
    #[prop(into)] id: String,
) -> impl IntoView {
    let link = crate::ui::format::href(
        "/admin/audit",
        &[("resource", resource.as_str()), ("id", &id)],
    );
    let data = Resource::new(
        move || id.clone(),
        move |id| crate::admin::api::resource_history(resource, id),
    );
    view! {
        <section class="panel" aria-labelledby=format!("history-{}", resource.as_str())>
            <h2 id=format!("history-{}", resource.as_str())>{t(Msg::AuditHistory)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <crate::ui::components::LoadError error=e /> }.into_any(),
                        Ok(entries) => view! { <HistoryTable entries /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href=link>{t(Msg::AuditSeeAll)}</a></p>
        </section>
    }
}
