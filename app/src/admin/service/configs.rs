//! System configs as the admin console edits them: every registered key with its value,
//! default and change history, and a save that checks the value by the key's kind.

use super::super::domain::ConfigChange;
use super::super::{AdminError, ConfigField, CONFIG_HISTORY};
use crate::platform::audit::{Actor, AuditEntry};
use crate::platform::config::Configs;
use sqlx::PgPool;
use std::collections::HashMap;

/// Every key, in registry order, with its last `CONFIG_HISTORY` changes.
pub async fn fields(db: &PgPool, configs: &Configs) -> Result<Vec<ConfigField>, AdminError> {
    let entries = configs.list().await?;
    let rows: Vec<AuditEntry> = sqlx::query_as(
        "SELECT id, created_at, resource_type, resource_id, action, actor_id, actor_email,
                actor_role, actor_ip, before, after, reason
         FROM (SELECT a.*, u.email AS actor_email,
                      row_number() OVER (PARTITION BY a.resource_id ORDER BY a.created_at DESC) AS n
               FROM audit_logs a LEFT JOIN users u ON u.id = a.actor_id
               WHERE a.resource_type = 'config') h
         WHERE n <= $1 ORDER BY created_at DESC",
    )
    .bind(CONFIG_HISTORY)
    .fetch_all(db)
    .await?;
    let mut history: HashMap<String, Vec<AuditEntry>> = HashMap::new();
    for row in rows {
        history
            .entry(row.resource_id.clone())
            .or_default()
            .push(row);
    }
    Ok(entries
        .into_iter()
        .map(|e| ConfigField {
            key: e.def.key.to_owned(),
            category: e.def.category,
            kind: e.def.kind,
            label: e.def.label,
            value: e.def.kind.to_input(&e.value),
            default: e.def.kind.to_input(&(e.def.default)()),
            is_default: e.is_default,
            history: history.remove(e.def.key).unwrap_or_default(),
        })
        .collect())
}

/// Stores a checked value; the audit row and every instance's cache follow.
pub async fn save(
    configs: &Configs,
    actor: &Actor,
    change: &ConfigChange,
) -> Result<(), AdminError> {
    let reason = change.reason.as_deref();
    configs
        .set_with_reason(change.def.key, change.value.clone(), Some(actor), reason)
        .await?;
    Ok(())
}
