//! HTTP plumbing shared by pages, server functions and REST.

pub mod assets;
pub mod csrf;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod health;
pub mod lang;
pub mod media;
pub mod metrics;
pub mod panic;
pub mod trace;
pub mod uploads;
