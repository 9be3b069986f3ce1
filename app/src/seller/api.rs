//! Server functions for selling: apply, and the admin review queue.

use super::domain::{ApplicationForm, ApprovalForm, DecisionForm};
use super::SellerView;
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::domain::Application,
    super::{service, SellerStatus},
    crate::identity::Role,
    crate::platform::audit::current_actor,
    crate::platform::auth::current_user,
    crate::platform::forms::keep_on_error,
    crate::platform::i18n::Msg,
    crate::platform::notice::notice,
    crate::platform::state::AppState,
};

#[server(prefix = "/fn", endpoint = "seller/me")]
pub async fn my_seller() -> Result<Option<SellerView>, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(service::for_user(&state.db, me.id).await?)
}

#[server(prefix = "/fn", endpoint = "seller/apply")]
pub async fn apply_seller(form: ApplicationForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let applied = async {
        let application = Application::try_from(form.clone())?;
        Ok::<_, AppError>(service::apply(&state.db, me.id, application).await?)
    };
    keep_on_error("seller-apply", &form, applied.await).await?;
    notice(Msg::NoticeApplied).await;
    leptos_axum::redirect("/seller");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/sellers")]
pub async fn admin_sellers(status: Option<String>) -> Result<super::SellerQueue, AppError> {
    use crate::platform::audit::{recent, AuditResource};
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    let status = status.as_deref().and_then(SellerStatus::parse);
    let sellers = service::list(&state.db, status).await?;
    let ids: Vec<String> = sellers.iter().map(|s| s.id.to_string()).collect();
    let history = recent(&state.db, AuditResource::Seller, &ids, 5).await?;
    Ok(super::SellerQueue { sellers, history })
}

#[server(prefix = "/fn", endpoint = "admin/sellers/approve")]
pub async fn approve_seller(form: ApprovalForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let admin = current_actor(&[Role::Admin]).await?;
    let approved = async {
        let rate = form.rate()?;
        let approved = service::approve(
            &state.db,
            &state.redis,
            &state.configs,
            form.id,
            &admin,
            rate,
        );
        Ok::<_, AppError>(approved.await?)
    };
    keep_on_error("seller-review", &form, approved.await).await?;
    notice(Msg::NoticeSellerApproved).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/sellers/reject")]
pub async fn reject_seller(form: DecisionForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let admin = current_actor(&[Role::Admin]).await?;
    let rejected = service::reject(&state.db, form.id, &admin, &form.reason).await;
    keep_on_error("seller-review", &form, rejected).await?;
    notice(Msg::NoticeSellerRejected).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/sellers/suspend")]
pub async fn suspend_seller(form: DecisionForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let admin = current_actor(&[Role::Admin]).await?;
    let suspended = service::suspend(&state.db, form.id, &admin, &form.reason).await;
    keep_on_error("seller-review", &form, suspended).await?;
    notice(Msg::NoticeSellerSuspended).await;
    Ok(())
}
