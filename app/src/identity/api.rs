//! Server functions for identity: thin adapters from the UI to the services.

// A server function's arguments are its form fields, so a form with many fields needs many.
#![allow(clippy::too_many_arguments)]

use super::{Address, SessionView, TokenView, UserView};
use crate::platform::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::identity::service::ClientInfo;
    pub use crate::identity::{addresses, service, tokens};
    pub use crate::platform::auth::{self, client_ip, current_user, user_agent};
    pub use crate::platform::error::AppError;
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

    pub async fn remember_form(form: &str, fields: &[(&str, String)]) {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::platform::forms::remember(form, &pairs).await;
    }
}
#[cfg(feature = "ssr")]
use ssr::*;

#[server(prefix = "/fn", endpoint = "signup")]
pub async fn signup(
    email: String,
    password: String,
    name: String,
    phone: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    let echo = [
        ("email", email.clone()),
        ("name", name.clone()),
        ("phone", phone.clone().unwrap_or_default()),
    ];
    let input = service::SignupInput {
        email,
        password,
        name,
        phone,
    };
    let client = client();
    let user =
        match service::register(&state.db, &state.redis, &state.configs, &client, input).await {
            Ok(user) => user,
            Err(e) => {
                remember_form("signup", &echo).await;
                return Err(e.into());
            }
        };
    service::start_session(&state.db, &state.redis, &session().await?, user.id, &client).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// `next` is where the user was going (`/login?next=…`); only a path on this site is followed.
#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let state = AppState::current()?;
    let session = session().await?;
    let client = client();
    let result = service::login(
        &state.db,
        &state.redis,
        &session,
        &email,
        &password,
        &client,
    );
    if let Err(e) = result.await {
        remember_form("login", &[("email", email)]).await;
        return Err(e.into());
    }
    let next = next.as_deref().filter(|n| !n.is_empty());
    leptos_axum::redirect(next.map_or("/account", |n| crate::platform::paths::safe_next(Some(n))));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = AppState::current()?;
    service::logout(&state.redis, &session().await?).await?;
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
    }
    Ok(())
}

#[server(prefix = "/fn", endpoint = "addresses")]
pub async fn list_addresses() -> Result<Vec<Address>, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(addresses::list(&state.db, me.id).await?)
}

#[server(prefix = "/fn", endpoint = "addresses/save")]
pub async fn save_address(
    id: Option<Uuid>,
    recipient_name: String,
    phone: String,
    postal_code: String,
    address: String,
    address_detail: Option<String>,
    label: Option<String>,
    make_default: Option<String>,
) -> Result<Address, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let echo = [
        ("recipient_name", recipient_name.clone()),
        ("phone", phone.clone()),
        ("postal_code", postal_code.clone()),
        ("address", address.clone()),
        ("address_detail", address_detail.clone().unwrap_or_default()),
        ("label", label.clone().unwrap_or_default()),
    ];
    let input = addresses::AddressInput {
        recipient_name,
        phone,
        postal_code,
        address,
        address_detail,
        label,
        make_default: make_default.is_some(),
    };
    let saved = match addresses::save(&state.db, me.id, id, input).await {
        Ok(saved) => saved,
        Err(e) => {
            remember_form("address", &echo).await;
            return Err(e.into());
        }
    };
    // After an edit, leave the edit view (matters without JavaScript).
    if id.is_some() {
        leptos_axum::redirect("/account/addresses");
    }
    Ok(saved)
}

#[server(prefix = "/fn", endpoint = "addresses/default")]
pub async fn set_default_address(id: Uuid) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(addresses::set_default(&state.db, me.id, id).await?)
}

#[server(prefix = "/fn", endpoint = "addresses/delete")]
pub async fn delete_address(id: Uuid) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(addresses::delete(&state.db, me.id, id).await?)
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
pub async fn create_token(name: String) -> Result<String, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let token = tokens::create(&state.db, me.id, &name).await?;
    session()
        .await?
        .insert(FLASH_TOKEN, &token)
        .await
        .map_err(AppError::internal)?;
    Ok(token)
}

#[server(prefix = "/fn", endpoint = "tokens/revoke")]
pub async fn revoke_token(id: Uuid) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(tokens::revoke(&state.db, me.id, id).await?)
}
