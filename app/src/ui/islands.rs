//! Interactive parts shared by pages. Pages are server-rendered `#[component]`s that never
//! reach the browser; an `#[island]` is compiled to wasm and hydrated where it appears (see
//! ARCHITECTURE.md, "Islands"). Its props travel as JSON inside the page, so they are plain
//! data (text already in the page's language, ids), never contexts or router hooks.

use leptos::prelude::*;
use std::time::Duration;

/// Shows that a form is on its way, and keeps a second click from going out, while the
/// browser waits for a slow answer (a call to an external system). The forms inside stay
/// plain posts: without JavaScript they work the same, only without the busy view.
#[island]
pub fn BusyOnSubmit(
    /// What the page says meanwhile, in the page's language.
    message: String,
    children: Children,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    // Until the island has hydrated, a click is a plain post without the busy view.
    let ready = RwSignal::new(false);
    // Disabled a moment later: by then the browser has taken the form's fields, which it
    // would leave out once disabled.
    let on_submit = move |_| set_timeout(move || busy.set(true), Duration::ZERO);
    Effect::new(move |_| {
        ready.set(true);
        // Back through the history, the browser may restore the page as it was left.
        window_event_listener(leptos::ev::pageshow, move |_| busy.set(false));
    });
    view! {
        <div class="busy-area" data-testid="busy-area" data-ready=move || ready.get().then_some("true")
            on:submit=on_submit>
            {move || busy.get().then(|| view! {
                <p class="alert" role="status" aria-live="polite" data-testid="busy">{message.clone()}</p>
            })}
            <fieldset class="bare" disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
                {children()}
            </fieldset>
        </div>
    }
}
