//! The app shell, layout and pages that belong to no single context.

pub mod app;
pub mod charts;
pub mod components;
pub mod format;
pub mod islands;
pub mod layout;
pub mod pages;
pub mod server_html;
