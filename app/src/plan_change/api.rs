//! Server functions for the Mobile pages and the admin's Integrations page.

use super::domain::{LinkLineForm, PlanChangeForm};
use super::{ChangeView, LinkedLine, MobileOverview, PlanNames};
use crate::platform::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{parse_line, service},
    crate::identity::Role,
    crate::platform::auth::current_user,
    crate::platform::state::AppState,
    uuid::Uuid,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct BreakerStatus {
    pub service_name: String,
    pub state: String,
    pub failure_count: i32,
    pub success_count: i32,
    pub last_failure_time: Option<DateTime<Utc>>,
    pub next_attempt_time: Option<DateTime<Utc>>,
    /// From `v_circuit_breaker_status`: STABLE, READY_FOR_HALF_OPEN or READY_FOR_CLOSE.
    pub recommended_action: String,
    pub updated_at: DateTime<Utc>,
    pub failure_threshold: i32,
    pub success_threshold: i32,
    pub timeout_duration_ms: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct IntegrationStats {
    pub integration_type: String,
    pub total_requests: i64,
    pub success_count: i64,
    pub success_rate: Option<f64>,
    pub avg_response_time_ms: Option<f64>,
    pub p95_response_time_ms: Option<f64>,
    pub today_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FailedCall {
    pub id: i64,
    pub request_id: Option<String>,
    pub integration_type: String,
    pub method: String,
    pub endpoint_url: String,
    pub response_status: Option<i32>,
    pub response_time_ms: Option<i32>,
    pub error_message: Option<String>,
    pub retry_count: i32,
    pub circuit_breaker_state: Option<String>,
    pub created_at: DateTime<Utc>,
    pub request_body: Option<String>,
    pub response_body: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ChangeSummary {
    pub process_status: super::ChangeStatus,
    pub request_count: i64,
    pub today_count: i64,
    pub avg_processing_time_sec: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakerEventView {
    pub service_name: String,
    pub from_state: String,
    pub to_state: String,
    pub reason: String,
    /// The admin who reset the breaker by hand.
    pub by: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntegrationsData {
    pub breakers: Vec<BreakerStatus>,
    pub stats: Vec<IntegrationStats>,
    pub failures: Vec<FailedCall>,
    pub changes: Vec<ChangeSummary>,
    pub events: Vec<BreakerEventView>,
}

#[server(prefix = "/fn", endpoint = "mobile")]
pub async fn mobile_data(line: Option<String>) -> Result<MobileOverview, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let lines = service::lines_of(&state.db, me.id).await?;
    let selected = line
        .as_deref()
        .and_then(parse_line)
        .filter(|l| lines.iter().any(|x| &x.line_number == l))
        .or_else(|| lines.first().map(|l| l.line_number.clone()));
    let (plans, recent) = match &selected {
        None => (None, Vec::new()),
        Some(l) => (
            Some(
                service::line_plans(&state.db, &state.kos, me.id, l)
                    .await
                    .map_err(AppError::from),
            ),
            service::history(&state.db, me.id, l, 5).await?,
        ),
    };
    // The plans KOS just listed name the history; no second call (and with KOS down, no
    // second failure).
    let plan_names = plans
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(PlanNames::of_line)
        .unwrap_or_default();
    Ok(MobileOverview {
        lines,
        selected,
        plans,
        recent,
        plan_names,
        form_key: Uuid::new_v4(),
    })
}

#[server(prefix = "/fn", endpoint = "mobile/link")]
pub async fn link_line(form: LinkLineForm) -> Result<LinkedLine, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let linked = service::link_line_limited(
        &state.db,
        &state.redis,
        &state.kos,
        me.id,
        &form.line_number,
        form.birth_date.expose(),
    )
    .await
    .map_err(AppError::from);
    let linked = crate::platform::forms::keep_on_error("mobile-link", &form, linked).await?;
    leptos_axum::redirect(&format!("/mobile?line={}", linked.line_number));
    Ok(linked)
}

#[server(prefix = "/fn", endpoint = "mobile/unlink")]
pub async fn unlink_line(line_number: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    service::unlink_line(&state.db, me.id, &line_number).await?;
    leptos_axum::redirect("/mobile");
    Ok(())
}

/// `request_id` comes from the form, so a double submit is the same request.
#[server(prefix = "/fn", endpoint = "mobile/change")]
pub async fn request_change(form: PlanChangeForm) -> Result<ChangeView, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let change = service::submit(
        &state.db,
        &state.kos,
        me.id,
        &form.line_number,
        &form.target,
        form.request_id,
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/mobile?line={}&request={}",
        change.line_number, change.request_id
    ));
    Ok(change)
}

/// Where one of the caller's changes stands; the Mobile page asks while KOS has not
/// settled it.
#[server(prefix = "/fn", endpoint = "mobile/change/status")]
pub async fn change_status(request_id: uuid::Uuid) -> Result<super::ChangeStatus, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(service::change_for(&state.db, me.id, request_id)
        .await?
        .status)
}

/// A line's history; without a line, the shopper's first linked line (and none if they have
/// no line yet). Returns the line shown.
#[server(prefix = "/fn", endpoint = "mobile/history")]
pub async fn change_history(
    line: Option<String>,
) -> Result<(Option<String>, Vec<ChangeView>, PlanNames), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let line = match line.filter(|l| !l.trim().is_empty()) {
        Some(l) => Some(l),
        None => service::lines_of(&state.db, me.id)
            .await?
            .into_iter()
            .next()
            .map(|l| l.line_number),
    };
    let Some(line) = line else {
        return Ok((None, Vec::new(), PlanNames::default()));
    };
    let changes = service::history(&state.db, me.id, &line, 100).await?;
    Ok((Some(line), changes, plan_names(&state).await))
}

/// The names of KOS's plans; with KOS unreachable, none (the codes are shown).
#[cfg(feature = "ssr")]
async fn plan_names(state: &AppState) -> PlanNames {
    state
        .kos
        .plans()
        .await
        .map(|plans| PlanNames::of(&plans))
        .unwrap_or_default()
}

#[server(prefix = "/fn", endpoint = "admin/integrations")]
pub async fn admin_integrations() -> Result<IntegrationsData, AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::monitoring::integrations(&state.db).await?)
}

#[server(prefix = "/fn", endpoint = "admin/integrations/reset")]
pub async fn reset_breaker(service: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = crate::platform::audit::current_actor(&[Role::Admin]).await?;
    if !crate::plan_change::kos::BREAKERS.contains(&service.as_str()) {
        return Err(AppError::NotFound);
    }
    state
        .kos
        .breakers()
        .reset(&service, &me)
        .await
        .map_err(AppError::internal)?;
    Ok(())
}
