//! Server functions of the notices: the admin console's and the readers'.

use crate::admin::domain::NoticeForm;
use crate::admin::{NoticeId, NoticeList, NoticeView};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::admin::domain::NewNotice, crate::admin::service::notices as service,
    crate::admin::Audience, crate::identity::Role, crate::platform::audit::current_actor,
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
    // An admin's preview of a draft or a scheduled notice is not a reader's view.
    if view.state(chrono::Utc::now()) == crate::admin::NoticeState::Published {
        service::count_view(&state.db, &state.redis, id).await?;
    }
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

/// The banners at the top of every page: urgent and maintenance notices for me that I have
/// not dismissed.
#[server(prefix = "/fn", endpoint = "notices/banners")]
pub async fn banners() -> Result<Vec<crate::admin::Banner>, AppError> {
    let state = AppState::current()?;
    let dismissed = dismissed_now();
    Ok(service::banners(&state.db, &state.redis, audience().await?)
        .await?
        .into_iter()
        .filter(|b| !dismissed.contains(&b.id))
        .collect())
}

#[cfg(feature = "ssr")]
fn dismissed_now() -> Vec<NoticeId> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::COOKIE).cloned())
        .and_then(|v| v.to_str().ok().map(crate::admin::banner::dismissed_in))
        .unwrap_or_default()
}

/// "닫기" on a banner: remembered in a cookie for 30 days; back to the page it was on.
#[server(prefix = "/fn", endpoint = "notices/banners/dismiss")]
pub async fn dismiss_banner(id: NoticeId, back: Option<String>) -> Result<(), AppError> {
    use crate::admin::banner::{DISMISSED_COOKIE, MAX_DISMISSED};
    let mut ids = dismissed_now();
    ids.retain(|i| *i != id);
    ids.push(id);
    let skip = ids.len().saturating_sub(MAX_DISMISSED);
    let value: Vec<String> = ids.iter().skip(skip).map(|i| i.to_string()).collect();
    let secure = AppState::current()?.settings.cookie_secure;
    let cookie =
        crate::platform::cookies::set(DISMISSED_COOKIE, &value.join(","), 2_592_000, true, secure);
    let res = expect_context::<leptos_axum::ResponseOptions>();
    res.append_header(
        http::header::SET_COOKIE,
        http::HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
    );
    leptos_axum::redirect(crate::platform::paths::safe_next(back.as_deref()));
    Ok(())
}
