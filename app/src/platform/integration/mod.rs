//! Calls to external systems (the carrier's KOS now, a payment gateway later): an HTTP client
//! with timeouts and retries, circuit breakers shared through Postgres, and a log of every
//! call. The context that owns an integration decides where its calls are logged
//! ([`CallSink`]).

pub mod breaker;
pub mod client;

pub use breaker::{BreakerError, BreakerRow, Breakers, State};
pub use client::{Call, CallError, ClientConfig, IntegrationClient, Reply};

use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;

/// One call as logged: what was sent, what came back, how long it took.
#[derive(Clone, Debug)]
pub struct CallRecord {
    pub request_id: Option<String>,
    pub kind: &'static str,
    pub method: String,
    pub url: String,
    pub request_headers: Value,
    pub request_body: Option<Value>,
    pub status: Option<i32>,
    pub response_headers: Option<Value>,
    pub response_body: Option<Value>,
    /// `None` when the breaker refused the call (nothing was sent).
    pub elapsed_ms: Option<i32>,
    /// The other side answered below 500 (a business refusal counts as an answer).
    pub success: bool,
    pub error: Option<String>,
    pub retries: i32,
    pub breaker_state: State,
}

/// Where an integration's call records go. Logging must never fail the call, so `record`
/// reports its own errors to the log.
pub trait CallSink: Send + Sync {
    fn record(&self, record: CallRecord) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Header names whose values never reach a log.
const SECRET_HEADERS: [&str; 6] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-kos-api-key",
];

/// Headers as a JSON object, with secret values replaced by `***`.
pub fn mask_headers<'a>(headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    let mut map = Map::new();
    for (k, v) in headers {
        let k = k.to_ascii_lowercase();
        let secret =
            SECRET_HEADERS.contains(&k.as_str()) || k.contains("token") || k.contains("secret");
        let v = if secret { "***" } else { v };
        map.insert(k, Value::String(v.to_owned()));
    }
    Value::Object(map)
}

/// Masks secret and personal fields inside a JSON body: passwords, keys, tokens, secrets,
/// authorization and birth dates become `***`; a `customerName` keeps its first and last
/// letters.
pub fn mask_body(body: &Value) -> Value {
    match body {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let lower = k.to_ascii_lowercase();
                    let secret = [
                        "password",
                        "token",
                        "secret",
                        "key",
                        "authorization",
                        "birth",
                    ]
                    .iter()
                    .any(|s| lower.contains(s));
                    let v = match v {
                        _ if secret => Value::String("***".into()),
                        Value::String(name) if lower == "customername" => {
                            Value::String(mask_name(name))
                        }
                        other => mask_body(other),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(mask_body).collect()),
        other => other.clone(),
    }
}

/// 김민준 → 김*준; 이서 → 이*.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 | 1 => name.to_owned(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_in_headers_and_bodies() {
        let h = mask_headers([
            ("X-KOS-Api-Key", "k-123"),
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer abc"),
            ("X-Session-Token", "t"),
        ]);
        assert_eq!(h["x-kos-api-key"], "***");
        assert_eq!(h["authorization"], "***");
        assert_eq!(h["x-session-token"], "***");
        assert_eq!(h["content-type"], "application/json");
        let b = mask_body(&json!({
            "line": "010", "auth": {"accessToken": "x", "password": "p"}, "list": [{"secret": 1}],
            "birthDate": "810211", "customerName": "김민준", "apiKey": "k", "name": "5G 슬림"
        }));
        assert_eq!(
            b,
            json!({
                "line": "010", "auth": {"accessToken": "***", "password": "***"}, "list": [{"secret": "***"}],
                "birthDate": "***", "customerName": "김*준", "apiKey": "***", "name": "5G 슬림"
            })
        );
    }
}
