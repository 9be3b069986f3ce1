//! Uploaded files (seed 000 `files`): checking, storing and thumbnailing images. Products use
//! it now; reviews and notices will attach files the same way (`reference_type`).

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod image;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod strip;

#[cfg(feature = "ssr")]
pub use error::MediaError;
#[cfg(feature = "ssr")]
pub use storage::{Storage, StoredFile};

/// Public URL prefix under which stored files are served.
pub const URL_PREFIX: &str = "/media";
/// What the upload field accepts (checked again on the server by content, not by name).
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp,image/gif";
