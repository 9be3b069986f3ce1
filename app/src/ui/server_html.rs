//! `ServerHtml`: a page region that the server renders to one string of markup.
//!
//! For regions that are plain links, text and GET forms (the storefront listing), this skips
//! two costs of a hydrated view:
//! - building a view per element, and writing it out element by element;
//! - carrying the region's data a second time, in the page's hydration data.
//!
//! The region is rendered as `<div inner_html=…>`. Hydration keeps the server's nodes (tachys
//! does not re-apply `inner_html` when hydrating), so the page carries only the title for the
//! browser ([`TitleOnly`]). Client-side navigation calls the server function, which returns the
//! whole string, and the region is replaced.

use crate::platform::codec::{Base64Json, CodecError};
use crate::platform::error::AppError;
use codee::{Decoder, Encoder};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerHtml {
    /// For `<title>`, which the browser sets itself.
    pub title: String,
    /// Escaped markup, written with `maud`. Shared, not copied: the resource
    /// hands out clones, and `inner_html` takes an `Arc<str>` as it is.
    pub html: Arc<str>,
}

/// The resource codec for a `ServerHtml`: the hydration data holds the title (or the error),
/// not the markup that is already in the page.
pub struct TitleOnly;

type Loaded = Result<ServerHtml, AppError>;

impl Encoder<Loaded> for TitleOnly {
    type Error = CodecError;
    type Encoded = String;

    fn encode(val: &Loaded) -> Result<String, Self::Error> {
        let title: Result<&str, &AppError> = val.as_ref().map(|v| v.title.as_str());
        Base64Json::encode(&title)
    }
}

impl Decoder<Loaded> for TitleOnly {
    type Error = CodecError;
    type Encoded = str;

    fn decode(val: &str) -> Result<Loaded, Self::Error> {
        let title: Result<String, AppError> = Base64Json::decode(val)?;
        Ok(title.map(|title| ServerHtml {
            title,
            html: Arc::default(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hydration_data_carries_the_title_and_errors_but_not_the_markup() {
        let page: Loaded = Ok(ServerHtml {
            title: "패션".into(),
            html: "<ul><li>every card</li></ul>".into(),
        });
        let encoded = TitleOnly::encode(&page).unwrap();
        assert!(encoded.len() < 40, "{encoded}");
        let back = TitleOnly::decode(&encoded).unwrap().unwrap();
        assert_eq!((back.title.as_str(), &*back.html), ("패션", ""));

        let missing: Loaded = Err(AppError::NotFound);
        let back = TitleOnly::decode(&TitleOnly::encode(&missing).unwrap()).unwrap();
        assert!(matches!(back, Err(AppError::NotFound)), "{back:?}");
    }
}
