//! A form submitted twice (a double click, a resend after a slow answer) does its work once.
//!
//! Each form that creates something carries its page's token in `form[once]` (`OnceField`).
//! The server function runs its work through `once`, which claims the token together with
//! the form's fields in the idempotency store: the first submit runs, the same submit again
//! gets the first one's result, and a failed submit releases its claim so the corrected form
//! can go again. Different forms (rows) on one page share the token but not a claim.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The `form[once]` value. The store checks its shape (printable ASCII, at most 255 bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormToken(pub String);

/// A page's form token: new on every render and after each success of the page's actions
/// (`version`), so the next, deliberate submit counts as new. Await it inside the page's
/// `Suspense` and give it to each form's `OnceField`.
pub fn once_token(version: impl Fn() -> usize + Send + Sync + 'static) -> Resource<FormToken> {
    Resource::new(version, |_| async {
        FormToken(uuid::Uuid::new_v4().to_string())
    })
}

/// The hidden `form[once]` input.
#[component]
pub fn OnceField(token: FormToken) -> impl IntoView {
    view! { <input type="hidden" name="form[once]" value=token.0 /> }
}

#[cfg(feature = "ssr")]
pub use server::once;

#[cfg(feature = "ssr")]
mod server {
    use super::FormToken;
    use crate::platform::auth::{client_ip, maybe_user};
    use crate::platform::error::AppError;
    use crate::platform::forms::echo_of;
    use crate::platform::i18n::Msg;
    use crate::platform::idempotency::{self as idem, Begin, IdempotencyError, StoredResponse};
    use crate::platform::state::AppState;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::time::Duration;

    /// How long a repeat waits for the first submit to finish before it is told so.
    const WAIT_FOR_FIRST: Duration = Duration::from_secs(3);

    /// Runs `work` once per `token` and submitted fields (`typed`) of the form `endpoint`.
    /// Secrets are not part of the claim.
    pub async fn once<T, R, F>(
        endpoint: &str,
        token: &FormToken,
        typed: &T,
        work: F,
    ) -> Result<R, AppError>
    where
        T: Serialize,
        R: Serialize + DeserializeOwned,
        F: std::future::Future<Output = Result<R, AppError>>,
    {
        // Only a token the page made; a missing one is a stale or forged form.
        if uuid::Uuid::parse_str(&token.0).is_err() {
            return Err(AppError::BadRequest(Msg::ErrBadForm));
        }
        let state = AppState::current()?;
        let scope = scope().await?;
        let mut fields: Vec<(String, String)> = echo_of(typed)
            .into_iter()
            .filter(|(k, _)| k != "once")
            .collect();
        fields.sort();
        let body = serde_json::to_vec(&fields).map_err(AppError::internal)?;
        let hash = idem::request_hash(&[b"form", endpoint.as_bytes(), &body]);
        let key = &format!("{}:{}", token.0, hex::encode(&hash[..8]));

        let started = tokio::time::Instant::now();
        loop {
            match idem::begin(&state.db, &scope, key, &hash).await {
                Ok(Begin::Fresh) => break,
                Ok(Begin::Replay(stored)) => {
                    return serde_json::from_slice(&stored.body).map_err(AppError::internal)
                }
                Err(IdempotencyError::InFlight) if started.elapsed() < WAIT_FOR_FIRST => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(IdempotencyError::InFlight) => {
                    return Err(AppError::Conflict(Msg::ErrAlreadySubmitted))
                }
                Err(IdempotencyError::InvalidKey) => {
                    return Err(AppError::BadRequest(Msg::ErrBadForm))
                }
                Err(e) => return Err(e.into()),
            }
        }

        match work.await {
            Ok(result) => {
                let stored = StoredResponse {
                    status: 200,
                    content_type: Some("application/json".into()),
                    body: serde_json::to_vec(&result).map_err(AppError::internal)?,
                };
                if let Err(e) = idem::complete(&state.db, &scope, key, &stored).await {
                    tracing::error!(error = %e, endpoint, "could not record a form submit");
                }
                Ok(result)
            }
            Err(e) => {
                if let Err(e) = idem::abandon(&state.db, &scope, key).await {
                    tracing::error!(error = %e, endpoint, "could not release a form token");
                }
                Err(e)
            }
        }
    }

    /// Tokens are per user, or per address for someone signed out.
    async fn scope() -> Result<String, AppError> {
        if let Some(user) = maybe_user().await? {
            return Ok(format!("form:{}", user.id));
        }
        let parts = leptos::prelude::use_context::<http::request::Parts>()
            .ok_or_else(|| AppError::internal("no request"))?;
        Ok(format!("form:anon:{}", client_ip(&parts)))
    }
}
