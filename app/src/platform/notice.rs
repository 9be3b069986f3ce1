//! One-time confirmations ("saved", "deleted", "signed out") after a form succeeds, shown
//! the same with and without JavaScript.
//!
//! The server function says what happened (`notice`); it is kept in the session until the
//! layout takes it out: while rendering the page a plain form post is redirected to, or,
//! with JavaScript, right after the action settles (`notify_after`).

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

#[derive(Clone, Copy)]
pub struct Notices {
    /// Bumped after an action settles, to look for its confirmation.
    check: RwSignal<u32>,
}

impl Notices {
    /// Called once, by the layout, above every page.
    pub fn provide() {
        provide_context(Self {
            check: RwSignal::new(0),
        });
    }
}

/// With JavaScript: look for a confirmation whenever `version` (an action's) moves on.
pub fn notify_after(version: impl Fn() -> usize + 'static) {
    let Some(notices) = use_context::<Notices>() else {
        return;
    };
    Effect::new(move |prev: Option<usize>| {
        let v = version();
        if prev.is_some_and(|p| p != v) {
            notices.check.update(|n| *n += 1);
        }
        v
    });
}

/// The live region at the top of the page that shows the pending confirmation. It belongs
/// to the page it arrived on (a redirect's target, say) and goes when the user moves on.
#[component]
pub fn NoticeArea() -> impl IntoView {
    let check = expect_context::<Notices>().check;
    let path = leptos_router::hooks::use_location().pathname;
    let pending = Resource::new(
        move || check.get(),
        move |_| async move {
            let msg = take_notice().await.ok().flatten();
            // Read after the answer: a redirecting action has navigated by then.
            (msg, path.get_untracked())
        },
    );
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (msg, at) = pending.await;
                    let text = t(msg?);
                    Some(move || (path.get() == at).then(|| view! {
                        <p class="alert alert-success" data-testid="notice">{text}</p>
                    }))
                })}
            </Suspense>
        </div>
    }
}
