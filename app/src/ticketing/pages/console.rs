use super::show_time;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::ticketing::api::{console_concerts, CancelConcert, CreateConcert, SetConcertStatus};
use crate::ticketing::{ConcertStatus, ConcertView};
use crate::ui::components::{action_error, Field, FormAlert, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/concerts` and `/seller/concerts`: make concerts, and run the ones you organise.
#[component]
pub fn ConcertConsolePage() -> impl IntoView {
    let status = ServerAction::<SetConcertStatus>::new();
    let cancel = ServerAction::<CancelConcert>::new();
    let data = Resource::new(
        move || (status.version().get(), cancel.version().get()),
        |_| console_concerts(),
    );
    let status_error = action_error(status.value());
    let cancel_error = action_error(cancel.value());
    view! {
        <Title text=t(Msg::ConcertConsoleTitle) />
        <h1>{t(Msg::ConcertConsoleTitle)}</h1>
        <FormAlert error=status_error fields=&[] />
        <FormAlert error=cancel_error fields=&["reason"] />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) => view! {
                        <CreateForm />
                        <ConsoleList concerts=list status cancel />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CreateForm() -> impl IntoView {
    let action = ServerAction::<CreateConcert>::new();
    let error = action_error(action.value());
    let echo = crate::platform::forms::use_form_echo("concert");
    let fields = &[
        "title",
        "artist",
        "venue",
        "starts_at",
        "booking_starts_at",
        "booking_ends_at",
        "queue_per_minute",
        "queue_cap",
        "grades",
        "layout",
        "blocked",
    ];
    view! {
        <section class="panel" aria-labelledby="new-concert-title">
            <h2 id="new-concert-title">{t(Msg::ConcertCreate)}</h2>
            <ActionForm action=action attr:novalidate="true">
                <OnceField token=FormToken(uuid::Uuid::new_v4().to_string()) />
                <FormAlert error=error fields=fields />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let typed = echo.await;
                        let v = |k: &str| typed.get(k).cloned();
                        view! {
                            <Field label=Msg::ConcertTitle name="title" required=true value=v("title") error=error />
                            <Field label=Msg::ConcertArtist name="artist" required=true value=v("artist") error=error />
                            <Field label=Msg::ConcertVenue name="venue" required=true value=v("venue") error=error />
                            <Field label=Msg::ConcertStartsAt name="starts_at" kind="datetime-local" required=true value=v("starts_at") error=error />
                            <Field label=Msg::ConcertBookingStarts name="booking_starts_at" kind="datetime-local" required=true value=v("booking_starts_at") error=error />
                            <Field label=Msg::ConcertBookingEnds name="booking_ends_at" kind="datetime-local" required=true value=v("booking_ends_at") error=error />
                            <Field label=Msg::ConcertQueuePerMinute name="queue_per_minute" inputmode="numeric" hint=Msg::ConcertQueueHint value=v("queue_per_minute") error=error />
                            <Field label=Msg::ConcertQueueCap name="queue_cap" inputmode="numeric" hint=Msg::ConcertQueueHint value=v("queue_cap") error=error />
                            <TextArea label=Msg::ConcertGradesField name="grades" hint=Msg::ConcertGradesHint value=v("grades") error=error />
                            <TextArea label=Msg::ConcertLayoutField name="layout" hint=Msg::ConcertLayoutHint value=v("layout") error=error />
                            <Field label=Msg::ConcertBlockedField name="blocked" hint=Msg::ConcertBlockedHint value=v("blocked") error=error />
                            <TextArea label=Msg::ConcertDescription name="description" value=v("description") error=error />
                        }
                    })}
                </Suspense>
                <button type="submit" class="button primary">{t(Msg::ConcertCreate)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn TextArea(
    label: Msg,
    name: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    value: Option<String>,
    #[prop(into)] error: Signal<Option<crate::platform::error::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let message = move || error.get().and_then(|e| e.field_message(name, locale));
    let id = format!("concert-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label.text(locale)}</label>
            <textarea id=id name=format!("form[{name}]") rows="3"
                aria-describedby=format!("{hint_id} {err_id}")
                aria-invalid=move || message().map(|_| "true")>{value}</textarea>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h.text(locale)}</p> })}
            <p class="field-error" id=err_id role="alert">{message}</p>
        </div>
    }
}

#[component]
fn ConsoleList(
    concerts: Vec<ConcertView>,
    status: ServerAction<SetConcertStatus>,
    cancel: ServerAction<CancelConcert>,
) -> impl IntoView {
    let locale = use_locale();
    let is_admin = matches!(
        crate::ui::layout::use_auth()
            .user
            .get_untracked()
            .flatten()
            .map(|u| u.role),
        Some(crate::identity::Role::Admin)
    );
    view! {
        <section class="panel" aria-labelledby="concerts-title">
            <h2 id="concerts-title">{t(Msg::ConcertConsoleList)}</h2>
            {if concerts.is_empty() {
                view! { <p class="muted">{t(Msg::TicketsNone)}</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t(Msg::ConcertTitle)}</th>
                            <th scope="col">{t(Msg::ConcertStartsAt)}</th>
                            <th scope="col">{t(Msg::OrderStatusLabel)}</th>
                            <th scope="col" class="num">{t(Msg::ConcertSeatsLeftCol)}</th>
                            <th scope="col">{t(Msg::ConcertActions)}</th>
                        </tr></thead>
                        <tbody>
                            {concerts.into_iter().map(|c| {
                                let open = c.status != ConcertStatus::Cancelled;
                                let id = c.id.to_string();
                                view! {
                                    <tr data-testid="console-concert">
                                        <td>
                                            <a href=format!("/tickets/{}", c.id)>{c.title.clone()}</a>
                                            {open.then(|| view! {
                                                " · "<a class="small" href=format!("/tickets/{}/edit", c.id)>{t(Msg::ConcertEdit)}</a>
                                            })}
                                            {is_admin.then(|| view! {
                                                " · "<a class="small" href=format!("/admin/concerts/{}/admissions", c.id)>{t(Msg::AdmissionsTitle)}</a>
                                            })}
                                        </td>
                                        <td>{show_time(c.starts_at, locale)}</td>
                                        <td>{c.status.label().text(locale)}</td>
                                        <td class="num">{format!("{} / {}", c.seats_left, c.total_seats)}</td>
                                        <td>
                                            {(open && is_admin).then(|| { let id = id.clone(); view! {
                                                <ActionForm action=status attr:class="inline-form">
                                                    <input type="hidden" name="concert" value=id.clone() />
                                                    <label class="visually-hidden" for=format!("status-{id}")>{t(Msg::OrderStatusLabel)}</label>
                                                    <select id=format!("status-{id}") name="status">
                                                        <option value="auto">{t(Msg::ConcertStatusAuto)}</option>
                                                        {[ConcertStatus::Scheduled, ConcertStatus::BookingOpen, ConcertStatus::BookingClosed].into_iter().map(|s| view! {
                                                            <option value=s.as_str()>{s.label().text(locale)}</option>
                                                        }).collect_view()}
                                                    </select>
                                                    <button type="submit" class="button small">{t(Msg::ConcertSetStatus)}</button>
                                                </ActionForm>
                                            }})}
                                            {open.then(|| view! {
                                                <ActionForm action=cancel attr:class="inline-form">
                                                    <input type="hidden" name="concert" value=id.clone() />
                                                    <label for=format!("reason-{id}")>{t(Msg::SellerReason)}</label>
                                                    <input id=format!("reason-{id}") name="reason" required />
                                                    <button type="submit" class="button danger small">{t(Msg::ConcertCancel)}</button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
