use crate::platform::i18n::{t, Msg};
use crate::ticketing::api::{concert_for_edit, UpdateConcert};
use crate::ticketing::{ConcertId, ConcertView};
use crate::ui::components::{action_error, Field, FormAlert, LoadError};
use crate::ui::format::local;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/tickets/{id}/edit`: the organiser changes a concert's details (the seats stay).
#[component]
pub fn ConcertEditPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").and_then(|s| s.parse::<ConcertId>().ok())),
        |id| async move {
            match id {
                Some(id) => concert_for_edit(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=t(Msg::ConcertEdit) />
        <h1>{t(Msg::ConcertEdit)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(c) => view! { <EditForm concert=c /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(concert: ConcertView) -> impl IntoView {
    let action = ServerAction::<UpdateConcert>::new();
    let error = action_error(action.value());
    let echo = crate::platform::forms::use_form_echo("concert-edit");
    let fields = &[
        "title",
        "artist",
        "venue",
        "starts_at",
        "booking_starts_at",
        "booking_ends_at",
        "queue_per_minute",
        "queue_cap",
    ];
    let at = |t| local(t, "%Y-%m-%dT%H:%M");
    let own = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let c = concert.clone();
    let locale = crate::platform::i18n::use_locale();
    let query = leptos_router::hooks::use_query_map();
    // The upload is a plain form post; its handler sends the message key back.
    let upload_error = move || {
        query.with(|q| q.get("image_error")).and_then(|key| {
            serde_json::from_value::<Msg>(serde_json::Value::String(key))
                .ok()
                .map(|m| m.text(locale))
        })
    };
    let poster = concert.poster_thumbnail_url.clone();
    view! {
        <section class="panel" aria-labelledby="poster-title">
            <h2 id="poster-title">{t(Msg::ConcertPoster)}</h2>
            {poster.map(|src| view! { <img class="concert-poster" src=src alt="" width="120" height="160" /> })}
            <form method="post" enctype="multipart/form-data" action=format!("/tickets/{}/poster", concert.id)>
                <div class="field" class:has-error=move || upload_error().is_some()>
                    <label for="poster-file">{t(Msg::ConcertPosterFile)}</label>
                    <input id="poster-file" name="image" type="file" accept=crate::media::ACCEPT required
                        aria-describedby="poster-error" />
                    <p class="field-error" id="poster-error" role="alert">{upload_error}</p>
                </div>
                <button type="submit" class="button">{t(Msg::ConcertPosterUpload)}</button>
            </form>
        </section>
        <section class="panel">
            <ActionForm action=action attr:novalidate="true">
                <input type="hidden" name="concert" value=concert.id.to_string() />
                <FormAlert error=error fields=fields />
                <Suspense fallback=|| ()>
                    {move || {
                        let c = c.clone();
                        Suspend::new(async move {
                            let typed = echo.await;
                            let v = |k: &str, now: String| Some(typed.get(k).cloned().unwrap_or(now));
                            view! {
                                <Field label=Msg::ConcertTitle name="title" required=true value=v("title", c.title.clone()) error=error />
                                <Field label=Msg::ConcertArtist name="artist" required=true value=v("artist", c.artist.clone()) error=error />
                                <Field label=Msg::ConcertVenue name="venue" required=true value=v("venue", c.venue.clone()) error=error />
                                <Field label=Msg::ConcertStartsAt name="starts_at" kind="datetime-local" required=true value=v("starts_at", at(c.starts_at)) error=error />
                                <Field label=Msg::ConcertBookingStarts name="booking_starts_at" kind="datetime-local" required=true value=v("booking_starts_at", at(c.booking_starts_at)) error=error />
                                <Field label=Msg::ConcertBookingEnds name="booking_ends_at" kind="datetime-local" required=true value=v("booking_ends_at", at(c.booking_ends_at)) error=error />
                                <Field label=Msg::ConcertQueuePerMinute name="queue_per_minute" inputmode="numeric" hint=Msg::ConcertQueueHint value=v("queue_per_minute", own(c.queue_admission_per_minute)) error=error />
                                <Field label=Msg::ConcertQueueCap name="queue_cap" inputmode="numeric" hint=Msg::ConcertQueueHint value=v("queue_cap", own(c.queue_active_cap)) error=error />
                                <Field label=Msg::ConcertDescription name="description" value=v("description", c.description.clone()) error=error />
                            }
                        })
                    }}
                </Suspense>
                <button type="submit" class="button primary">{t(Msg::ConcertSave)}</button>
            </ActionForm>
        </section>
    }
}
