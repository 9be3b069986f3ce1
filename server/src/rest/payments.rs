//! REST v1 for the gateway's side of a checkout: confirm after the hosted page, and the
//! gateway's webhook.

use super::extract::Json;
use super::openapi::ErrorBody;
use app::payment::service as payment;
use app::payment::Confirmed;
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmRequest {
    #[schema(min_length = 1, max_length = 100)]
    pub payment_key: String,
    /// The checkout id, as the gateway's `orderId`.
    #[schema(min_length = 1, max_length = 64)]
    pub order_id: String,
    pub amount: Decimal,
}

/// Confirm a payment the gateway authenticated (what its success redirect carries). Safe to
/// repeat: a confirmed payment answers as it is.
#[utoipa::path(post, path = "/api/v1/payments/confirm", tag = "orders", request_body = ConfirmRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = Confirmed), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ConfirmRequest>,
) -> Result<Json<Confirmed>, AppError> {
    Ok(Json(
        payment::confirm(
            &state.db,
            &state.pg,
            user.id,
            &req.payment_key,
            &req.order_id,
            req.amount,
        )
        .await?,
    ))
}

/// The payment gateway's webhook (`DEPOSIT_CALLBACK`). Checked by the payment's own secret;
/// a replay changes nothing and is answered 200, so the gateway stops retrying.
#[utoipa::path(post, path = "/api/v1/webhooks/pg", tag = "orders", request_body = serde_json::Value,
    responses((status = 200, description = "Taken"), (status = 403, body = ErrorBody)))]
pub async fn webhook(
    State(state): State<AppState>,
    Json(event): Json<serde_json::Value>,
) -> Result<StatusCode, AppError> {
    payment::webhook(&state.db, &state.pg, &event).await?;
    Ok(StatusCode::OK)
}
