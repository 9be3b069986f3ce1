//! Product view counters. A page view adds one to a Redis hash (no row lock on the hot path:
//! a popular product's row would otherwise serialise its readers' writes); a job folds the
//! hash into `products.view_count` every few seconds.

use super::*;
use crate::platform::redis::Redis;
use fred::prelude::*;

const PENDING: &str = "catalog:views:pending";
const FLUSHING: &str = "catalog:views:flushing";

/// Counts one view. If Redis is unavailable the count goes straight to Postgres.
pub async fn count_view(
    db: &PgPool,
    redis: &Redis,
    product: ProductId,
) -> Result<(), CatalogError> {
    let queued: Result<i64, _> = redis
        .pool
        .hincrby(redis.key(PENDING), product.to_string(), 1)
        .await;
    if let Err(e) = queued {
        tracing::debug!(error = %e, "view counter falls back to Postgres");
        sqlx::query("UPDATE products SET view_count = view_count + 1 WHERE id = $1")
            .bind(product)
            .execute(db)
            .await?;
    }
    Ok(())
}

/// Moves the pending counts into Postgres; returns how many views were added.
///
/// The hash is renamed first, so views counted meanwhile wait for the next run. A batch left
/// over by a run that died half-way is finished before a new one is taken. (A crash between
/// the UPDATE's commit and the DEL would count that batch twice: acceptable for a counter.)
pub async fn flush_views(db: &PgPool, redis: &Redis) -> Result<i64, CatalogError> {
    let (pending, flushing) = (redis.key(PENDING), redis.key(FLUSHING));
    let leftover: bool = redis.pool.exists(&flushing).await?;
    if !leftover {
        let moved: Result<bool, _> = redis.pool.renamenx(&pending, &flushing).await;
        match moved {
            Ok(true) => {}
            Ok(false) => return Ok(0),
            // Nothing pending: RENAMENX fails on a missing key.
            Err(e) if e.details().contains("no such key") => return Ok(0),
            Err(e) => return Err(e.into()),
        }
    }
    let counts: HashMap<String, i64> = redis.pool.hgetall(&flushing).await?;
    let (ids, adds): (Vec<Uuid>, Vec<i64>) = counts
        .into_iter()
        .filter_map(|(id, n)| id.parse::<Uuid>().ok().map(|id| (id, n)))
        .unzip();
    sqlx::query(
        "UPDATE products p SET view_count = p.view_count + v.n
         FROM unnest($1::uuid[], $2::bigint[]) AS v(id, n) WHERE p.id = v.id",
    )
    .bind(&ids)
    .bind(&adds)
    .execute(db)
    .await?;
    let _: i64 = redis.pool.del(&flushing).await?;
    Ok(adds.iter().sum())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{input, tree};
    use super::*;
    use crate::platform::testing::{seller, test_redis};

    async fn stored(db: &PgPool, id: ProductId) -> i64 {
        sqlx::query_scalar("SELECT view_count FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(db)
            .await
            .unwrap()
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn views_are_buffered_then_folded_in_exactly_once(db: PgPool) {
        let redis = test_redis().await;
        let (leaf, _) = tree(&db).await;
        let s = seller(&db).await;
        let a = create_product(&db, s, None, input("A", "1000", leaf))
            .await
            .unwrap();
        let b = create_product(&db, s, None, input("B", "1000", leaf))
            .await
            .unwrap();
        // Concurrent page views: HINCRBY adds up without lost updates.
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let (db, redis) = (db.clone(), redis.clone());
                tokio::spawn(async move {
                    count_view(&db, &redis, if i % 4 == 0 { b } else { a }).await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(stored(&db, a).await, 0, "nothing written on the hot path");
        assert_eq!(flush_views(&db, &redis).await.unwrap(), 20);
        assert_eq!((stored(&db, a).await, stored(&db, b).await), (15, 5));
        assert_eq!(
            flush_views(&db, &redis).await.unwrap(),
            0,
            "nothing pending"
        );

        // A batch a crashed run left behind is finished first, then new views.
        count_view(&db, &redis, a).await.unwrap();
        let _: () = redis
            .pool
            .rename(redis.key(PENDING), redis.key(FLUSHING))
            .await
            .unwrap();
        count_view(&db, &redis, a).await.unwrap();
        assert_eq!(flush_views(&db, &redis).await.unwrap(), 1);
        assert_eq!(flush_views(&db, &redis).await.unwrap(), 1);
        assert_eq!(stored(&db, a).await, 17);
    }
}
