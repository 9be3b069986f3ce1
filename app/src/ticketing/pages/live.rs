//! The live seat map: with JavaScript, the map's checkboxes follow the seat changes the
//! server streams (Server-Sent Events), so a seat someone else takes turns unavailable
//! without a reload. Without JavaScript the map is as it was when the page was sent.

use leptos::prelude::*;

/// Listens to `/api/v1/concerts/{concert}/seats/events` and updates the seats in the page.
/// `labels` are the status texts in the page's language, by status code.
#[island]
pub fn LiveSeatMap(
    concert: String,
    labels: Vec<(String, String)>,
    live_text: String,
) -> impl IntoView {
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(target_arch = "wasm32")]
        wasm::connect(&concert, labels.clone(), live);
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (&concert, &labels);
    });
    view! {
        <p class="live-status muted small" role="status" data-testid="live-status"
            data-live=move || live.get().then_some("true")>
            {move || live.get().then(|| live_text.clone())}
        </p>
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;

    #[derive(serde::Deserialize)]
    struct Change {
        id: i64,
        status: String,
    }

    #[derive(serde::Deserialize)]
    struct Event {
        seats: Vec<Change>,
    }

    pub fn connect(concert: &str, labels: Vec<(String, String)>, live: RwSignal<bool>) {
        let url = format!("/api/v1/concerts/{concert}/seats/events");
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                let Ok(event) = serde_json::from_str::<Event>(&text) else {
                    return;
                };
                for seat in event.seats {
                    update(seat.id, &seat.status, &labels);
                }
                live.set(true);
            });
        for name in ["snapshot", "seats"] {
            let _ =
                source.add_event_listener_with_callback(name, on_message.as_ref().unchecked_ref());
        }
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.set(false));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Both live as long as the page: the browser reconnects the source by itself.
        on_message.forget();
        on_error.forget();
        std::mem::forget(source);
    }

    fn update(id: i64, status: &str, labels: &[(String, String)]) {
        let Some(input) = document()
            .get_element_by_id(&format!("seat-{id}"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let free = status == "AVAILABLE";
        input.set_disabled(!free);
        if !free {
            input.set_checked(false);
        }
        let text = labels
            .iter()
            .find(|(code, _)| code == status)
            .map(|(_, t)| t.as_str())
            .unwrap_or(status);
        if let Some(base) = input.get_attribute("data-base") {
            let _ = input.set_attribute("aria-label", &format!("{base}, {text}"));
        }
        if let Some(seat) = input.parent_element() {
            let classes = seat.class_list();
            let _ = classes.remove_4("available", "held", "sold", "blocked");
            let state = match status {
                "AVAILABLE" => "available",
                "TEMPORARILY_RESERVED" => "held",
                "RESERVED" => "sold",
                _ => "blocked",
            };
            let _ = classes.add_1(state);
        }
    }
}

/// The time left on a hold, counting down each second; at zero the page reloads, so it shows
/// the hold as run out. Without JavaScript the page says until when the seats are held.
#[island]
pub fn HoldCountdown(
    /// Seconds left when the page was made.
    seconds: i64,
    /// "(남은 시간 {m}:{s})" in the page's language.
    template: String,
) -> impl IntoView {
    let left = RwSignal::new(seconds.max(0));
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let now = left.get_untracked() - 1;
                left.set(now.max(0));
                if now == 0 {
                    #[cfg(target_arch = "wasm32")]
                    let _ = window().location().reload();
                }
            },
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    view! {
        <span class="countdown" role="timer" aria-live="off" data-testid="countdown">
            {move || {
                let s = left.get();
                template.replace("{m}", &(s / 60).to_string()).replace("{s}", &format!("{:02}", s % 60))
            }}
        </span>
    }
}

/// My place in the waiting room, live: follows `/api/v1/concerts/{concert}/queue/events` and
/// goes to the seats when I am admitted (or back to the concert if I am out). Without
/// JavaScript the page refreshes itself instead.
#[island]
pub fn LiveQueue(
    concert: String,
    /// People ahead of me when the page was made.
    ahead: i64,
    minutes: i64,
    /// "내 앞에 {n}명", "곧 입장합니다" and "예상 대기 시간 약 {m}분" in the page's language.
    ahead_template: String,
    next_text: String,
    eta_template: String,
) -> impl IntoView {
    let place = RwSignal::new((ahead, minutes));
    Effect::new(move |_| {
        #[cfg(target_arch = "wasm32")]
        wasm_queue::connect(&concert, place);
        #[cfg(not(target_arch = "wasm32"))]
        let _ = &concert;
    });
    view! {
        <p class="queue-position" data-testid="queue-position">
            {move || {
                let (ahead, _) = place.get();
                if ahead <= 0 {
                    next_text.clone()
                } else {
                    ahead_template.replace("{n}", &ahead.to_string())
                }
            }}
        </p>
        <p data-testid="queue-eta">
            {move || eta_template.replace("{m}", &place.get().1.to_string())}
        </p>
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm_queue {
    use crate::ticketing::Place;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::JsCast;

    pub fn connect(concert: &str, place: RwSignal<(i64, i64)>) {
        let url = format!("/api/v1/concerts/{concert}/queue/events");
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let concert = concert.to_owned();
        let closer = source.clone();
        let on_place =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let Some(text) = ev.data().as_string() else {
                    return;
                };
                match serde_json::from_str::<Place>(&text) {
                    Ok(Place::Waiting {
                        position,
                        ahead_minutes,
                    }) => place.set((position - 1, ahead_minutes)),
                    Ok(Place::Admitted { .. }) | Ok(Place::Out) => {
                        closer.close();
                        let _ = window().location().assign(&format!("/tickets/{concert}"));
                    }
                    // Still in the pre-queue, or an unknown message: the page stays as it is.
                    _ => {}
                }
            });
        let _ = source.add_event_listener_with_callback("place", on_place.as_ref().unchecked_ref());
        // Lives as long as the page: the browser reconnects the source by itself.
        on_place.forget();
        std::mem::forget(source);
    }
}
