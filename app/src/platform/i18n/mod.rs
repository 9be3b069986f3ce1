//! The one i18n layer. Every user-facing string is a `Msg` with a Korean and an English text.
//!
//! Korean is the default. The server picks the locale from the `lang` cookie, then the
//! `Accept-Language` header, and renders `<html lang>`; islands get their text as props.

mod messages;

pub use messages::Msg;
use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ko" | "ko-kr" => Some(Locale::Ko),
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            _ => None,
        }
    }

    /// Cookie first, then the first supported language in Accept-Language (by q-value), then Korean.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(found) = cookie_header
            .and_then(|c| crate::platform::cookies::values(c, LANG_COOKIE).find_map(Locale::parse))
        {
            return found;
        }
        let mut best: Option<(f32, Locale)> = None;
        for part in accept_language.unwrap_or_default().split(',') {
            let mut bits = part.trim().split(';');
            let tag = bits.next().unwrap_or_default();
            let primary = tag.split('-').next().unwrap_or_default();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                .unwrap_or(1.0_f32);
            if let Some(loc) = Locale::parse(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, loc));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        let get = |name| {
            headers
                .get(name)
                .and_then(|v: &http::HeaderValue| v.to_str().ok())
        };
        Self::negotiate(
            get(http::header::COOKIE),
            get(http::header::ACCEPT_LANGUAGE),
        )
    }
}

/// The active locale, available as context in every component.
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// The locale of the request being served on the server: the app's context while a page
/// renders, else the request's own headers (a server function called from the browser).
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    use leptos::prelude::use_context;
    use_context::<Locale>()
        .or_else(|| use_context::<http::request::Parts>().map(|p| Locale::from_headers(&p.headers)))
        .unwrap_or_default()
}

/// Shorthand used in views: `t(Msg::NavShop)`.
pub fn t(msg: Msg) -> &'static str {
    msg.text(use_locale())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_header_and_korean_is_default() {
        assert_eq!(Locale::negotiate(None, None), Locale::Ko);
        assert_eq!(Locale::negotiate(None, Some("en-US,en;q=0.9")), Locale::En);
        assert_eq!(
            Locale::negotiate(Some("a=b; lang=ko"), Some("en-US,en;q=0.9")),
            Locale::Ko
        );
        assert_eq!(
            Locale::negotiate(None, Some("fr-FR, en;q=0.5, ko;q=0.8")),
            Locale::Ko
        );
        assert_eq!(Locale::negotiate(None, Some("fr-FR")), Locale::Ko);
    }

    #[test]
    fn every_message_has_both_languages() {
        for m in Msg::ALL {
            assert!(!m.text(Locale::Ko).is_empty(), "{m:?} ko");
            assert!(!m.text(Locale::En).is_empty(), "{m:?} en");
        }
    }
}
