//! Concerts: making one with its seats, reading them, the clock that opens and closes booking,
//! an admin's override, and cancelling with refunds.

use super::super::domain::{ConcertDetails, NewConcert};
use super::super::{
    ConcertDetail, ConcertId, ConcertStatus, ConcertView, GradeView, HoldId, ReservationId,
    TicketingError,
};
use super::seats::{changed, SeatChange};
use crate::identity::UserId;
use crate::platform::cache;
use crate::platform::redis::Redis;
use crate::seller::SellerId;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;
use std::time::Duration;

/// Seed 001: the concert list is cached for 60 seconds.
pub const LIST_TTL: Duration = Duration::from_secs(60);

pub fn list_key() -> &'static str {
    "cache:tickets:concerts"
}

/// Drops the cached concert list after a change of seats or concerts. The list lives only in
/// Redis (no instance keeps a copy), so a DEL is enough: `cache::invalidate` would also tell
/// every instance to drop its local copies, the shop's listings among them, on every hold.
pub async fn drop_list(redis: &Redis) {
    use fred::prelude::*;
    let dropped: Result<i64, _> = redis.pool.del(redis.key(list_key())).await;
    if let Err(e) = dropped {
        tracing::warn!(error = %e, "concert list not dropped; it expires in a minute");
    }
}

/// Who runs a concert: the shop (an admin), or an approved seller as its promoter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Organizer {
    Admin(UserId),
    Seller { user: UserId, seller: SellerId },
}

impl Organizer {
    fn user(self) -> UserId {
        match self {
            Organizer::Admin(u) | Organizer::Seller { user: u, .. } => u,
        }
    }

    fn seller(self) -> Option<SellerId> {
        match self {
            Organizer::Admin(_) => None,
            Organizer::Seller { seller, .. } => Some(seller),
        }
    }
}

const AVAILABLE: &str = "(s.status = 'AVAILABLE'
    OR (s.status = 'TEMPORARILY_RESERVED' AND s.temp_reserved_until <= now()))";

fn concert_select(filter: &str) -> String {
    format!(
        "SELECT c.id, c.title, c.artist, c.venue, c.description, c.starts_at,
                c.booking_starts_at, c.booking_ends_at, c.status, c.total_seats,
                c.queue_admission_per_minute, c.queue_active_cap,
                (SELECT count(*) FROM seats s WHERE s.concert_id = c.id AND {AVAILABLE}) AS seats_left,
                (SELECT min(g.price) FROM concert_grades g WHERE g.concert_id = c.id) AS price_from,
                f.url AS poster_url, f.thumbnail_url AS poster_thumbnail_url
         FROM concerts c LEFT JOIN files f ON f.id = c.poster_file_id
         {filter}"
    )
}

/// The status the clock gives a concert at `now`.
pub fn status_by_clock(
    booking_starts_at: DateTime<Utc>,
    booking_ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ConcertStatus {
    if now >= booking_ends_at {
        ConcertStatus::BookingClosed
    } else if now >= booking_starts_at {
        ConcertStatus::BookingOpen
    } else {
        ConcertStatus::Scheduled
    }
}

/// Makes a concert with its grades and seats, in one transaction.
pub async fn create(
    db: &PgPool,
    redis: &Redis,
    by: Organizer,
    new: &NewConcert,
) -> Result<ConcertId, TicketingError> {
    let d = &new.details;
    let status = status_by_clock(d.booking_starts_at, d.booking_ends_at, Utc::now());
    let for_sale = new.seats.iter().filter(|s| !s.blocked).count() as i32;
    let mut tx = db.begin().await?;
    let id: ConcertId = sqlx::query_scalar(
        "INSERT INTO concerts (title, artist, venue, description, starts_at, booking_starts_at,
             booking_ends_at, status, total_seats, seller_id, created_by,
             queue_admission_per_minute, queue_active_cap)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(&d.title)
    .bind(&d.artist)
    .bind(&d.venue)
    .bind(&d.description)
    .bind(d.starts_at)
    .bind(d.booking_starts_at)
    .bind(d.booking_ends_at)
    .bind(status)
    .bind(for_sale)
    .bind(by.seller())
    .bind(by.user())
    .bind(d.queue_per_minute)
    .bind(d.queue_cap)
    .fetch_one(&mut *tx)
    .await?;
    let codes: Vec<&str> = new.grades.iter().map(|g| g.code.as_str()).collect();
    let prices: Vec<Decimal> = new.grades.iter().map(|g| g.price).collect();
    sqlx::query(
        "INSERT INTO concert_grades (concert_id, grade, price, position)
         SELECT $1, g, p, n FROM UNNEST($2::text[], $3::numeric[]) WITH ORDINALITY AS t(g, p, n)",
    )
    .bind(id)
    .bind(&codes)
    .bind(&prices)
    .execute(&mut *tx)
    .await?;
    let sections: Vec<&str> = new.seats.iter().map(|s| s.section.as_str()).collect();
    let rows: Vec<String> = new.seats.iter().map(|s| s.row.to_string()).collect();
    let numbers: Vec<i32> = new.seats.iter().map(|s| s.number).collect();
    let grades: Vec<&str> = new.seats.iter().map(|s| s.grade.as_str()).collect();
    let blocked: Vec<bool> = new.seats.iter().map(|s| s.blocked).collect();
    sqlx::query(
        "INSERT INTO seats (concert_id, seat_number, section, row_label, number_in_row, grade, status)
         SELECT $1, n, sec, r, num, g, CASE WHEN b THEN 'BLOCKED' ELSE 'AVAILABLE' END
         FROM UNNEST($2::text[], $3::text[], $4::int[], $5::text[], $6::bool[])
              WITH ORDINALITY AS t(sec, r, num, g, b, n)",
    )
    .bind(id)
    .bind(&sections)
    .bind(&rows)
    .bind(&numbers)
    .bind(&grades)
    .bind(&blocked)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    drop_list(redis).await;
    Ok(id)
}

/// Changes a concert's details (not its seats). A cancelled concert stays as it was; a
/// concert the clock runs takes the status of its new booking window at once.
pub async fn update(
    db: &PgPool,
    redis: &Redis,
    by: Organizer,
    id: ConcertId,
    d: &ConcertDetails,
) -> Result<(), TicketingError> {
    check_organiser(db, by, id).await?;
    let done = sqlx::query(
        "UPDATE concerts SET title = $2, artist = $3, venue = $4, description = $5,
             starts_at = $6, booking_starts_at = $7, booking_ends_at = $8,
             queue_admission_per_minute = $9, queue_active_cap = $10,
             status = CASE WHEN status_pinned THEN status
                 WHEN now() >= $8 THEN 'BOOKING_CLOSED'
                 WHEN now() >= $7 THEN 'BOOKING_OPEN'
                 ELSE 'SCHEDULED' END
         WHERE id = $1 AND status <> 'CANCELLED'",
    )
    .bind(id)
    .bind(&d.title)
    .bind(&d.artist)
    .bind(&d.venue)
    .bind(&d.description)
    .bind(d.starts_at)
    .bind(d.booking_starts_at)
    .bind(d.booking_ends_at)
    .bind(d.queue_per_minute)
    .bind(d.queue_cap)
    .execute(db)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(TicketingError::BadTransition);
    }
    drop_list(redis).await;
    Ok(())
}

/// Sets a concert's poster (its organiser, or an admin): the image is checked, stripped of
/// metadata and thumbnailed before any connection is taken; the previous poster's file goes.
pub async fn set_poster(
    db: &PgPool,
    redis: &Redis,
    storage: &crate::media::Storage,
    by: Organizer,
    id: ConcertId,
    original_name: &str,
    bytes: Vec<u8>,
) -> Result<(), TicketingError> {
    check_organiser(db, by, id).await?;
    let processed = storage.prepare_image(bytes).await?;
    let mut tx = db.begin().await?;
    let stored = storage
        .store_image(
            &mut tx,
            crate::media::storage::Upload {
                original_name,
                uploaded_by: Some(by.user()),
                reference_type: "concert",
                reference_id: id.into_uuid(),
            },
            processed,
        )
        .await?;
    let saved = async {
        let old: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT poster_file_id FROM concerts WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE concerts SET poster_file_id = $2 WHERE id = $1")
            .bind(id)
            .bind(stored.id)
            .execute(&mut *tx)
            .await?;
        let gone = match old {
            Some(old) => crate::media::Storage::forget(&mut tx, &[old]).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        Ok::<_, TicketingError>(gone)
    }
    .await;
    match saved {
        Ok(gone) => {
            storage.remove(&gone).await;
            drop_list(redis).await;
            Ok(())
        }
        Err(e) => {
            // The row is gone with the transaction; the new files must go too.
            storage.remove(&stored.keys).await;
            Err(e)
        }
    }
}

/// Upcoming concerts (not yet started), soonest first; cached for `LIST_TTL`.
pub async fn upcoming(db: &PgPool, redis: &Redis) -> Result<Vec<ConcertView>, TicketingError> {
    cache::get_or_load(redis, list_key(), LIST_TTL, || async {
        let sql = concert_select("WHERE c.starts_at > now() ORDER BY c.starts_at, c.id LIMIT 100");
        Ok::<_, TicketingError>(sqlx::query_as(&sql).fetch_all(db).await?)
    })
    .await
}

/// Concerts that have been played, newest first.
pub async fn past(db: &PgPool, limit: i64) -> Result<Vec<ConcertView>, TicketingError> {
    let sql = concert_select("WHERE c.starts_at <= now() ORDER BY c.starts_at DESC, c.id LIMIT $1");
    Ok(sqlx::query_as(&sql).bind(limit).fetch_all(db).await?)
}

/// The concerts an organiser runs (every concert, for an admin).
pub async fn organised_by(db: &PgPool, by: Organizer) -> Result<Vec<ConcertView>, TicketingError> {
    let sql = concert_select(
        "WHERE ($1::uuid IS NULL OR c.seller_id = $1) ORDER BY c.starts_at DESC, c.id LIMIT 200",
    );
    Ok(sqlx::query_as(&sql).bind(by.seller()).fetch_all(db).await?)
}

pub async fn concert(db: &PgPool, id: ConcertId) -> Result<ConcertView, TicketingError> {
    let sql = concert_select("WHERE c.id = $1");
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(TicketingError::NotFound)
}

/// A concert's page: the concert, and each grade's price and seats left.
pub async fn detail(db: &PgPool, id: ConcertId) -> Result<ConcertDetail, TicketingError> {
    let concert = concert(db, id).await?;
    let grades: Vec<GradeView> = sqlx::query_as(&format!(
        "SELECT g.grade, g.price,
                count(s.id) FILTER (WHERE s.status <> 'BLOCKED') AS seats,
                count(s.id) FILTER (WHERE {AVAILABLE}) AS available
         FROM concert_grades g LEFT JOIN seats s ON s.concert_id = g.concert_id AND s.grade = g.grade
         WHERE g.concert_id = $1
         GROUP BY g.grade, g.price, g.position ORDER BY g.position"
    ))
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(ConcertDetail { concert, grades })
}

/// The clock: opens booking when its window starts and closes it when it ends, for every
/// concert an admin has not set by hand. Returns how many changed.
pub async fn tick(db: &PgPool, redis: &Redis) -> Result<u64, TicketingError> {
    let changed = sqlx::query(
        "UPDATE concerts SET status = CASE
             WHEN now() >= booking_ends_at THEN 'BOOKING_CLOSED'
             WHEN now() >= booking_starts_at THEN 'BOOKING_OPEN'
             ELSE 'SCHEDULED' END
         WHERE NOT status_pinned AND status <> 'CANCELLED'
           AND status <> CASE
             WHEN now() >= booking_ends_at THEN 'BOOKING_CLOSED'
             WHEN now() >= booking_starts_at THEN 'BOOKING_OPEN'
             ELSE 'SCHEDULED' END",
    )
    .execute(db)
    .await?
    .rows_affected();
    if changed > 0 {
        drop_list(redis).await;
    }
    Ok(changed)
}

/// An admin's override: a status set by hand stays until the admin gives the concert back to
/// the clock (`None`). Cancelling goes through `cancel`, which refunds.
pub async fn set_status(
    db: &PgPool,
    redis: &Redis,
    id: ConcertId,
    to: Option<ConcertStatus>,
) -> Result<(), TicketingError> {
    if to == Some(ConcertStatus::Cancelled) {
        return Err(TicketingError::BadTransition);
    }
    let done = sqlx::query(
        "UPDATE concerts SET
             status = COALESCE($2, CASE
                 WHEN now() >= booking_ends_at THEN 'BOOKING_CLOSED'
                 WHEN now() >= booking_starts_at THEN 'BOOKING_OPEN'
                 ELSE 'SCHEDULED' END),
             status_pinned = $2 IS NOT NULL
         WHERE id = $1 AND status <> 'CANCELLED'",
    )
    .bind(id)
    .bind(to)
    .execute(db)
    .await?
    .rows_affected();
    if done == 0 {
        return match concert_exists(db, id).await? {
            true => Err(TicketingError::BadTransition),
            false => Err(TicketingError::NotFound),
        };
    }
    drop_list(redis).await;
    Ok(())
}

async fn concert_exists(db: &PgPool, id: ConcertId) -> Result<bool, TicketingError> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM concerts WHERE id = $1)")
            .bind(id)
            .fetch_one(db)
            .await?,
    )
}

/// Whether `by` may change this concert: an admin any, a seller their own.
pub async fn check_organiser(
    db: &PgPool,
    by: Organizer,
    id: ConcertId,
) -> Result<(), TicketingError> {
    let owner: Option<Option<SellerId>> =
        sqlx::query_scalar("SELECT seller_id FROM concerts WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    match (owner, by) {
        (None, _) => Err(TicketingError::NotFound),
        (Some(_), Organizer::Admin(_)) => Ok(()),
        (Some(Some(owner)), Organizer::Seller { seller, .. }) if owner == seller => Ok(()),
        (Some(_), Organizer::Seller { .. }) => Err(TicketingError::Forbidden),
    }
}

/// Cancels a concert: every hold ends, and every ticket is refunded to its buyer's balance,
/// each exactly once (its status moves once, and the ledger refuses a second refund of the
/// same ticket). Returns how many tickets were refunded.
pub async fn cancel(
    db: &PgPool,
    redis: &Redis,
    id: ConcertId,
    reason: &str,
) -> Result<u64, TicketingError> {
    let mut tx = db.begin().await?;
    let status: Option<ConcertStatus> =
        sqlx::query_scalar("SELECT status FROM concerts WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match status {
        None => return Err(TicketingError::NotFound),
        Some(ConcertStatus::Cancelled) => return Err(TicketingError::BadTransition),
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE concerts SET status = 'CANCELLED', cancelled_at = now(), cancel_reason = $2,
             status_pinned = TRUE
         WHERE id = $1",
    )
    .bind(id)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    // Seats first (the lock order every seat change keeps), then their reservations.
    let seats: Vec<SeatChange> = sqlx::query_as(
        "WITH target AS (
             SELECT id FROM seats WHERE concert_id = $1
               AND status IN ('TEMPORARILY_RESERVED', 'RESERVED') ORDER BY id FOR UPDATE)
         UPDATE seats s SET status = 'AVAILABLE', temp_reserved_by = NULL,
             temp_reserved_until = NULL, updated_at = now()
         FROM target t WHERE s.id = t.id
         RETURNING s.id, s.status",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let ended: Vec<(ReservationId, UserId, Decimal, bool, HoldId)> = sqlx::query_as(
        "UPDATE seat_reservations r SET status = 'CANCELLED', ended_at = now(), updated_at = now()
         FROM seat_reservations old
         WHERE old.id = r.id AND r.concert_id = $1
           AND r.status IN ('TEMPORARILY_RESERVED', 'CONFIRMED')
         RETURNING r.id, r.user_id, r.price, old.status = 'CONFIRMED', r.hold_id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let title: String = sqlx::query_scalar("SELECT title FROM concerts WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let mut refunded = 0;
    for (reservation, user, price, was_paid, hold) in &ended {
        if !was_paid {
            continue;
        }
        super::booking::refund_ticket(&mut tx, *user, *reservation, *hold, *price, &title).await?;
        refunded += 1;
    }
    sqlx::query("DELETE FROM ticket_quotas WHERE concert_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    changed(redis, id, &seats).await;
    drop_list(redis).await;
    Ok(refunded)
}
