//! Payment gateway simulator, after Toss Payments: a stand-in for the card company and bank
//! side, which we do not own. The app reaches it only over HTTP (`PG_BASE_URL`), and the
//! shopper's browser visits its hosted payment page.
//!
//! - `GET /pay?...` shows the hosted page (card company, number, installments; or the bank
//!   for a virtual account); submitting it sends the browser back to `successUrl` with
//!   `paymentKey`, `orderId` and `amount`, and "취소" to `failUrl` with
//!   `code=PAY_PROCESS_CANCELED`.
//! - `POST /v1/payments/confirm` (Basic auth with the secret key) approves it; a confirm whose
//!   amount or order id differs is refused; unconfirmed payments expire after 10 minutes.
//! - `POST /v1/payments/{paymentKey}/cancel` cancels all or part, keeping `cancels[]`.
//! - `GET /v1/payments/{paymentKey}` and `GET /v1/payments/orders/{orderId}` for reconciling.
//! - Virtual accounts wait for a deposit (`POST /control/deposit/{orderId}` makes one), which
//!   sends a `DEPOSIT_CALLBACK` webhook carrying the payment's `secret`, retried with backoff
//!   until it is answered 200.
//! - `Idempotency-Key` on the POSTs; faults like the KOS simulator's (`PUT /control/faults`).
//!
//! `server pg-sim --addr 127.0.0.1:3500`.

mod page;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::Engine;
use chrono::{DateTime, Duration as Span, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long an authenticated payment waits for its confirm.
pub const CONFIRM_WITHIN_MINUTES: i64 = 10;
/// How long a virtual account waits for its deposit.
pub const DEPOSIT_WITHIN_HOURS: i64 = 24;

/// Faults to inject, applied to every `/v1` call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    pub latency_ms: u64,
    /// Share of calls answered 500 (0.0 – 1.0).
    pub error_rate: f64,
    /// Share of calls whose answer never arrives in time; the work is done first.
    pub timeout_rate: f64,
    /// Every call is answered 503.
    pub down: bool,
    /// Limits the faults to one kind of call: `confirm`, `cancel` or `get`.
    pub only: Option<String>,
}

impl Faults {
    /// `PG_SIM_LATENCY_MS`, `PG_SIM_ERROR_RATE`, `PG_SIM_TIMEOUT_RATE`, `PG_SIM_DOWN`.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok();
        Self {
            latency_ms: var("PG_SIM_LATENCY_MS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            error_rate: var("PG_SIM_ERROR_RATE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0),
            timeout_rate: var("PG_SIM_TIMEOUT_RATE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0),
            down: var("PG_SIM_DOWN").is_some_and(|v| v == "1" || v == "true"),
            only: var("PG_SIM_ONLY").filter(|v| !v.is_empty()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Ready,
    InProgress,
    WaitingForDeposit,
    Done,
    Canceled,
    PartialCanceled,
    Aborted,
    Expired,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    pub company: String,
    /// Masked: the first 6 and last 4 digits are never both shown in full.
    pub number: String,
    pub installment_plan_months: u32,
    pub approve_no: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualAccount {
    pub account_number: String,
    pub bank: String,
    pub customer_name: String,
    pub due_date: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cancel {
    pub transaction_key: String,
    pub cancel_amount: i64,
    pub cancel_reason: String,
    pub canceled_at: DateTime<Utc>,
    pub refundable_amount: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub payment_key: String,
    pub order_id: String,
    pub order_name: String,
    /// 카드, 가상계좌 or 계좌이체.
    pub method: String,
    pub status: Status,
    pub total_amount: i64,
    pub balance_amount: i64,
    pub requested_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub card: Option<Card>,
    pub virtual_account: Option<VirtualAccount>,
    /// Sent with the deposit webhook, so the receiver can tell it is ours.
    pub secret: Option<String>,
    pub cancels: Vec<Cancel>,
    #[serde(skip)]
    confirmed: bool,
}

#[derive(Debug, Default)]
struct World {
    payments: HashMap<String, Payment>,
    by_order: HashMap<String, String>,
    /// Idempotency-Key → (status, body) of the first answer.
    replies: HashMap<String, (u16, Value)>,
    faults: Faults,
    calls: HashMap<&'static str, u64>,
    /// Deliveries of each webhook, answered or not, for tests.
    webhook_attempts: u64,
    /// Where deposit callbacks go (the app's `/api/v1/webhooks/pg`).
    webhook_url: Option<String>,
}

#[derive(Clone)]
pub struct Sim {
    world: Arc<Mutex<World>>,
    secret_key: Arc<str>,
    http: reqwest::Client,
    hang: Duration,
    /// First webhook retry delay; doubled on each retry.
    backoff: Duration,
}

impl Sim {
    pub fn new(secret_key: &str, webhook_url: Option<String>, faults: Faults) -> Self {
        Self {
            world: Arc::new(Mutex::new(World {
                faults,
                webhook_url,
                ..World::default()
            })),
            secret_key: secret_key.into(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("HTTP client"),
            hang: Duration::from_secs(30),
            backoff: Duration::from_secs(1),
        }
    }

    /// Test knobs: how long a "timed out" call hangs and the first webhook retry delay.
    pub fn with_timing(mut self, hang: Duration, backoff: Duration) -> Self {
        self.hang = hang;
        self.backoff = backoff;
        self
    }

    /// Where deposit callbacks go from now on.
    pub fn set_webhook_url(&self, url: &str) {
        self.world().webhook_url = Some(url.to_owned());
    }

    pub fn set_faults(&self, faults: Faults) {
        self.world().faults = faults;
    }

    pub fn calls(&self, kind: &str) -> u64 {
        self.world().calls.get(kind).copied().unwrap_or(0)
    }

    pub fn webhook_attempts(&self) -> u64 {
        self.world().webhook_attempts
    }

    pub fn payment_of_order(&self, order_id: &str) -> Option<Payment> {
        let w = self.world();
        w.by_order
            .get(order_id)
            .and_then(|k| w.payments.get(k))
            .cloned()
    }

    /// Moves an authenticated or waiting payment's clock back, as if time had passed.
    pub fn age(&self, order_id: &str, by: Span) {
        let mut w = self.world();
        if let Some(key) = w.by_order.get(order_id).cloned() {
            if let Some(p) = w.payments.get_mut(&key) {
                p.requested_at -= by;
                if let Some(va) = p.virtual_account.as_mut() {
                    va.due_date -= by;
                }
            }
        }
    }

    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn router(sim: Sim) -> Router {
    Router::new()
        .route("/pay", get(page::show).post(page::submit))
        .route("/v1/payments/confirm", post(confirm))
        .route("/v1/payments/{key}/cancel", post(cancel))
        .route("/v1/payments/{key}", get(get_payment))
        .route("/v1/payments/orders/{order_id}", get(get_by_order))
        .route("/control/faults", get(get_faults).put(put_faults))
        .route("/control/faults/down", put(put_down))
        .route("/control/deposit/{order_id}", post(deposit))
        .route("/control/reset", post(reset))
        .route("/control/stats", get(stats))
        .route("/health", get(|| async { "ok" }))
        .with_state(sim)
}

pub async fn serve(
    addr: &str,
    secret_key: &str,
    webhook_url: Option<String>,
    faults: Faults,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(Sim::new(secret_key, webhook_url, faults))).await
}

pub(crate) fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

enum Fate {
    Answer,
    Fail(Response),
    Hang,
}

async fn admit(sim: &Sim, headers: &HeaderMap, kind: &'static str) -> Fate {
    let faults = {
        let mut w = sim.world();
        *w.calls.entry(kind).or_default() += 1;
        w.faults.clone()
    };
    if !authorized(sim, headers) {
        return Fate::Fail(refuse(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED_KEY",
            "missing or wrong secret key",
        ));
    }
    if faults.only.as_deref().is_some_and(|only| only != kind) {
        return Fate::Answer;
    }
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.down {
        return Fate::Fail(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "PROVIDER_ERROR",
            "the payment network is down",
        ));
    }
    let roll: f64 = rand::thread_rng().gen();
    if roll < faults.error_rate {
        return Fate::Fail(refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "FAILED_INTERNAL_SYSTEM_PROCESSING",
            "internal error",
        ));
    }
    if roll < faults.error_rate + faults.timeout_rate {
        return Fate::Hang;
    }
    Fate::Answer
}

/// `Authorization: Basic base64("{secretKey}:")`, as Toss takes it.
fn authorized(sim: &Sim, headers: &HeaderMap) -> bool {
    let want = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:", sim.secret_key))
    );
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(want.as_str())
}

/// Answers a replayed `Idempotency-Key` with the first answer, or runs `work` and keeps its.
fn idempotent(
    sim: &Sim,
    headers: &HeaderMap,
    scope: &str,
    work: impl FnOnce(&mut World) -> (u16, Value),
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{scope}:{k}"));
    let mut w = sim.world();
    if let Some((status, body)) = key.as_ref().and_then(|k| w.replies.get(k)).cloned() {
        return reply(status, body);
    }
    let (status, body) = work(&mut w);
    if let Some(k) = key {
        w.replies.insert(k, (status, body.clone()));
    }
    reply(status, body)
}

fn reply(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        Json(body),
    )
        .into_response()
}

fn error_body(code: &str, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

/// An authenticated payment not confirmed in time, or a virtual account past its due date,
/// has expired; checked whenever the payment is touched.
fn expire_if_due(p: &mut Payment, now: DateTime<Utc>) {
    let late = match p.status {
        Status::InProgress | Status::Ready => {
            now - p.requested_at > Span::minutes(CONFIRM_WITHIN_MINUTES)
        }
        Status::WaitingForDeposit => p
            .virtual_account
            .as_ref()
            .is_some_and(|va| now > va.due_date),
        _ => false,
    };
    if late {
        p.status = Status::Expired;
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfirmRequest {
    payment_key: String,
    order_id: String,
    amount: i64,
}

async fn confirm(
    State(sim): State<Sim>,
    headers: HeaderMap,
    body: Option<Json<ConfirmRequest>>,
) -> Response {
    let fate = admit(&sim, &headers, "confirm").await;
    if let Fate::Fail(r) = fate {
        return r;
    }
    let Some(Json(req)) = body else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "malformed confirm",
        );
    };
    let answer = idempotent(&sim, &headers, "confirm", |w| {
        let now = Utc::now();
        let Some(p) = w.payments.get_mut(&req.payment_key) else {
            return (404, error_body("NOT_FOUND_PAYMENT", "no such payment"));
        };
        expire_if_due(p, now);
        if p.order_id != req.order_id || p.total_amount != req.amount {
            return (
                400,
                error_body(
                    "INVALID_REQUEST",
                    "the amount or order id does not match the payment",
                ),
            );
        }
        match p.status {
            Status::InProgress => {}
            Status::Expired => {
                return (
                    403,
                    error_body("NOT_AVAILABLE_PAYMENT", "the payment has expired"),
                )
            }
            _ if p.confirmed => {
                return (
                    400,
                    error_body(
                        "ALREADY_PROCESSED_PAYMENT",
                        "the payment was already confirmed",
                    ),
                )
            }
            _ => {
                return (
                    403,
                    error_body("NOT_AVAILABLE_PAYMENT", "the payment cannot be confirmed"),
                )
            }
        }
        p.confirmed = true;
        if p.method == "가상계좌" {
            p.status = Status::WaitingForDeposit;
            p.virtual_account = Some(VirtualAccount {
                account_number: format!(
                    "{:014}",
                    rand::thread_rng().gen_range(0..99_999_999_999_999u64)
                ),
                bank: "신한".into(),
                customer_name: "장터".into(),
                due_date: now + Span::hours(DEPOSIT_WITHIN_HOURS),
            });
            p.secret = Some(format!("ps_{}", uuid::Uuid::new_v4().simple()));
        } else {
            p.status = Status::Done;
            p.approved_at = Some(now);
            if let Some(card) = p.card.as_mut() {
                card.approve_no = Some(format!(
                    "{:08}",
                    rand::thread_rng().gen_range(0..100_000_000u32)
                ));
            }
        }
        (200, json!(p))
    });
    if let Fate::Hang = fate {
        // Approved, but the answer arrives too late: the caller must ask for the outcome.
        tokio::time::sleep(sim.hang).await;
    }
    answer
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CancelRequest {
    cancel_reason: String,
    cancel_amount: Option<i64>,
}

async fn cancel(
    State(sim): State<Sim>,
    headers: HeaderMap,
    Path(key): Path<String>,
    body: Option<Json<CancelRequest>>,
) -> Response {
    let fate = admit(&sim, &headers, "cancel").await;
    if let Fate::Fail(r) = fate {
        return r;
    }
    let Some(Json(req)) = body else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "malformed cancel",
        );
    };
    let answer = idempotent(&sim, &headers, &format!("cancel:{key}"), |w| {
        let Some(p) = w.payments.get_mut(&key) else {
            return (404, error_body("NOT_FOUND_PAYMENT", "no such payment"));
        };
        expire_if_due(p, Utc::now());
        if !matches!(
            p.status,
            Status::Done | Status::PartialCanceled | Status::WaitingForDeposit
        ) {
            return (
                403,
                error_body("NOT_CANCELABLE_PAYMENT", "the payment cannot be cancelled"),
            );
        }
        let amount = req.cancel_amount.unwrap_or(p.balance_amount);
        if amount <= 0 || amount > p.balance_amount {
            return (
                403,
                error_body(
                    "NOT_CANCELABLE_AMOUNT",
                    "more than is left to refund, or nothing",
                ),
            );
        }
        p.balance_amount -= amount;
        p.cancels.push(Cancel {
            transaction_key: format!("tx_{}", uuid::Uuid::new_v4().simple()),
            cancel_amount: amount,
            cancel_reason: req.cancel_reason.chars().take(200).collect(),
            canceled_at: Utc::now(),
            refundable_amount: p.balance_amount,
        });
        p.status = if p.balance_amount == 0 {
            Status::Canceled
        } else {
            Status::PartialCanceled
        };
        (200, json!(p))
    });
    if let Fate::Hang = fate {
        tokio::time::sleep(sim.hang).await;
    }
    answer
}

/// The payment as the gateway holds it now (an overdue one expires on the way).
fn current(w: &mut World, key: &str) -> Response {
    match w.payments.get_mut(key) {
        Some(p) => {
            expire_if_due(p, Utc::now());
            Json(json!(p)).into_response()
        }
        None => refuse(
            StatusCode::NOT_FOUND,
            "NOT_FOUND_PAYMENT",
            "no such payment",
        ),
    }
}

async fn get_payment(
    State(sim): State<Sim>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Response {
    match admit(&sim, &headers, "get").await {
        Fate::Fail(r) => return r,
        Fate::Hang => tokio::time::sleep(sim.hang).await,
        Fate::Answer => {}
    }
    current(&mut sim.world(), &key)
}

async fn get_by_order(
    State(sim): State<Sim>,
    headers: HeaderMap,
    Path(order_id): Path<String>,
) -> Response {
    match admit(&sim, &headers, "get").await {
        Fate::Fail(r) => return r,
        Fate::Hang => tokio::time::sleep(sim.hang).await,
        Fate::Answer => {}
    }
    let mut w = sim.world();
    let Some(key) = w.by_order.get(&order_id).cloned() else {
        return refuse(
            StatusCode::NOT_FOUND,
            "NOT_FOUND_PAYMENT",
            "no payment for this order",
        );
    };
    current(&mut w, &key)
}

/// "Deposit now" for a waiting virtual account: the payment is done and the webhook goes out.
async fn deposit(State(sim): State<Sim>, Path(order_id): Path<String>) -> Response {
    let event = {
        let mut w = sim.world();
        let Some(key) = w.by_order.get(&order_id).cloned() else {
            return refuse(
                StatusCode::NOT_FOUND,
                "NOT_FOUND_PAYMENT",
                "no payment for this order",
            );
        };
        let Some(p) = w.payments.get_mut(&key) else {
            return refuse(
                StatusCode::NOT_FOUND,
                "NOT_FOUND_PAYMENT",
                "no such payment",
            );
        };
        expire_if_due(p, Utc::now());
        if p.status != Status::WaitingForDeposit {
            return refuse(
                StatusCode::CONFLICT,
                "NOT_WAITING_FOR_DEPOSIT",
                "nothing to deposit",
            );
        }
        p.status = Status::Done;
        p.approved_at = Some(Utc::now());
        json!({
            "eventType": "DEPOSIT_CALLBACK",
            "createdAt": Utc::now(),
            "data": { "paymentKey": p.payment_key, "orderId": p.order_id, "status": "DONE",
                      "secret": p.secret, "transactionKey": format!("tx_{}", uuid::Uuid::new_v4().simple()) },
        })
    };
    let url = sim.world().webhook_url.clone();
    if let Some(url) = url {
        tokio::spawn(deliver(sim.clone(), url.into(), event));
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Sends a webhook until it is answered 200: 1 s, 2 s, 4 s, ... apart, at most 8 times.
async fn deliver(sim: Sim, url: Arc<str>, event: Value) {
    let mut wait = sim.backoff;
    for attempt in 1..=8 {
        sim.world().webhook_attempts += 1;
        match sim.http.post(&*url).json(&event).send().await {
            Ok(r) if r.status() == reqwest::StatusCode::OK => return,
            Ok(r) => tracing::warn!(attempt, status = %r.status(), "PG webhook refused; retrying"),
            Err(e) => tracing::warn!(attempt, error = %e, "PG webhook failed; retrying"),
        }
        tokio::time::sleep(wait).await;
        wait *= 2;
    }
    tracing::error!(%url, "PG webhook given up after 8 attempts");
}

async fn get_faults(State(sim): State<Sim>) -> Json<Faults> {
    Json(sim.world().faults.clone())
}

async fn put_faults(State(sim): State<Sim>, Json(faults): Json<Faults>) -> Json<Faults> {
    tracing::info!(?faults, "PG simulator faults changed");
    sim.set_faults(faults.clone());
    Json(faults)
}

async fn put_down(State(sim): State<Sim>, Json(down): Json<bool>) -> Json<Faults> {
    let mut w = sim.world();
    w.faults.down = down;
    Json(w.faults.clone())
}

async fn reset(State(sim): State<Sim>) -> StatusCode {
    let mut w = sim.world();
    let webhook_url = w.webhook_url.take();
    *w = World {
        webhook_url,
        ..World::default()
    };
    StatusCode::NO_CONTENT
}

async fn stats(State(sim): State<Sim>) -> Json<Value> {
    let w = sim.world();
    Json(json!({ "calls": w.calls, "webhookAttempts": w.webhook_attempts }))
}

/// Creates an authenticated payment from the hosted page (`page::submit`).
pub(crate) fn authenticate(sim: &Sim, order: page::Checkout, card: Option<Card>) -> Payment {
    let mut w = sim.world();
    // The same order paid again from the page: the first authentication stands.
    if let Some(existing) = w
        .by_order
        .get(&order.order_id)
        .and_then(|k| w.payments.get(k))
    {
        return existing.clone();
    }
    let p = Payment {
        payment_key: format!("pk_{}", uuid::Uuid::new_v4().simple()),
        order_id: order.order_id.clone(),
        method: order.method_label().into(),
        order_name: order.order_name,
        status: Status::InProgress,
        total_amount: order.amount,
        balance_amount: order.amount,
        requested_at: Utc::now(),
        approved_at: None,
        card,
        virtual_account: None,
        secret: None,
        cancels: Vec::new(),
        confirmed: false,
    };
    w.by_order.insert(p.order_id.clone(), p.payment_key.clone());
    w.payments.insert(p.payment_key.clone(), p.clone());
    p
}
