//! Idempotency keys for mutating calls.
//!
//! `begin` claims a key atomically (INSERT .. ON CONFLICT DO NOTHING), so of two concurrent
//! requests with one key exactly one runs; the other sees 409 while the first is in flight and
//! the stored response afterwards. A different request body under the same key gets 422.
//! Keys are kept for 24 hours.

use crate::platform::error::AppError;
use crate::platform::i18n::Msg;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

pub const HEADER: &str = "idempotency-key";
pub const RETENTION_HOURS: i64 = 24;
/// A claim older than this is considered abandoned (the process died mid-request).
const LOCK_SECONDS: i64 = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Begin {
    /// The caller owns the key and must call `complete` or `abandon`.
    Fresh,
    /// The same request already finished: send this again.
    Replay(StoredResponse),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdempotencyError {
    #[error("key reused with a different request")]
    Mismatch,
    #[error("request with this key is in flight")]
    InFlight,
    #[error("invalid idempotency key")]
    InvalidKey,
    #[error("database: {0}")]
    Db(String),
}

impl From<sqlx::Error> for IdempotencyError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e.to_string())
    }
}

impl From<IdempotencyError> for AppError {
    fn from(e: IdempotencyError) -> Self {
        match e {
            IdempotencyError::Mismatch => AppError::Unprocessable(Msg::ErrIdempotencyMismatch),
            IdempotencyError::InFlight => AppError::Conflict(Msg::ErrIdempotencyInFlight),
            IdempotencyError::InvalidKey => AppError::field("idempotency_key", Msg::ErrBadForm),
            IdempotencyError::Db(msg) => AppError::internal(msg),
        }
    }
}

/// Hash of everything that makes two requests "the same".
pub fn request_hash(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().to_vec()
}

pub fn validate_key(key: &str) -> Result<(), IdempotencyError> {
    let ok = !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(IdempotencyError::InvalidKey)
    }
}

#[derive(sqlx::FromRow)]
struct Existing {
    request_hash: Vec<u8>,
    state: String,
    response_status: Option<i16>,
    response_body: Option<Vec<u8>>,
    response_content_type: Option<String>,
}

/// Claims `key` within `scope` (a user id, or "anon"), or reports what happened to it.
pub async fn begin(
    db: &PgPool,
    scope: &str,
    key: &str,
    hash: &[u8],
) -> Result<Begin, IdempotencyError> {
    validate_key(key)?;
    // Expired or abandoned claims may be taken over; the WHERE keeps live ones untouched.
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, state, locked_until, expires_at)
         VALUES ($1, $2, $3, 'in_flight', now() + make_interval(secs => $4), now() + make_interval(hours => $5))
         ON CONFLICT (scope, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, state = 'in_flight',
               response_status = NULL, response_body = NULL, response_content_type = NULL,
               locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at,
               created_at = now()
           WHERE idempotency_keys.expires_at < now()
              OR (idempotency_keys.state = 'in_flight'
                  AND idempotency_keys.locked_until < now()
                  AND idempotency_keys.request_hash = EXCLUDED.request_hash)",
    )
    .bind(scope)
    .bind(key)
    .bind(hash)
    .bind(LOCK_SECONDS as f64)
    .bind(RETENTION_HOURS as i32)
    .execute(db)
    .await?
    .rows_affected();
    if claimed == 1 {
        return Ok(Begin::Fresh);
    }
    let existing: Option<Existing> = sqlx::query_as(
        "SELECT request_hash, state, response_status, response_body, response_content_type
         FROM idempotency_keys WHERE scope = $1 AND key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(db)
    .await?;
    let Some(row) = existing else {
        // Deleted by `abandon` between our two statements: the caller may simply retry.
        return Err(IdempotencyError::InFlight);
    };
    if row.request_hash != hash {
        return Err(IdempotencyError::Mismatch);
    }
    if row.state == "in_flight" {
        return Err(IdempotencyError::InFlight);
    }
    Ok(Begin::Replay(StoredResponse {
        status: row.response_status.unwrap_or(200) as u16,
        content_type: row.response_content_type,
        body: row.response_body.unwrap_or_default(),
    }))
}

/// Stores the response so that replays return it.
pub async fn complete(
    db: &PgPool,
    scope: &str,
    key: &str,
    response: &StoredResponse,
) -> Result<(), IdempotencyError> {
    sqlx::query(
        "UPDATE idempotency_keys
         SET state = 'completed', response_status = $3, response_body = $4, response_content_type = $5
         WHERE scope = $1 AND key = $2",
    )
    .bind(scope)
    .bind(key)
    .bind(response.status as i16)
    .bind(&response.body)
    .bind(&response.content_type)
    .execute(db)
    .await?;
    Ok(())
}

/// Releases the key after a failure that should not be replayed (5xx), so a retry can run.
pub async fn abandon(db: &PgPool, scope: &str, key: &str) -> Result<(), IdempotencyError> {
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_flight'",
    )
    .bind(scope)
    .bind(key)
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes keys past their retention. Run by the periodic job runner.
pub async fn sweep_expired(db: &PgPool) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM idempotency_keys WHERE expires_at < now()")
            .execute(db)
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(body: &str) -> StoredResponse {
        StoredResponse {
            status: 201,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn replay_returns_the_stored_response(db: PgPool) {
        let h = request_hash(&[b"POST", b"/x", b"{}"]);
        assert_eq!(begin(&db, "u1", "k1", &h).await.unwrap(), Begin::Fresh);
        complete(&db, "u1", "k1", &resp("{\"id\":1}"))
            .await
            .unwrap();
        assert_eq!(
            begin(&db, "u1", "k1", &h).await.unwrap(),
            Begin::Replay(resp("{\"id\":1}"))
        );
        // Keys are scoped: another user with the same key is a fresh request.
        assert_eq!(begin(&db, "u2", "k1", &h).await.unwrap(), Begin::Fresh);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn same_key_different_body_is_a_mismatch(db: PgPool) {
        let a = request_hash(&[b"POST", b"/x", b"{\"a\":1}"]);
        let b = request_hash(&[b"POST", b"/x", b"{\"a\":2}"]);
        assert_eq!(begin(&db, "u", "k", &a).await.unwrap(), Begin::Fresh);
        assert_eq!(
            begin(&db, "u", "k", &b).await,
            Err(IdempotencyError::Mismatch)
        );
        complete(&db, "u", "k", &resp("{}")).await.unwrap();
        assert_eq!(
            begin(&db, "u", "k", &b).await,
            Err(IdempotencyError::Mismatch)
        );
        assert_eq!(
            AppError::from(IdempotencyError::Mismatch).status(),
            422,
            "mismatch maps to 422"
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn in_flight_key_is_a_conflict_until_completed(db: PgPool) {
        let h = request_hash(&[b"x"]);
        assert_eq!(begin(&db, "u", "k", &h).await.unwrap(), Begin::Fresh);
        assert_eq!(
            begin(&db, "u", "k", &h).await,
            Err(IdempotencyError::InFlight)
        );
        assert_eq!(AppError::from(IdempotencyError::InFlight).status(), 409);
        abandon(&db, "u", "k").await.unwrap();
        assert_eq!(begin(&db, "u", "k", &h).await.unwrap(), Begin::Fresh);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn concurrent_requests_with_one_key_run_once(db: PgPool) {
        let h = request_hash(&[b"same"]);
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let db = db.clone();
            let h = h.clone();
            tasks.push(tokio::spawn(
                async move { begin(&db, "u", "race", &h).await },
            ));
        }
        let mut fresh = 0;
        let mut in_flight = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(Begin::Fresh) => fresh += 1,
                Err(IdempotencyError::InFlight) => in_flight += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(fresh, 1, "exactly one request may run");
        assert_eq!(in_flight, 31);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn expired_keys_are_swept_and_reusable(db: PgPool) {
        let h = request_hash(&[b"x"]);
        begin(&db, "u", "old", &h).await.unwrap();
        complete(&db, "u", "old", &resp("{}")).await.unwrap();
        sqlx::query("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'")
            .execute(&db)
            .await
            .unwrap();
        assert_eq!(sweep_expired(&db).await.unwrap(), 1);
        assert_eq!(begin(&db, "u", "old", &h).await.unwrap(), Begin::Fresh);
    }
}
