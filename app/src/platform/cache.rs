//! Read-through cache in Redis, shared by every app instance. Entries expire by TTL and are
//! deleted early by the cache invalidator, which reads domain events from the outbox stream.
//! Redis being down only means reading from Postgres.

use crate::platform::local_cache;
use crate::platform::redis::Redis;
use fred::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// TTLs from seed 004: categories 1 h, products 10 min, stock 30 s.
pub const CATEGORY_TTL: Duration = Duration::from_secs(3600);
pub const PRODUCT_TTL: Duration = Duration::from_secs(600);
pub const STOCK_TTL: Duration = Duration::from_secs(30);

pub fn category_tree_key() -> &'static str {
    "cache:categories:tree"
}

pub fn product_key(slug: &str) -> String {
    // v2: the entry carries the seller's standing.
    format!("cache:product:v2:{slug}")
}

pub fn availability_key(product_id: crate::catalog::ProductId) -> String {
    format!("cache:stock:product:{product_id}")
}

/// Returns the cached value, or loads, stores and returns it.
pub async fn get_or_load<T, E, F, Fut>(
    redis: &Redis,
    key: &str,
    ttl: Duration,
    load: F,
) -> Result<T, E>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let full = redis.key(key);
    let cached: Result<Option<String>, _> = redis.pool.get(&full).await;
    if let Ok(Some(json)) = cached {
        if let Ok(v) = serde_json::from_str(&json) {
            return Ok(v);
        }
    }
    let value = load().await?;
    if let Ok(json) = serde_json::to_string(&value) {
        let stored: Result<(), _> = redis
            .pool
            .set(
                &full,
                json,
                Some(Expiration::EX(ttl.as_secs() as i64)),
                None,
                false,
            )
            .await;
        if let Err(e) = stored {
            tracing::debug!(error = %e, key, "cache write skipped");
        }
    }
    Ok(value)
}

pub async fn invalidate(redis: &Redis, keys: &[String]) {
    if keys.is_empty() {
        return;
    }
    let full: Vec<String> = keys.iter().map(|k| redis.key(k)).collect();
    let deleted: Result<i64, _> = redis.pool.del(full.clone()).await;
    if let Err(e) = deleted {
        tracing::warn!(error = %e, "cache invalidation failed; entries expire by TTL");
    }
    // After the delete: an instance that drops its copy then reloads the new value.
    redis.local.remove(&full);
    let published: Result<i64, _> = redis
        .pool
        .next()
        .publish(redis.key(local_cache::CHANNEL), full.join("\n"))
        .await;
    if let Err(e) = published {
        tracing::warn!(error = %e, "local cache invalidation not published; copies expire");
    }
}

/// `get_or_load` with this instance's copy in front: no Redis round trip while it is fresh.
pub async fn get_or_load_local<T, E, F, Fut>(
    redis: &Redis,
    key: &str,
    ttl: Duration,
    load: F,
) -> Result<Arc<T>, E>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let full = redis.key(key);
    if let Some(value) = redis.local.get::<T>(&full) {
        return Ok(value);
    }
    let generation = redis.local.generation();
    let value = Arc::new(get_or_load(redis, key, ttl, load).await?);
    redis.local.put(&full, value.clone(), generation);
    Ok(value)
}

/// Drops this instance's copies of the keys other instances invalidate. Runs until the
/// process ends.
pub async fn spawn_local_invalidation(redis: &Redis) -> Result<(), fred::error::Error> {
    let local = redis.local.clone();
    redis
        .listen(local_cache::CHANNEL, move |keys| match keys {
            Some(keys) => local.remove(&keys.split('\n').collect::<Vec<_>>()),
            // Messages were missed: forget everything rather than guess.
            None => local.clear(),
        })
        .await
}
