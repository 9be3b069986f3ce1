use super::live::LiveSeatMap;
use super::show_time;
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ticketing::api::{concert_page, ConcertPageData, HoldSeats};
use crate::ticketing::{ConcertId, ConcertStatus, SeatStatus, SeatView};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// `/tickets/{id}`: the concert, prices per grade, and the seat map to pick from.
#[component]
pub fn ConcertPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("id").and_then(|s| s.parse::<ConcertId>().ok())),
        |id| async move {
            match id {
                Some(id) => concert_page(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <Concert data=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Concert(data: ConcertPageData) -> impl IntoView {
    let locale = use_locale();
    let c = data.detail.concert.clone();
    let description = format!(
        "{} · {} · {}",
        c.artist,
        c.venue,
        show_time(c.starts_at, locale)
    );
    let why_closed = match c.status {
        ConcertStatus::Scheduled => Msg::TicketsOpensAt
            .text(locale)
            .replace("{at}", &show_time(c.booking_starts_at, locale)),
        ConcertStatus::Cancelled => Msg::TicketsConcertCancelled.text(locale).to_owned(),
        _ => Msg::TicketsBookingOver.text(locale).to_owned(),
    };
    view! {
        <Title text=c.title.clone() />
        <Meta name="description" content=description />
        <article class="concert">
            <header class="concert-head">
                {match c.poster_url.clone() {
                    Some(src) => view! { <img class="concert-poster large" src=src alt=Msg::TicketsPosterAlt.text(locale).replace("{title}", &c.title) width="240" height="320" fetchpriority="high" /> }.into_any(),
                    None => view! { <div class="concert-poster large" aria-hidden="true">"♪"</div> }.into_any(),
                }}
                <div>
                    <h1>{c.title.clone()}</h1>
                    <dl class="facts">
                        <dt>{t(Msg::ConcertArtist)}</dt><dd>{c.artist.clone()}</dd>
                        <dt>{t(Msg::ConcertVenue)}</dt><dd>{c.venue.clone()}</dd>
                        <dt>{t(Msg::ConcertStartsAt)}</dt><dd><time datetime=c.starts_at.to_rfc3339()>{show_time(c.starts_at, locale)}</time></dd>
                        <dt>{t(Msg::ConcertBooking)}</dt>
                        <dd>{show_time(c.booking_starts_at, locale)}" – "{show_time(c.booking_ends_at, locale)}</dd>
                        <dt>{t(Msg::OrderStatusLabel)}</dt>
                        <dd><span class=format!("badge concert-{}", c.status.as_str().to_lowercase()) data-testid="concert-status">{c.status.label().text(locale)}</span></dd>
                    </dl>
                    {(!c.description.is_empty()).then(|| view! { <p>{c.description.clone()}</p> })}
                </div>
            </header>
            <section class="panel" aria-labelledby="grades-title">
                <h2 id="grades-title">{t(Msg::ConcertGrades)}</h2>
                <table class="table">
                    <thead><tr>
                        <th scope="col">{t(Msg::ConcertGrade)}</th>
                        <th scope="col" class="num">{t(Msg::ConcertPrice)}</th>
                        <th scope="col" class="num">{t(Msg::ConcertSeatsLeftCol)}</th>
                    </tr></thead>
                    <tbody>
                        {data.detail.grades.iter().enumerate().map(|(i, g)| view! {
                            <tr data-testid="grade-row">
                                <th scope="row"><span class=format!("grade-dot grade-{}", i % 5) aria-hidden="true"></span>{g.grade.clone()}</th>
                                <td class="num">{won(g.price)}</td>
                                <td class="num">{format!("{} / {}", g.available, g.seats)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            {if data.bookable && data.place.as_ref().is_none_or(|p| matches!(p, crate::ticketing::Place::Admitted { .. })) {
                view! { <Booking data=data.clone() /> }.into_any()
            } else {
                let waiting_room = (c.status == ConcertStatus::Scheduled && data.signed_in).then(|| view! {
                    <a class="button primary" href=format!("/tickets/{}/queue", c.id) data-testid="join-queue">{t(Msg::QueueJoin)}</a>
                });
                view! {
                    <p class="alert" role="status" data-testid="booking-closed">{why_closed}</p>
                    {waiting_room}
                }.into_any()
            }}
        </article>
    }
}

/// A row of seats: its label and its seats, in order.
type Row = (String, Vec<SeatView>);

/// "A구역 3열 5번, R석 80,000원": the seat without its status, which changes.
fn seat_base(s: &SeatView, locale: Locale) -> String {
    Msg::SeatLabel
        .text(locale)
        .replace("{section}", &s.section)
        .replace("{row}", &s.row_label)
        .replace("{n}", &s.number_in_row.to_string())
        .replace("{grade}", &s.grade)
        .replace("{price}", &won(s.price))
}

#[component]
fn Booking(data: ConcertPageData) -> impl IntoView {
    let locale = use_locale();
    let pick = ServerAction::<HoldSeats>::new();
    let pick_error = action_error(pick.value());
    let best = ServerAction::<HoldSeats>::new();
    let best_error = action_error(best.value());
    let concert = data.detail.concert.id.to_string();
    let (pick_concert, best_concert) = (concert.clone(), concert.clone());
    let grade_codes: Vec<String> = data.detail.grades.iter().map(|g| g.grade.clone()).collect();
    let grade_index = move |g: &str| grade_codes.iter().position(|x| x == g).unwrap_or(0) % 5;
    // Sections, then rows, in the venue's order (the seats come sorted).
    let mut sections: Vec<(String, Vec<Row>)> = Vec::new();
    for s in data.map.seats.iter().cloned() {
        if sections.last().is_none_or(|(name, _)| *name != s.section) {
            sections.push((s.section.clone(), Vec::new()));
        }
        let rows = &mut sections.last_mut().expect("pushed").1;
        if rows.last().is_none_or(|(r, _)| *r != s.row_label) {
            rows.push((s.row_label.clone(), Vec::new()));
        }
        rows.last_mut().expect("pushed").1.push(s);
    }
    let labels: Vec<(String, String)> = SeatStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label().text(locale).to_owned()))
        .collect();
    let rules = Msg::TicketsRules
        .text(locale)
        .replace("{max}", &data.max_seats.to_string())
        .replace("{minutes}", &data.hold_minutes.to_string());
    view! {
        <section class="panel" aria-labelledby="seats-title">
            <h2 id="seats-title">{t(Msg::TicketsPickSeats)}</h2>
            <p class="hint">{rules}</p>
            {(!data.signed_in).then(|| view! { <p class="muted">{t(Msg::TicketsSignInToBook)}</p> })}
            <ul class="seat-legend" role="list">
                <li><span class="seat-swatch available" aria-hidden="true"></span>{t(Msg::SeatAvailable)}</li>
                <li><span class="seat-swatch held" aria-hidden="true"></span>{t(Msg::SeatHeld)}</li>
                <li><span class="seat-swatch sold" aria-hidden="true"></span>{t(Msg::SeatSold)}</li>
                <li><span class="seat-swatch blocked" aria-hidden="true"></span>{t(Msg::SeatBlocked)}</li>
            </ul>
            <LiveSeatMap concert=concert.clone() labels=labels live_text=Msg::TicketsLive.text(locale).to_owned() />
            <ActionForm action=pick attr:class="seat-map-form" attr:novalidate="true">
                <input type="hidden" name="form[concert]" value=pick_concert.clone() />
                <FormAlert error=pick_error fields=&[] />
                <div class="seat-map" data-testid="seat-map" data-concert=pick_concert.clone() data-version=data.version>
                    <p class="stage" aria-hidden="true">{t(Msg::TicketsStage)}</p>
                    {sections.into_iter().map(|(section, rows)| view! {
                        <fieldset class="seat-section">
                            <legend>{Msg::SeatSection.text(locale).replace("{section}", &section)}</legend>
                            {rows.into_iter().map(|(row, seats)| view! {
                                <div class="seat-row">
                                    <span class="row-label" aria-hidden="true">{row.clone()}</span>
                                    {seats.into_iter().map(|s| {
                                        let free = s.status == SeatStatus::Available;
                                        let state = match s.status {
                                            SeatStatus::Available => "available",
                                            SeatStatus::TemporarilyReserved => "held",
                                            SeatStatus::Reserved => "sold",
                                            SeatStatus::Blocked => "blocked",
                                        };
                                        let id = format!("seat-{}", s.id);
                                        let base = seat_base(&s, locale);
                                        let label = format!("{base}, {}", s.status.label().text(locale));
                                        view! {
                                            <span class=format!("seat grade-{} {state}", grade_index(&s.grade))>
                                                <input type="checkbox" id=id.clone() name="form[seats][]" value=s.id.to_string()
                                                    disabled=!free data-base=base aria-label=label />
                                                <label for=id aria-hidden="true">{s.number_in_row}</label>
                                            </span>
                                        }
                                    }).collect_view()}
                                </div>
                            }).collect_view()}
                        </fieldset>
                    }).collect_view()}
                </div>
                <button type="submit" class="button primary" data-testid="hold-seats">{t(Msg::TicketsHoldSelected)}</button>
            </ActionForm>
        </section>
        <section class="panel" aria-labelledby="best-title">
            <h2 id="best-title">{t(Msg::TicketsBestTitle)}</h2>
            <ActionForm action=best attr:class="inline-fields" attr:novalidate="true">
                <input type="hidden" name="form[concert]" value=best_concert.clone() />
                <FormAlert error=best_error fields=&[] />
                <div class="field">
                    <label for="best-grade">{t(Msg::ConcertGrade)}</label>
                    <select id="best-grade" name="form[grade]">
                        {data.detail.grades.iter().map(|g| view! {
                            <option value=g.grade.clone()>{format!("{} · {}", g.grade, won(g.price))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="best-count">{t(Msg::TicketsBestCount)}</label>
                    <input id="best-count" name="form[count]" type="number" min="1" max=data.max_seats value="2" inputmode="numeric" />
                </div>
                <button type="submit" class="button">{t(Msg::TicketsBestSubmit)}</button>
            </ActionForm>
        </section>
    }
}
