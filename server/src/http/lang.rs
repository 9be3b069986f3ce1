//! `POST /lang`: remembers the chosen language in a cookie and goes back to the page.

use app::platform::i18n::{Locale, LANG_COOKIE};
use app::platform::paths::safe_next;
use app::platform::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/lang", post(set_lang))
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
    next: Option<String>,
}

async fn set_lang(State(state): State<AppState>, Form(form): Form<LangForm>) -> Response {
    let Some(locale) = Locale::parse(&form.lang) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "unsupported language").into_response();
    };
    let cookie = app::platform::cookies::set(
        LANG_COOKIE,
        locale.code(),
        31_536_000,
        false,
        state.settings.cookie_secure,
    );
    let next = safe_next(form.next.as_deref());
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let (Ok(c), Ok(l)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(next)) {
        res.headers_mut().insert(header::SET_COOKIE, c);
        res.headers_mut().insert(header::LOCATION, l);
    }
    res
}
