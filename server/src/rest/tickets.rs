//! REST v1 for tickets: concerts and their seats, the live seat stream, holds, paying for
//! them, and my tickets; organisers make and run concerts.

use super::extract::{Json, Path};
use super::openapi::ErrorBody;
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::ticketing::domain::{
    ConcertDetails, ConcertForm, EditConcertForm, HoldRequest, NewConcert, MAX_SEATS_PER_REQUEST,
};
use app::ticketing::service::queue::{self, QueueRules};
use app::ticketing::service::{self as tickets, HoldRules, Organizer};
use app::ticketing::{
    AdmissionLog, ConcertDetail, ConcertId, ConcertStatus, ConcertView, HoldId, HoldView, Place,
    SeatId, SeatMap, TicketView,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;
use utoipa::ToSchema;

/// Concerts that have not started yet, soonest first.
#[utoipa::path(get, path = "/api/v1/concerts", tag = "tickets",
    responses((status = 200, body = Vec<ConcertView>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<ConcertView>>, AppError> {
    Ok(Json(tickets::upcoming(&state.db, &state.redis).await?))
}

/// A concert with the price and seats left of each grade.
#[utoipa::path(get, path = "/api/v1/concerts/{id}", tag = "tickets",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConcertDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<ConcertId>,
) -> Result<Json<ConcertDetail>, AppError> {
    Ok(Json(tickets::detail(&state.db, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct SeatsBody {
    /// Seat changes after this one come over `/seats/events`.
    pub version: i64,
    #[serde(flatten)]
    pub map: SeatMap,
}

/// Every seat of a concert and its status as a shopper sees it.
#[utoipa::path(get, path = "/api/v1/concerts/{id}/seats", tag = "tickets",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = SeatsBody), (status = 404, body = ErrorBody)))]
pub async fn seats(
    State(state): State<AppState>,
    Path(id): Path<ConcertId>,
) -> Result<Json<SeatsBody>, AppError> {
    let (version, map) = tickets::seat_map(&state.db, &state.redis, id).await?;
    Ok(Json(SeatsBody { version, map }))
}

/// Live seat changes (Server-Sent Events). The stream opens with a `snapshot` event (every
/// seat's status), then sends a `seats` event per change; each event's id is the seat map's
/// version. After a reconnect the stream starts again from a fresh snapshot.
#[utoipa::path(get, path = "/api/v1/concerts/{id}/seats/events", tag = "tickets",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "text/event-stream", body = String,
        description = "`snapshot` then `seats` events: {version, seats: [{id, status}]}"),
        (status = 404, body = ErrorBody)))]
pub async fn seat_events(
    State(state): State<AppState>,
    Path(id): Path<ConcertId>,
) -> Result<Sse<impl futures::Stream<Item = Result<Event, Infallible>>>, AppError> {
    use futures::StreamExt;
    // Subscribed before the snapshot is read: a change in between arrives twice at worst,
    // never not at all.
    let rx = state.seat_feed.subscribe(id);
    let (version, map) = tickets::seat_map(&state.db, &state.redis, id).await?;
    let snapshot = tickets::SeatEvent {
        version,
        seats: map
            .seats
            .iter()
            .map(|s| tickets::SeatChange {
                id: s.id,
                status: s.status,
            })
            .collect(),
    };
    let first = futures::stream::once(async move { event("snapshot", &snapshot) });
    // A lagging or closed receiver ends the stream; the browser reconnects to a snapshot.
    let changes = futures::stream::unfold(rx, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(e) if e.version <= version => continue,
                Ok(e) => return Some((event("seats", &e), rx)),
                Err(_) => return None,
            }
        }
    });
    Ok(Sse::new(first.chain(changes))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn event(name: &str, e: &tickets::SeatEvent) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event(name)
        .id(e.version.to_string())
        .json_data(e)
        .unwrap_or_else(|_| Event::default().event(name)))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldBody {
    /// The seats to hold; or leave it out and give `grade` and `count` for the best available.
    #[schema(max_items = 20)]
    #[serde(default)]
    pub seat_ids: Vec<SeatId>,
    #[serde(default)]
    pub grade: Option<String>,
    #[schema(minimum = 1, maximum = 20)]
    #[serde(default)]
    pub count: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct HoldCreated {
    pub id: HoldId,
    pub reserved_until: DateTime<Utc>,
}

/// The header that carries the waiting room's pass (`token` of an admitted place).
pub const QUEUE_TOKEN: &str = "X-Queue-Token";

/// Hold seats (through the waiting room first: `POST /api/v1/concerts/{id}/queue`; a pass in
/// `X-Queue-Token` must be valid): all of them or none, for `tickets.hold_ttl_seconds`, within
/// `tickets.max_seats_per_user` per account and concert. 409 when a seat is taken or booking
/// is not open.
#[utoipa::path(post, path = "/api/v1/concerts/{id}/holds", tag = "tickets", request_body = HoldBody,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe"),
        ("X-Queue-Token" = Option<String>, Header, description = "The waiting room's pass")),
    responses((status = 201, body = HoldCreated), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn hold(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
    headers: axum::http::HeaderMap,
    Json(body): Json<HoldBody>,
) -> Result<(StatusCode, Json<HoldCreated>), AppError> {
    let token = headers.get(QUEUE_TOKEN).and_then(|v| v.to_str().ok());
    queue::require_pass(&state.db, id, user.id, token).await?;
    let request = if !body.seat_ids.is_empty() {
        let mut ids = body.seat_ids;
        ids.sort();
        ids.dedup();
        if ids.len() > MAX_SEATS_PER_REQUEST {
            return Err(AppError::field(
                "seatIds",
                app::platform::i18n::Msg::ErrSeatLimit,
            ));
        }
        HoldRequest::Seats(ids)
    } else {
        let form = app::ticketing::domain::HoldForm {
            concert: id,
            seats: Vec::new(),
            grade: body.grade.unwrap_or_default(),
            count: body.count.map(|c| c.to_string()).unwrap_or_default(),
        };
        HoldRequest::try_from(&form)?
    };
    let rules = HoldRules::current(&state.configs).await?;
    let held = state
        .hold_desk
        .hold(&state.db, &state.redis, rules, user.id, id, &request)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(HoldCreated {
            id: held.id,
            reserved_until: held.until,
        }),
    ))
}

/// A hold of mine: its seats, total and time left.
#[utoipa::path(get, path = "/api/v1/holds/{id}", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = HoldView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_hold(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HoldId>,
) -> Result<Json<HoldView>, AppError> {
    Ok(Json(tickets::hold_view(&state.db, user.id, id).await?))
}

/// Let a hold's seats go.
#[utoipa::path(delete, path = "/api/v1/holds/{id}", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn release(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HoldId>,
) -> Result<StatusCode, AppError> {
    tickets::release(&state.db, &state.redis, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pay a hold from the point balance. 409 when it ran out or is paid; 422 on the `points`
/// field when the balance is short.
#[utoipa::path(post, path = "/api/v1/holds/{id}/pay", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pay(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HoldId>,
) -> Result<StatusCode, AppError> {
    tickets::pay(&state.db, &state.redis, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// My tickets, with the signed code a gate scans.
#[utoipa::path(get, path = "/api/v1/me/tickets", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<TicketView>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<TicketView>>, AppError> {
    let mut list = tickets::my_tickets(&state.db, user.id).await?;
    let key = tickets::signing_key(&state.db, "tickets").await?;
    for t in &mut list {
        t.code = tickets::ticket_code(&key, t.reservation_id);
    }
    Ok(Json(list))
}

async fn organiser(state: &AppState, user: CurrentUser) -> Result<Organizer, AppError> {
    if user.role == app::identity::Role::Admin {
        return Ok(Organizer::Admin(user.id));
    }
    let seller = app::seller::ApprovedSeller::of(&state.db, user).await?;
    Ok(Organizer::Seller {
        user: seller.user.id,
        seller: seller.id,
    })
}

#[derive(Serialize, ToSchema)]
pub struct ConcertCreated {
    pub id: ConcertId,
}

/// Make a concert (admins, and approved sellers as promoters). Times are Seoul time as
/// `YYYY-MM-DDTHH:MM`; `grades` is `VIP 150000, R 120000`; `layout` has one
/// `section grade rowsxseats` per line; `blocked` lists `section-row-number` seats.
#[utoipa::path(post, path = "/api/v1/concerts", tag = "tickets", request_body = serde_json::Value,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = ConcertCreated), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(form): Json<ConcertForm>,
) -> Result<(StatusCode, Json<ConcertCreated>), AppError> {
    let by = organiser(&state, user).await?;
    let new = NewConcert::try_from(&form)?;
    let id = tickets::create(&state.db, &state.redis, by, &new).await?;
    Ok((StatusCode::CREATED, Json(ConcertCreated { id })))
}

/// Change a concert's details (its organiser, or an admin): the same fields as making it,
/// without the seats. A cancelled concert cannot change (409).
#[utoipa::path(put, path = "/api/v1/concerts/{id}", tag = "tickets", request_body = serde_json::Value,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
    Json(form): Json<EditConcertForm>,
) -> Result<StatusCode, AppError> {
    let by = organiser(&state, user).await?;
    let d = ConcertDetails::try_from(&form)?;
    tickets::update(&state.db, &state.redis, by, id, &d).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusBody {
    /// A status set by hand, or `null` to give the concert back to the clock. Cancelling is
    /// `POST /api/v1/concerts/{id}/cancel`.
    pub status: Option<ConcertStatus>,
}

/// Set a concert's status by hand (admins).
#[utoipa::path(put, path = "/api/v1/concerts/{id}/status", tag = "tickets", request_body = StatusBody,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    app::platform::auth::RequireAdmin(_): app::platform::auth::RequireAdmin,
    Path(id): Path<ConcertId>,
    Json(body): Json<StatusBody>,
) -> Result<StatusCode, AppError> {
    tickets::set_status(&state.db, &state.redis, id, body.status).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelBody {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Cancelled {
    /// Tickets refunded to their buyers' balances.
    pub refunded: u64,
}

/// Cancel a concert: every hold ends and every ticket is refunded, once.
#[utoipa::path(post, path = "/api/v1/concerts/{id}/cancel", tag = "tickets", request_body = CancelBody,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = Cancelled), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
    Json(body): Json<CancelBody>,
) -> Result<Json<Cancelled>, AppError> {
    let by = organiser(&state, user).await?;
    tickets::check_organiser(&state.db, by, id).await?;
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            app::platform::i18n::Msg::ErrRequired,
        ));
    }
    let refunded = tickets::cancel(&state.db, &state.redis, id, reason).await?;
    Ok(Json(Cancelled { refunded }))
}

async fn queue_rules(
    state: &AppState,
    id: ConcertId,
) -> Result<(ConcertView, QueueRules), AppError> {
    let concert = tickets::concert(&state.db, id).await?;
    Ok((
        concert,
        QueueRules::of(&state.db, &state.configs, id).await?,
    ))
}

/// Enter a concert's waiting room (again: the same place). Before booking opens, arrivals wait
/// in a pre-queue that is shuffled at opening; then first come, first served. `ADMITTED`
/// carries the pass for `X-Queue-Token`.
#[utoipa::path(post, path = "/api/v1/concerts/{id}/queue", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = Place), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn enter_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
) -> Result<Json<Place>, AppError> {
    let (concert, rules) = queue_rules(&state, id).await?;
    let open = concert.is_bookable(Utc::now());
    if !open && concert.status != ConcertStatus::Scheduled {
        return Err(app::ticketing::TicketingError::NotBookable.into());
    }
    Ok(Json(
        queue::enter(&state.db, &state.redis, rules, id, user.id, open).await?,
    ))
}

/// My place: position and wait, or the pass once admitted.
#[utoipa::path(get, path = "/api/v1/concerts/{id}/queue", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Place), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn queue_place(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
) -> Result<Json<Place>, AppError> {
    let (_, rules) = queue_rules(&state, id).await?;
    Ok(Json(
        queue::place(&state.db, &state.redis, rules, id, user.id).await?,
    ))
}

/// My place, live (Server-Sent Events): a `place` event at once and then every second while
/// I wait (the same body as `GET …/queue`). The stream ends after `ADMITTED` (its pass) or
/// `OUT`; the waiting page then moves on.
#[utoipa::path(get, path = "/api/v1/concerts/{id}/queue/events", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "text/event-stream", body = String,
        description = "`place` events, each a Place"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn queue_events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
) -> Result<Sse<impl futures::Stream<Item = Result<Event, Infallible>>>, AppError> {
    let (_, rules) = queue_rules(&state, id).await?;
    let user = user.id;
    // (first event?, last event sent?)
    let places = futures::stream::unfold((true, false), move |(first, over)| {
        let state = state.clone();
        async move {
            if over {
                return None;
            }
            if !first {
                tokio::time::sleep(QUEUE_TICK).await;
            }
            // Redis gone: end the stream; the browser reconnects and the page still refreshes.
            let place = queue::place(&state.db, &state.redis, rules, id, user)
                .await
                .ok()?;
            let over = matches!(place, Place::Admitted { .. } | Place::Out);
            let event = Event::default()
                .event("place")
                .json_data(&place)
                .unwrap_or_else(|_| Event::default().event("place"));
            Some((Ok(event), (false, over)))
        }
    });
    Ok(Sse::new(places).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// How often a waiting shopper's live place is sent.
const QUEUE_TICK: Duration = Duration::from_secs(1);

/// Leave the line, or give the slot inside to the next in line.
#[utoipa::path(delete, path = "/api/v1/concerts/{id}/queue", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn leave_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ConcertId>,
) -> Result<StatusCode, AppError> {
    queue::leave(&state.redis, id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The waiting room's audit (admins): the pre-queue shuffle's seed and input, and every
/// admission in order.
#[utoipa::path(get, path = "/api/v1/concerts/{id}/admissions", tag = "tickets",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AdmissionLog), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn admissions(
    State(state): State<AppState>,
    app::platform::auth::RequireAdmin(_): app::platform::auth::RequireAdmin,
    Path(id): Path<ConcertId>,
) -> Result<Json<AdmissionLog>, AppError> {
    Ok(Json(queue::admission_log(&state.db, id).await?))
}
