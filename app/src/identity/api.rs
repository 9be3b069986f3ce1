//! Server functions for identity: thin adapters from the UI to the services.

use super::domain::{
    AddressForm, LoginForm, PasswordForm, ProfileForm, SignupForm, TokenForm, WithdrawForm,
};
#[cfg(feature = "ssr")]
use super::domain::{NewAddress, PasswordChange, ProfileUpdate, Withdrawal};
use super::{Address, AddressId, SessionView, TokenId, TokenView, UserView};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::identity::service::ClientInfo;
    pub use crate::identity::{account, addresses, service, tokens};
    pub use crate::platform::auth::{self, client_ip, current_user, user_agent};
    pub use crate::platform::error::AppError;
    pub use crate::platform::i18n::Msg;
    pub use crate::platform::notice::notice;
    pub use crate::platform::once::once;
    pub use crate::platform::state::AppState;
    pub use tower_sessions::Session;

    pub async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>()
            .await
            .map_err(AppError::internal)
    }

    pub fn client() -> ClientInfo {
        let parts = leptos::prelude::use_context::<axum::http::request::Parts>();
        ClientInfo {
            ip: parts
                .as_ref()
                .map(client_ip)
                .unwrap_or_else(|| "unknown".into()),
            user_agent: parts
                .as_ref()
                .map(user_agent)
                .unwrap_or_else(|| "unknown".into()),
        }
    }

    pub const FLASH_TOKEN: &str = "flash.new_token";
    pub use crate::platform::forms::keep_on_error;
}
#[cfg(feature = "ssr")]
use ssr::*;

#[server(prefix = "/fn", endpoint = "signup")]
pub async fn signup(form: SignupForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let client = client();
    let registered = service::register(
        &state.db,
        &state.redis,
        &state.configs,
        &client,
        form.clone(),
    )
    .await;
    let user = keep_on_error("signup", &form, registered).await?;
    let session = session().await?;
    service::start_session(&state.db, &state.redis, &session, user.id, &client).await?;
    crate::cart::api::merge_guest_cart(&state.db, &session, user.id).await;
    crate::catalog::service::recent::merge_guest(&state.db, &session, user.id).await;
    leptos_axum::redirect("/account");
    Ok(())
}

/// After login the user goes on to `next` (`/login?next=…`), if it is a path on this site.
#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(form: LoginForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let session = session().await?;
    let signed_in = service::login(
        &state.db,
        &state.redis,
        &state.configs,
        &session,
        &form.email,
        form.password.expose(),
        &client(),
    )
    .await;
    let user = keep_on_error("login", &form, signed_in).await?;
    crate::cart::api::merge_guest_cart(&state.db, &session, user.id).await;
    crate::catalog::service::recent::merge_guest(&state.db, &session, user.id).await;
    let next = form.next.as_deref().filter(|n| !n.is_empty());
    leptos_axum::redirect(next.map_or("/account", |n| crate::platform::paths::safe_next(Some(n))));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = AppState::current()?;
    service::logout(&state.redis, &session().await?).await?;
    notice(Msg::NoticeSignedOut).await;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "me")]
pub async fn current_user_view() -> Result<Option<UserView>, AppError> {
    let state = AppState::current()?;
    match auth::maybe_user().await? {
        Some(u) => Ok(Some(service::find_user(&state.db, u.id).await?)),
        None => Ok(None),
    }
}

#[server(prefix = "/fn", endpoint = "account/profile")]
pub async fn update_profile(form: ProfileForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let saved = async {
        let update = ProfileUpdate::try_from(form.clone())?;
        Ok::<_, AppError>(account::update_profile(&state.db, &state.redis, me.id, &update).await?)
    };
    keep_on_error("profile", &form, saved.await).await?;
    notice(Msg::NoticeProfileSaved).await;
    leptos_axum::redirect("/account");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "account/password")]
pub async fn change_password(form: PasswordForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let changed = async {
        let change = PasswordChange::try_from(form.clone())?;
        Ok::<_, AppError>(
            account::change_password(&state.db, &state.redis, me.id, me.sid(), &change).await?,
        )
    };
    let signed_out = keep_on_error("password", &form, changed.await).await?;
    notice(if signed_out > 0 {
        Msg::NoticePasswordChangedOthersOut
    } else {
        Msg::NoticePasswordChanged
    })
    .await;
    leptos_axum::redirect("/account");
    Ok(())
}

/// What the withdrawal page tells before the form: the points that would be lost, and
/// what, if anything, stands in the way.
#[server(prefix = "/fn", endpoint = "account/withdrawal")]
pub async fn withdrawal_check() -> Result<super::WithdrawalPreview, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(account::preview(&state.db, me.id).await?)
}

#[server(prefix = "/fn", endpoint = "account/withdraw")]
pub async fn withdraw_account(form: WithdrawForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let actor = crate::platform::audit::current_actor(crate::identity::Role::ALL).await?;
    let done = async {
        let w = Withdrawal::try_from(form.clone())?;
        Ok::<_, AppError>(account::withdraw(&state.db, &state.redis, &actor, &w).await?)
    };
    keep_on_error("withdraw", &form, done.await).await?;
    let session = session().await?;
    session.flush().await.map_err(AppError::internal)?;
    crate::platform::notice::notice_in(&session, Msg::NoticeWithdrawn).await;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "sessions")]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    auth::registry::list(&state.redis, me.id, me.sid())
        .await
        .map_err(AppError::internal)
}

#[server(prefix = "/fn", endpoint = "sessions/revoke")]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let revoked = auth::registry::revoke(&state.redis, me.id, &id)
        .await
        .map_err(AppError::internal)?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    if me.sid() == Some(id.as_str()) {
        session().await?.flush().await.map_err(AppError::internal)?;
        leptos_axum::redirect("/login");
        return Ok(());
    }
    notice(Msg::NoticeDeviceSignedOut).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "addresses")]
pub async fn list_addresses() -> Result<Vec<Address>, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(addresses::list(&state.db, me.id).await?)
}

#[server(prefix = "/fn", endpoint = "addresses/save")]
pub async fn save_address(form: AddressForm) -> Result<Address, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let editing = form.id;
    let saved = once("addresses/save", &form.once, &form, async {
        let address = NewAddress::try_from(form.clone())?;
        Ok::<_, AppError>(addresses::save(&state.db, me.id, editing, address).await?)
    });
    let saved = keep_on_error("address", &form, saved.await).await?;
    // After an edit, leave the edit view (matters without JavaScript).
    if editing.is_some() {
        notice(Msg::SellerSaved).await;
        leptos_axum::redirect("/account/addresses");
    } else {
        notice(Msg::NoticeAddressAdded).await;
    }
    Ok(saved)
}

#[server(prefix = "/fn", endpoint = "addresses/default")]
pub async fn set_default_address(id: AddressId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    addresses::set_default(&state.db, me.id, id).await?;
    notice(Msg::NoticeAddressDefault).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "addresses/delete")]
pub async fn delete_address(id: AddressId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    addresses::delete(&state.db, me.id, id).await?;
    notice(Msg::NoticeAddressDeleted).await;
    Ok(())
}

/// The user's tokens, plus a token created just now (shown once, also without JavaScript).
#[server(prefix = "/fn", endpoint = "tokens")]
pub async fn list_tokens() -> Result<(Vec<TokenView>, Option<String>), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let fresh: Option<String> = session()
        .await?
        .remove(FLASH_TOKEN)
        .await
        .map_err(AppError::internal)?;
    Ok((tokens::list(&state.db, me.id).await?, fresh))
}

#[server(prefix = "/fn", endpoint = "tokens/create")]
pub async fn create_token(form: TokenForm) -> Result<String, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let token = tokens::create(&state.db, me.id, &form.name).await?;
    session()
        .await?
        .insert(FLASH_TOKEN, &token)
        .await
        .map_err(AppError::internal)?;
    Ok(token)
}

#[server(prefix = "/fn", endpoint = "tokens/revoke")]
pub async fn revoke_token(id: TokenId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    tokens::revoke(&state.db, &state.redis, me.id, id).await?;
    notice(Msg::NoticeTokenRevoked).await;
    Ok(())
}
