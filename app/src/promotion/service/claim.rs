use crate::identity::UserId;
use crate::platform::db::OnConstraint;
use crate::platform::redis::Redis;
use crate::promotion::{CouponId, PromotionError, UserCouponId};
use fred::prelude::*;
use sqlx::PgPool;

/// KEYS: the counter and the set of claimants; ARGV: the user. Returns 2 when the user has
/// claimed already (a second tab takes no token), -1 when the counter is missing (to be
/// rebuilt from Postgres), 0 when none is left, and 1 after taking one.
pub const COUNTER_SCRIPT: &str = r#"
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 2 end
local left = redis.call('GET', KEYS[1])
if not left then return -1 end
if tonumber(left) <= 0 then return 0 end
redis.call('DECR', KEYS[1])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], 604800)
return 1
"#;

fn counter_key(coupon: CouponId) -> String {
    format!("coupon:{coupon}:left")
}

fn claimants_key(coupon: CouponId) -> String {
    format!("coupon:{coupon}:claimants")
}

enum Gate {
    Passed,
    SoldOut,
    Claimed,
    /// Redis cannot say (down): Postgres decides alone.
    Unknown,
}

/// One check-and-decrement, rebuilding a lost counter from Postgres once.
async fn gate(
    db: &PgPool,
    redis: &Redis,
    coupon: CouponId,
    total: i32,
    user: UserId,
) -> Result<Gate, PromotionError> {
    let key = redis.key(&counter_key(coupon));
    let keys = vec![key.clone(), redis.key(&claimants_key(coupon))];
    for _ in 0..2 {
        let r: Result<i64, _> = redis
            .pool
            .eval(COUNTER_SCRIPT, keys.clone(), vec![user.to_string()])
            .await;
        match r {
            Ok(1) => return Ok(Gate::Passed),
            Ok(0) => return Ok(Gate::SoldOut),
            Ok(2) => return Ok(Gate::Claimed),
            Ok(_) => {
                // Lost or never set: rebuild from the truth. SET NX, so racing rebuilders agree.
                let issued: i32 =
                    sqlx::query_scalar("SELECT issued_quantity FROM coupons WHERE id = $1")
                        .bind(coupon)
                        .fetch_one(db)
                        .await?;
                let left = i64::from((total - issued).max(0));
                let set: Result<Option<String>, _> = redis
                    .pool
                    .set(
                        &key,
                        left,
                        Some(Expiration::EX(7 * 24 * 3600)),
                        Some(SetOptions::NX),
                        false,
                    )
                    .await;
                if let Err(e) = set {
                    tracing::warn!(error = %e, "coupon counter could not be rebuilt");
                    return Ok(Gate::Unknown);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "coupon counter unavailable; Postgres decides");
                return Ok(Gate::Unknown);
            }
        }
    }
    Ok(Gate::Unknown)
}

/// Gives back a token taken from the counter for a claim that did not happen.
async fn give_back(redis: &Redis, coupon: CouponId, user: UserId) {
    let key = redis.key(&counter_key(coupon));
    let r: Result<i64, _> = redis.pool.incr(&key).await;
    if let Err(e) = r {
        tracing::warn!(error = %e, "coupon counter token not given back");
    }
    let r: Result<i64, _> = redis
        .pool
        .srem(redis.key(&claimants_key(coupon)), user.to_string())
        .await;
    if let Err(e) = r {
        tracing::warn!(error = %e, "coupon claimant not removed");
    }
}

/// Sets the counter to what Postgres says is left (after a refusal the counter did not foresee).
async fn resync(db: &PgPool, redis: &Redis, coupon: CouponId) {
    let left: Result<i32, _> = sqlx::query_scalar(
        "SELECT GREATEST(COALESCE(total_quantity, 0) - issued_quantity, 0) FROM coupons WHERE id = $1",
    )
    .bind(coupon)
    .fetch_one(db)
    .await;
    if let Ok(left) = left {
        let key = redis.key(&counter_key(coupon));
        let _: Result<(), _> = redis
            .pool
            .set(&key, i64::from(left), None, None, false)
            .await;
    }
}

/// What a claim checks before the counter, kept in-process: a rush reads it on every claim,
/// and it only decides the fast refusal. The write below checks the same in Postgres, so a
/// stale copy can never issue a coupon that is not valid.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
struct Terms {
    total_quantity: Option<i32>,
    is_active: bool,
    valid_from: chrono::DateTime<chrono::Utc>,
    valid_until: chrono::DateTime<chrono::Utc>,
}

async fn terms(db: &PgPool, redis: &Redis, coupon: CouponId) -> Result<Terms, PromotionError> {
    let key = format!("coupon-terms:{coupon}");
    if let Some(t) = redis.local.get::<Terms>(&key) {
        return Ok(*t);
    }
    let generation = redis.local.generation();
    let t: Terms = sqlx::query_as(
        "SELECT total_quantity, is_active, valid_from, valid_until FROM coupons WHERE id = $1",
    )
    .bind(coupon)
    .fetch_optional(db)
    .await?
    .ok_or(PromotionError::NotFound)?;
    redis.local.put(&key, std::sync::Arc::new(t), generation);
    Ok(t)
}

/// The shopper claims a coupon: at most one per shopper, and never more than the total.
pub async fn claim(
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    coupon: CouponId,
) -> Result<UserCouponId, PromotionError> {
    let Terms {
        total_quantity: total,
        is_active,
        valid_from,
        valid_until: until,
    } = terms(db, redis, coupon).await?;
    let now = chrono::Utc::now();
    if !is_active || now < valid_from || now > until {
        return Err(PromotionError::NotValid);
    }
    let gated = match total {
        Some(total) => match gate(db, redis, coupon, total, user).await? {
            Gate::SoldOut => return Err(PromotionError::SoldOut),
            Gate::Claimed => return Err(PromotionError::AlreadyClaimed),
            Gate::Passed => true,
            Gate::Unknown => false,
        },
        None => false,
    };
    let written = async {
        let mut tx = db.begin().await?;
        let id: Option<UserCouponId> = sqlx::query_scalar(
            "INSERT INTO user_coupons (user_id, coupon_id, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (coupon_id, user_id) DO NOTHING RETURNING id",
        )
        .bind(user)
        .bind(coupon)
        .bind(until)
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or(PromotionError::AlreadyClaimed)?;
        // The truth: never past the total, whatever Redis said.
        let counted = sqlx::query(
            "UPDATE coupons SET issued_quantity = issued_quantity + 1
             WHERE id = $1 AND (total_quantity IS NULL OR issued_quantity < total_quantity)
               AND is_active AND now() BETWEEN valid_from AND valid_until",
        )
        .bind(coupon)
        .execute(&mut *tx)
        .await
        .on_constraint(|c| {
            (c == "coupons_issued_within_total").then_some(PromotionError::SoldOut)
        })?;
        if counted.rows_affected() == 0 {
            let valid: bool = sqlx::query_scalar(
                "SELECT is_active AND now() BETWEEN valid_from AND valid_until FROM coupons WHERE id = $1",
            )
            .bind(coupon)
            .fetch_one(&mut *tx)
            .await?;
            return Err(if valid {
                PromotionError::SoldOut
            } else {
                PromotionError::NotValid
            });
        }
        tx.commit().await?;
        Ok(id)
    }
    .await;
    match &written {
        // Claimed in Postgres already (Redis had lost its set): the token goes back, the
        // user stays a claimant.
        Err(PromotionError::AlreadyClaimed) if gated => {
            let key = redis.key(&counter_key(coupon));
            let _: Result<i64, _> = redis.pool.incr(&key).await;
        }
        Err(PromotionError::SoldOut) if total.is_some() => resync(db, redis, coupon).await,
        Err(_) if gated => give_back(redis, coupon, user).await,
        _ => {}
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::testing::test_redis;
    use std::sync::Arc;

    async fn coupon(db: &PgPool, total: Option<i32>) -> CouponId {
        sqlx::query_scalar(
            "INSERT INTO coupons (code, name, discount_type, discount_value, total_quantity,
                 valid_from, valid_until)
             VALUES ($1, '선착순', 'fixed_amount', 3000, $2, now() - INTERVAL '1 hour', now() + INTERVAL '1 day')
             RETURNING id",
        )
        .bind(format!("C{}", uuid::Uuid::new_v4().simple()))
        .bind(total)
        .fetch_one(db)
        .await
        .unwrap()
    }

    async fn users(db: &PgPool, n: i32) -> Vec<UserId> {
        sqlx::query_scalar(
            "INSERT INTO users (email, name)
             SELECT 'rush-' || g || '-' || gen_random_uuid() || '@example.com', '구매자'
             FROM generate_series(1, $1) g RETURNING id",
        )
        .bind(n)
        .fetch_all(db)
        .await
        .unwrap()
    }

    /// 1,000 claims from 500 users (each twice) for 100 coupons; when `lose_key`, the Redis
    /// counter is deleted mid-rush.
    async fn rush(db: PgPool, lose_key: bool) {
        let redis = test_redis().await;
        let c = coupon(&db, Some(100)).await;
        let people = users(&db, 500).await;
        let barrier = Arc::new(tokio::sync::Barrier::new(1000 + usize::from(lose_key)));
        let mut tasks = Vec::new();
        for i in 0..1000 {
            let (db, redis, barrier) = (db.clone(), redis.clone(), barrier.clone());
            let user = people[i % 500];
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                claim(&db, &redis, user, c).await
            }));
        }
        if lose_key {
            let (redis, barrier) = (redis.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                let _: i64 = redis.pool.del(redis.key(&counter_key(c))).await.unwrap();
                Err(PromotionError::NotFound)
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(
                    PromotionError::SoldOut
                    | PromotionError::AlreadyClaimed
                    | PromotionError::NotFound,
                ) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        let (issued, rows, most): (i32, i64, i64) = sqlx::query_as(
            "SELECT (SELECT issued_quantity FROM coupons WHERE id = $1),
                    (SELECT count(*) FROM user_coupons WHERE coupon_id = $1),
                    (SELECT COALESCE(MAX(n), 0) FROM (SELECT count(*) AS n FROM user_coupons
                        WHERE coupon_id = $1 GROUP BY user_id) t)",
        )
        .bind(c)
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(
            (ok, issued, rows),
            (100, 100, 100),
            "exactly the total is issued"
        );
        assert_eq!(most, 1, "at most one per user");
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_rush_issues_exactly_the_total_once_per_user(db: PgPool) {
        rush(db, false).await;
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn losing_the_redis_counter_mid_rush_still_issues_exactly_the_total(db: PgPool) {
        rush(db, true).await;
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn unlimited_coupons_are_once_per_user_and_expired_ones_refused(db: PgPool) {
        let redis = test_redis().await;
        let c = coupon(&db, None).await;
        let u = users(&db, 1).await[0];
        claim(&db, &redis, u, c).await.unwrap();
        assert!(matches!(
            claim(&db, &redis, u, c).await,
            Err(PromotionError::AlreadyClaimed)
        ));
        sqlx::query("UPDATE coupons SET valid_until = now() - INTERVAL '1 second', valid_from = now() - INTERVAL '1 day' WHERE id = $1")
            .bind(c)
            .execute(&db)
            .await
            .unwrap();
        let v = users(&db, 1).await[0];
        assert!(matches!(
            claim(&db, &redis, v, c).await,
            Err(PromotionError::NotValid)
        ));
    }
}
