//! REST v1 for mobile plan changes (seed 002), and the admin's breaker list and reset.

use super::extract::{Json, Path};
use super::openapi::ErrorBody;
use app::identity::Role;
use app::plan_change::api::BreakerStatus;
use app::plan_change::service as plan_change;
use app::plan_change::{ChangeView, LinePlans, Plan, PlanChangeError};
use app::platform::audit::AdminActor;
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The line's current plan (KOS customer info) and the plans it can move to.
#[utoipa::path(get, path = "/api/v1/mobile/lines/{line}/plan", tag = "mobile",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("line" = String, Path, description = "A line linked to the caller's account, e.g. 01055500001")),
    responses((status = 200, body = LinePlans), (status = 404, body = ErrorBody),
        (status = 503, description = "KOS is refusing calls; see Retry-After", body = ErrorBody)))]
pub async fn line_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(line): Path<String>,
) -> Result<Json<LinePlans>, AppError> {
    Ok(Json(
        plan_change::line_plans(&state.db, &state.kos, user.id, &line).await?,
    ))
}

/// The carrier's plan catalogue.
#[utoipa::path(get, path = "/api/v1/mobile/plans", tag = "mobile",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<Plan>), (status = 503, body = ErrorBody)))]
pub async fn plans(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<Plan>>, AppError> {
    Ok(Json(state.kos.plans().await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRequest {
    /// A line linked to the caller's account.
    #[schema(example = "01055500001", pattern = r"^01[0-9]-?[0-9]{3,4}-?[0-9]{4}$")]
    pub line_number: String,
    /// A plan the line may change to (see `GET /mobile/lines/{line}/plan`).
    #[schema(
        example = "5G-PREMIUM",
        min_length = 1,
        max_length = 50,
        pattern = r"\S"
    )]
    pub target_product_code: String,
}

/// Ask for a plan change. The answer shows where the request stands: COMPLETED or FAILED,
/// or PROCESSING when KOS has not confirmed yet (poll `GET /mobile/changes/{requestId}`).
#[utoipa::path(post, path = "/api/v1/mobile/changes", tag = "mobile", request_body = ChangeRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = ChangeView), (status = 404, body = ErrorBody),
        (status = 409, description = "Another change for the line is in flight", body = ErrorBody),
        (status = 503, description = "KOS is refusing calls; see Retry-After", body = ErrorBody)))]
pub async fn request_change(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ChangeRequest>,
) -> Result<(StatusCode, Json<ChangeView>), AppError> {
    let change = plan_change::submit(
        &state.db,
        &state.kos,
        user.id,
        &req.line_number,
        req.target_product_code.trim(),
        Uuid::new_v4(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(change)))
}

/// One of the caller's change requests.
#[utoipa::path(get, path = "/api/v1/mobile/changes/{request_id}", tag = "mobile",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("request_id" = Uuid, Path)),
    responses((status = 200, body = ChangeView), (status = 404, body = ErrorBody)))]
pub async fn get_change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(request_id): Path<Uuid>,
) -> Result<Json<ChangeView>, AppError> {
    Ok(Json(
        plan_change::change_for(&state.db, user.id, request_id).await?,
    ))
}

/// Every circuit breaker, with the recommended action of `v_circuit_breaker_status`.
#[utoipa::path(get, path = "/api/v1/admin/integrations/breakers", tag = "admin",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<BreakerStatus>), (status = 403, body = ErrorBody)))]
pub async fn breakers(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<BreakerStatus>>, AppError> {
    user.require(&[Role::Admin])?;
    Ok(Json(plan_change::monitoring::breakers(&state.db).await?))
}

/// Close a breaker by hand; the reset is logged with the admin's id.
#[utoipa::path(post, path = "/api/v1/admin/integrations/breakers/{service}/reset", tag = "admin",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("service" = String, Path, description = "KOS_CUSTOMER, KOS_PRODUCT or KOS_CHANGE")),
    responses((status = 200, body = Vec<BreakerStatus>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_breaker(
    State(state): State<AppState>,
    AdminActor(actor): AdminActor,
    Path(service): Path<String>,
) -> Result<Json<Vec<BreakerStatus>>, AppError> {
    if !app::plan_change::kos::BREAKERS.contains(&service.as_str()) {
        return Err(PlanChangeError::NotFound.into());
    }
    state
        .kos
        .breakers()
        .reset(&service, &actor)
        .await
        .map_err(AppError::internal)?;
    Ok(Json(plan_change::monitoring::breakers(&state.db).await?))
}
