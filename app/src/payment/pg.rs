//! The payment gateway client: typed calls over the platform's integration client, guarded by
//! the `PG_PAYMENT` breaker and logged to `payment_gateway_log` (secrets masked). Every
//! write carries an `Idempotency-Key`, so the gateway deduplicates it and it may be retried.

use crate::platform::integration::{
    Breakers, Call, CallError, CallRecord, CallSink, ClientConfig, IntegrationClient, Reply,
};
use base64::Engine;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub const BREAKER: &str = "PG_PAYMENT";

#[derive(Clone, Debug)]
pub struct PgSettings {
    /// The gateway's API.
    pub base_url: String,
    /// Where browsers go for the hosted page (the same host here; a real gateway's differs).
    pub public_url: String,
    pub secret_key: String,
    pub read_timeout: Duration,
    pub breaker_cache: Duration,
}

impl Default for PgSettings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:3500".into(),
            public_url: "http://127.0.0.1:3500".into(),
            secret_key: "test_sk_jangteo_demo".into(),
            read_timeout: Duration::from_secs(5),
            breaker_cache: Duration::from_secs(1),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Pg {
    pub client: IntegrationClient,
    pub public_url: String,
}

/// What the gateway said about a payment.
#[derive(Clone, Debug)]
pub enum PgAnswer {
    /// The payment as the gateway holds it (`status`, card, virtual account, cancels...).
    Payment(Value),
    /// A business refusal, with the gateway's code.
    Refused { code: String, body: Value },
}

struct LogSink(PgPool);

impl CallSink for LogSink {
    fn record(&self, r: CallRecord) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            let logged = sqlx::query(
                "INSERT INTO payment_gateway_log (request_id, kind, method, url, request_body,
                     response_status, response_body, error, duration_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(r.request_id.as_deref())
            .bind(r.kind)
            .bind(&r.method)
            .bind(&r.url)
            .bind(r.request_body.as_ref())
            .bind(r.status)
            .bind(r.response_body.as_ref())
            .bind(r.error.as_deref())
            .bind(r.elapsed_ms.unwrap_or(0))
            .execute(&self.0)
            .await;
            if let Err(e) = logged {
                tracing::error!(error = %e, "could not log a payment gateway call");
            }
        })
    }
}

impl Pg {
    pub fn new(db: PgPool, settings: &PgSettings) -> Self {
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{}:", settings.secret_key))
        );
        let mut config = ClientConfig::new(&settings.base_url);
        config.read_timeout = settings.read_timeout;
        config.headers = vec![("authorization".into(), auth)];
        let breakers = Breakers::new(db.clone(), settings.breaker_cache);
        Self {
            client: IntegrationClient::new(config, breakers, Arc::new(LogSink(db))),
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
        }
    }

    fn answer(reply: Reply) -> PgAnswer {
        if reply.is_success() {
            PgAnswer::Payment(reply.body)
        } else {
            let code = reply
                .body
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or("UNKNOWN")
                .to_owned();
            PgAnswer::Refused {
                code,
                body: reply.body,
            }
        }
    }

    /// Approves an authenticated payment. Keyed by the checkout, so a retry is the same call.
    pub async fn confirm(
        &self,
        payment_key: &str,
        order_id: &str,
        amount: i64,
    ) -> Result<PgAnswer, CallError> {
        let call = Call::post(
            BREAKER,
            "CONFIRM",
            "/v1/payments/confirm",
            json!({ "paymentKey": payment_key, "orderId": order_id, "amount": amount }),
        )
        .header("idempotency-key", format!("confirm-{order_id}"))
        .request_id(order_id);
        self.client.send(call).await.map(Self::answer)
    }

    /// Cancels `amount` (all that is left when `None`). `key` names this refund, so a retry
    /// never refunds twice.
    pub async fn cancel(
        &self,
        payment_key: &str,
        reason: &str,
        amount: Option<i64>,
        key: &str,
    ) -> Result<PgAnswer, CallError> {
        let mut body = json!({ "cancelReason": reason });
        if let Some(a) = amount {
            body["cancelAmount"] = json!(a);
        }
        let call = Call::post(
            BREAKER,
            "CANCEL",
            format!("/v1/payments/{payment_key}/cancel"),
            body,
        )
        .header("idempotency-key", key.to_owned())
        .request_id(key)
        .retry_safe();
        self.client.send(call).await.map(Self::answer)
    }

    /// The gateway's record of a checkout's payment, for reconciling.
    pub async fn by_order(&self, order_id: &str) -> Result<PgAnswer, CallError> {
        let call = Call::get(BREAKER, "GET", format!("/v1/payments/orders/{order_id}"))
            .request_id(order_id);
        self.client.send(call).await.map(Self::answer)
    }

    /// Whether the breaker would let a call through now.
    pub async fn open_for(&self) -> Option<Duration> {
        self.client.breakers.open_for(BREAKER).await.ok().flatten()
    }

    /// The hosted page's URL for one checkout; it sends the shopper back to `{site}{back}/success`
    /// or `/fail`.
    pub fn page_url(
        &self,
        order_id: &str,
        order_name: &str,
        amount: i64,
        method: super::GatewayMethod,
        site: &str,
        back: &str,
    ) -> String {
        let q = |s: &str| crate::ui::format::query_value(s);
        format!(
            "{}/pay?orderId={}&orderName={}&amount={amount}&method={}&successUrl={}&failUrl={}",
            self.public_url,
            q(order_id),
            q(order_name),
            method.pg_code(),
            q(&format!("{site}{back}/success")),
            q(&format!("{site}{back}/fail")),
        )
    }
}
