//! The audit log (seed 000 AuditLogs): one row per privileged action, written by the service
//! that makes the change, in the same transaction, so a change and its record commit or fail
//! together. The table is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, and rows
//! leave only when the retention job drops a whole month's partition after a year.

use crate::identity::{Role, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// What was done to the resource (`READ`: someone's personal data was viewed).
    pub enum AuditAction {
        Create = "CREATE",
        Read = "READ",
        Update = "UPDATE",
        Delete = "DELETE",
    }
}

crate::code_enum! {
    /// The kinds of resource the log names.
    pub enum AuditResource {
        User = "user",
        Seller = "seller",
        Product = "product",
        Category = "category",
        Config = "config",
        Notice = "notice",
        Breaker = "breaker",
    }
}

/// Who acted, in which role, and from where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
    pub ip: String,
}

/// One row of the log, as the admin pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: uuid::Uuid,
    pub created_at: DateTime<Utc>,
    pub resource_type: AuditResource,
    pub resource_id: String,
    pub action: AuditAction,
    pub actor_id: Option<UserId>,
    pub actor_email: Option<String>,
    pub actor_role: Role,
    pub actor_ip: String,
    /// The changed fields before and after, as JSON.
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

#[cfg(feature = "ssr")]
pub use write::*;

#[cfg(feature = "ssr")]
mod write {
    use super::*;
    use serde_json::Value;
    use sqlx::{PgConnection, PgPool};

    /// One action on one resource: the changed fields before and after, and the reason.
    #[derive(Clone, Debug)]
    pub struct Change<'a> {
        pub resource: AuditResource,
        pub id: String,
        pub action: AuditAction,
        pub before: Option<Value>,
        pub after: Option<Value>,
        pub reason: Option<&'a str>,
    }

    impl<'a> Change<'a> {
        pub fn create(resource: AuditResource, id: impl ToString, after: Value) -> Self {
            Self {
                resource,
                id: id.to_string(),
                action: AuditAction::Create,
                before: None,
                after: Some(after),
                reason: None,
            }
        }

        /// An update that keeps only the fields that differ between `before` and `after`.
        pub fn update(
            resource: AuditResource,
            id: impl ToString,
            before: &Value,
            after: &Value,
        ) -> Self {
            let (b, a) = changed(before, after);
            Self {
                resource,
                id: id.to_string(),
                action: AuditAction::Update,
                before: Some(b),
                after: Some(a),
                reason: None,
            }
        }

        pub fn delete(resource: AuditResource, id: impl ToString, before: Value) -> Self {
            Self {
                resource,
                id: id.to_string(),
                action: AuditAction::Delete,
                before: Some(before),
                after: None,
                reason: None,
            }
        }

        /// Someone's personal data was shown.
        pub fn read(resource: AuditResource, id: impl ToString) -> Self {
            Self {
                resource,
                id: id.to_string(),
                action: AuditAction::Read,
                before: None,
                after: None,
                reason: None,
            }
        }

        pub fn because(mut self, reason: &'a str) -> Self {
            self.reason = Some(reason);
            self
        }
    }

    /// Only the fields of two JSON objects that differ, before and after.
    pub fn changed(before: &Value, after: &Value) -> (Value, Value) {
        let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
        if let (Some(before), Some(after)) = (before.as_object(), after.as_object()) {
            for (k, v) in after {
                if before.get(k) != Some(v) {
                    b.insert(k.clone(), before.get(k).cloned().unwrap_or_default());
                    a.insert(k.clone(), v.clone());
                }
            }
        }
        (b.into(), a.into())
    }

    impl Actor {
        pub fn of(user: &crate::platform::auth::CurrentUser, ip: String) -> Self {
            Self {
                id: user.id,
                role: user.role,
                ip,
            }
        }
    }

    /// REST: an admin, as the actor of what the request does.
    pub struct AdminActor(pub Actor);

    impl<S: Send + Sync> axum::extract::FromRequestParts<S> for AdminActor {
        type Rejection = crate::platform::error::AppError;

        async fn from_request_parts(
            parts: &mut http::request::Parts,
            s: &S,
        ) -> Result<Self, Self::Rejection> {
            let crate::platform::auth::RequireAdmin(user) =
                crate::platform::auth::RequireAdmin::from_request_parts(parts, s).await?;
            let ip = crate::platform::auth::client_ip(parts);
            Ok(Self(Actor::of(&user, ip)))
        }
    }

    /// Writes one row, on the connection (the transaction) that makes the change.
    pub async fn record(
        conn: &mut PgConnection,
        actor: &Actor,
        c: &Change<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO audit_logs (resource_type, resource_id, action, actor_id, actor_role,
                 actor_ip, before, after, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(c.resource)
        .bind(&c.id)
        .bind(c.action)
        .bind(actor.id)
        .bind(actor.role)
        .bind(&actor.ip)
        .bind(&c.before)
        .bind(&c.after)
        .bind(c.reason)
        .execute(conn)
        .await?;
        Ok(())
    }

    /// The columns of an `AuditEntry`, from `audit_logs a LEFT JOIN users u ON u.id = a.actor_id`.
    pub const ENTRY_COLUMNS: &str = "a.id, a.created_at, a.resource_type, a.resource_id, a.action,
        a.actor_id, u.email AS actor_email, a.actor_role, a.actor_ip, a.before, a.after, a.reason";

    /// One resource's history, newest first (at most `limit` rows).
    pub async fn history(
        db: &PgPool,
        resource: AuditResource,
        id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ENTRY_COLUMNS}
             FROM audit_logs a LEFT JOIN users u ON u.id = a.actor_id
             WHERE a.resource_type = $1 AND a.resource_id = $2
             ORDER BY a.created_at DESC, a.id DESC LIMIT $3"
        ))
        .bind(resource)
        .bind(id)
        .bind(limit)
        .fetch_all(db)
        .await
    }

    /// The last `per` entries of each of `ids` (all of one resource type), in one query.
    pub async fn recent(
        db: &PgPool,
        resource: AuditResource,
        ids: &[String],
        per: i64,
    ) -> Result<std::collections::HashMap<String, Vec<AuditEntry>>, sqlx::Error> {
        let rows: Vec<AuditEntry> = sqlx::query_as(
            "SELECT id, created_at, resource_type, resource_id, action, actor_id, actor_email,
                    actor_role, actor_ip, before, after, reason
             FROM (SELECT a.*, u.email AS actor_email,
                          row_number() OVER (PARTITION BY a.resource_id
                                             ORDER BY a.created_at DESC, a.id DESC) AS n
                   FROM audit_logs a LEFT JOIN users u ON u.id = a.actor_id
                   WHERE a.resource_type = $1 AND a.resource_id = ANY($2)) h
             WHERE n <= $3 ORDER BY created_at DESC, id DESC",
        )
        .bind(resource)
        .bind(ids)
        .bind(per)
        .fetch_all(db)
        .await?;
        let mut by_id: std::collections::HashMap<String, Vec<AuditEntry>> = Default::default();
        for row in rows {
            by_id.entry(row.resource_id.clone()).or_default().push(row);
        }
        Ok(by_id)
    }

    /// The signed-in user of this server function, if they hold one of `roles`, as an actor.
    pub async fn current_actor(roles: &[Role]) -> Result<Actor, crate::platform::error::AppError> {
        let user = crate::platform::auth::current_user().await?;
        user.require(roles)?;
        let ip = leptos::prelude::use_context::<http::request::Parts>()
            .map(|p| crate::platform::auth::client_ip(&p))
            .unwrap_or_else(|| "unknown".into());
        Ok(Actor::of(&user, ip))
    }

    /// Drops the partitions that ended more than `months` months ago; returns their names.
    pub async fn drop_old_partitions(db: &PgPool, months: i32) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT drop_old_audit_log_partitions($1)")
            .bind(months)
            .fetch_all(db)
            .await
    }

    /// Keeps monthly partitions ready `months` ahead; returns how many months are covered.
    pub async fn ensure_partitions(db: &PgPool, months: i32) -> Result<i32, sqlx::Error> {
        sqlx::query_scalar("SELECT ensure_audit_log_partitions($1)")
            .bind(months)
            .fetch_one(db)
            .await
    }
}
