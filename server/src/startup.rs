//! Building the state and the router; connecting to Postgres and Redis with clear failures.

use crate::config::Config;
use crate::http;
use app::platform::config::Configs;
use app::platform::redis::Redis;
use app::platform::state::{AppState, Settings};
use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_redis_store::RedisStore;

pub const SESSION_COOKIE: &str = "jangteo_sid";

/// A startup failure worth one clear line to the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot reach Postgres at {url}: {reason}. Start it or set DATABASE_URL (scripts/run.sh starts one for you).")]
    Postgres { url: String, reason: String },
    #[error("cannot reach Redis at {url}: {reason}. Start it or set REDIS_URL (scripts/run.sh starts one for you).")]
    Redis { url: String, reason: String },
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("{0}")]
    Other(String),
}

/// Hides the password part of a URL in messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub async fn connect_db(cfg: &Config) -> Result<sqlx::PgPool, StartupError> {
    app::platform::db::connect(&cfg.database_url, cfg.database_max_connections)
        .await
        .map_err(|e| StartupError::Postgres {
            url: redact(&cfg.database_url),
            reason: e.to_string(),
        })
}

pub async fn connect_redis(cfg: &Config) -> Result<Redis, StartupError> {
    let fut = Redis::connect(&cfg.redis_url, &cfg.redis_prefix, 8);
    match tokio::time::timeout(std::time::Duration::from_secs(5), fut).await {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(StartupError::Redis {
            url: redact(&cfg.redis_url),
            reason: e.to_string(),
        }),
        Err(_) => Err(StartupError::Redis {
            url: redact(&cfg.redis_url),
            reason: "timed out".into(),
        }),
    }
}

pub fn build_state(
    leptos_options: LeptosOptions,
    db: sqlx::PgPool,
    redis: Redis,
    cfg: &Config,
) -> AppState {
    app::platform::state::Shared {
        leptos_options,
        configs: Configs::new(db.clone(), redis.clone()),
        kos: app::plan_change::kos::Kos::new(db.clone(), &cfg.kos_settings()),
        pg: app::payment::pg::Pg::new(db.clone(), &cfg.pg_settings()),
        checkout_db: app::platform::db::side_pool(&db, cfg.checkout_concurrency),
        seat_feed: Default::default(),
        hold_desk: Default::default(),
        db,
        redis,
        settings: Arc::new(Settings {
            cookie_secure: cfg.cookie_secure,
            demo_password: cfg.demo_password.clone(),
            storage: app::media::Storage::new(
                cfg.storage_dir.clone(),
                cfg.max_upload_mb * 1024 * 1024,
            ),
            trusted_proxies: cfg.trusted_proxies.clone(),
            metrics_token: cfg.metrics_token.clone().filter(|t| !t.is_empty()),
        }),
    }
    .into()
}

/// Serves one app instance on `listener` until `shutdown` resolves. It starts everything an
/// instance runs (the config and local-cache listeners, and with `jobs_enabled` the periodic
/// jobs and the cache invalidator) before the router. `main` and the test harness both call
/// this, so a test exercises exactly what production runs.
pub async fn serve(
    state: AppState,
    cfg: &Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    // Stops the jobs and consumers when serving ends (or this future is dropped).
    let _background = start_background(&state, cfg).await;
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| StartupError::Other(e.to_string()))
}

/// The background tasks of one instance; dropping it stops them.
pub struct Background(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Background {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// The listeners, jobs and consumers of one instance.
pub async fn start_background(state: &AppState, cfg: &Config) -> Background {
    let mut tasks = Vec::new();
    if let Err(e) = state.configs.spawn_invalidation_listener().await {
        tracing::warn!(error = %e, "config invalidation listener not started");
    }
    // Without it, this instance's cached category tree lags by up to a minute.
    if let Err(e) = app::platform::cache::spawn_local_invalidation(&state.redis).await {
        tracing::warn!(error = %e, "local cache invalidation listener not started");
    }
    // Without it, a suspension or a revoked token counts here only after the cached copy ages.
    if let Err(e) = app::platform::principals::spawn_listener(&state.redis).await {
        tracing::warn!(error = %e, "account change listener not started");
    }
    // Without it, seat maps served here miss changes made through other instances.
    if let Err(e) = app::ticketing::live::spawn(&state.redis, state.seat_feed.clone()).await {
        tracing::warn!(error = %e, "seat change listener not started");
    }
    if cfg.jobs_enabled {
        let instance = instance_name();
        tasks.extend(app::platform::jobs::spawn_all(
            state.db.clone(),
            crate::jobs::all(state),
            instance.clone(),
        ));
        // Deletes shared cache entries when products, categories or stock change.
        tasks.push(crate::jobs::cache::spawn(state.clone(), instance));
    }
    Background(tasks)
}

/// Host, process and a random tag: unique even for several instances in one process (tests),
/// as consumer-group member names must be.
fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    format!("{host}:{}:{tag}", std::process::id())
}

/// The app's routes, listed once per process. Listing renders the app with a process-wide
/// Leptos flag set that leaves any resource created meanwhile pending for good, so a second
/// instance starting in the same process (tests) would hang a page another one renders.
fn route_list() -> &'static [leptos_axum::AxumRouteListing] {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// The whole HTTP surface: pages, server functions, REST v1, health checks and static files.
pub fn router(state: AppState) -> Router {
    http::metrics::init();
    let routes = route_list().to_vec();
    let store = RedisStore::new(state.redis.pool.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_secure(state.settings.cookie_secure)
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            app::platform::auth::SESSION_TTL_SECS,
        )));
    let ctx_state = state.clone();
    let context = move || {
        provide_context(ctx_state.clone());
        provide_context(app::platform::auth::RequestUser::default());
    };
    let options = state.leptos_options.clone();
    http::panic::prepare(&http::assets::stylesheet_href(&options));
    let app = Router::new()
        .merge(http::health::router())
        .merge(http::assets::router(&options))
        .merge(http::lang::router())
        .merge(http::uploads::router(&state))
        .merge(http::media::router(&state))
        .merge(crate::rest::router(state.clone()))
        .route("/metrics", axum::routing::get(http::metrics::scrape))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Tells `metrics::track` (outside the router) which route pattern answered.
        .route_layer(axum::middleware::from_fn(http::metrics::mark_route))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .with_state(state.clone());
    // The middleware wraps the router once, outermost first. `Router::layer` would wrap every
    // route in a boxed service per layer, and each request cloned that chain of boxes.
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(
            http::trace::REQUEST_ID,
            MakeRequestUuid,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(http::trace::make_span))
        .layer(axum::middleware::from_fn(http::metrics::track))
        .layer(PropagateRequestIdLayer::new(http::trace::REQUEST_ID))
        // Pages and JSON compressed on the fly with gzip at its fastest level. Brotli, even at
        // its fastest, costs several times more per response (it sets up a large window for
        // each one): with it the category page served 91 % of the baseline at p99 70 ms, with
        // gzip 134 % at p99 35 ms, for a page 1.5 % larger (docs/benchmarks.md, session 18).
        // The wasm, JS and CSS come precompressed (brotli too) from a release build and are
        // never compressed per request (a debug wasm is 15 MB).
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(tower_http::CompressionLevel::Fastest)
                .compress_when(http::assets::compress_on_the_fly()),
        )
        .layer(CatchPanicLayer::custom(http::panic::handle))
        .layer(axum::middleware::from_fn_with_state(
            http::headers::Https(state.settings.cookie_secure),
            http::headers::security_headers,
        ))
        .layer(axum::middleware::from_fn(http::csrf::guard))
        .layer(axum::middleware::from_fn(http::forms::refuse_nul))
        .layer(axum::middleware::from_fn(http::errors::localize_errors))
        .layer(axum::middleware::from_fn(http::errors::server_fn_status))
        .layer(axum::Extension(state))
        .layer(sessions)
        .service(app);
    Router::new().fallback_service(stack)
}
