//! KOS simulator: a stand-in for the carrier's core system, which we do not own. The app
//! reaches it only over HTTP (`KOS_BASE_URL`). Faults can be switched at run time through
//! `/control/faults`, or from the environment at start.
//!
//! `server kos-sim --addr 127.0.0.1:3400`. Demo lines: `data::customers()`.

pub mod data;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const API_KEY_HEADER: &str = "x-kos-api-key";

/// Faults to inject, applied to every `/kos/v1` call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Added to every answer.
    pub latency_ms: u64,
    /// Share of calls answered 500 (0.0 – 1.0).
    pub error_rate: f64,
    /// Share of calls that never answer in time. A change is carried out first, then its
    /// answer is lost: the caller has to ask for the outcome.
    pub timeout_rate: f64,
    /// Every call is answered 503.
    pub down: bool,
    /// Limits the faults to one kind of call: `customer`, `products`, `change` or
    /// `change_status`. All calls when absent.
    pub only: Option<String>,
}

impl Faults {
    /// `KOS_SIM_LATENCY_MS`, `KOS_SIM_ERROR_RATE`, `KOS_SIM_TIMEOUT_RATE`, `KOS_SIM_DOWN`.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok();
        Self {
            latency_ms: var("KOS_SIM_LATENCY_MS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            error_rate: var("KOS_SIM_ERROR_RATE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0),
            timeout_rate: var("KOS_SIM_TIMEOUT_RATE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0),
            down: var("KOS_SIM_DOWN").is_some_and(|v| v == "1" || v == "true"),
            only: var("KOS_SIM_ONLY").filter(|v| !v.is_empty()),
        }
    }
}

/// A change KOS carried out or refused, kept so replays and status queries agree.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeRecord {
    request_id: String,
    line_number: String,
    result: &'static str,
    code: Option<&'static str>,
    message: Option<String>,
    product_code: String,
    transaction_id: Option<String>,
    processed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug)]
struct World {
    customers: HashMap<String, data::Customer>,
    changes: HashMap<String, ChangeRecord>,
    faults: Faults,
    /// Calls received per endpoint kind, so tests can tell whether KOS was called at all.
    calls: HashMap<&'static str, u64>,
}

#[derive(Clone, Debug)]
pub struct Sim {
    world: Arc<Mutex<World>>,
    api_key: Arc<str>,
    /// How long a "timed out" call hangs before answering.
    hang: Duration,
}

impl Sim {
    pub fn new(api_key: &str, faults: Faults) -> Self {
        Self {
            world: Arc::new(Mutex::new(World {
                customers: fresh_customers(),
                changes: HashMap::new(),
                faults,
                calls: HashMap::new(),
            })),
            api_key: api_key.into(),
            hang: Duration::from_secs(30),
        }
    }

    /// How long a "timed out" call hangs (30 s unless a test wants less).
    pub fn with_hang(mut self, hang: Duration) -> Self {
        self.hang = hang;
        self
    }

    pub fn set_faults(&self, faults: Faults) {
        self.world().faults = faults;
    }

    pub fn calls(&self, kind: &str) -> u64 {
        self.world().calls.get(kind).copied().unwrap_or(0)
    }

    pub fn plan_of(&self, line: &str) -> Option<String> {
        self.world()
            .customers
            .get(line)
            .map(|c| c.product_code.clone())
    }

    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn fresh_customers() -> HashMap<String, data::Customer> {
    data::customers()
        .into_iter()
        .map(|c| (c.line_number.clone(), c))
        .collect()
}

pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/kos/v1/customers/{line}", get(customer))
        .route("/kos/v1/products", get(products))
        .route("/kos/v1/product-changes", post(change))
        .route("/kos/v1/product-changes/{request_id}", get(change_status))
        .route("/control/faults", get(get_faults).put(put_faults))
        .route("/control/reset", post(reset))
        .route("/control/stats", get(stats))
        .route("/health", get(|| async { "ok" }))
        .route("/control/faults/down", put(put_down))
        .with_state(sim)
}

pub async fn serve(addr: &str, api_key: &str, faults: Faults) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(Sim::new(api_key, faults))).await
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

/// What the fault switches decide for this call.
enum Fate {
    Answer,
    Fail(Response),
    Hang,
}

/// Counts the call, checks the key, and rolls the fault dice.
async fn admit(sim: &Sim, headers: &HeaderMap, kind: &'static str) -> Fate {
    let faults = {
        let mut w = sim.world();
        *w.calls.entry(kind).or_default() += 1;
        w.faults.clone()
    };
    if faults.only.as_deref().is_some_and(|only| only != kind) {
        return check_key(sim, headers);
    }
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.down {
        return Fate::Fail(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "SYSTEM_DOWN",
            "KOS is down for maintenance",
        ));
    }
    if let Fate::Fail(r) = check_key(sim, headers) {
        return Fate::Fail(r);
    }
    let roll: f64 = rand::thread_rng().gen();
    if roll < faults.error_rate {
        return Fate::Fail(refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SYSTEM_ERROR",
            "internal error",
        ));
    }
    if roll < faults.error_rate + faults.timeout_rate {
        return Fate::Hang;
    }
    Fate::Answer
}

fn check_key(sim: &Sim, headers: &HeaderMap) -> Fate {
    if headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok()) != Some(&*sim.api_key) {
        return Fate::Fail(refuse(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "missing or wrong API key",
        ));
    }
    Fate::Answer
}

async fn customer(
    State(sim): State<Sim>,
    headers: HeaderMap,
    Path(line): Path<String>,
) -> Response {
    match admit(&sim, &headers, "customer").await {
        Fate::Fail(r) => return r,
        Fate::Hang => tokio::time::sleep(sim.hang).await,
        Fate::Answer => {}
    }
    let line: String = line.chars().filter(char::is_ascii_digit).collect();
    match sim.world().customers.get(&line) {
        Some(c) => Json(c).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "LINE_NOT_FOUND", "no such line"),
    }
}

async fn products(State(sim): State<Sim>, headers: HeaderMap) -> Response {
    match admit(&sim, &headers, "products").await {
        Fate::Fail(r) => return r,
        Fate::Hang => tokio::time::sleep(sim.hang).await,
        Fate::Answer => {}
    }
    Json(json!({ "products": data::plans() })).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangeRequest {
    request_id: String,
    line_number: String,
    customer_id: String,
    current_product_code: String,
    target_product_code: String,
}

async fn change(
    State(sim): State<Sim>,
    headers: HeaderMap,
    body: Option<Json<ChangeRequest>>,
) -> Response {
    let fate = admit(&sim, &headers, "change").await;
    if let Fate::Fail(r) = fate {
        return r;
    }
    let Some(Json(req)) = body else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "malformed change request",
        );
    };
    let record = apply_change(&sim, &req);
    if let Fate::Hang = fate {
        // Carried out, but the answer arrives too late.
        tokio::time::sleep(sim.hang).await;
    }
    change_response(&record)
}

/// Carries out (or refuses) a change once per request id; replays get the first outcome.
fn apply_change(sim: &Sim, req: &ChangeRequest) -> ChangeRecord {
    let mut w = sim.world();
    if let Some(done) = w.changes.get(&req.request_id) {
        return done.clone();
    }
    let plans = data::plans();
    let target = plans.iter().find(|p| p.code == req.target_product_code);
    let record =
        |result, code: Option<&'static str>, message: Option<&str>, product: &str| ChangeRecord {
            request_id: req.request_id.clone(),
            line_number: req.line_number.clone(),
            result,
            code,
            message: message.map(str::to_owned),
            product_code: product.to_owned(),
            transaction_id: (result == "COMPLETED")
                .then(|| format!("KOS-TX-{}", &req.request_id[..8.min(req.request_id.len())])),
            processed_at: chrono::Utc::now(),
        };
    let refused =
        |code, msg: &str, product: &str| record("REJECTED", Some(code), Some(msg), product);
    let outcome = match w.customers.get(&req.line_number) {
        None => refused("LINE_NOT_FOUND", "no such line", &req.current_product_code),
        Some(c) if c.customer_id != req.customer_id => refused(
            "CUSTOMER_MISMATCH",
            "the line belongs to another customer",
            &c.product_code,
        ),
        Some(c) if c.contract_status != "ACTIVE" => {
            refused("LINE_NOT_ACTIVE", "the line is not active", &c.product_code)
        }
        Some(c) if c.product_code != req.current_product_code => refused(
            "PLAN_MISMATCH",
            "the current plan has changed",
            &c.product_code,
        ),
        Some(c) => match target {
            None => refused("PRODUCT_NOT_FOUND", "no such plan", &c.product_code),
            Some(t) if !t.changeable => refused(
                "PRODUCT_CLOSED",
                "the plan is closed to new subscribers",
                &c.product_code,
            ),
            Some(t) if t.code == c.product_code => refused(
                "SAME_PRODUCT",
                "the line is already on this plan",
                &c.product_code,
            ),
            Some(t) if c.contract_locked && t.monthly_fee < fee_of(&plans, &c.product_code) => {
                refused(
                    "CONTRACT_DOWNGRADE",
                    "a line under a discount contract cannot move to a cheaper plan",
                    &c.product_code,
                )
            }
            Some(t) => record("COMPLETED", None, None, t.code),
        },
    };
    if outcome.result == "COMPLETED" {
        if let Some(c) = w.customers.get_mut(&req.line_number) {
            c.product_code = outcome.product_code.clone();
        }
    }
    w.changes.insert(req.request_id.clone(), outcome.clone());
    outcome
}

fn fee_of(plans: &[data::Plan], code: &str) -> i64 {
    plans
        .iter()
        .find(|p| p.code == code)
        .map_or(0, |p| p.monthly_fee)
}

fn change_response(record: &ChangeRecord) -> Response {
    let status = if record.result == "COMPLETED" {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, Json(record)).into_response()
}

async fn change_status(
    State(sim): State<Sim>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> Response {
    match admit(&sim, &headers, "change_status").await {
        Fate::Fail(r) => return r,
        Fate::Hang => tokio::time::sleep(sim.hang).await,
        Fate::Answer => {}
    }
    let found = sim.world().changes.get(&request_id).cloned();
    match found {
        // 200 either way: the query itself succeeded; `result` says what happened.
        Some(r) => Json(r).into_response(),
        None => refuse(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no change with this request id",
        ),
    }
}

async fn get_faults(State(sim): State<Sim>) -> Json<Faults> {
    Json(sim.world().faults.clone())
}

async fn put_faults(State(sim): State<Sim>, Json(faults): Json<Faults>) -> Json<Faults> {
    tracing::info!(?faults, "KOS simulator faults changed");
    sim.set_faults(faults.clone());
    Json(faults)
}

/// `PUT /control/faults/down` with `true`/`false`: the one switch the demo needs.
async fn put_down(State(sim): State<Sim>, Json(down): Json<bool>) -> Json<Faults> {
    let mut w = sim.world();
    w.faults.down = down;
    Json(w.faults.clone())
}

async fn reset(State(sim): State<Sim>) -> StatusCode {
    let mut w = sim.world();
    w.customers = fresh_customers();
    w.changes.clear();
    w.faults = Faults::default();
    w.calls.clear();
    StatusCode::NO_CONTENT
}

async fn stats(State(sim): State<Sim>) -> Json<Value> {
    Json(json!(sim.world().calls))
}
