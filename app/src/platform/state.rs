//! Shared application state, available to axum handlers (`State`), to server functions
//! (`use_context` / request extensions) and to background jobs.

use crate::platform::config::Configs;
use crate::platform::redis::Redis;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Runtime switches that come from the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Mark cookies `Secure` (on behind HTTPS).
    pub cookie_secure: bool,
    /// Password for the demo accounts created by `seed --demo`.
    pub demo_password: String,
    /// Uploaded files: the folder and the size limit.
    pub storage: crate::media::Storage,
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<crate::platform::client_ip::Cidr>,
    /// What `/metrics` asks for as a bearer token (`METRICS_TOKEN`); `None` turns it off.
    pub metrics_token: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cookie_secure: false,
            demo_password: "jangteo-demo".into(),
            storage: crate::media::Storage::new("storage", 10 << 20),
            trusted_proxies: Vec::new(),
            metrics_token: None,
        }
    }
}

/// Cheap to clone: one reference count. Axum and Leptos clone the state many times per
/// request (every route service holds a copy and is cloned per call), so the fields live
/// behind one `Arc` rather than each being cloned.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: PgPool,
    /// A few connections of their own for writing checkouts (`ordering::service::place`).
    pub checkout_db: PgPool,
    pub redis: Redis,
    pub configs: Configs,
    pub settings: Arc<Settings>,
    /// The carrier's core system, through its circuit breakers.
    pub kos: crate::plan_change::kos::Kos,
    /// The payment gateway, through its circuit breaker.
    pub pg: crate::payment::pg::Pg,
    /// The browsers watching seat maps on this instance.
    pub seat_feed: crate::ticketing::live::SeatFeed,
    /// This instance's hold writer: holds that arrive together share one transaction.
    pub hold_desk: crate::ticketing::service::HoldDesk,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl From<Shared> for AppState {
    fn from(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

/// Leptos' handlers take their options from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The state of the current request, inside a server function or a component.
    pub fn current() -> Result<Self, crate::platform::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            crate::platform::error::AppError::internal("AppState missing from context")
        })
    }
}
