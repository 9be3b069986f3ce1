//! System configs as the admin console edits them: every registered key with its value,
//! default and change history, and a save that checks the value by the key's kind.

use super::super::domain::ConfigChange;
use super::super::{AdminError, ConfigField, CONFIG_HISTORY};
use crate::platform::audit::{self, Actor, AuditResource};
use crate::platform::config::Configs;
use sqlx::PgPool;

/// Every key, in registry order, with its last `CONFIG_HISTORY` changes.
pub async fn fields(db: &PgPool, configs: &Configs) -> Result<Vec<ConfigField>, AdminError> {
    let entries = configs.list().await?;
    let keys: Vec<String> = entries.iter().map(|e| e.def.key.to_owned()).collect();
    let mut history = audit::recent(db, AuditResource::Config, &keys, CONFIG_HISTORY).await?;
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
