//! The seat map, its cache, and the live updates of seat changes.
//!
//! Each concert has a version in Redis that grows with every committed seat change. The
//! cached map is stored under its version, so a map read before a change can never be
//! served after it: the change moves readers to a new key. The same version numbers the
//! change messages published for the live seat map (SSE event ids).

use super::super::{ConcertId, SeatId, SeatMap, SeatStatus, SeatView, TicketingError};
use super::SEAT_STATUS;
use crate::platform::redis::Redis;
use chrono::{DateTime, Utc};
use fred::prelude::*;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::time::Duration;

/// Seed 001: the seat map is cached for 300 seconds.
pub const MAP_TTL: Duration = Duration::from_secs(300);

fn version_key(concert: ConcertId) -> String {
    format!("tickets:{concert}:seats:version")
}

fn map_key(concert: ConcertId, version: i64) -> String {
    format!("tickets:{concert}:seats:map:{version}")
}

/// A seat's new status, as a change message carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SeatChange {
    pub id: SeatId,
    pub status: SeatStatus,
}

/// One committed change of some seats, numbered by the concert's version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatEvent {
    pub version: i64,
    pub seats: Vec<SeatChange>,
}

/// The map as cached: the seats, and when the first hold on it runs out (the entry is not
/// used past that, so an expired hold shows as free without waiting for the job).
#[derive(Serialize, Deserialize)]
struct Cached {
    seats: Vec<SeatView>,
    first_expiry: Option<DateTime<Utc>>,
}

/// The current version of a concert's seats (0 before the first change, or without Redis).
pub async fn version(redis: &Redis, concert: ConcertId) -> i64 {
    let v: Result<Option<i64>, _> = redis.pool.get(redis.key(&version_key(concert))).await;
    v.ok().flatten().unwrap_or(0)
}

/// Every seat of a concert as a shopper sees it, from the cache when it is fresh.
pub async fn seat_map(
    db: &PgPool,
    redis: &Redis,
    concert: ConcertId,
) -> Result<(i64, SeatMap), TicketingError> {
    let version = version(redis, concert).await;
    let key = redis.key(&map_key(concert, version));
    let cached: Result<Option<String>, _> = redis.pool.get(&key).await;
    if let Some(c) = cached
        .ok()
        .flatten()
        .and_then(|json| serde_json::from_str::<Cached>(&json).ok())
    {
        if c.first_expiry.is_none_or(|at| Utc::now() < at) {
            return Ok((
                version,
                SeatMap {
                    concert_id: concert,
                    seats: c.seats,
                },
            ));
        }
    }
    let seats = load(db, concert).await?;
    let first_expiry: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT min(temp_reserved_until) FROM seats
         WHERE concert_id = $1 AND status = 'TEMPORARILY_RESERVED' AND temp_reserved_until > now()",
    )
    .bind(concert)
    .fetch_one(db)
    .await?;
    let entry = Cached {
        seats,
        first_expiry,
    };
    if let Ok(json) = serde_json::to_string(&entry) {
        let ttl = Expiration::EX(MAP_TTL.as_secs() as i64);
        let stored: Result<(), _> = redis.pool.set(&key, json, Some(ttl), None, false).await;
        if let Err(e) = stored {
            tracing::debug!(error = %e, "seat map not cached");
        }
    }
    Ok((
        version,
        SeatMap {
            concert_id: concert,
            seats: entry.seats,
        },
    ))
}

async fn load(db: &PgPool, concert: ConcertId) -> Result<Vec<SeatView>, TicketingError> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM concerts WHERE id = $1)")
        .bind(concert)
        .fetch_one(db)
        .await?;
    if !exists {
        return Err(TicketingError::NotFound);
    }
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.seat_number, s.section, s.row_label, s.number_in_row, s.grade, g.price,
                {SEAT_STATUS} AS status
         FROM seats s JOIN concert_grades g ON g.concert_id = s.concert_id AND g.grade = s.grade
         WHERE s.concert_id = $1 ORDER BY s.seat_number"
    ))
    .bind(concert)
    .fetch_all(db)
    .await?)
}

/// After a commit that changed seats: moves the concert to a new version (so no cached map
/// from before is served again) and tells every instance's live seat maps.
pub async fn changed(redis: &Redis, concert: ConcertId, seats: &[SeatChange]) {
    if seats.is_empty() {
        return;
    }
    let version: Result<i64, _> = redis.pool.incr(redis.key(&version_key(concert))).await;
    let version = match version {
        Ok(v) => v,
        Err(e) => {
            // Cached maps then live out their TTL; the live map catches up on its next snapshot.
            tracing::warn!(error = %e, %concert, "seat version not moved");
            return;
        }
    };
    let published = crate::ticketing::live::Published {
        concert,
        event: SeatEvent {
            version,
            seats: seats.to_vec(),
        },
    };
    if let Ok(json) = serde_json::to_string(&published) {
        let sent: Result<i64, _> = redis
            .pool
            .next()
            .publish(redis.key(crate::ticketing::live::CHANNEL), json)
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, %concert, "seat change not published");
        }
    }
}

/// After a hold batch's commit, in one call while its shoppers wait: what `changed` and
/// `concerts::drop_list` do, and the batch's seat locks (`unlock`: key and owner) let go.
pub(super) async fn changed_and_unlocked(
    redis: &Redis,
    concert: ConcertId,
    seats: &[SeatChange],
    unlock: (Vec<String>, Vec<String>),
) {
    // The message, split where the version goes (Redis hands out the version).
    const MARK: i64 = i64::MIN;
    let published = crate::ticketing::live::Published {
        concert,
        event: SeatEvent {
            version: MARK,
            seats: seats.to_vec(),
        },
    };
    let Ok(json) = serde_json::to_string(&published) else {
        return;
    };
    let Some((head, tail)) = json.split_once(&MARK.to_string()) else {
        return;
    };
    let (locks, owners) = unlock;
    let mut keys = vec![
        redis.key(&version_key(concert)),
        redis.key(super::concerts::list_key()),
        redis.key(crate::ticketing::live::CHANNEL),
    ];
    keys.extend(locks);
    let mut args = vec![head.to_owned(), tail.to_owned()];
    args.extend(owners);
    let done: Result<i64, _> = redis.pool.eval(CHANGED_SCRIPT, keys, args).await;
    if let Err(e) = done {
        // Cached maps and the list then live out their TTL; seat locks expire by themselves.
        tracing::warn!(error = %e, %concert, "seat change not published");
    }
}

/// KEYS: the version, the concert list, the change channel, then seat locks; ARGV: the message
/// around its version, then each lock's owner.
const CHANGED_SCRIPT: &str = r#"
local v = redis.call('INCR', KEYS[1])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', KEYS[3], ARGV[1] .. v .. ARGV[2])
for i = 4, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i - 1] then redis.call('DEL', KEYS[i]) end
end
return v"#;
