//! An HTTP client for external systems: timeouts, a circuit breaker per service, retries for
//! idempotent reads only, and one log record per call with secrets masked.

use super::breaker::{BreakerError, Breakers, State, Ticket};
use super::{mask_body, mask_headers, CallRecord, CallSink};
use rand::Rng;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: String,
    pub connect_timeout: Duration,
    /// Whole-response limit for one attempt.
    pub read_timeout: Duration,
    /// Extra attempts for idempotent calls.
    pub max_retries: u32,
    /// First backoff; doubled per retry, with up to 50 % jitter either way.
    pub backoff: Duration,
    /// Headers sent with every call (an API key, say); logged masked.
    pub headers: Vec<(String, String)>,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            connect_timeout: Duration::from_secs(2),
            read_timeout: Duration::from_secs(5),
            max_retries: 2,
            backoff: Duration::from_millis(100),
            headers: Vec::new(),
        }
    }
}

/// One call to make.
#[derive(Clone, Debug)]
pub struct Call {
    /// The breaker that guards it (`KOS_CUSTOMER`, …).
    pub breaker: &'static str,
    /// What the log calls it (`CUSTOMER_INFO`, …).
    pub kind: &'static str,
    pub method: reqwest::Method,
    pub path: String,
    pub body: Option<Value>,
    /// The business request it belongs to, for the log.
    pub request_id: Option<String>,
    /// Safe to repeat: reads, or writes the other side deduplicates. Only these are retried.
    pub idempotent: bool,
    /// Overrides the client's read timeout for this call.
    pub timeout: Option<Duration>,
    /// Headers of this call alone (an `Idempotency-Key`, say); logged masked.
    pub headers: Vec<(String, String)>,
}

impl Call {
    pub fn get(breaker: &'static str, kind: &'static str, path: impl Into<String>) -> Self {
        Self {
            breaker,
            kind,
            method: reqwest::Method::GET,
            path: path.into(),
            body: None,
            request_id: None,
            idempotent: true,
            timeout: None,
            headers: Vec::new(),
        }
    }

    pub fn post(
        breaker: &'static str,
        kind: &'static str,
        path: impl Into<String>,
        body: Value,
    ) -> Self {
        Self {
            method: reqwest::Method::POST,
            body: Some(body),
            idempotent: false,
            ..Self::get(breaker, kind, path)
        }
    }

    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The other side deduplicates it (an `Idempotency-Key`), so it may be retried.
    pub fn retry_safe(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

/// The other side answered (any status).
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// Refused without calling: the breaker is open.
    #[error("{service} unavailable (circuit open)")]
    Open {
        service: String,
        retry_after: Duration,
    },
    /// No answer in time. For a write, the other side may or may not have acted.
    #[error("timed out")]
    Timeout,
    #[error("could not connect: {0}")]
    Connect(String),
    /// The service failed (5xx).
    #[error("server error {0}")]
    Server(u16),
    #[error("breaker store: {0}")]
    Store(#[from] sqlx::Error),
}

impl CallError {
    /// True when a write may have reached the other side: its outcome must be asked for.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, CallError::Timeout | CallError::Server(_))
    }
}

impl From<BreakerError> for CallError {
    fn from(e: BreakerError) -> Self {
        match e {
            BreakerError::Open {
                service,
                retry_after,
            } => CallError::Open {
                service,
                retry_after,
            },
            BreakerError::Unknown(s) => {
                CallError::Store(sqlx::Error::Protocol(format!("unknown breaker {s}")))
            }
            BreakerError::Db(e) => CallError::Store(e),
        }
    }
}

#[derive(Clone)]
pub struct IntegrationClient {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    pub breakers: Breakers,
    sink: Arc<dyn CallSink>,
}

impl std::fmt::Debug for IntegrationClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntegrationClient")
            .field("base_url", &self.config.base_url)
            .finish()
    }
}

/// What one attempt produced.
enum Attempt {
    Answered {
        status: u16,
        headers: Value,
        body: Value,
    },
    Failed(CallError),
}

impl IntegrationClient {
    pub fn new(config: ClientConfig, breakers: Breakers, sink: Arc<dyn CallSink>) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.read_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .expect("HTTP client with rustls");
        Self {
            http,
            config: Arc::new(config),
            breakers,
            sink,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Makes the call through its breaker. `Ok` means the other side answered, with any
    /// status below 500; the caller reads business refusals from the reply.
    pub async fn send(&self, call: Call) -> Result<Reply, CallError> {
        let url = format!("{}{}", self.config.base_url, call.path);
        let started = Instant::now();
        let mut retries = 0u32;
        let mut last_state = State::Closed;
        let mut previous: Option<Attempt> = None;
        let outcome = loop {
            let ticket: Ticket = match self.breakers.admit(call.breaker).await {
                Ok(t) => t,
                // A retry the breaker refuses: the last real attempt is the outcome.
                Err(_) if previous.is_some() => break previous.take().expect("checked"),
                // Refused without a call. Logged with the breaker's state and no response
                // time, so the console shows what users ran into.
                Err(e) => {
                    if let BreakerError::Open { .. } = e {
                        last_state = State::Open;
                    }
                    break Attempt::Failed(e.into());
                }
            };
            last_state = ticket.state;
            let attempt = self.attempt(&call, &url).await;
            let healthy = match &attempt {
                Attempt::Answered { status, .. } => healthy_status(*status),
                Attempt::Failed(_) => false,
            };
            // The call was made: a breaker-store failure must not hide its outcome.
            if let Err(e) = self.breakers.record(&ticket, healthy).await {
                tracing::error!(breaker = call.breaker, error = %e, "could not record a call on its breaker");
            }
            if healthy || !call.idempotent || retries >= self.config.max_retries {
                break attempt;
            }
            previous = Some(attempt);
            retries += 1;
            tokio::time::sleep(self.backoff(retries)).await;
        };
        let elapsed = started.elapsed().as_millis().min(i32::MAX as u128) as i32;
        let mut record = CallRecord {
            request_id: call.request_id.clone(),
            kind: call.kind,
            method: call.method.as_str().to_owned(),
            url: url.clone(),
            request_headers: mask_headers(
                self.config
                    .headers
                    .iter()
                    .chain(&call.headers)
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            ),
            request_body: call.body.as_ref().map(mask_body),
            status: None,
            response_headers: None,
            response_body: None,
            elapsed_ms: Some(elapsed),
            success: false,
            error: None,
            retries: retries as i32,
            breaker_state: last_state,
        };
        let result = match outcome {
            Attempt::Answered {
                status,
                headers,
                body,
            } => {
                record.status = Some(status as i32);
                record.response_headers = Some(headers);
                record.response_body = Some(mask_body(&body));
                record.success = healthy_status(status);
                if status >= 500 {
                    record.error = Some(format!("HTTP {status}"));
                    Err(CallError::Server(status))
                } else {
                    if status >= 400 {
                        record.error = body
                            .get("message")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                            .or_else(|| Some(format!("HTTP {status}")));
                    }
                    Ok(Reply { status, body })
                }
            }
            Attempt::Failed(e) => {
                record.error = Some(e.to_string());
                if retries == 0 && matches!(e, CallError::Open { .. }) {
                    record.elapsed_ms = None;
                }
                Err(e)
            }
        };
        self.sink.record(record).await;
        result
    }

    async fn attempt(&self, call: &Call, url: &str) -> Attempt {
        let mut req = self.http.request(call.method.clone(), url);
        for (k, v) in self.config.headers.iter().chain(&call.headers) {
            req = req.header(k, v);
        }
        if let Some(t) = call.timeout {
            req = req.timeout(t);
        }
        if let Some(body) = &call.body {
            req = req.json(body);
        }
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Failed(classify(e)),
        };
        let status = res.status().as_u16();
        let headers = mask_headers(
            res.headers()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?))),
        );
        match res.bytes().await {
            Ok(bytes) => Attempt::Answered {
                status,
                headers,
                body: serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                    Value::String(String::from_utf8_lossy(&bytes).into_owned())
                }),
            },
            Err(e) => Attempt::Failed(classify(e)),
        }
    }

    fn backoff(&self, retry: u32) -> Duration {
        let base = self.config.backoff.as_millis() as f64 * 2f64.powi(retry as i32 - 1);
        let jitter = rand::thread_rng().gen_range(0.5..1.5);
        Duration::from_millis((base * jitter) as u64)
    }
}

/// Whether an answer shows the other side working. A business refusal (400, 404, 409, 422)
/// does; a server error, or refusing our credentials or our rate, does not.
fn healthy_status(status: u16) -> bool {
    status < 500 && !matches!(status, 401 | 403 | 408 | 429)
}

fn classify(e: reqwest::Error) -> CallError {
    if e.is_timeout() {
        CallError::Timeout
    } else if e.is_connect() {
        CallError::Connect(e.to_string())
    } else {
        // The connection broke mid-request: like a timeout, the outcome is unknown.
        CallError::Timeout
    }
}
