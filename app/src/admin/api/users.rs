//! Server functions of `/admin/users`: the list, a user's page, and what an admin may change.

use crate::admin::domain::{GradeForm, RoleForm, UserQuery, UserStatusForm};
use crate::admin::{UserDetail, UserList};
use crate::identity::UserId;
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::admin::domain::{GradeChange, RoleChange, StatusChange, UserFilter},
    crate::admin::service::users as service,
    crate::identity::Role,
    crate::platform::audit::current_actor,
    crate::platform::forms::keep_on_error,
    crate::platform::i18n::Msg,
    crate::platform::notice::notice as flash,
    crate::platform::state::AppState,
};

/// `/admin/users`: search and filters.
#[server(prefix = "/fn", endpoint = "admin/users")]
pub async fn admin_users(query: UserQuery) -> Result<UserList, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    let filter = UserFilter::try_from(&query).map_err(AppError::Validation)?;
    Ok(service::search(&state.db, &filter).await?)
}

/// `/admin/users/{id}`: written to the audit log as a READ of personal data.
#[server(prefix = "/fn", endpoint = "admin/users/one")]
pub async fn admin_user(id: UserId) -> Result<UserDetail, AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    Ok(service::detail(&state.db, &state.redis, &actor, id).await?)
}

/// "정지" / "정지 해제".
#[server(prefix = "/fn", endpoint = "admin/users/status")]
pub async fn set_user_status(form: UserStatusForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let done = async {
        let change = StatusChange::try_from(&form).map_err(AppError::Validation)?;
        service::set_status(&state.db, &state.redis, &actor, &change).await?;
        Ok::<_, AppError>(change.suspend)
    };
    let suspended = keep_on_error("user-status", &form, done.await).await?;
    flash(if suspended {
        Msg::NoticeUserSuspended
    } else {
        Msg::NoticeUserReactivated
    })
    .await;
    Ok(())
}

/// "권한 변경".
#[server(prefix = "/fn", endpoint = "admin/users/role")]
pub async fn set_user_role(form: RoleForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let done = async {
        let change = RoleChange::try_from(&form).map_err(AppError::Validation)?;
        Ok::<_, AppError>(service::set_role(&state.db, &state.redis, &actor, &change).await?)
    };
    keep_on_error("user-role", &form, done.await).await?;
    flash(Msg::NoticeUserRoleChanged).await;
    Ok(())
}

/// "등급 변경".
#[server(prefix = "/fn", endpoint = "admin/users/grade")]
pub async fn set_user_grade(form: GradeForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let done = async {
        let change = GradeChange::try_from(&form).map_err(AppError::Validation)?;
        Ok::<_, AppError>(service::set_grade(&state.db, &state.configs, &actor, &change).await?)
    };
    keep_on_error("user-grade", &form, done.await).await?;
    flash(Msg::NoticeUserGradeChanged).await;
    Ok(())
}
