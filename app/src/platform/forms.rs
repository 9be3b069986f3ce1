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

/// A secret typed into a form (a password). It travels to the server like any field, but a
/// derived `Debug` prints `[REDACTED]` and the form echo never keeps it.
#[derive(Clone)]
pub struct Secret(secrecy::SecretString);

impl Secret {
    pub fn expose(&self) -> &str {
        use secrecy::ExposeSecret;
        self.0.expose_secret()
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.into())
    }
}

impl Default for Secret {
    fn default() -> Self {
        Self::from("")
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

thread_local! {
    /// Set while `echo_of` serialises a form, so secrets serialise as nothing. Serialising is
    /// synchronous, so the flag cannot leak into another task.
    static ECHOING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if ECHOING.with(|e| e.get()) {
            s.serialize_none()
        } else {
            s.serialize_str(self.expose())
        }
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self(s.into()))
    }
}

/// A form's fields as the page puts them back: secrets left out, long values cut.
pub fn echo_of<T: serde::Serialize>(form: &T) -> Echo {
    ECHOING.with(|e| e.set(true));
    let value = serde_json::to_value(form);
    ECHOING.with(|e| e.set(false));
    let Ok(serde_json::Value::Object(fields)) = value else {
        return Echo::new();
    };
    fields
        .into_iter()
        .filter_map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k, text.chars().take(500).collect()))
        })
        .collect()
}

/// Inside a failing server function: remember what was typed into `form`. Only plain form
/// posts (no JavaScript) need it; fetch calls keep their form.
#[cfg(feature = "ssr")]
async fn remember<T: serde::Serialize>(form: &str, typed: &T) {
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
    if let Err(e) = session.insert(FLASH_FORM, (form, echo_of(typed))).await {
        tracing::warn!(error = %e, "could not keep form values");
    }
}

/// Runs a server function's work; if it fails, remembers what was typed (see `remember`).
#[cfg(feature = "ssr")]
pub async fn keep_on_error<T: serde::Serialize, R, E>(
    form: &str,
    typed: &T,
    result: Result<R, E>,
) -> Result<R, E> {
    if result.is_err() {
        remember(form, typed).await;
    }
    result
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, Debug)]
    struct Login {
        email: String,
        password: Secret,
        next: Option<String>,
    }

    #[test]
    fn the_echo_keeps_fields_and_drops_secrets() {
        let form = Login {
            email: "a@b.kr".into(),
            password: Secret::from("hunter2hunter2"),
            next: None,
        };
        let echo = echo_of(&form);
        assert_eq!(echo.get("email").map(String::as_str), Some("a@b.kr"));
        assert!(!echo.contains_key("password"));
        assert!(!format!("{form:?}").contains("hunter2"));
        // Outside the echo the secret still travels.
        assert!(serde_json::to_string(&form)
            .unwrap()
            .contains("hunter2hunter2"));
    }
}
