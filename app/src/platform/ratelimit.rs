//! Fixed-window counters in Redis. INCR and the expiry are set in one Lua call, so a key can
//! never be left without a TTL (which would lock someone out forever).

use crate::platform::redis::Redis;
use fred::prelude::*;
use std::time::Duration;

const SCRIPT: &str = r#"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window: Duration,
}

/// Counts one hit. `Err(retry_after)` once the window's budget is spent.
pub async fn hit(redis: &Redis, key: &str, limit: Limit) -> Result<(), Duration> {
    match count(redis, key, limit.window).await {
        Ok((n, ttl_ms)) if n > limit.max => Err(Duration::from_millis(ttl_ms.max(1000) as u64)),
        Ok(_) => Ok(()),
        // Fail open: a Redis outage must not stop everyone from logging in.
        Err(e) => {
            tracing::warn!(error = %e, "rate limiter unavailable");
            Ok(())
        }
    }
}

/// Whether the budget is already spent, without counting a hit.
pub async fn exceeded(redis: &Redis, key: &str, limit: Limit) -> Option<Duration> {
    let full = redis.key(key);
    let n: Option<i64> = redis.pool.get(&full).await.ok().flatten();
    if n.unwrap_or(0) < limit.max {
        return None;
    }
    let ttl: i64 = redis.pool.pttl(&full).await.unwrap_or(1000);
    Some(Duration::from_millis(ttl.max(1000) as u64))
}

pub async fn count(
    redis: &Redis,
    key: &str,
    window: Duration,
) -> Result<(i64, i64), fred::error::Error> {
    redis
        .pool
        .eval(
            SCRIPT,
            vec![redis.key(key)],
            vec![window.as_millis() as i64],
        )
        .await
}

pub async fn reset(redis: &Redis, key: &str) {
    let _: Result<i64, _> = redis.pool.del(redis.key(key)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::testing::test_redis;

    #[tokio::test]
    async fn blocks_after_the_budget_and_recovers_after_the_window() {
        let redis = test_redis().await;
        let limit = Limit {
            max: 3,
            window: Duration::from_millis(300),
        };
        for _ in 0..3 {
            assert!(hit(&redis, "k", limit).await.is_ok());
        }
        assert!(hit(&redis, "k", limit).await.is_err());
        assert!(exceeded(&redis, "k", limit).await.is_some());
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(exceeded(&redis, "k", limit).await.is_none());
        assert!(hit(&redis, "k", limit).await.is_ok());
    }
}
