//! `/admin/audit`: the log filtered by resource, actor, action and time, newest first, in
//! keyset pages (the log grows without bound within its year).

use super::super::domain::{cursor, AuditFilter};
use super::super::{AdminError, AuditPage};
use crate::platform::audit::{AuditEntry, ENTRY_COLUMNS};
use sqlx::{PgPool, Postgres, QueryBuilder};

pub const PAGE_SIZE: i64 = 50;

pub async fn search(db: &PgPool, f: &AuditFilter) -> Result<AuditPage, AdminError> {
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_logs a LEFT JOIN users u ON u.id = a.actor_id WHERE TRUE"
    ));
    if let Some(r) = f.resource {
        q.push(" AND a.resource_type = ").push_bind(r);
    }
    if let Some(id) = &f.id {
        q.push(" AND a.resource_id = ").push_bind(id.clone());
    }
    if let Some(actor) = &f.actor {
        let pattern = format!("%{}%", like_escape(&actor.to_lowercase()));
        q.push(" AND u.email LIKE ").push_bind(pattern);
    }
    if let Some(a) = f.action {
        q.push(" AND a.action = ").push_bind(a);
    }
    if let Some(from) = f.from {
        q.push(" AND a.created_at >= ").push_bind(from);
    }
    if let Some(until) = f.until {
        q.push(" AND a.created_at < ").push_bind(until);
    }
    if let Some((at, id)) = f.before {
        q.push(" AND (a.created_at, a.id) < (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(" ORDER BY a.created_at DESC, a.id DESC LIMIT ")
        .push_bind(PAGE_SIZE + 1);
    let mut items: Vec<AuditEntry> = q.build_query_as().fetch_all(db).await?;
    let next = (items.len() as i64 > PAGE_SIZE).then(|| {
        items.truncate(PAGE_SIZE as usize);
        let last = items.last().expect("a full page");
        cursor(last.created_at, last.id)
    });
    Ok(AuditPage { items, next })
}

/// `%` and `_` typed into a search mean themselves.
pub fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
