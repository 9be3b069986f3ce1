//! The KOS client: typed calls over the platform's integration client, each guarded by its
//! own breaker (KOS_CUSTOMER, KOS_PRODUCT, KOS_CHANGE) and logged to
//! `pc_kos_integration_log`.

use super::{Plan, PlanChangeError};
use crate::platform::integration::{
    Breakers, Call, CallError, CallRecord, CallSink, ClientConfig, IntegrationClient, Reply,
};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub const CUSTOMER: &str = "KOS_CUSTOMER";
pub const PRODUCT: &str = "KOS_PRODUCT";
pub const CHANGE: &str = "KOS_CHANGE";
pub const BREAKERS: [&str; 3] = [CUSTOMER, PRODUCT, CHANGE];
pub const API_KEY_HEADER: &str = "x-kos-api-key";

#[derive(Clone, Debug)]
pub struct KosSettings {
    pub base_url: String,
    pub api_key: String,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// How stale this instance's copy of a breaker may be.
    pub breaker_cache: Duration,
}

impl Default for KosSettings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:3400".into(),
            api_key: "kos-demo-key".into(),
            connect_timeout: Duration::from_secs(2),
            read_timeout: Duration::from_secs(5),
            breaker_cache: Duration::from_secs(1),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Kos {
    pub client: IntegrationClient,
    read_timeout: Duration,
}

/// A KOS customer record.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub customer_id: String,
    pub line_number: String,
    pub customer_name: String,
    pub birth_date: String,
    pub product_code: String,
    pub contract_status: String,
    /// Under a discount contract: KOS refuses a move to a cheaper plan.
    pub contract_locked: bool,
}

/// What KOS says about a change.
#[derive(Clone, Debug)]
pub enum ChangeOutcome {
    Completed(Value),
    /// Refused for a business reason, with KOS's code.
    Rejected {
        code: String,
        body: Value,
    },
    /// Nothing was changed: KOS has no record of the request id, or refused the request
    /// itself (credentials, rate, malformed) rather than the change.
    NotExecuted(Value),
    /// An answer that does not say what happened; ask again later.
    Unclear(Value),
}

impl Kos {
    pub fn new(db: PgPool, s: &KosSettings) -> Self {
        let mut config = ClientConfig::new(s.base_url.clone());
        config.connect_timeout = s.connect_timeout;
        config.read_timeout = s.read_timeout;
        config.headers = vec![(API_KEY_HEADER.into(), s.api_key.clone())];
        let breakers = Breakers::new(db.clone(), s.breaker_cache);
        Self {
            client: IntegrationClient::new(config, breakers, Arc::new(KosLog { db })),
            read_timeout: s.read_timeout,
        }
    }

    /// How long after its last update a request may still have a KOS call in flight: a read
    /// with its retries, or the change call, plus a margin. Reconciliation waits this long.
    pub fn settle_after(&self) -> Duration {
        self.read_timeout * 4 + Duration::from_secs(10)
    }

    pub fn breakers(&self) -> &Breakers {
        &self.client.breakers
    }

    /// `None` if KOS has no such line.
    pub async fn customer(&self, line: &str) -> Result<Option<Customer>, PlanChangeError> {
        let reply = self
            .client
            .send(Call::get(
                CUSTOMER,
                "CUSTOMER_INFO",
                format!("/kos/v1/customers/{line}"),
            ))
            .await
            .map_err(busy)?;
        match reply.status {
            404 => Ok(None),
            _ => parse(ok(reply)?).map(Some),
        }
    }

    pub async fn plans(&self) -> Result<Vec<Plan>, PlanChangeError> {
        #[derive(Deserialize)]
        struct Products {
            products: Vec<Plan>,
        }
        let reply = self
            .client
            .send(Call::get(PRODUCT, "PRODUCT_INFO", "/kos/v1/products"))
            .await
            .map_err(busy)?;
        Ok(parse::<Products>(ok(reply)?)?.products)
    }

    /// Asks KOS to carry out a change. Never retried: the caller settles an unknown outcome
    /// by asking [`Kos::change_status`].
    pub async fn change(
        &self,
        request: &Value,
        request_id: &str,
    ) -> Result<(ChangeOutcome, Value), CallError> {
        let reply = self
            .client
            .send(
                Call::post(
                    CHANGE,
                    "PRODUCT_CHANGE",
                    "/kos/v1/product-changes",
                    request.clone(),
                )
                .request_id(request_id),
            )
            .await?;
        Ok((change_outcome(&reply), reply.body))
    }

    /// What KOS did with a change request (a read, so retried).
    pub async fn change_status(&self, request_id: &str) -> Result<ChangeOutcome, CallError> {
        let call = Call::get(
            CHANGE,
            "PRODUCT_CHANGE",
            format!("/kos/v1/product-changes/{request_id}"),
        )
        .request_id(request_id);
        let reply = self.client.send(call).await?;
        Ok(match (reply.status, result_of(&reply)) {
            (404, _) => ChangeOutcome::NotExecuted(reply.body),
            (200, Some("COMPLETED")) => ChangeOutcome::Completed(reply.body),
            (200, Some("REJECTED")) => rejected(reply.body),
            _ => ChangeOutcome::Unclear(reply.body),
        })
    }

    /// The longest time any KOS breaker will keep refusing calls, if one is open.
    pub async fn busy_for(&self) -> Result<Option<Duration>, PlanChangeError> {
        let mut longest = None;
        for b in BREAKERS {
            if let Some(d) = self
                .breakers()
                .open_for(b)
                .await
                .map_err(|e| PlanChangeError::BadReply(e.to_string()))?
            {
                longest = longest.max(Some(d));
            }
        }
        Ok(longest)
    }
}

fn result_of(reply: &Reply) -> Option<&str> {
    reply.body.get("result").and_then(Value::as_str)
}

fn rejected(body: Value) -> ChangeOutcome {
    let code = body
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or("REJECTED")
        .to_owned();
    ChangeOutcome::Rejected { code, body }
}

/// What the reply to a change POST says happened.
fn change_outcome(reply: &Reply) -> ChangeOutcome {
    let body = reply.body.clone();
    match (reply.status, result_of(reply)) {
        (200..=299, Some("COMPLETED")) => ChangeOutcome::Completed(body),
        (400..=499, Some("REJECTED")) => rejected(body),
        // Refused before KOS looked at the change (401, 403, 429, 400 …).
        (400..=499, _) => ChangeOutcome::NotExecuted(body),
        _ => ChangeOutcome::Unclear(body),
    }
}

/// A refused or failed read: the user is told to come back when the breaker may let calls
/// through again.
fn busy(e: CallError) -> PlanChangeError {
    let retry_after_secs = match &e {
        CallError::Open { retry_after, .. } => retry_after.as_secs().max(1),
        CallError::Store(err) => {
            tracing::error!(error = %err, "breaker store failed");
            60
        }
        _ => 60,
    };
    PlanChangeError::Busy { retry_after_secs }
}

fn ok(reply: Reply) -> Result<Value, PlanChangeError> {
    if reply.is_success() {
        Ok(reply.body)
    } else {
        Err(PlanChangeError::BadReply(format!(
            "HTTP {}: {}",
            reply.status, reply.body
        )))
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, PlanChangeError> {
    serde_json::from_value(v).map_err(|e| PlanChangeError::BadReply(e.to_string()))
}

/// Writes each call to `product_change.pc_kos_integration_log`.
pub struct KosLog {
    db: PgPool,
}

impl CallSink for KosLog {
    fn record(&self, r: CallRecord) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            let endpoint: String = r.url.chars().take(200).collect();
            let result = sqlx::query(
                "INSERT INTO product_change.pc_kos_integration_log
                     (request_id, integration_type, method, endpoint_url, request_headers, request_body,
                      response_status, response_headers, response_body, response_time_ms, is_success,
                      error_message, retry_count, circuit_breaker_state)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(&r.request_id)
            .bind(r.kind)
            .bind(&r.method)
            .bind(endpoint)
            .bind(&r.request_headers)
            .bind(&r.request_body)
            .bind(r.status)
            .bind(&r.response_headers)
            .bind(&r.response_body)
            .bind(r.elapsed_ms)
            .bind(r.success)
            .bind(&r.error)
            .bind(r.retries)
            .bind(r.breaker_state.as_str())
            .execute(&self.db)
            .await;
            if let Err(e) = result {
                tracing::error!(error = %e, kind = r.kind, "could not write the KOS integration log");
            }
        })
    }
}

/// The change request body KOS expects.
pub fn change_request(
    request_id: &str,
    line: &str,
    customer_id: &str,
    current: &str,
    target: &str,
) -> Value {
    json!({
        "requestId": request_id,
        "lineNumber": line,
        "customerId": customer_id,
        "currentProductCode": current,
        "targetProductCode": target,
    })
}
