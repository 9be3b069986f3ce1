use super::show_time;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ticketing::api::{my_tickets, CancelTicket};
use crate::ticketing::{ConcertStatus, ReservationStatus, TicketView};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/tickets/me`: my tickets with their QR codes, and seats I hold now.
#[component]
pub fn MyTicketsPage() -> impl IntoView {
    let cancel = ServerAction::<CancelTicket>::new();
    let data = Resource::new(move || cancel.version().get(), |_| my_tickets());
    let error = action_error(cancel.value());
    view! {
        <Title text=t(Msg::MyTicketsTitle) />
        <h1>{t(Msg::MyTicketsTitle)}</h1>
        <FormAlert error=error fields=&[] />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">{t(Msg::MyTicketsEmpty)}" "<a href="/tickets">{t(Msg::TicketsTitle)}</a></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="ticket-list" role="list">
                            {list.into_iter().map(|ticket| view! { <Ticket ticket cancel /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Ticket(ticket: TicketView, cancel: ServerAction<CancelTicket>) -> impl IntoView {
    let locale = use_locale();
    let now = chrono::Utc::now();
    let confirmed = ticket.status == ReservationStatus::Confirmed;
    let cancellable =
        confirmed && ticket.concert_status == ConcertStatus::BookingOpen && now < ticket.starts_at;
    let qr = (confirmed && !ticket.qr_svg.is_empty()).then(|| ticket.qr_svg.clone());
    let place = Msg::SeatPlace
        .text(locale)
        .replace("{section}", &ticket.section)
        .replace("{row}", &ticket.row_label)
        .replace("{n}", &ticket.number_in_row.to_string());
    let state = match (ticket.status, ticket.concert_status) {
        (ReservationStatus::Cancelled, ConcertStatus::Cancelled) => {
            Msg::TicketRefundedConcertCancelled
        }
        (ReservationStatus::Cancelled, _) => Msg::TicketRefunded,
        (s, _) => s.label(),
    };
    view! {
        <li class="ticket panel" data-testid="ticket">
            <div class="ticket-body">
                <h2><a href=format!("/tickets/{}", ticket.concert_id)>{ticket.title.clone()}</a></h2>
                <p class="muted">{ticket.artist.clone()}" · "{ticket.venue.clone()}</p>
                <p><time datetime=ticket.starts_at.to_rfc3339()>{show_time(ticket.starts_at, locale)}</time></p>
                <p data-testid="ticket-seat">{place}" · "{ticket.grade.clone()}" · "{won(ticket.price)}</p>
                <p><span class="badge" data-testid="ticket-status">{state.text(locale)}</span></p>
                {(ticket.status == ReservationStatus::TemporarilyReserved).then(|| view! {
                    <p><a class="button primary small" href=format!("/tickets/holds/{}", ticket.hold_id)>{t(Msg::HoldPay)}</a></p>
                })}
                {cancellable.then(|| view! {
                    <ActionForm action=cancel attr:class="inline-form">
                        <input type="hidden" name="ticket" value=ticket.reservation_id.to_string() />
                        <button type="submit" class="button danger small">{t(Msg::TicketCancelForRefund)}</button>
                    </ActionForm>
                })}
            </div>
            {qr.map(|svg| view! {
                <figure class="ticket-qr" data-testid="ticket-qr">
                    <div inner_html=svg role="img" aria-label=Msg::TicketQrAlt.text(locale)></div>
                    <figcaption class="muted small">{ticket.code.clone()}</figcaption>
                </figure>
            })}
        </li>
    }
}
