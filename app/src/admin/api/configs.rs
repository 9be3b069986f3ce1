//! Server functions of `/admin/configs`.

use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::identity::Role, crate::platform::audit::current_actor,
    crate::platform::forms::keep_on_error, crate::platform::i18n::Msg,
    crate::platform::notice::notice as flash, crate::platform::state::AppState,
};

/// `/admin/configs`: every key with its value, default and history.
#[server(prefix = "/fn", endpoint = "admin/configs")]
pub async fn admin_configs() -> Result<Vec<crate::admin::ConfigField>, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    Ok(crate::admin::service::configs::fields(&state.db, &state.configs).await?)
}

/// "저장" on one config key: takes effect on every instance at once.
#[server(prefix = "/fn", endpoint = "admin/configs/save")]
pub async fn save_config(form: crate::admin::domain::ConfigForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = current_actor(&[Role::Admin]).await?;
    let saved = async {
        let change = crate::admin::domain::ConfigChange::try_from(&form)?;
        crate::admin::service::configs::save(&state.configs, &actor, &change).await
    };
    keep_on_error("config", &form, saved.await.map_err(AppError::from)).await?;
    flash(Msg::NoticeConfigSaved).await;
    Ok(())
}
