//! Server functions of the notices: the admin console's and the readers'.

use super::domain::NoticeForm;
use super::{NoticeId, NoticeList, NoticeView};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::domain::NewNotice, super::service::notices as service, super::Audience,
    crate::identity::Role, crate::platform::audit::current_actor,
    crate::platform::auth::maybe_user, crate::platform::forms::keep_on_error,
    crate::platform::i18n::Msg, crate::platform::notice::notice as flash,
    crate::platform::state::AppState,
};

#[cfg(feature = "ssr")]
async fn audience() -> Result<Audience, AppError> {
    Ok(Audience::of(maybe_user().await?.map(|u| u.role)))
}

/// `/notices`: what I may read, pinned first.
#[server(prefix = "/fn", endpoint = "notices")]
pub async fn notices(page: Option<i64>) -> Result<NoticeList, AppError> {
    let state = AppState::current()?;
    let page = service::showing(&state.db, audience().await?, page.unwrap_or(1)).await?;
    Ok(page)
}

/// `/notices/{id}`: one notice, counted as read.
#[server(prefix = "/fn", endpoint = "notices/one")]
pub async fn notice_detail(id: NoticeId) -> Result<NoticeView, AppError> {
    let state = AppState::current()?;
    let view = service::one(&state.db, audience().await?, id).await?;
    service::count_view(&state.db, &state.redis, id).await?;
    Ok(view)
}

/// `/admin/notices`: every notice, drafts and scheduled ones too.
#[server(prefix = "/fn", endpoint = "admin/notices")]
pub async fn admin_notices(page: Option<i64>) -> Result<NoticeList, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    Ok(service::all(&state.db, page.unwrap_or(1)).await?)
}

/// One notice as the admin edits it.
#[server(prefix = "/fn", endpoint = "admin/notices/one")]
pub async fn admin_notice(id: NoticeId) -> Result<NoticeView, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    Ok(service::one(&state.db, Audience::Everyone, id).await?)
}

/// "공지 등록".
#[server(prefix = "/fn", endpoint = "admin/notices/create")]
pub async fn create_notice(form: NoticeForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let made = crate::platform::once::once("admin/notices/create", &form.once, &form, async {
        let new = NewNotice::try_from(&form).map_err(AppError::Validation)?;
        Ok::<_, AppError>(service::create(&state.db, &actor, &new).await?)
    });
    keep_on_error("notice", &form, made.await).await?;
    flash(Msg::NoticeNoticeSaved).await;
    leptos_axum::redirect("/admin/notices");
    Ok(())
}

/// "공지 수정".
#[server(prefix = "/fn", endpoint = "admin/notices/update")]
pub async fn update_notice(id: NoticeId, form: NoticeForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let saved = async {
        let new = NewNotice::try_from(&form).map_err(AppError::Validation)?;
        Ok::<_, AppError>(service::update(&state.db, &actor, id, &new).await?)
    };
    keep_on_error("notice", &form, saved.await).await?;
    flash(Msg::NoticeNoticeSaved).await;
    leptos_axum::redirect("/admin/notices");
    Ok(())
}

/// "게시" / "게시 중단".
#[server(prefix = "/fn", endpoint = "admin/notices/publish")]
pub async fn publish_notice(id: NoticeId, publish: bool) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    service::set_published(&state.db, &actor, id, publish).await?;
    flash(Msg::NoticeNoticeSaved).await;
    Ok(())
}

/// "삭제".
#[server(prefix = "/fn", endpoint = "admin/notices/delete")]
pub async fn delete_notice(id: NoticeId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    service::delete(&state.db, &actor, id).await?;
    flash(Msg::NoticeNoticeDeleted).await;
    Ok(())
}
