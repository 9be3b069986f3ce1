//! Server functions of `/admin/audit` and of the history panels on admin pages.

use crate::admin::domain::AuditQuery;
use crate::platform::audit::{AuditEntry, AuditResource};
use crate::platform::error::AppError;
use leptos::prelude::*;

pub use crate::admin::AuditPage;

#[cfg(feature = "ssr")]
use {
    crate::admin::domain::AuditFilter, crate::admin::service::audit as service,
    crate::identity::Role, crate::platform::audit::current_actor, crate::platform::state::AppState,
};

/// `/admin/audit`: the log, filtered, newest first.
#[server(prefix = "/fn", endpoint = "admin/audit")]
pub async fn audit_log(query: AuditQuery) -> Result<AuditPage, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    let filter = AuditFilter::try_from(&query).map_err(AppError::Validation)?;
    Ok(service::search(&state.db, &filter).await?)
}

/// One resource's recent history, for the panel on its admin page.
#[server(prefix = "/fn", endpoint = "admin/audit/history")]
pub async fn resource_history(
    resource: AuditResource,
    id: String,
) -> Result<Vec<AuditEntry>, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    Ok(crate::platform::audit::history(&state.db, resource, &id, 20).await?)
}
