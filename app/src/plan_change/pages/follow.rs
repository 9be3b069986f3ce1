use crate::plan_change::api::change_status;
use leptos::prelude::*;
use std::time::Duration;

/// How often the page asks about a change KOS has not settled.
const EVERY: Duration = Duration::from_secs(2);

/// With JavaScript, a change KOS has not settled yet is asked about until it is; then the
/// page is shown again, with the result and the new plan. Without, the page says the result
/// will follow and a reload shows it.
#[island]
pub fn FollowChange(request_id: uuid::Uuid) -> impl IntoView {
    Effect::new(move |_| ask_later(request_id));
}

fn ask_later(request_id: uuid::Uuid) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                match change_status(request_id).await {
                    Ok(status) if status.is_final() => reload(),
                    // Not settled, or the answer was lost on the way: ask again.
                    _ => ask_later(request_id),
                }
            })
        },
        EVERY,
    );
}

fn reload() {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = window().location().reload();
    }
}
