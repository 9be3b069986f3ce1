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
        move |_| {
            // On the server the page's path is read now, while the render owns it (the
            // render may be dropped before the answer). In the browser it is read after the
            // answer: a redirecting action has navigated by then.
            #[cfg(feature = "ssr")]
            let at = path.get_untracked();
            async move {
                let msg = take_notice().await.ok().flatten();
                #[cfg(not(feature = "ssr"))]
                let at = path.get_untracked();
                (msg, at)
            }
        },
    );
    // The form that was used may be gone (a deleted row, a re-rendered list): focus would
    // fall to the page itself. Then it moves to the confirmation, where a keyboard or
    // screen-reader user reads what happened and goes on from.
    Effect::new(move |_| {
        if check.get() > 0 && pending.with(|p| p.as_ref().is_some_and(|(m, _)| m.is_some())) {
            request_animation_frame(focus_if_lost);
        }
    });
    view! {
        <div class="notice-area" role="status" aria-live="polite">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (msg, at) = pending.await;
                    let text = t(msg?);
                    Some(move || (path.get() == at).then(|| view! {
                        <p class="alert alert-success" id="notice" tabindex="-1" data-testid="notice">{text}</p>
                    }))
                })}
            </Suspense>
        </div>
    }
}

fn focus_if_lost() {
    #[cfg(target_arch = "wasm32")]
    {
        use web_sys::wasm_bindgen::JsCast;
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lost = match (doc.active_element(), doc.body()) {
            (None, _) => true,
            (Some(active), Some(body)) => active == *body.as_ref(),
            _ => false,
        };
        if let Some(notice) = doc
            .get_element_by_id("notice")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|_| lost)
        {
            let _ = notice.focus();
        }
    }
}
