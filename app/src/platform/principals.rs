//! Who a bearer token or a signed-in session belongs to, kept for a few seconds by each
//! instance. Every authenticated request needs the caller's account row; read from Postgres
//! each time, that one lookup was most of what a small API call cost (docs/benchmarks.md,
//! session 20).
//!
//! A change to an account that decides what it may do (suspension, role) or a revoked token
//! calls [`account_changed`], which forgets the account here and publishes its id; every
//! instance's listener forgets it too, at once. An entry also expires after [`MAX_AGE`], in
//! case a message is lost while a listener reconnects.

use crate::identity::{Role, TokenId, UserId, UserStatus};
use crate::platform::redis::Redis;
use chrono::{DateTime, Utc};
use fred::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The Redis channel (under the key prefix) that carries the ids of changed accounts.
pub const CHANNEL: &str = "auth:changed";
/// The longest an entry is believed without a fresh read.
pub const MAX_AGE: Duration = Duration::from_secs(10);
/// Expired entries are swept once a map holds this many.
const SWEEP_AT: usize = 4096;

/// An account as authentication sees it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Principal {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: UserStatus,
}

struct Token {
    id: TokenId,
    user: UserId,
    expires_at: DateTime<Utc>,
    at: Instant,
}

struct Maps {
    /// By the token's SHA-256 (hex), as `auth_tokens` stores it.
    tokens: HashMap<String, Token>,
    users: HashMap<UserId, (Principal, Instant)>,
    swept: Instant,
}

impl Default for Maps {
    fn default() -> Self {
        Self {
            tokens: HashMap::new(),
            users: HashMap::new(),
            swept: Instant::now(),
        }
    }
}

#[derive(Clone, Default)]
pub struct Principals {
    maps: Arc<RwLock<Maps>>,
    /// Bumped by every change, so that a row read before a change is not kept after it.
    generation: Arc<AtomicU64>,
}

impl Principals {
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The live token with this hash and its account, if both were read lately.
    pub fn token(&self, hash: &str) -> Option<(TokenId, Principal)> {
        let maps = self.maps.read().ok()?;
        let token = maps.tokens.get(hash)?;
        if token.at.elapsed() > MAX_AGE || token.expires_at <= Utc::now() {
            return None;
        }
        let (row, at) = maps.users.get(&token.user)?;
        (at.elapsed() <= MAX_AGE).then(|| (token.id, row.clone()))
    }

    /// The account, if it was read lately.
    pub fn user(&self, id: UserId) -> Option<Principal> {
        let maps = self.maps.read().ok()?;
        let (row, at) = maps.users.get(&id)?;
        (at.elapsed() <= MAX_AGE).then(|| row.clone())
    }

    /// Keeps an account read at `generation`, unless it changed since.
    pub fn put_user(&self, row: Principal, generation: u64) {
        self.put(generation, |maps, now| {
            maps.users.insert(row.id, (row, now));
        });
    }

    /// Keeps a token and its account read at `generation`, unless either changed since.
    pub fn put_token(
        &self,
        hash: &str,
        id: TokenId,
        expires_at: DateTime<Utc>,
        row: Principal,
        generation: u64,
    ) {
        self.put(generation, |maps, at| {
            let user = row.id;
            maps.users.insert(user, (row, at));
            let token = Token {
                id,
                user,
                expires_at,
                at,
            };
            maps.tokens.insert(hash.to_owned(), token);
        });
    }

    fn put(&self, generation: u64, insert: impl FnOnce(&mut Maps, Instant)) {
        let Ok(mut maps) = self.maps.write() else {
            return;
        };
        // Under the write lock, as `forget` bumps it, so no stale row slips in between.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        // At most once an age: a sweep under the write lock is a pass over every entry.
        let big = maps.tokens.len() >= SWEEP_AT || maps.users.len() >= SWEEP_AT;
        if big && maps.swept.elapsed() > MAX_AGE {
            maps.tokens.retain(|_, t| t.at.elapsed() <= MAX_AGE);
            maps.users.retain(|_, (_, at)| at.elapsed() <= MAX_AGE);
            maps.swept = Instant::now();
        }
        insert(&mut maps, Instant::now());
    }

    /// Forgets one account and its tokens, or everything.
    pub fn forget(&self, user: Option<UserId>) {
        let Ok(mut maps) = self.maps.write() else {
            return;
        };
        self.generation.fetch_add(1, Ordering::AcqRel);
        match user {
            Some(user) => {
                maps.users.remove(&user);
                maps.tokens.retain(|_, t| t.user != user);
            }
            None => *maps = Maps::default(),
        }
    }
}

/// An account's status, role or tokens changed: every instance reads it afresh from now on.
/// Call it after the change has committed.
pub async fn account_changed(redis: &Redis, user: UserId) {
    redis.principals.forget(Some(user));
    let published: Result<i64, _> = redis
        .pool
        .next()
        .publish(redis.key(CHANNEL), user.to_string())
        .await;
    if let Err(e) = published {
        // Other instances still drop it within `MAX_AGE`.
        tracing::warn!(error = %e, %user, "account change not published");
    }
}

/// Forgets the accounts other instances report changed. Runs until the process ends.
pub async fn spawn_listener(redis: &Redis) -> Result<(), fred::error::Error> {
    let principals = redis.principals.clone();
    redis
        .listen(CHANNEL, move |msg| {
            // A lost or unreadable message: forget everything rather than guess.
            principals.forget(msg.and_then(|m| m.parse().ok()));
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(role: Role) -> Principal {
        Principal {
            id: UserId(uuid::Uuid::from_u128(7)),
            email: "a@example.com".into(),
            name: "에이".into(),
            role,
            status: UserStatus::Active,
        }
    }

    fn token_id(n: u128) -> TokenId {
        TokenId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn a_row_read_before_a_change_is_not_kept() {
        let p = Principals::default();
        let before = p.generation();
        p.forget(Some(row(Role::Customer).id));
        p.put_user(row(Role::Customer), before);
        assert_eq!(p.user(row(Role::Customer).id), None);
        p.put_user(row(Role::Seller), p.generation());
        assert_eq!(p.user(row(Role::Seller).id), Some(row(Role::Seller)));
    }

    #[test]
    fn forgetting_an_account_forgets_its_tokens() {
        let p = Principals::default();
        let later = Utc::now() + chrono::Duration::days(1);
        p.put_token(
            "h1",
            token_id(1),
            later,
            row(Role::Customer),
            p.generation(),
        );
        assert_eq!(p.token("h1"), Some((token_id(1), row(Role::Customer))));
        p.forget(Some(UserId(uuid::Uuid::from_u128(8))));
        assert!(p.token("h1").is_some(), "another account's change");
        p.forget(Some(row(Role::Customer).id));
        assert_eq!(p.token("h1"), None);
        assert_eq!(p.user(row(Role::Customer).id), None);
    }

    #[test]
    fn an_expired_token_is_not_believed() {
        let p = Principals::default();
        let past = Utc::now() - chrono::Duration::seconds(1);
        p.put_token("h2", token_id(2), past, row(Role::Customer), p.generation());
        assert_eq!(p.token("h2"), None);
        p.forget(None);
        assert_eq!(p.user(row(Role::Customer).id), None);
    }
}
