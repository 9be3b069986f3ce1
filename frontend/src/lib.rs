//! Browser entry point. Pages are rendered on the server; the islands script calls
//! `hydrate` once the wasm is loaded, then hydrates each `<leptos-island>` through the
//! exports `#[island]` generates in the app crate.

// Links the app crate, whose `#[island]` exports the islands script looks up by name.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
