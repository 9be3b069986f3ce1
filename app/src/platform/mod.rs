//! Cross-cutting pieces every context uses.

pub mod audit;
pub mod code;
pub mod codec;
pub mod config_kind;
pub mod cookies;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod id;
pub mod money;
pub mod notice;
pub mod once;
pub mod paths;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod client_ip;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod idempotency;
#[cfg(feature = "ssr")]
pub mod integration;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod local_cache;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod principals;
#[cfg(feature = "ssr")]
pub mod ratelimit;
#[cfg(feature = "ssr")]
pub mod redis;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(feature = "ssr")]
pub mod view_counts;
