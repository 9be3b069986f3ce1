//! REST v1 for notices: what the caller may read.

use super::extract::{Json, Path, Query};
use super::openapi::ErrorBody;
use app::admin::service::notices as service;
use app::admin::{Audience, NoticeId, NoticeList, NoticeView};
use app::platform::auth::MaybeUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// From 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
}

/// The published notices for the caller (everyone, shoppers or sellers), pinned first,
/// 20 a page. The body comes as Markdown and as sanitised HTML.
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices", params(Page),
    responses((status = 200, body = NoticeList), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(page): Query<Page>,
) -> Result<Json<NoticeList>, AppError> {
    let page = page.page.unwrap_or(1);
    if !(1..=1_000_000).contains(&page) {
        return Err(AppError::field(
            "page",
            app::platform::i18n::Msg::ErrBadForm,
        ));
    }
    let audience = Audience::of(user.map(|u| u.role));
    Ok(Json(service::showing(&state.db, audience, page).await?))
}

/// One published notice for the caller (admins also see drafts and scheduled ones).
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "notices",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = NoticeView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<NoticeId>,
) -> Result<Json<NoticeView>, AppError> {
    let audience = Audience::of(user.map(|u| u.role));
    let view = service::one(&state.db, audience, id).await?;
    if view.state(chrono::Utc::now()) == app::admin::NoticeState::Published {
        service::count_view(&state.db, &state.redis, id).await?;
    }
    Ok(Json(view))
}
