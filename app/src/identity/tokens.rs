//! Personal API tokens for scripts. Only a SHA-256 hash is stored; the token is shown once.

use super::{IdentityError, TokenId, TokenView, UserId};
use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;
use crate::platform::principals::account_changed;
use crate::platform::redis::Redis;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

const PREFIX: &str = "jt_";
const VALID_DAYS: i32 = 90;

/// The SHA-256 (hex) that `auth_tokens` stores, and the principal cache is keyed by.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Returns the new token in clear text, once.
pub async fn create(db: &PgPool, user_id: UserId, name: &str) -> Result<String, IdentityError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::new("name", Msg::ErrRequired).into());
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new("name", Msg::ErrTooLong).into());
    }
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = format!("{PREFIX}{}", hex::encode(bytes));
    sqlx::query(
        "INSERT INTO auth_tokens (user_id, token_type, name, token_hash, token_prefix, expires_at)
         VALUES ($1, 'api', $2, $3, $4, now() + make_interval(days => $5))",
    )
    .bind(user_id)
    .bind(name)
    .bind(hash(&token))
    .bind(&token[..10])
    .bind(VALID_DAYS)
    .execute(db)
    .await?;
    Ok(token)
}

pub async fn list(db: &PgPool, user_id: UserId) -> Result<Vec<TokenView>, IdentityError> {
    Ok(sqlx::query_as(
        "SELECT id, name, token_prefix, created_at, expires_at, last_used_at FROM auth_tokens
         WHERE user_id = $1 AND token_type = 'api' AND NOT revoked AND expires_at > now()
         ORDER BY created_at DESC",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?)
}

/// Revokes one of the account's tokens, on every instance at once.
pub async fn revoke(
    db: &PgPool,
    redis: &Redis,
    user_id: UserId,
    id: TokenId,
) -> Result<(), IdentityError> {
    let n = sqlx::query("UPDATE auth_tokens SET revoked = TRUE WHERE user_id = $1 AND id = $2")
        .bind(user_id)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(IdentityError::NotFound);
    }
    account_changed(redis, user_id).await;
    Ok(())
}

/// A live token as presented: its id, when it runs out, and its account's row.
pub struct Authenticated<T> {
    pub id: TokenId,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub account: T,
}

/// Resolves a presented token, if it is live, to its id and its account's
/// row (`T`: id, email, name, role, status), in one statement. `last_used_at` is kept to the
/// minute, so a busy client does not write the token's row on every request.
pub async fn authenticate<T>(
    db: &PgPool,
    token: &str,
) -> Result<Option<Authenticated<T>>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let row = sqlx::query(
        "WITH live AS (
             SELECT id, user_id, last_used_at, expires_at FROM auth_tokens
             WHERE token_hash = $1 AND token_type = 'api' AND NOT revoked AND expires_at > now()),
         touched AS (
             UPDATE auth_tokens a SET last_used_at = now() FROM live
             WHERE a.id = live.id
               AND (live.last_used_at IS NULL OR live.last_used_at < now() - interval '1 minute'))
         SELECT live.id AS token_id, live.expires_at, u.id, u.email, u.name, u.role, u.status
         FROM live JOIN users u ON u.id = live.user_id",
    )
    .bind(hash(token))
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        use sqlx::Row;
        Ok(Authenticated {
            id: r.try_get("token_id")?,
            expires_at: r.try_get("expires_at")?,
            account: T::from_row(&r)?,
        })
    })
    .transpose()
}
