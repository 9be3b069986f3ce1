use super::notices::Pager;
use crate::admin::api::{
    admin_notice, admin_notices, CreateNotice, DeleteNotice, PublishNotice, UpdateNotice,
};
use crate::admin::{NoticeId, NoticeState, NoticeTarget, NoticeType, NoticeView};
use crate::platform::forms::{use_form_echo, Echo};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::ticketing::pages::show_time;
use crate::ui::components::{action_error, Field, FormAlert, LoadError};
use crate::ui::format::local;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const FIELDS: &[&str] = &[
    "title",
    "content",
    "notice_type",
    "target",
    "publish",
    "publish_at",
];

/// `/admin/notices`: write a notice, and publish, take down, edit or delete the others.
#[component]
pub fn AdminNoticesPage() -> impl IntoView {
    let create = ServerAction::<CreateNotice>::new();
    let publish = ServerAction::<PublishNotice>::new();
    let delete = ServerAction::<DeleteNotice>::new();
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()));
    let list = Resource::new(
        move || {
            (
                page(),
                create.version().get(),
                publish.version().get(),
                delete.version().get(),
            )
        },
        |(page, ..)| admin_notices(page),
    );
    let echo = use_form_echo("notice");
    let row_error = action_error(publish.value());
    let delete_error = action_error(delete.value());
    view! {
        <Title text=t(Msg::AdminNoticesTitle) />
        <h1>{t(Msg::AdminNoticesTitle)}</h1>
        <FormAlert error=row_error />
        <FormAlert error=delete_error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let typed = echo.await;
                let form = view! {
                    <section class="panel" aria-labelledby="new-notice-title">
                        <h2 id="new-notice-title">{t(Msg::NoticeNew)}</h2>
                        <ActionForm action=create attr:novalidate="true" attr:data-testid="notice-form">
                            <OnceField token=FormToken(uuid::Uuid::new_v4().to_string()) />
                            <NoticeFields error=action_error(create.value()) typed notice=None />
                            <button type="submit" class="button primary">{t(Msg::NoticeSave)}</button>
                        </ActionForm>
                    </section>
                };
                let rows = match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="muted">{t(Msg::NoticesEmpty)}</p> }.into_any(),
                    Ok(p) => view! {
                        <NoticeTable items=p.items publish delete />
                        <Pager page=p.page pages=p.pages base="/admin/notices" />
                    }.into_any(),
                };
                view! { {form} <section class="panel" aria-labelledby="notices-list-title"><h2 id="notices-list-title">{t(Msg::NoticesTitle)}</h2>{rows}</section> }
            })}
        </Suspense>
    }
}

#[component]
fn NoticeTable(
    items: Vec<NoticeView>,
    publish: ServerAction<PublishNotice>,
    delete: ServerAction<DeleteNotice>,
) -> impl IntoView {
    let locale = use_locale();
    let now = chrono::Utc::now();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::NoticesTitle)>
            <table class="table" data-testid="admin-notices">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::NoticeTitleField)}</th>
                        <th scope="col">{t(Msg::NoticeTypeField)}</th>
                        <th scope="col">{t(Msg::NoticeTargetField)}</th>
                        <th scope="col">{t(Msg::NoticeStateCol)}</th>
                        <th scope="col">{t(Msg::NoticeViewsCol)}</th>
                        <th scope="col">{t(Msg::ConcertActions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|n| {
                        let (id, id_delete) = (n.id.to_string(), n.id.to_string());
                        let state = n.state(now);
                        let state_text = match state {
                            NoticeState::Draft => Msg::NoticeStateDraft.text(locale).to_owned(),
                            NoticeState::Scheduled => format!(
                                "{} {}",
                                Msg::NoticeStateScheduled.text(locale),
                                n.published_at.map(|a| show_time(a, locale)).unwrap_or_default()
                            ),
                            NoticeState::Published => Msg::NoticeStatePublished.text(locale).to_owned(),
                        };
                        let showing = n.is_published;
                        view! {
                            <tr data-testid="admin-notice">
                                <td><a href=format!("/notices/{}", n.id)>{n.title}</a>{n.is_pinned.then(|| view! { " " <span class="badge">{t(Msg::NoticePinned)}</span> })}</td>
                                <td>{n.notice_type.label().text(locale)}</td>
                                <td>{n.target.label().text(locale)}</td>
                                <td data-testid="notice-state">{state_text}</td>
                                <td>{n.view_count}</td>
                                <td class="actions">
                                    <a class="button small" href=format!("/admin/notices/{}/edit", n.id)>{t(Msg::NoticeEdit)}</a>
                                    <ActionForm action=publish attr:class="inline-form">
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="publish" value=(!showing).to_string() />
                                        <button type="submit" class="button small">
                                            {if showing { t(Msg::NoticeUnpublish) } else { t(Msg::NoticePublishNow) }}
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=delete attr:class="inline-form">
                                        <input type="hidden" name="id" value=id_delete />
                                        <button type="submit" class="button small danger">{t(Msg::NoticeDelete)}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The fields of the create and edit forms, filled from what was typed, else the notice.
#[component]
fn NoticeFields(
    #[prop(into)] error: Signal<Option<crate::platform::error::AppError>>,
    typed: Echo,
    notice: Option<NoticeView>,
) -> impl IntoView {
    let locale = use_locale();
    let v = |k: &str, now: Option<String>| typed.get(k).cloned().or(now);
    let n = notice.as_ref();
    let kind = v("notice_type", n.map(|n| n.notice_type.as_str().to_owned()))
        .unwrap_or_else(|| "general".into());
    let target =
        v("target", n.map(|n| n.target.as_str().to_owned())).unwrap_or_else(|| "all".into());
    let when = v(
        "publish",
        n.map(|n| match n.state(chrono::Utc::now()) {
            NoticeState::Draft => "draft".into(),
            NoticeState::Scheduled => "later".into(),
            NoticeState::Published => "now".into(),
        }),
    )
    .unwrap_or_else(|| "now".into());
    let at = v(
        "publish_at",
        n.and_then(|n| n.published_at)
            .map(|a| local(a, "%Y-%m-%dT%H:%M")),
    );
    let pinned = typed
        .get("pinned")
        .map(|p| !p.is_empty())
        .unwrap_or_else(|| n.is_some_and(|n| n.is_pinned));
    let field_error =
        move |name: &'static str| move || error.get().and_then(|e| e.field_message(name, locale));
    view! {
        <FormAlert error=error fields=FIELDS />
        <Field label=Msg::NoticeTitleField name="title" required=true value=v("title", n.map(|n| n.title.clone())) error=error />
        <div class="grid-2">
            <div class="field">
                <label for="notice_type">{t(Msg::NoticeTypeField)}</label>
                <select id="notice_type" name="form[notice_type]" aria-describedby="notice_type-error">
                    {NoticeType::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected={kind == k.as_str()}>{k.label().text(locale)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="notice_type-error" role="alert">{field_error("notice_type")}</p>
            </div>
            <div class="field">
                <label for="target">{t(Msg::NoticeTargetField)}</label>
                <select id="target" name="form[target]" aria-describedby="target-error">
                    {NoticeTarget::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected={target == k.as_str()}>{k.label().text(locale)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="target-error" role="alert">{field_error("target")}</p>
            </div>
        </div>
        <div class="field">
            <label for="content">{t(Msg::NoticeContentField)}</label>
            <textarea id="content" name="form[content]" rows="8" aria-describedby="content-hint content-error">
                {v("content", n.map(|n| n.content.clone()))}
            </textarea>
            <p class="hint" id="content-hint">{t(Msg::NoticeContentHint)}</p>
            <p class="field-error" id="content-error" role="alert">{field_error("content")}</p>
        </div>
        <div class="choice">
            <input type="checkbox" id="pinned" name="form[pinned]" value="on" checked=pinned />
            <label for="pinned">{t(Msg::NoticePinField)}</label>
        </div>
        <fieldset class="field">
            <legend>{t(Msg::NoticePublishField)}</legend>
            {[("now", Msg::NoticePublishNow), ("later", Msg::NoticePublishLater), ("draft", Msg::NoticeDraft)]
                .into_iter()
                .map(|(value, label)| view! {
                    <div class="choice">
                        <input type="radio" id=format!("publish-{value}") name="form[publish]" value=value checked={when == value} />
                        <label for=format!("publish-{value}")>{t(label)}</label>
                    </div>
                })
                .collect_view()}
            <p class="field-error" id="publish-error" role="alert">{field_error("publish")}</p>
        </fieldset>
        <Field label=Msg::NoticePublishAtField name="publish_at" kind="datetime-local" hint=Msg::NoticePublishAtHint value=at error=error />
    }
}

/// `/admin/notices/{id}/edit`.
#[component]
pub fn AdminNoticeEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<NoticeId>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => admin_notice(id).await,
            None => Err(crate::platform::error::AppError::NotFound),
        }
    });
    let update = ServerAction::<UpdateNotice>::new();
    let echo = use_form_echo("notice");
    view! {
        <Title text=t(Msg::NoticeEdit) />
        <h1>{t(Msg::NoticeEdit)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let typed = echo.await;
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(n) => view! {
                        <section class="panel">
                            <ActionForm action=update attr:novalidate="true">
                                <input type="hidden" name="id" value=n.id.to_string() />
                                <NoticeFields error=action_error(update.value()) typed notice=Some(n) />
                                <button type="submit" class="button primary">{t(Msg::NoticeSave)}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
