//! The signed-in account's own settings: profile, password, withdrawal.

use super::auth::{Client, Me};
use super::extract::Json;
use super::openapi::ErrorBody;
use app::identity::account;
use app::identity::domain::{
    PasswordChange, PasswordForm, ProfileForm, ProfileUpdate, WithdrawForm, Withdrawal,
};
use app::identity::service;
use app::platform::audit::Actor;
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

const IDEM: &str = "Makes retries safe";

/// The fields to change; a field left out keeps its value.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileRequest {
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// A Korean phone number, e.g. 010-1234-5678; an empty string removes it.
    #[schema(max_length = 20)]
    pub phone: Option<String>,
}

/// Edit the name and phone of the signed-in account (the sign-up rules apply).
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", request_body = ProfileRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses(
        (status = 200, body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ProfileRequest>,
) -> Result<Json<Me>, AppError> {
    let now = service::find_user(&state.db, user.id).await?;
    let update = ProfileUpdate::try_from(ProfileForm {
        name: req.name.unwrap_or(now.name),
        phone: req.phone.or(now.phone),
    })?;
    let saved = account::update_profile(&state.db, &state.redis, user.id, &update).await?;
    Ok(Json(saved.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRequest {
    #[schema(min_length = 1, max_length = 1024)]
    pub current_password: String,
    /// 10 to 128 characters, not a common password, not the email.
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
    /// Sign out every other signed-in device (this session stays).
    #[serde(default)]
    pub sign_out_others: bool,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChanged {
    /// How many other devices were signed out.
    pub signed_out: usize,
}

/// Change the password: the current one is checked (10 tries per 15 minutes).
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses(
        (status = 200, body = PasswordChanged),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Wrong current password, or a weak new one", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<PasswordRequest>,
) -> Result<Json<PasswordChanged>, AppError> {
    let change = PasswordChange::try_from(PasswordForm {
        current_password: req.current_password.as_str().into(),
        password: req.new_password.as_str().into(),
        sign_out_others: req.sign_out_others.then(|| "on".into()),
    })?;
    let signed_out =
        account::change_password(&state.db, &state.redis, user.id, user.sid(), &change).await?;
    Ok(Json(PasswordChanged { signed_out }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawRequest {
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
    /// rarely_used, nothing_to_buy, privacy, service, other_account or other.
    #[schema(example = "rarely_used")]
    pub reason: String,
    /// Required when the reason is `other`.
    #[schema(max_length = 500)]
    pub details: Option<String>,
}

/// Withdraw (delete) the signed-in account. Personal data is removed; orders and payments
/// are kept anonymised. Refused while orders, tickets or (for a seller) sales are open.
#[utoipa::path(delete, path = "/api/v1/me", tag = "auth", request_body = WithdrawRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = IDEM)),
    responses(
        (status = 204, description = "Withdrawn; every session and token is signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "Something still open needs the account", body = ErrorBody),
        (status = 422, description = "Wrong password or no reason", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Client(client): Client,
    session: Session,
    Json(req): Json<WithdrawRequest>,
) -> Result<StatusCode, AppError> {
    let w = Withdrawal::try_from(WithdrawForm {
        password: req.password.as_str().into(),
        reason: req.reason,
        details: req.details,
        confirm: Some("api".into()),
    })?;
    let actor = Actor::of(&user, client.ip);
    account::withdraw(&state.db, &state.redis, &actor, &w).await?;
    session.flush().await.map_err(AppError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}
