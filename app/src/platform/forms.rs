//! Keeps what a user typed when a form fails without JavaScript.
//!
//! With JavaScript the form stays on screen. Without it, the browser follows a redirect back
//! to the form page, which would render empty. So a failing plain-form post stores its
//! non-secret fields in the session, and the page puts them back once.

use crate::platform::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;

pub type Echo = HashMap<String, String>;

#[cfg(feature = "ssr")]
const FLASH_FORM: &str = "flash.form";

/// Inside a failing server function: remember these fields for the form `form`.
/// Only plain form posts (no JavaScript) need it; fetch calls keep their form.
#[cfg(feature = "ssr")]
pub async fn remember(form: &str, fields: &[(&str, &str)]) {
    let plain_form_post = use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
        .unwrap_or(false);
    if !plain_form_post {
        return;
    }
    let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await else {
        return;
    };
    let values: Echo = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.chars().take(500).collect()))
        .collect();
    if let Err(e) = session.insert(FLASH_FORM, (form, values)).await {
        tracing::warn!(error = %e, "could not keep form values");
    }
}

/// Returns (and forgets) the values remembered for `form`.
#[server(prefix = "/fn", endpoint = "form-echo")]
pub async fn form_echo(form: String) -> Result<Echo, AppError> {
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(AppError::internal)?;
    let stored: Option<(String, Echo)> =
        session.get(FLASH_FORM).await.map_err(AppError::internal)?;
    match stored {
        Some((name, values)) if name == form => {
            session
                .remove::<(String, Echo)>(FLASH_FORM)
                .await
                .map_err(AppError::internal)?;
            Ok(values)
        }
        _ => Ok(Echo::new()),
    }
}

/// The remembered values of `form`, fetched only when the page shows a form error.
pub fn use_form_echo(form: &'static str) -> Resource<Echo> {
    let query = use_query_map();
    Resource::new(
        move || query.with(|q| q.get("__err").is_some()),
        move |has_error| async move {
            if has_error {
                form_echo(form.to_owned()).await.unwrap_or_default()
            } else {
                Echo::new()
            }
        },
    )
}
