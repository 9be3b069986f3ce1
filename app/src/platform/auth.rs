//! Who is calling: the current-user extractor, role guards and the registry of signed-in
//! sessions.
//!
//! Browser sessions are tower-sessions records in Redis. At login we also write an auth
//! record `auth:s:{sid}` (device, IP, last seen) and index it under the user. Every request
//! checks that record, so deleting it signs that device out on every app instance at once.
//! Scripts may instead send `Authorization: Bearer <personal API token>`.

use crate::identity::{Role, SessionView, TokenId, UserId, UserStatus};
use crate::platform::error::AppError;
use crate::platform::principals::Principal;
use crate::platform::redis::Redis;
use crate::platform::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use fred::prelude::*;
use std::collections::HashMap;
use tower_sessions::Session;

pub const SESSION_SID: &str = "auth.sid";
pub const SESSION_UID: &str = "auth.uid";
/// Matches the session cookie's inactivity expiry.
pub const SESSION_TTL_SECS: i64 = 14 * 24 * 3600;
/// However active, a session ends this long after sign-in.
pub const SESSION_MAX_AGE_SECS: i64 = 30 * 24 * 3600;
/// Avoid a Redis write on every request: refresh "last seen" at most this often.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthVia {
    Session { sid: String },
    Token { token_id: TokenId },
}

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub via: AuthVia,
}

impl CurrentUser {
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn sid(&self) -> Option<&str> {
        match &self.via {
            AuthVia::Session { sid } => Some(sid),
            AuthVia::Token { .. } => None,
        }
    }
}

/// `Option<CurrentUser>` as an extractor: never rejects.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

/// Admins only.
pub struct RequireAdmin(pub CurrentUser);
/// Sellers (and admins, who may act for them).
pub struct RequireSeller(pub CurrentUser);

fn state_of(parts: &Parts) -> Result<AppState, AppError> {
    parts
        .extensions
        .get::<AppState>()
        .cloned()
        .ok_or_else(|| AppError::internal("AppState extension missing"))
}

/// The client's address, believing `X-Forwarded-For` only from `TRUSTED_PROXIES`.
pub fn client_ip(parts: &Parts) -> String {
    let Some(peer) = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return "unknown".into();
    };
    let trusted = parts
        .extensions
        .get::<AppState>()
        .map(|s| s.settings.trusted_proxies.as_slice())
        .unwrap_or_default();
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    crate::platform::client_ip::resolve(peer, forwarded, trusted).to_string()
}

pub fn user_agent(parts: &Parts) -> String {
    parts
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .chars()
        .take(300)
        .collect()
}

async fn load_active(state: &AppState, id: UserId) -> Result<Option<Principal>, AppError> {
    let principals = &state.redis.principals;
    let row = match principals.user(id) {
        Some(row) => Some(row),
        None => {
            let generation = principals.generation();
            let row: Option<Principal> =
                sqlx::query_as("SELECT id, email, name, role, status FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&state.db)
                    .await?;
            if let Some(row) = &row {
                principals.put_user(row.clone(), generation);
            }
            row
        }
    };
    Ok(row.filter(|u| u.status == UserStatus::Active))
}

/// The live token presented and its account, from this instance's copy when it is fresh.
async fn by_token(state: &AppState, token: &str) -> Result<Option<(TokenId, Principal)>, AppError> {
    let principals = &state.redis.principals;
    let hash = crate::identity::tokens::hash(token);
    if let Some(found) = principals.token(&hash) {
        return Ok(Some(found));
    }
    let generation = principals.generation();
    let Some(found) = crate::identity::tokens::authenticate::<Principal>(&state.db, token).await?
    else {
        return Ok(None);
    };
    let account = found.account.clone();
    principals.put_token(&hash, found.id, found.expires_at, account, generation);
    Ok(Some((found.id, found.account)))
}

fn to_user(row: Principal, via: AuthVia) -> CurrentUser {
    CurrentUser {
        id: row.id,
        email: row.email,
        name: row.name,
        role: row.role,
        via,
    }
}

async fn resolve(parts: &mut Parts) -> Result<Option<CurrentUser>, AppError> {
    let state = state_of(parts)?;
    if let Some(token) = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        let Some((token_id, user)) = by_token(&state, token.trim()).await? else {
            return Err(AppError::Unauthenticated);
        };
        return Ok(
            (user.status == UserStatus::Active).then(|| to_user(user, AuthVia::Token { token_id }))
        );
    }
    let Some(session) = parts.extensions.get::<Session>().cloned() else {
        return Ok(None);
    };
    let sid: Option<String> = session.get(SESSION_SID).await.map_err(AppError::internal)?;
    let uid: Option<UserId> = session.get(SESSION_UID).await.map_err(AppError::internal)?;
    let (Some(sid), Some(uid)) = (sid, uid) else {
        return Ok(None);
    };
    let record = registry::lookup(&state.redis, &sid)
        .await
        .map_err(AppError::internal)?;
    let Some(record) = record.filter(|r| r.user_id == uid) else {
        // Revoked elsewhere: forget it here too.
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    };
    if (Utc::now() - record.created_at).num_seconds() >= SESSION_MAX_AGE_SECS {
        registry::revoke(&state.redis, uid, &sid).await.ok();
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    let Some(user) = load_active(&state, uid).await? else {
        registry::revoke(&state.redis, uid, &sid).await.ok();
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    };
    if (Utc::now() - record.last_seen).num_seconds() >= TOUCH_EVERY_SECS {
        let ip = client_ip(parts);
        registry::touch(&state.redis, uid, &sid, &ip).await.ok();
    }
    Ok(Some(to_user(user, AuthVia::Session { sid })))
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<MaybeUser>() {
            return Ok(cached.clone());
        }
        let user = MaybeUser(resolve(parts).await?);
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        MaybeUser::from_request_parts(parts, s)
            .await?
            .0
            .ok_or(AppError::Unauthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequireAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, s).await?;
        user.require(&[Role::Admin])?;
        Ok(Self(user))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequireSeller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, s).await?;
        user.require(&[Role::Seller, Role::Admin])?;
        Ok(Self(user))
    }
}

/// The user of the current request, resolved once and shared by every server function a page
/// render calls (each would otherwise repeat the Redis and Postgres lookups). The router
/// provides a fresh one per request.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

/// Inside a server function: the signed-in user, or `Unauthenticated`.
pub async fn current_user() -> Result<CurrentUser, AppError> {
    maybe_user().await?.ok_or(AppError::Unauthenticated)
}

pub async fn maybe_user() -> Result<Option<CurrentUser>, AppError> {
    let resolve = || async {
        Ok::<_, AppError>(
            leptos_axum::extract::<MaybeUser>()
                .await
                .map_err(AppError::internal)?
                .0,
        )
    };
    match leptos::prelude::use_context::<RequestUser>() {
        Some(cache) => cache.0.get_or_try_init(resolve).await.cloned(),
        None => resolve().await,
    }
}

/// The Redis registry of signed-in devices.
pub mod registry {
    use super::*;

    #[derive(Debug, Clone)]
    pub struct Record {
        pub user_id: UserId,
        pub user_agent: String,
        pub ip: String,
        pub created_at: DateTime<Utc>,
        pub last_seen: DateTime<Utc>,
    }

    fn session_key(redis: &Redis, sid: &str) -> String {
        redis.key(&format!("auth:s:{sid}"))
    }

    fn user_key(redis: &Redis, uid: UserId) -> String {
        redis.key(&format!("auth:u:{uid}"))
    }

    pub fn new_sid() -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 18];
        rand::thread_rng().fill_bytes(&mut bytes);
        hex::encode(bytes)
    }

    pub async fn create(
        redis: &Redis,
        uid: UserId,
        user_agent: &str,
        ip: &str,
    ) -> Result<String, fred::error::Error> {
        let sid = new_sid();
        let now = Utc::now().to_rfc3339();
        let key = session_key(redis, &sid);
        let tx = redis.pool.next().multi();
        let _: () = tx
            .hset(
                &key,
                vec![
                    ("uid", uid.to_string()),
                    ("ua", user_agent.to_owned()),
                    ("ip", ip.to_owned()),
                    ("created", now.clone()),
                    ("seen", now),
                ],
            )
            .await?;
        let _: () = tx.expire(&key, SESSION_TTL_SECS, None).await?;
        let _: () = tx.sadd(user_key(redis, uid), &sid).await?;
        let _: () = tx
            .expire(user_key(redis, uid), SESSION_TTL_SECS, None)
            .await?;
        let _: Value = tx.exec(true).await?;
        Ok(sid)
    }

    pub async fn lookup(redis: &Redis, sid: &str) -> Result<Option<Record>, fred::error::Error> {
        let map: HashMap<String, String> = redis.pool.hgetall(session_key(redis, sid)).await?;
        Ok(parse(&map))
    }

    fn parse(map: &HashMap<String, String>) -> Option<Record> {
        let time = |k: &str| {
            map.get(k)
                .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
                .map(|d| d.with_timezone(&Utc))
        };
        Some(Record {
            user_id: map.get("uid")?.parse().ok()?,
            user_agent: map.get("ua").cloned().unwrap_or_default(),
            ip: map.get("ip").cloned().unwrap_or_default(),
            created_at: time("created")?,
            last_seen: time("seen")?,
        })
    }

    /// Refreshes "last seen" and extends the record and the user's index together, so the
    /// index always outlives every record in it: a device used every few days stays listed
    /// and revocable however long it lives.
    pub async fn touch(
        redis: &Redis,
        uid: UserId,
        sid: &str,
        ip: &str,
    ) -> Result<(), fred::error::Error> {
        let key = session_key(redis, sid);
        // Only touch a record that still exists, or a revoke could be undone.
        let exists: i64 = redis.pool.exists(&key).await?;
        if exists == 1 {
            let index = user_key(redis, uid);
            let tx = redis.pool.next().multi();
            let _: () = tx
                .hset(
                    &key,
                    vec![("seen", Utc::now().to_rfc3339()), ("ip", ip.to_owned())],
                )
                .await?;
            let _: () = tx.expire(&key, SESSION_TTL_SECS, None).await?;
            let _: () = tx.sadd(&index, sid).await?;
            let _: () = tx.expire(&index, SESSION_TTL_SECS, None).await?;
            let _: Value = tx.exec(true).await?;
        }
        Ok(())
    }

    /// Signs one device out. Returns false if the session is not the user's.
    pub async fn revoke(redis: &Redis, uid: UserId, sid: &str) -> Result<bool, fred::error::Error> {
        let removed: i64 = redis.pool.srem(user_key(redis, uid), sid).await?;
        let record = lookup(redis, sid).await?;
        if removed == 0 && record.as_ref().is_none_or(|r| r.user_id != uid) {
            return Ok(false);
        }
        let _: i64 = redis.pool.del(session_key(redis, sid)).await?;
        Ok(true)
    }

    pub async fn revoke_all(redis: &Redis, uid: UserId) -> Result<(), fred::error::Error> {
        let sids: Vec<String> = redis.pool.smembers(user_key(redis, uid)).await?;
        for sid in sids {
            let _: i64 = redis.pool.del(session_key(redis, &sid)).await?;
        }
        let _: i64 = redis.pool.del(user_key(redis, uid)).await?;
        Ok(())
    }

    /// Signs out every device of the user but `keep` (this one). Returns how many.
    pub async fn revoke_others(
        redis: &Redis,
        uid: UserId,
        keep: Option<&str>,
    ) -> Result<usize, fred::error::Error> {
        let sids: Vec<String> = redis.pool.smembers(user_key(redis, uid)).await?;
        let mut n = 0;
        for sid in sids.iter().filter(|s| Some(s.as_str()) != keep) {
            let _: i64 = redis.pool.srem(user_key(redis, uid), sid).await?;
            let removed: i64 = redis.pool.del(session_key(redis, sid)).await?;
            n += removed as usize;
        }
        Ok(n)
    }

    /// The user's live sessions, newest activity first. Prunes index entries that expired.
    pub async fn list(
        redis: &Redis,
        uid: UserId,
        current_sid: Option<&str>,
    ) -> Result<Vec<SessionView>, fred::error::Error> {
        let sids: Vec<String> = redis.pool.smembers(user_key(redis, uid)).await?;
        let mut out = Vec::new();
        for sid in sids {
            match lookup(redis, &sid).await? {
                Some(r) if r.user_id == uid => out.push(SessionView {
                    current: current_sid == Some(sid.as_str()),
                    id: sid,
                    user_agent: r.user_agent,
                    ip: r.ip,
                    created_at: r.created_at,
                    last_seen: r.last_seen,
                }),
                _ => {
                    let _: i64 = redis.pool.srem(user_key(redis, uid), &sid).await?;
                }
            }
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.last_seen));
        Ok(out)
    }
}
