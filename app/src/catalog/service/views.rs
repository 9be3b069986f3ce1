//! Product view counters (`platform::view_counts`), folded into `products.view_count`.

use super::*;
use crate::platform::redis::Redis;
use crate::platform::view_counts::ViewCounter;

const PENDING: &str = "catalog:views:pending";
const FLUSHING: &str = "catalog:views:flushing";
const PRODUCTS: ViewCounter = ViewCounter {
    pending: PENDING,
    flushing: FLUSHING,
    table: "products",
};

/// Counts one view. If Redis is unavailable the count goes straight to Postgres.
pub async fn count_view(
    db: &PgPool,
    redis: &Redis,
    product: ProductId,
) -> Result<(), CatalogError> {
    Ok(PRODUCTS.count(db, redis, product.into_uuid()).await?)
}

/// Moves the pending counts into Postgres; returns how many views were added.
pub async fn flush_views(db: &PgPool, redis: &Redis) -> Result<i64, CatalogError> {
    PRODUCTS.flush(db, redis).await
}

#[cfg(test)]
mod tests {
    use super::super::tests::{input, tree};
    use super::*;
    use crate::platform::testing::{seller, test_redis};
    use fred::prelude::*;

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
