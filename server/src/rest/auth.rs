use super::extract::Json;
use app::identity::service::{self, ClientInfo};
use app::identity::UserView;
use app::platform::auth::{client_ip, user_agent, CurrentUser};
use app::platform::error::AppError;
use app::platform::state::AppState;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(
        example = "shopper@example.com",
        min_length = 3,
        max_length = 254,
        pattern = "@"
    )]
    pub email: String,
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: app::identity::UserId,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    /// customer, seller or admin
    pub role: String,
    /// bronze, silver, gold or vip
    pub grade: String,
    /// Decimal string, KRW.
    pub total_purchase_amount: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<UserView> for Me {
    fn from(u: UserView) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            phone: u.phone,
            role: u.role.as_str().into(),
            grade: u.grade,
            total_purchase_amount: u.total_purchase_amount.to_string(),
            created_at: u.created_at,
        }
    }
}

/// Client facts for the sessions list and rate limits.
pub struct Client(pub ClientInfo);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(ClientInfo {
            ip: client_ip(parts),
            user_agent: user_agent(parts),
        }))
    }
}

/// Log in with email and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 200, description = "Logged in", body = Me),
        (status = 422, description = "Wrong email or password", body = openapi::ErrorBody),
        (status = 403, description = "Account suspended", body = openapi::ErrorBody),
        (status = 429, description = "Too many attempts", body = openapi::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    Client(client): Client,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Me>, AppError> {
    let user = service::login(
        &state.db,
        &state.redis,
        &state.configs,
        &session,
        &req.email,
        &req.password,
        &client,
    )
    .await?;
    Ok(Json(user.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct SignupRequest {
    #[schema(
        example = "shopper@example.com",
        min_length = 3,
        max_length = 254,
        pattern = "@"
    )]
    pub email: String,
    /// At least 8 characters.
    #[schema(min_length = 8, max_length = 1024)]
    pub password: String,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// A Korean mobile number, e.g. 010-1234-5678.
    pub phone: Option<String>,
}

/// Make an account and sign in to it (sets the session cookie). A guest cart in this
/// session is merged into the new account's cart, as at login.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Signed up and signed in", body = Me),
        (status = 422, description = "A field is invalid, or the email is taken", body = openapi::ErrorBody),
        (status = 429, description = "Too many sign-ups from this address", body = openapi::ErrorBody),
    ))]
pub async fn signup(
    State(state): State<AppState>,
    session: Session,
    Client(client): Client,
    Json(req): Json<SignupRequest>,
) -> Result<(StatusCode, Json<Me>), AppError> {
    let form = app::identity::domain::SignupForm {
        email: req.email,
        password: req.password.as_str().into(),
        name: req.name,
        phone: req.phone,
    };
    let user = service::register(&state.db, &state.redis, &state.configs, &client, form).await?;
    service::start_session(&state.db, &state.redis, &session, user.id, &client).await?;
    app::cart::api::merge_guest_cart(&state.db, &session, user.id).await;
    app::catalog::service::recent::merge_guest(&state.db, &session, user.id).await;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Log out this session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out")))]
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
) -> Result<StatusCode, AppError> {
    service::logout(&state.redis, &session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    security(("session_cookie" = []), ("api_token" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, description = "Not signed in", body = openapi::ErrorBody),
    ))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>, AppError> {
    Ok(Json(service::find_user(&state.db, user.id).await?.into()))
}

use super::openapi;
