//! Holding seats: all or nothing, at most one active reservation per seat, and never more
//! than `tickets.max_seats_per_user` seats per account and concert.
//!
//! A hold is one transaction that, in this order:
//! 1. takes the seat rows (in id order) with a guarded UPDATE: each must be free, or held
//!    past its time (lazy expiry); fewer rows than asked for rolls everything back;
//! 2. ends the expired holds it took seats from, and gives their holders' quota back;
//! 3. adds the seats to the account's quota with a guarded UPDATE against the limit;
//! 4. writes the reservations (the unique partial index is the last word on "one per seat").
//!
//! Seed 001's Redis seat lock sits in front: a seat someone is taking right now is refused
//! without a database round trip. Redis being down only skips that shortcut.

use super::super::domain::HoldRequest;
use super::super::seating::{best_available, FreeSeat};
use super::super::{ConcertId, ConcertStatus, HoldId, SeatId, TicketingError};
use super::concerts::drop_list;
use super::seats::{changed, SeatChange};
use crate::identity::UserId;
use crate::platform::config::{Configs, HOLD_TTL_SECONDS, MAX_SEATS_PER_USER};
use crate::platform::db::OnConstraint;
use crate::platform::redis::Redis;
use chrono::{DateTime, Utc};
use fred::prelude::*;
use sqlx::{PgConnection, PgPool};
use std::time::Duration;

/// How long a seat lock lives if its taker dies before releasing it.
const LOCK_TTL: Duration = Duration::from_secs(10);

/// Sets every key to the taker, or none if any is set (seed 001 `SETNX lock:seat:{id}`).
const LOCK_SCRIPT: &str = r#"
for _, k in ipairs(KEYS) do
  if redis.call('EXISTS', k) == 1 then return 0 end
end
for _, k in ipairs(KEYS) do
  redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
end
return 1"#;

/// Deletes the keys that still belong to the taker.
const UNLOCK_SCRIPT: &str = r#"
for _, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end
end
return 1"#;

/// The limits a hold runs under (read from the system configs before the transaction).
#[derive(Clone, Copy, Debug)]
pub struct HoldRules {
    pub max_seats: i64,
    pub ttl: Duration,
}

impl HoldRules {
    pub async fn current(configs: &Configs) -> Result<Self, TicketingError> {
        let max_seats = configs.get(&MAX_SEATS_PER_USER).await?;
        let ttl = configs.get(&HOLD_TTL_SECONDS).await?;
        Ok(Self {
            max_seats,
            ttl: Duration::from_secs(ttl.max(1) as u64),
        })
    }
}

/// A new hold: its id and when it runs out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub id: HoldId,
    pub until: DateTime<Utc>,
}

/// Holds seats for `user`: the ones named, or the best adjacent ones of a grade.
pub async fn hold(
    db: &PgPool,
    redis: &Redis,
    rules: HoldRules,
    user: UserId,
    concert: ConcertId,
    request: &HoldRequest,
) -> Result<Held, TicketingError> {
    if !bookable(db, concert).await? {
        return Err(TicketingError::NotBookable);
    }
    match request {
        HoldRequest::Seats(seats) => hold_seats(db, redis, rules, user, concert, seats).await,
        HoldRequest::Best { grade, count } => {
            // Another shopper may take the picked seats first: pick again a few times.
            for _ in 0..3 {
                let free = free_seats(db, concert, grade).await?;
                let pick =
                    best_available(&free, *count as usize).ok_or(TicketingError::NotEnoughSeats)?;
                match hold_seats(db, redis, rules, user, concert, &pick).await {
                    Err(TicketingError::SeatTaken) => continue,
                    other => return other,
                }
            }
            Err(TicketingError::SeatTaken)
        }
    }
}

async fn bookable(db: &PgPool, concert: ConcertId) -> Result<bool, TicketingError> {
    let row: Option<(ConcertStatus, bool)> = sqlx::query_as(
        "SELECT status, now() >= booking_starts_at AND now() < booking_ends_at
         FROM concerts WHERE id = $1",
    )
    .bind(concert)
    .fetch_optional(db)
    .await?;
    let (status, in_window) = row.ok_or(TicketingError::NotFound)?;
    Ok(status == ConcertStatus::BookingOpen && in_window)
}

async fn free_seats(
    db: &PgPool,
    concert: ConcertId,
    grade: &str,
) -> Result<Vec<FreeSeat>, TicketingError> {
    let rows: Vec<(SeatId, String, String, i32)> = sqlx::query_as(
        "SELECT id, section, row_label, number_in_row FROM seats
         WHERE concert_id = $1 AND grade = $2
           AND (status = 'AVAILABLE' OR (status = 'TEMPORARILY_RESERVED' AND temp_reserved_until <= now()))
         ORDER BY seat_number",
    )
    .bind(concert)
    .bind(grade)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, section, row, number)| FreeSeat {
            id,
            section,
            row,
            number,
        })
        .collect())
}

async fn hold_seats(
    db: &PgPool,
    redis: &Redis,
    rules: HoldRules,
    user: UserId,
    concert: ConcertId,
    seats: &[SeatId],
) -> Result<Held, TicketingError> {
    if seats.is_empty() {
        return Err(TicketingError::SeatTaken);
    }
    if seats.len() as i64 > rules.max_seats {
        return Err(TicketingError::OverLimit {
            max: rules.max_seats,
        });
    }
    let keys: Vec<String> = seats
        .iter()
        .map(|s| redis.key(&format!("tickets:{concert}:lock:seat:{s}")))
        .collect();
    let me = uuid::Uuid::new_v4().to_string();
    let locked: Result<i64, _> = redis
        .pool
        .eval(
            LOCK_SCRIPT,
            keys.clone(),
            vec![me.clone(), LOCK_TTL.as_millis().to_string()],
        )
        .await;
    if let Ok(0) = locked {
        return Err(TicketingError::SeatTaken);
    }
    let held = take(db, rules, user, concert, seats).await;
    if locked.is_ok() {
        let unlocked: Result<i64, _> = redis.pool.eval(UNLOCK_SCRIPT, keys, vec![me]).await;
        if let Err(e) = unlocked {
            tracing::debug!(error = %e, "seat locks left to expire");
        }
    }
    let (held, changes) = held?;
    changed(redis, concert, &changes).await;
    drop_list(redis).await;
    Ok(held)
}

async fn take(
    db: &PgPool,
    rules: HoldRules,
    user: UserId,
    concert: ConcertId,
    seats: &[SeatId],
) -> Result<(Held, Vec<SeatChange>), TicketingError> {
    let ids: Vec<i64> = seats.iter().map(|s| s.0).collect();
    let ttl_secs = rules.ttl.as_secs_f64();
    let mut tx = db.begin().await?;
    // 1. The seats, in id order.
    let taken: Vec<(SeatId, DateTime<Utc>)> = sqlx::query_as(
        "WITH target AS (
             SELECT id FROM seats WHERE id = ANY($1) AND concert_id = $2 ORDER BY id FOR UPDATE)
         UPDATE seats s SET status = 'TEMPORARILY_RESERVED', temp_reserved_by = $3,
             temp_reserved_until = now() + make_interval(secs => $4), updated_at = now()
         FROM target t
         WHERE s.id = t.id AND (s.status = 'AVAILABLE'
             OR (s.status = 'TEMPORARILY_RESERVED' AND s.temp_reserved_until <= now()))
         RETURNING s.id, s.temp_reserved_until",
    )
    .bind(&ids)
    .bind(concert)
    .bind(user)
    .bind(ttl_secs)
    .fetch_all(&mut *tx)
    .await?;
    if taken.len() != ids.len() {
        return Err(TicketingError::SeatTaken);
    }
    let until = taken[0].1;
    // 2. Holds that ran out on these seats end here; their holders get their quota back.
    expire_reservations_of(&mut tx, &ids).await?;
    // 3. The account's quota, guarded by the limit.
    let n = ids.len() as i32;
    let within: Option<i32> = sqlx::query_scalar(
        "INSERT INTO ticket_quotas AS q (concert_id, user_id, seats) VALUES ($1, $2, $3)
         ON CONFLICT (concert_id, user_id) DO UPDATE SET seats = q.seats + EXCLUDED.seats
             WHERE q.seats + EXCLUDED.seats <= $4
         RETURNING seats",
    )
    .bind(concert)
    .bind(user)
    .bind(n)
    .bind(rules.max_seats as i32)
    .fetch_optional(&mut *tx)
    .await?;
    if within.is_none_or(|s| s as i64 > rules.max_seats) {
        return Err(TicketingError::OverLimit {
            max: rules.max_seats,
        });
    }
    // 4. The reservations, at each seat's grade price.
    let hold = HoldId(uuid::Uuid::new_v4());
    sqlx::query(
        "INSERT INTO seat_reservations (hold_id, user_id, concert_id, seat_id, price, reserved_until)
         SELECT $1, $2, $3, s.id, g.price, $5
         FROM seats s JOIN concert_grades g ON g.concert_id = s.concert_id AND g.grade = s.grade
         WHERE s.id = ANY($4)",
    )
    .bind(hold)
    .bind(user)
    .bind(concert)
    .bind(&ids)
    .bind(until)
    .execute(&mut *tx)
    .await
    .on_constraint(|c| (c == "seat_reservations_one_active").then_some(TicketingError::SeatTaken))?;
    tx.commit().await?;
    let changes = taken
        .iter()
        .map(|(id, _)| SeatChange {
            id: *id,
            status: super::super::SeatStatus::TemporarilyReserved,
        })
        .collect();
    Ok((Held { id: hold, until }, changes))
}

/// Ends the still-open reservations on `seats` whose holds ran out, and gives each holder's
/// quota back. The caller holds the seat rows.
async fn expire_reservations_of(
    conn: &mut PgConnection,
    seats: &[i64],
) -> Result<(), TicketingError> {
    sqlx::query(
        "WITH ended AS (
             UPDATE seat_reservations SET status = 'EXPIRED', ended_at = now(), updated_at = now()
             WHERE seat_id = ANY($1) AND status = 'TEMPORARILY_RESERVED' AND reserved_until <= now()
             RETURNING concert_id, user_id),
         per_user AS (SELECT concert_id, user_id, count(*)::int AS n FROM ended GROUP BY 1, 2)
         UPDATE ticket_quotas q SET seats = q.seats - p.n
         FROM per_user p WHERE q.concert_id = p.concert_id AND q.user_id = p.user_id",
    )
    .bind(seats)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The holder lets their held seats go. A hold that is paid, or already over, is left alone.
pub async fn release(
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    hold: HoldId,
) -> Result<(), TicketingError> {
    let (concert, changes) = end_hold(db, Some(user), hold, "CANCELLED").await?;
    if let Some(concert) = concert {
        changed(redis, concert, &changes).await;
        drop_list(redis).await;
    }
    Ok(())
}

/// Ends one hold: its seats become free and its reservations take `end_status`. With a
/// `user`, only that account's hold; a hold of another account is `NotFound`.
async fn end_hold(
    db: &PgPool,
    user: Option<UserId>,
    hold: HoldId,
    end_status: &str,
) -> Result<(Option<ConcertId>, Vec<SeatChange>), TicketingError> {
    let mut tx = db.begin().await?;
    let owner: Option<(ConcertId, UserId)> = sqlx::query_as(
        "SELECT concert_id, user_id FROM seat_reservations WHERE hold_id = $1 LIMIT 1",
    )
    .bind(hold)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((concert, holder)) = owner.filter(|(_, h)| user.is_none_or(|u| u == *h)) else {
        return Err(TicketingError::NotFound);
    };
    // Seats first, in id order: only those this hold still has.
    let changes: Vec<SeatChange> = sqlx::query_as(
        "WITH target AS (
             SELECT s.id FROM seats s JOIN seat_reservations r ON r.seat_id = s.id
             WHERE r.hold_id = $1 AND r.status = 'TEMPORARILY_RESERVED'
               AND s.status = 'TEMPORARILY_RESERVED' AND s.temp_reserved_by = $2
             ORDER BY s.id FOR UPDATE OF s)
         UPDATE seats s SET status = 'AVAILABLE', temp_reserved_by = NULL,
             temp_reserved_until = NULL, updated_at = now()
         FROM target t WHERE s.id = t.id
           AND s.status = 'TEMPORARILY_RESERVED' AND s.temp_reserved_by = $2
         RETURNING s.id, s.status",
    )
    .bind(hold)
    .bind(holder)
    .fetch_all(&mut *tx)
    .await?;
    let ended: u64 = sqlx::query(
        "UPDATE seat_reservations SET status = $2, ended_at = now(), updated_at = now()
         WHERE hold_id = $1 AND status = 'TEMPORARILY_RESERVED'",
    )
    .bind(hold)
    .bind(end_status)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ended > 0 {
        sqlx::query(
            "UPDATE ticket_quotas SET seats = seats - $3 WHERE concert_id = $1 AND user_id = $2",
        )
        .bind(concert)
        .bind(holder)
        .bind(ended as i32)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((Some(concert), changes))
}

/// The job: ends holds that ran out (at most `limit` holds per run). Returns how many.
pub async fn expire_due(db: &PgPool, redis: &Redis, limit: i64) -> Result<u64, TicketingError> {
    let due: Vec<HoldId> = sqlx::query_scalar(
        "SELECT DISTINCT hold_id FROM seat_reservations
         WHERE status = 'TEMPORARILY_RESERVED' AND reserved_until <= now() LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut n = 0;
    for hold in due {
        // A payment that took the seats first wins: then nothing is left to end.
        let (concert, changes) = expire_hold(db, hold).await?;
        if let Some(concert) = concert {
            changed(redis, concert, &changes).await;
            n += 1;
        }
    }
    if n > 0 {
        drop_list(redis).await;
    }
    Ok(n)
}

async fn expire_hold(
    db: &PgPool,
    hold: HoldId,
) -> Result<(Option<ConcertId>, Vec<SeatChange>), TicketingError> {
    let mut tx = db.begin().await?;
    let seats: Vec<i64> = sqlx::query_scalar(
        "SELECT seat_id FROM seat_reservations WHERE hold_id = $1 AND status = 'TEMPORARILY_RESERVED'",
    )
    .bind(hold)
    .fetch_all(&mut *tx)
    .await?;
    // Only seats still held past their time: a payment that locked them first has made
    // them RESERVED by the time this UPDATE gets their rows.
    let changes: Vec<SeatChange> = sqlx::query_as(
        "WITH target AS (SELECT id FROM seats WHERE id = ANY($1) ORDER BY id FOR UPDATE)
         UPDATE seats s SET status = 'AVAILABLE', temp_reserved_by = NULL,
             temp_reserved_until = NULL, updated_at = now()
         FROM target t WHERE s.id = t.id
           AND s.status = 'TEMPORARILY_RESERVED' AND s.temp_reserved_until <= now()
         RETURNING s.id, s.status",
    )
    .bind(&seats)
    .fetch_all(&mut *tx)
    .await?;
    let concert: Option<ConcertId> = sqlx::query_scalar(
        "WITH ended AS (
             UPDATE seat_reservations SET status = 'EXPIRED', ended_at = now(), updated_at = now()
             WHERE hold_id = $1 AND status = 'TEMPORARILY_RESERVED' AND reserved_until <= now()
             RETURNING concert_id, user_id),
         per_user AS (SELECT concert_id, user_id, count(*)::int AS n FROM ended GROUP BY 1, 2),
         quota AS (
             UPDATE ticket_quotas q SET seats = q.seats - p.n
             FROM per_user p WHERE q.concert_id = p.concert_id AND q.user_id = p.user_id)
         SELECT concert_id FROM per_user LIMIT 1",
    )
    .bind(hold)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((concert, changes))
}
