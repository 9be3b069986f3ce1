//! `ApprovedSeller`: the caller as an approved seller, or 403. Server functions, REST handlers
//! and the upload endpoint all use it, so "may this user sell?" has one answer.

use super::{service, SellerId};
use crate::platform::auth::{current_user, CurrentUser};
use crate::platform::error::AppError;
use crate::platform::state::AppState;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;

#[derive(Clone, Debug)]
pub struct ApprovedSeller {
    pub user: CurrentUser,
    pub id: SellerId,
}

impl ApprovedSeller {
    /// `user`'s approved seller account; a pending, rejected or suspended one is 403.
    pub async fn of(db: &sqlx::PgPool, user: CurrentUser) -> Result<Self, AppError> {
        let id = service::approved_seller_of(db, user.id)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok(Self { user, id })
    }

    /// Inside a server function.
    pub async fn current() -> Result<Self, AppError> {
        let state = AppState::current()?;
        Self::of(&state.db, current_user().await?).await
    }
}

impl<S> FromRequestParts<S> for ApprovedSeller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, s).await?;
        Self::of(&AppState::from_ref(s).db, user).await
    }
}
