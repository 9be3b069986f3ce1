//! REST v1 for coupons: what can be claimed, claiming, mine, and making one.

use super::extract::{Json, Path};
use super::openapi::ErrorBody;
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::promotion::domain::{CouponForm, NewCoupon};
use app::promotion::service::{self as promotion, Maker};
use app::promotion::{Coupon, CouponId, UserCouponId, UserCouponStatus};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// Coupons that can be claimed now.
#[utoipa::path(get, path = "/api/v1/coupons", tag = "coupons",
    responses((status = 200, body = Vec<Coupon>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Coupon>>, AppError> {
    Ok(Json(promotion::available(&state.db).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Claimed {
    pub id: UserCouponId,
}

/// Claim a coupon: first come, first served, once per shopper. 409 when all are issued or
/// it is already mine.
#[utoipa::path(post, path = "/api/v1/coupons/{id}/claim", tag = "coupons",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = uuid::Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Claimed), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<CouponId>,
) -> Result<(StatusCode, Json<Claimed>), AppError> {
    let id = promotion::claim(&state.db, &state.redis, user.id, id).await?;
    Ok((StatusCode::CREATED, Json(Claimed { id })))
}

#[derive(Serialize, ToSchema)]
pub struct MyCoupon {
    /// Mine: pass it as `couponId` at checkout.
    pub user_coupon_id: UserCouponId,
    #[serde(flatten)]
    pub coupon: Coupon,
    pub status: UserCouponStatus,
}

/// My coupons: available, used and expired.
#[utoipa::path(get, path = "/api/v1/me/coupons", tag = "coupons",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<MyCoupon>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<MyCoupon>>, AppError> {
    Ok(Json(
        promotion::mine(&state.db, user.id)
            .await?
            .into_iter()
            .map(|(user_coupon_id, coupon, status)| MyCoupon {
                user_coupon_id,
                coupon,
                status,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: CouponId,
}

/// Make a coupon: admins for anything, approved sellers for their own products (their shop,
/// or products of theirs).
#[utoipa::path(post, path = "/api/v1/coupons", tag = "coupons", request_body = serde_json::Value,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(form): Json<CouponForm>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let maker = Maker::of(&state.db, user).await?;
    let new = NewCoupon::try_from(&form)?;
    let id = promotion::create(&state.db, maker, &new).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
