//! The waiting room (seed 001's Redis queue), per concert.
//!
//! - Before booking opens, arrivals wait in a pre-queue (a set: arriving early buys nothing).
//!   At opening the pre-queue is shuffled once with a recorded seed, and takes the first
//!   places in line; everyone after joins at the end (first in, first out).
//! - Admission lets people from the head of the line in at `tickets.queue_admission_per_minute`
//!   (a token bucket), while fewer than `tickets.queue_active_users` are active. With nobody
//!   waiting and room inside, an arrival goes straight in.
//! - An admitted account is active for `ACTIVE_TTL` after its last activity (a seat map view,
//!   a hold); then, or when it leaves, its slot goes to the next in line.
//! - One place per account and concert: the line and the active set are keyed by account.
//!
//! Every key is under `tickets:{concert}:` and the app's prefix. Each step is one Lua script,
//! so concurrent arrivals, admissions and the shuffle never interleave. Postgres keeps the
//! audit: the shuffle's seed and input (`queue_rounds`) and each admission (`queue_admissions`).

use super::super::{AdmissionLog, ConcertId, Place, TicketingError};
use super::codes::signing_key;
use crate::identity::UserId;
use crate::platform::config::{Configs, QUEUE_ACTIVE_USERS, QUEUE_ADMISSION_PER_MINUTE};
use crate::platform::redis::Redis;
use base64::Engine;
use chrono::{DateTime, Utc};
use fred::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::PgPool;
use std::time::Duration;

/// How long an admitted account stays active without doing anything.
pub const ACTIVE_TTL: Duration = Duration::from_secs(600);

struct Keys {
    line: String,
    next: String,
    pre: String,
    opened: String,
    active: String,
    bucket: String,
}

fn keys(redis: &Redis, concert: ConcertId) -> Keys {
    let k = |s: &str| redis.key(&format!("tickets:{concert}:{s}"));
    Keys {
        line: k("queue"),
        next: k("queue:next"),
        pre: k("queue:pre"),
        opened: k("queue:opened"),
        active: k("active"),
        bucket: k("queue:bucket"),
    }
}

/// The limits of one concert's waiting room.
#[derive(Clone, Copy, Debug)]
pub struct QueueRules {
    pub per_minute: i64,
    pub active_cap: i64,
}

impl QueueRules {
    /// The concert's own settings, else the global ones.
    pub async fn of(
        db: &PgPool,
        configs: &Configs,
        concert: ConcertId,
    ) -> Result<Self, TicketingError> {
        let own: Option<(Option<i32>, Option<i32>)> = sqlx::query_as(
            "SELECT queue_admission_per_minute, queue_active_cap FROM concerts WHERE id = $1",
        )
        .bind(concert)
        .fetch_optional(db)
        .await?;
        let (rate, cap) = own.ok_or(TicketingError::NotFound)?;
        Ok(Self {
            per_minute: match rate {
                Some(r) => r as i64,
                None => configs.get(&QUEUE_ADMISSION_PER_MINUTE).await?,
            },
            active_cap: match cap {
                Some(c) => c as i64,
                None => configs.get(&QUEUE_ACTIVE_USERS).await?,
            },
        })
    }
}

const ENTER: &str = r#"
local line, nxt, pre, opened, active = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local user, now, cap, ttl, open = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local exp = redis.call('ZSCORE', active, user)
if exp and tonumber(exp) > now then
  redis.call('ZADD', active, now + ttl, user)
  return {1, 0}
end
if open == '0' or redis.call('EXISTS', opened) == 0 then
  redis.call('SADD', pre, user)
  return {2, 0}
end
if redis.call('ZSCORE', line, user) then
  return {0, redis.call('ZRANK', line, user) + 1}
end
redis.call('ZREMRANGEBYSCORE', active, '-inf', now)
if redis.call('ZCARD', line) == 0 and redis.call('ZCARD', active) < cap then
  local p = redis.call('INCR', nxt)
  redis.call('ZADD', active, now + ttl, user)
  return {1, p}
end
local p = redis.call('INCR', nxt)
redis.call('ZADD', line, p, user)
return {0, redis.call('ZRANK', line, user) + 1}
"#;

/// Shuffles the pre-queue into the first places in line, once. Park–Miller steps stay exact
/// in Lua's doubles, so the order can be recomputed from the seed and the sorted members.
const SHUFFLE: &str = r#"
local line, nxt, pre, opened = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('EXISTS', opened) == 1 then return false end
local members = redis.call('SMEMBERS', pre)
table.sort(members)
local sorted = {}
for i, m in ipairs(members) do sorted[i] = m end
local x = tonumber(ARGV[1])
for i = #members, 2, -1 do
  x = (x * 48271) % 2147483647
  local j = (x % i) + 1
  members[i], members[j] = members[j], members[i]
end
for i, m in ipairs(members) do redis.call('ZADD', line, 'NX', i, m) end
local n = tonumber(redis.call('GET', nxt) or '0')
if #members > n then redis.call('SET', nxt, #members) end
redis.call('SET', opened, '1')
redis.call('DEL', pre)
return sorted
"#;

const ADMIT: &str = r#"
local line, active, bucket = KEYS[1], KEYS[2], KEYS[3]
local now, rate, cap, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local burst = math.max(1, math.ceil(rate / 12))
redis.call('ZREMRANGEBYSCORE', active, '-inf', now)
local state = redis.call('HMGET', bucket, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 60000)
local n = math.min(math.floor(tokens), cap - redis.call('ZCARD', active))
local out = {}
if n > 0 then
  local popped = redis.call('ZPOPMIN', line, n)
  for i = 1, #popped, 2 do
    redis.call('ZADD', active, now + ttl, popped[i])
    out[#out + 1] = popped[i]
    out[#out + 1] = popped[i + 1]
  end
  tokens = tokens - #out / 2
end
redis.call('HSET', bucket, 'tokens', tostring(tokens), 'at', tostring(now))
return out
"#;

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Enters the waiting room of a concert (again: the same place). Booking must be open or
/// about to open; `open` says whether it is open now.
pub async fn enter(
    db: &PgPool,
    redis: &Redis,
    rules: QueueRules,
    concert: ConcertId,
    user: UserId,
    open: bool,
) -> Result<Place, TicketingError> {
    if open {
        open_line(db, redis, concert).await?;
    }
    let k = keys(redis, concert);
    let r: Vec<i64> = redis
        .pool
        .eval(
            ENTER,
            vec![k.line, k.next, k.pre, k.opened, k.active],
            vec![
                user.to_string(),
                now_ms().to_string(),
                rules.active_cap.to_string(),
                (ACTIVE_TTL.as_millis() as i64).to_string(),
                if open { "1" } else { "0" }.to_owned(),
            ],
        )
        .await
        .map_err(redis_down)?;
    match r.as_slice() {
        [1, position] => {
            if *position > 0 {
                log_admissions(db, concert, &[(user, *position)], false).await?;
            }
            admitted(db, concert, user).await
        }
        [2, _] => Ok(Place::PreQueue),
        [0, position] => Ok(waiting(*position, rules)),
        _ => Err(TicketingError::Unavailable),
    }
}

fn waiting(position: i64, rules: QueueRules) -> Place {
    let per_minute = rules.per_minute.max(1);
    Place::Waiting {
        position,
        ahead_minutes: (position + per_minute - 1) / per_minute,
    }
}

fn redis_down(e: fred::error::Error) -> TicketingError {
    tracing::warn!(error = %e, "waiting room unavailable");
    TicketingError::Unavailable
}

/// Where `user` stands now, without joining.
pub async fn place(
    db: &PgPool,
    redis: &Redis,
    rules: QueueRules,
    concert: ConcertId,
    user: UserId,
) -> Result<Place, TicketingError> {
    let k = keys(redis, concert);
    let id = user.to_string();
    let exp: Option<f64> = redis
        .pool
        .zscore(&k.active, &id)
        .await
        .map_err(redis_down)?;
    if exp.is_some_and(|e| e as i64 > now_ms()) {
        return admitted(db, concert, user).await;
    }
    let rank: Option<i64> = redis
        .pool
        .zrank(&k.line, &id, false)
        .await
        .map_err(redis_down)?;
    if let Some(rank) = rank {
        return Ok(waiting(rank + 1, rules));
    }
    let pre: bool = redis
        .pool
        .sismember(&k.pre, &id)
        .await
        .map_err(redis_down)?;
    Ok(if pre { Place::PreQueue } else { Place::Out })
}

async fn admitted(db: &PgPool, concert: ConcertId, user: UserId) -> Result<Place, TicketingError> {
    let until = Utc::now() + chrono::Duration::from_std(ACTIVE_TTL).unwrap_or_default();
    let key = signing_key(db, "queue").await?;
    Ok(Place::Admitted {
        token: pass_token(&key, concert, user, until),
        until,
    })
}

/// Leaves the line, or gives up the slot inside.
pub async fn leave(redis: &Redis, concert: ConcertId, user: UserId) -> Result<(), TicketingError> {
    let k = keys(redis, concert);
    let id = user.to_string();
    let _: i64 = redis.pool.zrem(&k.line, &id).await.map_err(redis_down)?;
    let _: i64 = redis.pool.zrem(&k.active, &id).await.map_err(redis_down)?;
    let _: i64 = redis.pool.srem(&k.pre, &id).await.map_err(redis_down)?;
    Ok(())
}

/// Whether `user` is inside now; being asked counts as activity and keeps them inside.
pub async fn is_active(
    redis: &Redis,
    concert: ConcertId,
    user: UserId,
) -> Result<bool, TicketingError> {
    let (active, args) = activity(redis, concert, user);
    // One round trip: the check and the touch.
    let active: i64 = redis
        .pool
        .eval(TOUCH_SCRIPT, vec![active], args.to_vec())
        .await
        .map_err(redis_down)?;
    Ok(active == 1)
}

/// Whether ARGV[1] is inside KEYS[1] past ARGV[2] (ms); if so, keeps it inside until ARGV[3].
const TOUCH_SCRIPT: &str = r#"
local exp = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not exp or tonumber(exp) <= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1"#;

/// Opens the line once booking has opened: the pre-queue is shuffled into its first places
/// (with a recorded seed), and arrivals from then on join at the end.
async fn open_line(db: &PgPool, redis: &Redis, concert: ConcertId) -> Result<(), TicketingError> {
    let k = keys(redis, concert);
    let opened: bool = redis.pool.exists(&k.opened).await.map_err(redis_down)?;
    if opened {
        return Ok(());
    }
    use rand::Rng;
    let seed: i64 = rand::thread_rng().gen_range(1..2_147_483_647);
    let members: Option<Vec<String>> = redis
        .pool
        .eval(
            SHUFFLE,
            vec![k.line, k.next, k.pre, k.opened],
            vec![seed.to_string()],
        )
        .await
        .map_err(redis_down)?;
    // `None`: another instance opened it first and recorded its own seed.
    if let Some(members) = members {
        let ids: Vec<uuid::Uuid> = members.iter().filter_map(|m| m.parse().ok()).collect();
        sqlx::query(
            "INSERT INTO queue_rounds (concert_id, seed, members) VALUES ($1, $2, $3)
             ON CONFLICT (concert_id) DO NOTHING",
        )
        .bind(concert)
        .bind(seed)
        .bind(&ids)
        .execute(db)
        .await?;
    }
    Ok(())
}

/// One admission round for a concert whose booking is open: shuffles the pre-queue the first
/// time, then lets the head of the line in. Returns how many were admitted.
pub async fn admit(
    db: &PgPool,
    redis: &Redis,
    rules: QueueRules,
    concert: ConcertId,
) -> Result<usize, TicketingError> {
    open_line(db, redis, concert).await?;
    let k = keys(redis, concert);
    let out: Vec<String> = redis
        .pool
        .eval(
            ADMIT,
            vec![k.line, k.active, k.bucket],
            vec![
                now_ms().to_string(),
                rules.per_minute.to_string(),
                rules.active_cap.to_string(),
                (ACTIVE_TTL.as_millis() as i64).to_string(),
            ],
        )
        .await
        .map_err(redis_down)?;
    let admitted: Vec<(UserId, i64)> = out
        .chunks(2)
        .filter_map(|pair| match pair {
            [user, pos] => Some((UserId(user.parse().ok()?), pos.parse::<f64>().ok()? as i64)),
            _ => None,
        })
        .collect();
    let pre_queue_size: Option<i32> =
        sqlx::query_scalar("SELECT cardinality(members) FROM queue_rounds WHERE concert_id = $1")
            .bind(concert)
            .fetch_optional(db)
            .await?;
    let pre = pre_queue_size.unwrap_or(0) as i64;
    let (from_pre, after): (Vec<_>, Vec<_>) = admitted.iter().partition(|(_, p)| *p <= pre);
    log_admissions(db, concert, &from_pre, true).await?;
    log_admissions(db, concert, &after, false).await?;
    Ok(admitted.len())
}

async fn log_admissions(
    db: &PgPool,
    concert: ConcertId,
    admitted: &[(UserId, i64)],
    pre_queue: bool,
) -> Result<(), TicketingError> {
    if admitted.is_empty() {
        return Ok(());
    }
    let users: Vec<UserId> = admitted.iter().map(|(u, _)| *u).collect();
    let positions: Vec<i64> = admitted.iter().map(|(_, p)| *p).collect();
    sqlx::query(
        "INSERT INTO queue_admissions (concert_id, user_id, position, pre_queue)
         SELECT $1, u, p, $4 FROM UNNEST($2::uuid[], $3::bigint[]) AS t(u, p) ORDER BY p",
    )
    .bind(concert)
    .bind(&users)
    .bind(&positions)
    .bind(pre_queue)
    .execute(db)
    .await?;
    Ok(())
}

/// The job: an admission round for every concert on sale. Returns how many were admitted.
pub async fn admit_all(
    db: &PgPool,
    redis: &Redis,
    configs: &Configs,
) -> Result<usize, TicketingError> {
    let open: Vec<ConcertId> = sqlx::query_scalar(
        "SELECT id FROM concerts WHERE status = 'BOOKING_OPEN'
           AND now() >= booking_starts_at AND now() < booking_ends_at",
    )
    .fetch_all(db)
    .await?;
    let mut n = 0;
    for concert in open {
        let rules = QueueRules::of(db, configs, concert).await?;
        n += admit(db, redis, rules, concert).await?;
    }
    Ok(n)
}

pub async fn admission_log(
    db: &PgPool,
    concert: ConcertId,
) -> Result<AdmissionLog, TicketingError> {
    let round: Option<(i64, Vec<uuid::Uuid>)> =
        sqlx::query_as("SELECT seed, members FROM queue_rounds WHERE concert_id = $1")
            .bind(concert)
            .fetch_optional(db)
            .await?;
    let admissions = sqlx::query_as(
        "SELECT a.user_id, u.email, a.position, a.pre_queue, a.admitted_at
         FROM queue_admissions a JOIN users u ON u.id = a.user_id
         WHERE a.concert_id = $1 ORDER BY a.id LIMIT 5000",
    )
    .bind(concert)
    .fetch_all(db)
    .await?;
    let (seed, pre_queue) = match round {
        Some((s, m)) => (Some(s), m),
        None => (None, Vec::new()),
    };
    Ok(AdmissionLog {
        seed,
        pre_queue,
        admissions,
    })
}

/// The order the shuffle gives `sorted` with `seed`: the same steps as the Lua script, so an
/// auditor can recompute the line from the recorded seed and members.
pub fn shuffled(sorted: &[uuid::Uuid], seed: i64) -> Vec<uuid::Uuid> {
    let mut v = sorted.to_vec();
    let mut x = seed;
    for i in (2..=v.len()).rev() {
        x = (x * 48271) % 2_147_483_647;
        let j = (x % i as i64) as usize;
        v.swap(i - 1, j);
    }
    v
}

const PASS: &str = "WR1";

/// `WR1.{concert}.{user}.{until}.{signature}`: proof of admission for the REST API.
pub fn pass_token(key: &[u8], concert: ConcertId, user: UserId, until: DateTime<Utc>) -> String {
    let body = format!("{PASS}.{concert}.{user}.{}", until.timestamp());
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(body.as_bytes());
    let sig =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&m.finalize().into_bytes()[..18]);
    format!("{body}.{sig}")
}

/// Whether `token` is a pass for this concert and account that has not run out.
pub fn check_pass(key: &[u8], token: &str, concert: ConcertId, user: UserId) -> bool {
    let Some((body, sig)) = token.rsplit_once('.') else {
        return false;
    };
    let parts: Vec<&str> = body.split('.').collect();
    let [PASS, c, u, until] = parts.as_slice() else {
        return false;
    };
    if *c != concert.to_string() || *u != user.to_string() {
        return false;
    }
    let Ok(until) = until.parse::<i64>() else {
        return false;
    };
    if until <= Utc::now().timestamp() {
        return false;
    }
    let Ok(given) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig) else {
        return false;
    };
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(body.as_bytes());
    m.verify_truncated_left(&given).is_ok() && given.len() == 18
}

/// A pass token, when given (REST), must be this account's for this concert and not run out.
/// The rest of the gate in front of holding seats (the account inside the waiting room) is
/// checked by the hold itself, in the same Redis call as its seat locks (`HoldRules`).
pub async fn require_pass(
    db: &PgPool,
    concert: ConcertId,
    user: UserId,
    token: Option<&str>,
) -> Result<(), TicketingError> {
    let Some(token) = token else {
        return Ok(());
    };
    let key = signing_key(db, "queue").await?;
    if check_pass(&key, token, concert, user) {
        Ok(())
    } else {
        Err(TicketingError::NotAdmitted)
    }
}

/// The set of active accounts of a concert and what a hold writes into it: for the hold's
/// check-and-touch, done in its seat-lock script (as `TOUCH_SCRIPT` does alone).
pub(super) fn activity(redis: &Redis, concert: ConcertId, user: UserId) -> (String, [String; 3]) {
    let now = now_ms();
    let until = now + ACTIVE_TTL.as_millis() as i64;
    (
        keys(redis, concert).active,
        [user.to_string(), now.to_string(), until.to_string()],
    )
}
