//! One-time confirmations ("saved", "deleted", "signed out") after a form succeeds, shown
//! the same with and without JavaScript.
//!
//! The server function says what happened (`notice`); it is kept in the session until the
//! layout takes it out, while rendering the page the form post is redirected to.

use crate::platform::error::AppError;
use crate::platform::i18n::{t, Msg};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const KEY: &str = "flash.notice";

/// Inside a server function that succeeded: show `msg` once on the next page or update.
#[cfg(feature = "ssr")]
pub async fn notice(msg: Msg) {
    if let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await {
        notice_in(&session, msg).await;
    }
}

/// The same, for a plain axum handler (the upload form).
#[cfg(feature = "ssr")]
pub async fn notice_in(session: &tower_sessions::Session, msg: Msg) {
    if let Err(e) = session.insert(KEY, msg).await {
        tracing::warn!(error = %e, "could not keep a confirmation");
    }
}

/// Returns (and forgets) the pending confirmation.
#[server(prefix = "/fn", endpoint = "notice")]
pub async fn take_notice() -> Result<Option<Msg>, AppError> {
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(AppError::internal)?;
    // Only a session that holds one is written back.
    let pending: Option<Msg> = session.get(KEY).await.map_err(AppError::internal)?;
    if pending.is_some() {
        session
            .remove::<Msg>(KEY)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(pending)
}

/// The live region at the top of the page that shows the pending confirmation, taken out
/// while the page a form post was redirected to is rendered.
#[component]
pub fn NoticeArea() -> impl IntoView {
    let pending = Resource::new(|| (), |_| take_notice());
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let msg = pending.await.ok().flatten()?;
                    Some(view! {
                        <p class="alert alert-success" id="notice" tabindex="-1" data-testid="notice">{t(msg)}</p>
                    })
                })}
            </Suspense>
        </div>
    }
}
