//! Server functions for the Tickets area. Each one is an adapter: who is asking, the
//! service call, and where the browser goes next.

use super::domain::{ConcertForm, HoldForm};
use super::{
    ConcertDetail, ConcertId, ConcertStatus, ConcertView, HoldId, HoldView, ReservationId, SeatMap,
    TicketView,
};
use crate::platform::error::AppError;
use crate::platform::once::FormToken;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::service, crate::platform::auth::current_user, crate::platform::i18n::Msg,
    crate::platform::notice::notice, crate::platform::state::AppState,
};

/// `/tickets`: upcoming concerts, and the last few played.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConcertsData {
    pub upcoming: Vec<ConcertView>,
    pub past: Vec<ConcertView>,
}

/// `/tickets/{id}`: the concert, its seats, and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConcertPageData {
    pub detail: ConcertDetail,
    pub map: SeatMap,
    /// The seat map's version: the live updates carry on from it.
    pub version: i64,
    pub bookable: bool,
    pub signed_in: bool,
    pub max_seats: i64,
    pub hold_minutes: i64,
}

#[server(prefix = "/fn", endpoint = "tickets")]
pub async fn concerts_page() -> Result<ConcertsData, AppError> {
    let state = AppState::current()?;
    Ok(ConcertsData {
        upcoming: service::upcoming(&state.db, &state.redis).await?,
        past: service::past(&state.db, 6).await?,
    })
}

#[server(prefix = "/fn", endpoint = "tickets/concert")]
pub async fn concert_page(id: ConcertId) -> Result<ConcertPageData, AppError> {
    let state = AppState::current()?;
    let detail = service::detail(&state.db, id).await?;
    let (version, map) = service::seat_map(&state.db, &state.redis, id).await?;
    let rules = service::HoldRules::current(&state.configs).await?;
    let signed_in = crate::platform::auth::maybe_user().await?.is_some();
    Ok(ConcertPageData {
        bookable: detail.concert.is_bookable(chrono::Utc::now()),
        detail,
        map,
        version,
        signed_in,
        max_seats: rules.max_seats,
        hold_minutes: (rules.ttl.as_secs() / 60) as i64,
    })
}

/// "좌석 잡기": holds the ticked seats (or the best ones of a grade) and opens the hold.
#[server(prefix = "/fn", endpoint = "tickets/hold")]
pub async fn hold_seats(form: HoldForm) -> Result<(), AppError> {
    use crate::platform::forms::keep_on_error;
    let state = AppState::current()?;
    let Some(user) = crate::platform::auth::maybe_user().await? else {
        leptos_axum::redirect(&crate::platform::paths::login_for(&format!(
            "/tickets/{}",
            form.concert
        )));
        return Ok(());
    };
    let held = async {
        let request = super::domain::HoldRequest::try_from(&form)?;
        let rules = service::HoldRules::current(&state.configs).await?;
        let held = service::hold(
            &state.db,
            &state.redis,
            rules,
            user.id,
            form.concert,
            &request,
        )
        .await?;
        Ok::<_, AppError>(held)
    };
    let held = keep_on_error("hold", &form, held.await).await?;
    notice(Msg::NoticeSeatsHeld).await;
    leptos_axum::redirect(&format!("/tickets/holds/{}", held.id));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "tickets/holds/view")]
pub async fn hold_page(id: HoldId) -> Result<HoldView, AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    Ok(service::hold_view(&state.db, user.id, id).await?)
}

/// "결제하기": pays the hold from the point balance.
#[server(prefix = "/fn", endpoint = "tickets/holds/pay")]
pub async fn pay_hold(once: FormToken, hold: HoldId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    crate::platform::once::once("tickets/holds/pay", &once, &hold, async {
        Ok::<_, AppError>(service::pay(&state.db, &state.redis, user.id, hold).await?)
    })
    .await?;
    notice(Msg::NoticeTicketsPaid).await;
    leptos_axum::redirect("/tickets/me");
    Ok(())
}

/// "좌석 놓기": lets the held seats go.
#[server(prefix = "/fn", endpoint = "tickets/holds/release")]
pub async fn release_hold(hold: HoldId, concert: ConcertId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    service::release(&state.db, &state.redis, user.id, hold).await?;
    notice(Msg::NoticeSeatsReleased).await;
    leptos_axum::redirect(&format!("/tickets/{concert}"));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "tickets/me")]
pub async fn my_tickets() -> Result<Vec<TicketView>, AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    let mut tickets = service::my_tickets(&state.db, user.id).await?;
    let key = service::signing_key(&state.db, "tickets").await?;
    for t in &mut tickets {
        t.code = service::ticket_code(&key, t.reservation_id);
        if t.status == super::ReservationStatus::Confirmed {
            t.qr_svg = service::qr_svg(&t.code);
        }
    }
    Ok(tickets)
}

/// "예매 취소": cancels one ticket for a refund to the balance.
#[server(prefix = "/fn", endpoint = "tickets/cancel")]
pub async fn cancel_ticket(ticket: ReservationId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    service::cancel_ticket(&state.db, &state.redis, user.id, ticket).await?;
    notice(Msg::NoticeTicketCancelled).await;
    Ok(())
}

/// The organiser's console: their concerts (every concert, for an admin).
#[server(prefix = "/fn", endpoint = "tickets/console")]
pub async fn console_concerts() -> Result<Vec<ConcertView>, AppError> {
    let state = AppState::current()?;
    let by = organiser().await?;
    Ok(service::organised_by(&state.db, by).await?)
}

/// "공연 만들기".
#[server(prefix = "/fn", endpoint = "tickets/console/create")]
pub async fn create_concert(form: ConcertForm) -> Result<(), AppError> {
    use crate::platform::forms::keep_on_error;
    let state = AppState::current()?;
    let by = organiser().await?;
    let made = crate::platform::once::once("tickets/console/create", &form.once, &form, async {
        let new = super::domain::NewConcert::try_from(&form).map_err(AppError::Validation)?;
        Ok::<_, AppError>(service::create(&state.db, &state.redis, by, &new).await?)
    });
    let id = keep_on_error("concert", &form, made.await).await?;
    notice(Msg::NoticeConcertCreated).await;
    leptos_axum::redirect(&format!("/tickets/{id}"));
    Ok(())
}

/// An admin sets a concert's status by hand, or gives it back to the clock (`auto`).
#[server(prefix = "/fn", endpoint = "tickets/console/status")]
pub async fn set_concert_status(concert: ConcertId, status: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    user.require(&[crate::identity::Role::Admin])?;
    let to = match status.as_str() {
        "auto" => None,
        s => Some(ConcertStatus::parse(s).ok_or(AppError::field("status", Msg::ErrBadForm))?),
    };
    service::set_status(&state.db, &state.redis, concert, to).await?;
    notice(Msg::NoticeSaved).await;
    Ok(())
}

/// "공연 취소": cancels the concert and refunds every ticket.
#[server(prefix = "/fn", endpoint = "tickets/console/cancel")]
pub async fn cancel_concert(concert: ConcertId, reason: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let by = organiser().await?;
    service::check_organiser(&state.db, by, concert).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", Msg::ErrRequired));
    }
    service::cancel(&state.db, &state.redis, concert, reason).await?;
    notice(Msg::NoticeConcertCancelled).await;
    Ok(())
}

/// The caller as an organiser: an admin, or an approved seller.
#[cfg(feature = "ssr")]
async fn organiser() -> Result<service::Organizer, AppError> {
    let user = current_user().await?;
    if user.role == crate::identity::Role::Admin {
        return Ok(service::Organizer::Admin(user.id));
    }
    let seller = crate::seller::ApprovedSeller::current().await?;
    Ok(service::Organizer::Seller {
        user: seller.user.id,
        seller: seller.id,
    })
}
