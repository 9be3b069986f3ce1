//! `ServerHtml`: a page region that the server renders to one string of markup.
//!
//! For regions that are plain links, text and GET forms (the storefront listing), this skips
//! building a view per element and writing it out element by element. The region is
//! rendered as `<div inner_html=…>`.

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
