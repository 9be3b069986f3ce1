//! View counters for rows many people read (a product, a notice). A page view adds one to a
//! Redis hash, so the hot path takes no row lock (a popular row would otherwise serialise its
//! readers' writes); a job folds the hash into the table's `view_count` every few seconds.

use crate::platform::redis::Redis;
use fred::prelude::*;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// One table's counter: its Redis hashes (under the prefix) and the table it folds into.
pub struct ViewCounter {
    pub pending: &'static str,
    pub flushing: &'static str,
    /// A table with `id UUID` and `view_count`; a constant, never user input.
    pub table: &'static str,
}

impl ViewCounter {
    /// Counts one view. If Redis is unavailable the count goes straight to Postgres.
    pub async fn count(&self, db: &PgPool, redis: &Redis, id: Uuid) -> Result<(), sqlx::Error> {
        let queued: Result<i64, _> = redis
            .pool
            .hincrby(redis.key(self.pending), id.to_string(), 1)
            .await;
        if let Err(e) = queued {
            tracing::debug!(error = %e, table = self.table, "view counter falls back to Postgres");
            sqlx::query(&format!(
                "UPDATE {} SET view_count = view_count + 1 WHERE id = $1",
                self.table
            ))
            .bind(id)
            .execute(db)
            .await?;
        }
        Ok(())
    }

    /// Moves the pending counts into Postgres; returns how many views were added.
    ///
    /// The hash is renamed first, so views counted meanwhile wait for the next run. A batch
    /// left over by a run that died half-way is finished before a new one is taken. (A crash
    /// between the UPDATE's commit and the DEL would count that batch twice: acceptable for a
    /// counter.)
    pub async fn flush<E>(&self, db: &PgPool, redis: &Redis) -> Result<i64, E>
    where
        E: From<sqlx::Error> + From<fred::error::Error>,
    {
        let (pending, flushing) = (redis.key(self.pending), redis.key(self.flushing));
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
        sqlx::query(&format!(
            "UPDATE {} t SET view_count = t.view_count + v.n
             FROM unnest($1::uuid[], $2::bigint[]) AS v(id, n) WHERE t.id = v.id",
            self.table
        ))
        .bind(&ids)
        .bind(&adds)
        .execute(db)
        .await?;
        let _: i64 = redis.pool.del(&flushing).await?;
        Ok(adds.iter().sum())
    }
}
