//! Holding seats: all or nothing, at most one active reservation per seat, and never more
//! than `tickets.max_seats_per_user` seats per account and concert.
//!
//! Holds are written in batches (`HoldDesk` gathers the ones that arrive together; a lone
//! hold is a batch of one). A batch is one transaction that:
//! 1. share-locks the concert, so a cancel or a status change and the batch go one after the
//!    other, and refuses every hold if booking is not open;
//! 2. locks the free seats asked for (or held past their time: lazy expiry), in id order;
//! 3. locks the quotas of the accounts that may get seats, in account order;
//! 4. decides in order of arrival: a hold gets all its seats within its account's limit, or
//!    none;
//! 5. ends the expired holds it took seats from (their holders get their quota back), and
//!    writes the seats, quotas and reservations in one statement; the unique partial index
//!    is the last word on "one per seat".
//!
//! Seed 001's Redis seat lock sits in front: a seat someone is taking right now is refused
//! without a database round trip. The same Redis call checks that the account is inside the
//! concert's waiting room (when the rules ask for it). Redis being down only skips both:
//! Postgres still guards every seat and every limit.

use super::super::domain::HoldRequest;
use super::super::seating::{best_available, FreeSeat};
use super::super::{ConcertId, HoldId, SeatId, TicketingError};
use super::concerts::drop_list;
use super::desk::HoldDesk;
use super::seats::{changed, changed_and_unlocked, SeatChange};
use crate::identity::UserId;
use crate::platform::config::{Configs, HOLD_TTL_SECONDS, MAX_SEATS_PER_USER};
use crate::platform::db::OnConstraint;
use crate::platform::redis::Redis;
use chrono::{DateTime, Utc};
use fred::prelude::*;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use std::time::Duration;

/// How long a seat lock lives if its taker dies before letting it go (seed 001: 10 s).
const LOCK_TTL: Duration = Duration::from_secs(10);

/// The gate and the seat locks in one call. KEYS[1] is the concert's set of active accounts,
/// the other keys are the seat locks. ARGV: the taker, the lock's life (ms), then the account,
/// now and its new active-until (ms; `queue::activity`), or nothing when the rules ask for no
/// waiting room.
/// - The account must be inside (`queue::TOUCH_SCRIPT`'s check and touch): else -1.
/// - Every seat lock is set to the taker, or none if any is set (seed 001 `SETNX
///   lock:seat:{id}`): 1, else 0.
const LOCK_SCRIPT: &str = r#"
if ARGV[3] then
  local exp = redis.call('ZSCORE', KEYS[1], ARGV[3])
  if not exp or tonumber(exp) <= tonumber(ARGV[4]) then return -1 end
  redis.call('ZADD', KEYS[1], 'XX', ARGV[5], ARGV[3])
end
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return 1"#;

/// Deletes each key KEYS[i] that still belongs to its taker ARGV[i].
const UNLOCK_EACH_SCRIPT: &str = r#"
for i, k in ipairs(KEYS) do
  if redis.call('GET', k) == ARGV[i] then redis.call('DEL', k) end
end
return 1"#;

/// The rules a hold runs under (read from the system configs before the transaction).
#[derive(Clone, Copy, Debug)]
pub struct HoldRules {
    pub max_seats: i64,
    pub ttl: Duration,
    /// Whether the account must be inside the concert's waiting room (admitted and still
    /// active). Shoppers' holds, from pages and the API, must; the demo data and tests hold
    /// on an account's behalf.
    pub waiting_room: bool,
}

impl HoldRules {
    /// A shopper's rules: the configured limits, through the waiting room.
    pub async fn current(configs: &Configs) -> Result<Self, TicketingError> {
        let max_seats = configs.get(&MAX_SEATS_PER_USER).await?;
        let ttl = configs.get(&HOLD_TTL_SECONDS).await?;
        Ok(Self {
            max_seats,
            ttl: Duration::from_secs(ttl.max(1) as u64),
            waiting_room: true,
        })
    }
}

/// A new hold: its id and when it runs out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub id: HoldId,
    pub until: DateTime<Utc>,
}

/// Holds seats for `user`: the ones named, or the best adjacent ones of a grade. The hold is
/// written in a transaction of its own; `HoldDesk::hold` writes it together with the holds
/// that arrive beside it.
pub async fn hold(
    db: &PgPool,
    redis: &Redis,
    rules: HoldRules,
    user: UserId,
    concert: ConcertId,
    request: &HoldRequest,
) -> Result<Held, TicketingError> {
    hold_via(None, db, redis, rules, user, concert, request).await
}

pub(super) async fn hold_via(
    desk: Option<&HoldDesk>,
    db: &PgPool,
    redis: &Redis,
    rules: HoldRules,
    user: UserId,
    concert: ConcertId,
    request: &HoldRequest,
) -> Result<Held, TicketingError> {
    match request {
        HoldRequest::Seats(seats) => hold_seats(desk, db, redis, rules, user, concert, seats).await,
        HoldRequest::Best { grade, count } => {
            // The gate before reading the seats (each pick's lock checks it again).
            if rules.waiting_room {
                match super::queue::is_active(redis, concert, user).await {
                    Ok(true) | Err(TicketingError::Unavailable) => {}
                    Ok(false) => return Err(TicketingError::NotAdmitted),
                    Err(e) => return Err(e),
                }
            }
            // Another shopper may take the picked seats first: pick again a few times.
            for _ in 0..3 {
                let free = free_seats(db, concert, grade).await?;
                let pick =
                    best_available(&free, *count as usize).ok_or(TicketingError::NotEnoughSeats)?;
                match hold_seats(desk, db, redis, rules, user, concert, &pick).await {
                    Err(TicketingError::SeatTaken) => continue,
                    other => return other,
                }
            }
            Err(TicketingError::SeatTaken)
        }
    }
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

fn lock_keys(redis: &Redis, concert: ConcertId, seats: &[SeatId]) -> Vec<String> {
    seats
        .iter()
        .map(|s| redis.key(&format!("tickets:{concert}:lock:seat:{s}")))
        .collect()
}

/// Each hold's seat lock keys, and the hold (its owner) beside each.
fn lock_owners(
    redis: &Redis,
    concert: ConcertId,
    holds: &[(HoldId, &[SeatId])],
) -> (Vec<String>, Vec<String>) {
    let (mut keys, mut owners) = (Vec::new(), Vec::new());
    for (hold, seats) in holds {
        keys.extend(lock_keys(redis, concert, seats));
        owners.extend(seats.iter().map(|_| hold.to_string()));
    }
    (keys, owners)
}

/// Lets go of the seat locks each hold still owns, in one call.
async fn unlock(redis: &Redis, concert: ConcertId, holds: &[(HoldId, &[SeatId])]) {
    let (keys, owners) = lock_owners(redis, concert, holds);
    if keys.is_empty() {
        return;
    }
    let unlocked: Result<i64, _> = redis.pool.eval(UNLOCK_EACH_SCRIPT, keys, owners).await;
    if let Err(e) = unlocked {
        tracing::debug!(error = %e, "seat locks left to expire");
    }
}

async fn hold_seats(
    desk: Option<&HoldDesk>,
    db: &PgPool,
    redis: &Redis,
    rules: HoldRules,
    user: UserId,
    concert: ConcertId,
    seats: &[SeatId],
) -> Result<Held, TicketingError> {
    let mut seats = seats.to_vec();
    seats.sort_unstable();
    seats.dedup();
    if seats.is_empty() {
        return Err(TicketingError::SeatTaken);
    }
    if seats.len() as i64 > rules.max_seats {
        return Err(TicketingError::OverLimit {
            max: rules.max_seats,
        });
    }
    let hold = HoldId(uuid::Uuid::new_v4());
    let (active, activity) = super::queue::activity(redis, concert, user);
    let mut keys = vec![active];
    keys.extend(lock_keys(redis, concert, &seats));
    let mut args = vec![hold.to_string(), LOCK_TTL.as_millis().to_string()];
    if rules.waiting_room {
        args.extend(activity);
    }
    let locked: Result<i64, _> = redis.pool.eval(LOCK_SCRIPT, keys, args).await;
    match locked {
        Ok(-1) => return Err(TicketingError::NotAdmitted),
        Ok(0) => return Err(TicketingError::SeatTaken),
        _ => {}
    }
    let want = Want {
        hold,
        user,
        seats,
        rules,
    };
    let seats = want.seats.clone();
    let held = match desk {
        Some(desk) => desk.write(db, redis, concert, want).await,
        None => match write_batch(db, redis, concert, vec![want]).await {
            Ok(mut one) => one.pop().unwrap_or(Err(TicketingError::SeatTaken)),
            Err(e) => Err(e),
        },
    };
    // A written hold's locks went with its batch.
    if held.is_err() && locked.is_ok() {
        unlock(redis, concert, &[(hold, &seats[..])]).await;
    }
    held
}

/// One hold asked for, as it is written: its id, account, seats (sorted) and limits.
pub(super) struct Want {
    pub hold: HoldId,
    pub user: UserId,
    pub seats: Vec<SeatId>,
    pub rules: HoldRules,
}

/// Writes holds of one concert in one transaction, each all or nothing, first come first
/// served; then moves the seat map on once for all of them. A deadlock (possible only with
/// a lazily expired hold's quota) is retried once.
pub(super) async fn write_batch(
    db: &PgPool,
    redis: &Redis,
    concert: ConcertId,
    wants: Vec<Want>,
) -> Result<Vec<Result<Held, TicketingError>>, TicketingError> {
    let written = match take(db, concert, &wants).await {
        Err(TicketingError::Db(e)) if is_deadlock(&e) => take(db, concert, &wants).await,
        other => other,
    };
    let (results, changes) = written?;
    if !changes.is_empty() {
        // The written holds' seat locks go too: their seats are held in Postgres now.
        let written: Vec<(HoldId, &[SeatId])> = wants
            .iter()
            .zip(&results)
            .filter(|(_, r)| r.is_ok())
            .map(|(w, _)| (w.hold, &w.seats[..]))
            .collect();
        let locks = lock_owners(redis, concert, &written);
        changed_and_unlocked(redis, concert, &changes, locks).await;
    }
    Ok(results)
}

fn is_deadlock(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "40P01")
}

type Taken = (Vec<Result<Held, TicketingError>>, Vec<SeatChange>);

async fn take(db: &PgPool, concert: ConcertId, wants: &[Want]) -> Result<Taken, TicketingError> {
    let all =
        |e: fn() -> TicketingError| Ok((wants.iter().map(|_| Err(e())).collect(), Vec::new()));
    let mut tx = db.begin().await?;
    // The concert, share-locked: a cancel or a status change waits for these holds, or they
    // see it.
    let open: Option<bool> = sqlx::query_scalar(
        "SELECT status = 'BOOKING_OPEN' AND now() >= booking_starts_at AND now() < booking_ends_at
         FROM concerts WHERE id = $1 FOR SHARE",
    )
    .bind(concert)
    .fetch_optional(&mut *tx)
    .await?;
    match open {
        None => return all(|| TicketingError::NotFound),
        Some(false) => return all(|| TicketingError::NotBookable),
        Some(true) => {}
    }
    // 1. The seats asked for that are free, or held past their time (lazy expiry), locked in
    //    id order.
    let mut asked: Vec<i64> = wants
        .iter()
        .flat_map(|w| w.seats.iter().map(|s| s.0))
        .collect();
    asked.sort_unstable();
    asked.dedup();
    let free: HashMap<i64, bool> = sqlx::query_as::<_, (i64, bool)>(
        "SELECT id, status = 'TEMPORARILY_RESERVED' FROM seats
         WHERE id = ANY($1) AND concert_id = $2
           AND (status = 'AVAILABLE' OR (status = 'TEMPORARILY_RESERVED' AND temp_reserved_until <= now()))
         ORDER BY id FOR UPDATE",
    )
    .bind(&asked)
    .bind(concert)
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let fits = |w: &Want| w.seats.iter().all(|s| free.contains_key(&s.0));
    // 2. The quotas of the accounts that may get seats, locked in account order (a new
    //    account starts at 0).
    let mut users: Vec<uuid::Uuid> = wants.iter().filter(|w| fits(w)).map(|w| w.user.0).collect();
    users.sort_unstable();
    users.dedup();
    let mut quota: HashMap<UserId, i64> = if users.is_empty() {
        HashMap::new()
    } else {
        sqlx::query_as::<_, (UserId, i32)>(
            "INSERT INTO ticket_quotas AS q (concert_id, user_id, seats)
             SELECT $1, u, 0 FROM unnest($2::uuid[]) AS u ORDER BY u
             ON CONFLICT (concert_id, user_id) DO UPDATE SET seats = q.seats
             RETURNING user_id, seats",
        )
        .bind(concert)
        .bind(&users)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(u, n)| (u, n as i64))
        .collect()
    };
    // 3. First come, first served: a hold gets all its seats within its account's limit, or
    //    nothing.
    let mut free = free;
    let mut results = Vec::with_capacity(wants.len());
    let (mut holds, mut holders, mut seats, mut ttls) = (vec![], vec![], vec![], vec![]);
    let mut expired = Vec::new();
    for w in wants {
        if !w.seats.iter().all(|s| free.contains_key(&s.0)) {
            results.push(Err(TicketingError::SeatTaken));
            continue;
        }
        let q = quota.entry(w.user).or_default();
        if *q + w.seats.len() as i64 > w.rules.max_seats {
            results.push(Err(TicketingError::OverLimit {
                max: w.rules.max_seats,
            }));
            continue;
        }
        *q += w.seats.len() as i64;
        for s in &w.seats {
            if free.remove(&s.0) == Some(true) {
                expired.push(s.0);
            }
            holds.push(w.hold.0);
            holders.push(w.user.0);
            seats.push(s.0);
            ttls.push(w.rules.ttl.as_secs_f64());
        }
        results.push(Ok(w.hold));
    }
    let mut until: HashMap<HoldId, DateTime<Utc>> = HashMap::new();
    if seats.is_empty() {
        tx.rollback().await?;
    } else {
        until = write(
            &mut tx,
            concert,
            &expired,
            [&holds, &holders],
            &seats,
            &ttls,
        )
        .await?;
        tx.commit().await?;
    }
    let results = results
        .into_iter()
        .map(|r| {
            r.and_then(|id| {
                until
                    .get(&id)
                    .map(|&until| Held { id, until })
                    .ok_or(TicketingError::SeatTaken)
            })
        })
        .collect();
    let changes = seats
        .into_iter()
        .map(|id| SeatChange {
            id: SeatId(id),
            status: super::super::SeatStatus::TemporarilyReserved,
        })
        .collect();
    Ok((results, changes))
}

/// Writes the holds taken: ends the lazily expired ones they replace, then sets the seats,
/// the quotas and the reservations at once. Returns when each new hold runs out.
async fn write(
    tx: &mut PgConnection,
    concert: ConcertId,
    expired: &[i64],
    [holds, holders]: [&Vec<uuid::Uuid>; 2],
    seats: &[i64],
    ttls: &[f64],
) -> Result<HashMap<HoldId, DateTime<Utc>>, TicketingError> {
    // 4. Holds that ran out on these seats end here; their holders get their quota back.
    if !expired.is_empty() {
        expire_reservations_of(&mut *tx, expired).await?;
    }
    // 5. The seats, the quotas and the reservations (at each seat's grade price), at once.
    //    The unique partial index is the last word on "one active reservation per seat".
    let until: Vec<(HoldId, DateTime<Utc>)> = sqlx::query_as(
        "WITH a AS (
             SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::float8[])
                 AS a(hold_id, user_id, seat_id, ttl)),
         seated AS (
             UPDATE seats s SET status = 'TEMPORARILY_RESERVED', temp_reserved_by = a.user_id,
                 temp_reserved_until = now() + make_interval(secs => a.ttl), updated_at = now()
             FROM a WHERE s.id = a.seat_id),
         counted AS (
             UPDATE ticket_quotas q SET seats = q.seats + n.n
             FROM (SELECT user_id, count(*)::int AS n FROM a GROUP BY user_id) n
             WHERE q.concert_id = $1 AND q.user_id = n.user_id)
         INSERT INTO seat_reservations (hold_id, user_id, concert_id, seat_id, price, reserved_until)
         SELECT a.hold_id, a.user_id, $1, a.seat_id, g.price, now() + make_interval(secs => a.ttl)
         FROM a JOIN seats s ON s.id = a.seat_id
         JOIN concert_grades g ON g.concert_id = s.concert_id AND g.grade = s.grade
         RETURNING hold_id, reserved_until",
    )
    .bind(concert)
    .bind(holds)
    .bind(holders)
    .bind(seats)
    .bind(ttls)
    .fetch_all(&mut *tx)
    .await
    .on_constraint(|c| (c == "seat_reservations_one_active").then_some(TicketingError::SeatTaken))?;
    Ok(until.into_iter().collect())
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
