//! Prometheus `/metrics`: request counts and latency per route and status (recorded by a
//! middleware), and, read at scrape time, the Postgres pool, Redis health, job runs and
//! failures, breaker states and the outbox backlog and lag.
//!
//! Not public: it answers only with `Authorization: Bearer $METRICS_TOKEN`, and is a 404
//! when no token is set.

use app::platform::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// One recorder per process (test processes start many instances; they share it).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                metrics_exporter_prometheus::Matcher::Full("http_request_duration_seconds".into()),
                &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
            )
            .expect("valid buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder set first (a test harness): ours still renders what it records.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Installs the recorder; call once at startup.
pub fn init() {
    handle();
}

/// The route pattern that answered, carried out to `track` on the response.
#[derive(Clone)]
struct Route(MatchedPath);

/// Inside the router (a route layer): puts the matched pattern on the response.
pub async fn mark_route(req: Request, next: Next) -> Response {
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let mut res = next.run(req).await;
    if let Some(m) = matched {
        res.extensions_mut().insert(Route(m));
    }
    res
}

/// Counts and times every request under its route pattern (`/p/{slug}`, not the slug);
/// what no route matched (the file and 404 fallback) is `unmatched`.
pub async fn track(req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<Route>()
        .map(|r| r.0.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}

pub async fn scrape(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = state.settings.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let allowed = given.is_some_and(|g| {
        use subtle::ConstantTimeEq;
        g.as_bytes().ct_eq(token.as_bytes()).into()
    });
    if !allowed {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    }
    if let Err(e) = sample(&state).await {
        tracing::warn!(error = %e, "metrics: database gauges not read");
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
        .into_response()
}

/// The gauges read at scrape time.
async fn sample(state: &AppState) -> Result<(), sqlx::Error> {
    metrics::gauge!("db_pool_connections").set(state.db.size() as f64);
    metrics::gauge!("db_pool_idle_connections").set(state.db.num_idle() as f64);
    let redis_up = tokio::time::timeout(std::time::Duration::from_secs(1), state.redis.ping())
        .await
        .is_ok_and(|r| r.is_ok());
    metrics::gauge!("redis_up").set(if redis_up { 1.0 } else { 0.0 });

    let jobs: Vec<(String, i64, i64, bool)> =
        sqlx::query_as("SELECT name, run_count, error_count, last_status = 'error' FROM job_runs")
            .fetch_all(&state.db)
            .await?;
    for (name, runs, errors, failing) in jobs {
        metrics::gauge!("job_runs", "job" => name.clone()).set(runs as f64);
        metrics::gauge!("job_failures", "job" => name.clone()).set(errors as f64);
        metrics::gauge!("job_last_run_failed", "job" => name).set(if failing { 1.0 } else { 0.0 });
    }
    let breakers: Vec<(String, String)> =
        sqlx::query_as("SELECT service_name, state FROM product_change.pc_circuit_breaker_state")
            .fetch_all(&state.db)
            .await?;
    for (service, s) in breakers {
        // 0 closed, 1 half-open, 2 open.
        let v = match s.as_str() {
            "CLOSED" => 0.0,
            "HALF_OPEN" => 1.0,
            _ => 2.0,
        };
        metrics::gauge!("breaker_state", "service" => service).set(v);
    }
    let (backlog, lag): (i64, f64) = sqlx::query_as(
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
         FROM outbox_events WHERE status = 'PENDING'",
    )
    .fetch_one(&state.db)
    .await?;
    metrics::gauge!("outbox_backlog").set(backlog as f64);
    metrics::gauge!("outbox_lag_seconds").set(lag);
    Ok(())
}
