use super::show_time;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ticketing::api::concerts_page;
use crate::ticketing::ConcertView;
use crate::ui::components::LoadError;
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// `/tickets`: concerts with their booking state.
#[component]
pub fn ConcertsPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| concerts_page());
    view! {
        <Title text=t(Msg::TicketsTitle) />
        <Meta name="description" content=Msg::TicketsLead.text(locale) />
        <h1>{t(Msg::TicketsTitle)}</h1>
        <p class="lead">{t(Msg::TicketsLead)}</p>
        <p><a href="/tickets/me">{t(Msg::MyTicketsTitle)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! {
                        <section aria-labelledby="upcoming-title">
                            <h2 id="upcoming-title">{t(Msg::TicketsUpcoming)}</h2>
                            {if d.upcoming.is_empty() {
                                view! { <p class="muted">{t(Msg::TicketsNone)}</p> }.into_any()
                            } else {
                                view! { <ConcertList concerts=d.upcoming /> }.into_any()
                            }}
                        </section>
                        {(!d.past.is_empty()).then(|| view! {
                            <section aria-labelledby="past-title">
                                <h2 id="past-title">{t(Msg::TicketsPast)}</h2>
                                <ConcertList concerts=d.past />
                            </section>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConcertList(concerts: Vec<ConcertView>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ul class="concert-list" role="list">
            {concerts.into_iter().map(|c| {
                let left = Msg::TicketsSeatsLeft.text(locale).replace("{n}", &c.seats_left.to_string());
                view! {
                    <li class="concert-card panel" data-testid="concert-card">
                        {match c.poster_thumbnail_url.clone() {
                            Some(src) => view! { <img class="concert-poster" src=src alt="" width="120" height="160" loading="lazy" /> }.into_any(),
                            None => view! { <div class="concert-poster" aria-hidden="true">"♪"</div> }.into_any(),
                        }}
                        <div class="concert-card-body">
                            <h3><a href=format!("/tickets/{}", c.id)>{c.title.clone()}</a></h3>
                            <p>{c.artist.clone()}" · "{c.venue.clone()}</p>
                            <p><time datetime=c.starts_at.to_rfc3339()>{show_time(c.starts_at, locale)}</time></p>
                            <p>
                                <span class=format!("badge concert-{}", c.status.as_str().to_lowercase()) data-testid="concert-status">
                                    {c.status.label().text(locale)}
                                </span>
                                " "<span class="muted">{left}</span>
                                {c.price_from.map(|p| view! { " · "<span>{Msg::TicketsPriceFrom.text(locale).replace("{price}", &won(p))}</span> })}
                            </p>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
