//! Transactional outbox.
//!
//! Domain code calls `enqueue` with the transaction that changes state, so an event exists
//! if and only if the change committed. The relay copies pending rows to a Redis Stream and
//! marks them published; a crash between the two re-sends, so delivery is at-least-once and
//! consumers deduplicate on `event_id`.

use crate::platform::redis::Redis;
use fred::prelude::*;
use fred::types::streams::XReadResponse;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

/// The stream every event goes to; consumers filter by `event_type`.
pub const STREAM: &str = "events";
/// Approximate cap on the stream length; older entries are trimmed by Redis.
const STREAM_MAXLEN: i64 = 100_000;

#[derive(Debug, Clone)]
pub struct NewEvent<'a, P: Serialize> {
    pub event_type: &'a str,
    pub aggregate_type: &'a str,
    pub aggregate_id: String,
    pub payload: P,
}

/// Writes an event in the caller's transaction. Returns its id.
pub async fn enqueue<P: Serialize>(
    conn: &mut PgConnection,
    event: NewEvent<'_, P>,
) -> Result<Uuid, sqlx::Error> {
    let payload =
        serde_json::to_value(&event.payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar(
        "INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, payload)
         VALUES ($1, $2, $3, $4) RETURNING event_id",
    )
    .bind(event.event_type)
    .bind(event.aggregate_type)
    .bind(&event.aggregate_id)
    .bind(payload)
    .fetch_one(conn)
    .await
}

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
}

#[derive(sqlx::FromRow)]
struct Pending {
    id: i64,
    event_id: Uuid,
    event_type: String,
    aggregate_type: String,
    aggregate_id: String,
    payload: serde_json::Value,
}

/// Publishes up to `batch` pending events in id order. Rows are locked with SKIP LOCKED so
/// two relays never publish the same batch at the same time.
pub async fn relay_once(db: &PgPool, redis: &Redis, batch: i64) -> Result<usize, OutboxError> {
    let mut tx = db.begin().await?;
    let rows: Vec<Pending> = sqlx::query_as(
        "SELECT id, event_id, event_type, aggregate_type, aggregate_id, payload
         FROM outbox_events WHERE status = 'PENDING'
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    let stream = redis.key(STREAM);
    for row in &rows {
        let fields: Vec<(&str, String)> = vec![
            ("event_id", row.event_id.to_string()),
            ("event_type", row.event_type.clone()),
            ("aggregate_type", row.aggregate_type.clone()),
            ("aggregate_id", row.aggregate_id.clone()),
            ("payload", row.payload.to_string()),
        ];
        let stream_id: String = redis
            .pool
            .xadd(&stream, false, ("MAXLEN", "~", STREAM_MAXLEN), "*", fields)
            .await?;
        sqlx::query(
            "UPDATE outbox_events SET status = 'PUBLISHED', published_at = now(), stream_id = $2
             WHERE id = $1",
        )
        .bind(row.id)
        .bind(stream_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// One delivered event.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub stream_id: String,
    pub event_id: Uuid,
    pub event_type: String,
    pub aggregate_id: String,
    pub payload: serde_json::Value,
}

/// A member of a consumer group. Each group sees every event once; within a group, each
/// event goes to one consumer. Events a crashed consumer never acknowledged are taken over
/// by another with `claim_stale`.
pub struct Consumer {
    client: Client,
    stream: String,
    group: String,
    name: String,
}

impl Consumer {
    pub async fn join(redis: &Redis, group: &str, name: &str) -> Result<Self, OutboxError> {
        let client = redis.dedicated().await?;
        let stream = redis.key(STREAM);
        let created: Result<(), fred::error::Error> =
            client.xgroup_create(&stream, group, "0", true).await;
        if let Err(e) = created {
            if !e.details().contains("BUSYGROUP") {
                return Err(e.into());
            }
        }
        Ok(Self {
            client,
            stream,
            group: group.into(),
            name: name.into(),
        })
    }

    /// Reads new events, waiting up to `block_ms` for some to arrive.
    pub async fn poll(&self, count: u64, block_ms: u64) -> Result<Vec<Delivered>, OutboxError> {
        let raw: Value = self
            .client
            .xreadgroup(
                &self.group,
                &self.name,
                Some(count),
                Some(block_ms),
                false,
                &self.stream,
                ">",
            )
            .await?;
        // A read that times out returns nil rather than an empty map.
        if raw.is_null() {
            return Ok(Vec::new());
        }
        let resp: XReadResponse<String, String, String, String> = raw.into_xread_response()?;
        Ok(resp
            .into_values()
            .flatten()
            .filter_map(|(id, fields)| parse(id, fields))
            .collect())
    }

    /// Takes over events that another consumer of the group read but did not acknowledge
    /// within `min_idle_ms`.
    pub async fn claim_stale(
        &self,
        min_idle_ms: u64,
        count: u64,
    ) -> Result<Vec<Delivered>, OutboxError> {
        let (_next, entries): (String, Vec<RawEntry>) = self
            .client
            .xautoclaim_values(
                &self.stream,
                &self.group,
                &self.name,
                min_idle_ms,
                "0-0",
                Some(count),
                false,
            )
            .await?;
        Ok(entries
            .into_iter()
            .filter_map(|(id, f)| parse(id, f))
            .collect())
    }

    pub async fn ack(&self, stream_id: &str) -> Result<(), OutboxError> {
        let _: i64 = self
            .client
            .xack(&self.stream, &self.group, stream_id)
            .await?;
        Ok(())
    }
}

/// A stream entry as Redis returns it: id and field map.
type RawEntry = (String, HashMap<String, String>);

fn parse(stream_id: String, mut f: HashMap<String, String>) -> Option<Delivered> {
    Some(Delivered {
        event_id: f.get("event_id")?.parse().ok()?,
        event_type: f.remove("event_type")?,
        aggregate_id: f.remove("aggregate_id")?,
        payload: serde_json::from_str(f.get("payload")?).ok()?,
        stream_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::testing::test_redis;

    async fn write(db: &PgPool, id: &str, commit: bool) {
        let mut tx = db.begin().await.unwrap();
        enqueue(
            &mut tx,
            NewEvent {
                event_type: "test.happened",
                aggregate_type: "test",
                aggregate_id: id.into(),
                payload: serde_json::json!({ "id": id }),
            },
        )
        .await
        .unwrap();
        if commit {
            tx.commit().await.unwrap();
        } else {
            tx.rollback().await.unwrap();
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn rolled_back_events_are_never_published(db: PgPool) {
        let redis = test_redis().await;
        let consumer = Consumer::join(&redis, "test-group", "c1").await.unwrap();
        write(&db, "kept", true).await;
        write(&db, "dropped", false).await;

        assert_eq!(relay_once(&db, &redis, 100).await.unwrap(), 1);
        assert_eq!(
            relay_once(&db, &redis, 100).await.unwrap(),
            0,
            "nothing left"
        );

        let got = consumer.poll(10, 500).await.unwrap();
        let ids: Vec<_> = got.iter().map(|d| d.aggregate_id.as_str()).collect();
        assert_eq!(ids, vec!["kept"]);
        let pending: i64 =
            sqlx::query_scalar("SELECT count(*) FROM outbox_events WHERE status = 'PENDING'")
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(pending, 0);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn each_group_gets_every_event_and_acked_events_are_not_redelivered(db: PgPool) {
        let redis = test_redis().await;
        let a = Consumer::join(&redis, "group-a", "a1").await.unwrap();
        let b = Consumer::join(&redis, "group-b", "b1").await.unwrap();
        for i in 0..5 {
            write(&db, &format!("e{i}"), true).await;
        }
        relay_once(&db, &redis, 100).await.unwrap();
        let got_a = a.poll(10, 500).await.unwrap();
        let got_b = b.poll(10, 500).await.unwrap();
        assert_eq!(got_a.len(), 5);
        assert_eq!(got_a, got_b);
        for d in &got_a {
            a.ack(&d.stream_id).await.unwrap();
        }
        assert!(a.poll(10, 100).await.unwrap().is_empty());
        // b1 "crashes" without acknowledging; b2 of the same group takes its events over.
        let b2 = Consumer::join(&redis, "group-b", "b2").await.unwrap();
        assert!(
            b2.poll(10, 100).await.unwrap().is_empty(),
            "already delivered to b1"
        );
        let claimed = b2.claim_stale(0, 10).await.unwrap();
        assert_eq!(claimed.len(), 5);
        for d in &claimed {
            b2.ack(&d.stream_id).await.unwrap();
        }
        assert!(b2.claim_stale(0, 10).await.unwrap().is_empty());
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn concurrent_relays_publish_each_event_once(db: PgPool) {
        let redis = test_redis().await;
        let c = Consumer::join(&redis, "g", "c").await.unwrap();
        for i in 0..40 {
            write(&db, &format!("e{i}"), true).await;
        }
        let (r1, r2) = tokio::join!(relay_once(&db, &redis, 7), relay_once(&db, &redis, 7));
        let mut total = r1.unwrap() + r2.unwrap();
        while total < 40 {
            total += relay_once(&db, &redis, 7).await.unwrap();
        }
        let got = c.poll(100, 500).await.unwrap();
        let mut ids: Vec<_> = got.iter().map(|d| d.event_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(got.len(), 40);
        assert_eq!(ids.len(), 40, "no duplicates");
    }
}
