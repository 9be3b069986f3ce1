use super::live::LiveQueue;
use super::show_time;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ticketing::api::{concert_admissions, queue_page, LeaveQueue, QueuePageData};
use crate::ticketing::{ConcertId, Place};
use crate::ui::components::LoadError;
use crate::ui::format::local;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

fn concert_param() -> Memo<Option<ConcertId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<ConcertId>().ok())))
}

/// `/tickets/{id}/queue`: my place in the waiting room, live with JavaScript (Server-Sent
/// Events) and refreshed every few seconds without it; at my turn it sends me to the seats.
#[component]
pub fn QueuePage() -> impl IntoView {
    let id = concert_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => queue_page(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=t(Msg::QueueTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <Queue data=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(data: QueuePageData) -> impl IntoView {
    let locale = use_locale();
    let leave = ServerAction::<LeaveQueue>::new();
    let c = data.concert.clone();
    let waiting = matches!(data.place, Place::Waiting { .. } | Place::PreQueue);
    let status = match data.place.clone() {
        Place::Waiting { position, ahead_minutes } => view! {
            <LiveQueue
                concert=c.id.to_string()
                ahead=position - 1
                minutes=ahead_minutes
                ahead_template=Msg::QueuePosition.text(locale).to_owned()
                next_text=Msg::QueueYourTurn.text(locale).to_owned()
                eta_template=Msg::QueueEta.text(locale).to_owned()
            />
        }
        .into_any(),
        Place::PreQueue => view! {
            <p class="queue-position" data-testid="queue-prequeue">{t(Msg::QueuePreQueue)}</p>
            <p>{Msg::QueueOpensAt.text(locale).replace("{at}", &show_time(c.booking_starts_at, locale))}</p>
        }
        .into_any(),
        Place::Admitted { .. } => view! { <p><a href=format!("/tickets/{}", c.id)>{t(Msg::TicketsPickSeats)}</a></p> }.into_any(),
        Place::Out => view! { <p>{t(Msg::QueueOut)}" "<a href=format!("/tickets/{}", c.id)>{c.title.clone()}</a></p> }.into_any(),
    };
    // In line, the place is live with JavaScript (`LiveQueue`) and refreshed without it; in
    // the pre-queue nothing moves until opening, so a refresh does for both.
    let in_line = matches!(data.place, Place::Waiting { .. });
    view! {
        {(waiting && !in_line).then(|| view! { <Meta http_equiv="refresh" content="5" /> })}
        {in_line.then(|| view! { <noscript><meta http-equiv="refresh" content="5" /></noscript> })}
        <h1>{t(Msg::QueueTitle)}</h1>
        <section class="panel queue" aria-labelledby="queue-concert" aria-live="polite">
            <h2 id="queue-concert">{c.title.clone()}</h2>
            <p class="muted">{c.venue.clone()}" · "{show_time(c.starts_at, locale)}</p>
            {status}
            {waiting.then(|| view! {
                <p class="hint">{t(Msg::QueueRefreshes)}</p>
                <ActionForm action=leave attr:class="inline-form">
                    <input type="hidden" name="concert" value=c.id.to_string() />
                    <button type="submit" class="button">{t(Msg::QueueLeave)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// `/admin/concerts/{id}/admissions`: how the waiting room let people in, for an audit.
#[component]
pub fn AdmissionsPage() -> impl IntoView {
    let id = concert_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => concert_admissions(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    let locale = use_locale();
    view! {
        <Title text=t(Msg::AdmissionsTitle) />
        <h1>{t(Msg::AdmissionsTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok((concert, log)) => view! {
                        <p><a href=format!("/tickets/{}", concert.id)>{concert.title.clone()}</a></p>
                        <p data-testid="shuffle-seed">{match log.seed {
                            Some(seed) => Msg::AdmissionsSeed.text(locale)
                                .replace("{seed}", &seed.to_string())
                                .replace("{n}", &log.pre_queue.len().to_string()),
                            None => Msg::AdmissionsNoShuffle.text(locale).to_owned(),
                        }}</p>
                        <table class="table">
                            <thead><tr>
                                <th scope="col" class="num">{t(Msg::AdmissionsPosition)}</th>
                                <th scope="col">{t(Msg::FieldEmail)}</th>
                                <th scope="col">{t(Msg::AdmissionsFromPre)}</th>
                                <th scope="col">{t(Msg::PointsWhen)}</th>
                            </tr></thead>
                            <tbody>
                                {log.admissions.into_iter().map(|a| view! {
                                    <tr data-testid="admission">
                                        <td class="num">{a.position}</td>
                                        <td>{a.email}</td>
                                        <td>{a.pre_queue.then_some("✓")}</td>
                                        <td>{local(a.admitted_at, "%Y-%m-%d %H:%M:%S")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
