//! Server functions for the Tickets area. Each one is an adapter: who is asking, the
//! service call, and where the browser goes next.

use super::domain::{ConcertForm, EditConcertForm, HoldForm};
use super::{
    AdmissionLog, ConcertDetail, ConcertId, ConcertView, HoldId, HoldView, Place, ReservationId,
    SeatMap, TicketView,
};
use crate::platform::error::AppError;
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
    /// The viewer's place in the waiting room (signed in only).
    pub place: Option<Place>,
}

/// `/tickets/{id}/queue`: the waiting room.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePageData {
    pub concert: ConcertView,
    pub place: Place,
    pub per_minute: i64,
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
    use super::service::queue;
    let state = AppState::current()?;
    let detail = service::detail(&state.db, id).await?;
    let rules = service::HoldRules::current(&state.configs).await?;
    let user = crate::platform::auth::maybe_user().await?;
    let now = chrono::Utc::now();
    let bookable = detail.concert.is_bookable(now);
    // A signed-in shopper passes the waiting room to see the seats while booking is open.
    let place = match &user {
        Some(u) if bookable => {
            let q = queue::QueueRules::of(&state.db, &state.configs, id).await?;
            let place = queue::enter(&state.db, &state.redis, q, id, u.id, true).await?;
            if !matches!(place, Place::Admitted { .. }) {
                leptos_axum::redirect(&format!("/tickets/{id}/queue"));
            }
            Some(place)
        }
        Some(u) => {
            let q = queue::QueueRules::of(&state.db, &state.configs, id).await?;
            Some(queue::place(&state.db, &state.redis, q, id, u.id).await?)
        }
        None => None,
    };
    let (version, map) = service::seat_map(&state.db, &state.redis, id).await?;
    Ok(ConcertPageData {
        bookable,
        detail,
        map,
        version,
        signed_in: user.is_some(),
        max_seats: rules.max_seats,
        hold_minutes: (rules.ttl.as_secs() / 60) as i64,
        place,
    })
}

#[server(prefix = "/fn", endpoint = "tickets/queue")]
pub async fn queue_page(id: ConcertId) -> Result<QueuePageData, AppError> {
    use super::service::queue;
    let state = AppState::current()?;
    let user = current_user().await?;
    let concert = service::concert(&state.db, id).await?;
    let rules = queue::QueueRules::of(&state.db, &state.configs, id).await?;
    let now = chrono::Utc::now();
    let place = if concert.is_bookable(now) {
        queue::enter(&state.db, &state.redis, rules, id, user.id, true).await?
    } else if concert.status == super::ConcertStatus::Scheduled {
        queue::enter(&state.db, &state.redis, rules, id, user.id, false).await?
    } else {
        queue::place(&state.db, &state.redis, rules, id, user.id).await?
    };
    if matches!(place, Place::Admitted { .. }) {
        leptos_axum::redirect(&format!("/tickets/{id}"));
    }
    Ok(QueuePageData {
        concert,
        place,
        per_minute: rules.per_minute,
    })
}

/// "대기열 나가기".
#[server(prefix = "/fn", endpoint = "tickets/queue/leave")]
pub async fn leave_queue(concert: ConcertId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    service::queue::leave(&state.redis, concert, user.id).await?;
    notice(Msg::NoticeQueueLeft).await;
    leptos_axum::redirect(&format!("/tickets/{concert}"));
    Ok(())
}

/// The waiting room's audit for one concert: the shuffle's seed and input, and admissions.
#[server(prefix = "/fn", endpoint = "tickets/console/admissions")]
pub async fn concert_admissions(
    concert: ConcertId,
) -> Result<(ConcertView, AdmissionLog), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    user.require(&[crate::identity::Role::Admin])?;
    Ok((
        service::concert(&state.db, concert).await?,
        service::queue::admission_log(&state.db, concert).await?,
    ))
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
        // Through the waiting room: the rules say so, and the hold checks it.
        let rules = service::HoldRules::current(&state.configs).await?;
        let held = state
            .hold_desk
            .hold(
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
pub async fn pay_hold(form: super::domain::PayForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    crate::platform::once::once("tickets/holds/pay", &form.once, &form.hold, async {
        Ok::<_, AppError>(service::pay(&state.db, &state.redis, user.id, form.hold).await?)
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

/// The concert as its organiser edits it.
#[server(prefix = "/fn", endpoint = "tickets/console/concert")]
pub async fn concert_for_edit(concert: ConcertId) -> Result<ConcertView, AppError> {
    let state = AppState::current()?;
    let by = organiser().await?;
    service::check_organiser(&state.db, by, concert).await?;
    Ok(service::concert(&state.db, concert).await?)
}

/// "공연 정보 저장": the details, not the seats.
#[server(prefix = "/fn", endpoint = "tickets/console/update")]
pub async fn update_concert(concert: ConcertId, form: EditConcertForm) -> Result<(), AppError> {
    use crate::platform::forms::keep_on_error;
    let state = AppState::current()?;
    let by = organiser().await?;
    let saved = async {
        let d = super::domain::ConcertDetails::try_from(&form).map_err(AppError::Validation)?;
        Ok::<_, AppError>(service::update(&state.db, &state.redis, by, concert, &d).await?)
    };
    keep_on_error("concert-edit", &form, saved.await).await?;
    notice(Msg::NoticeSaved).await;
    leptos_axum::redirect(&format!("/tickets/{concert}"));
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
        s => {
            Some(super::ConcertStatus::parse(s).ok_or(AppError::field("status", Msg::ErrBadForm))?)
        }
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
