//! The payment gateway simulator on its own: the hosted page, confirm, cancel, virtual
//! accounts with their deposit webhook, expiry, idempotency and faults.

use axum::http::StatusCode as AxumStatus;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::pg_sim::{router, Faults, Sim};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "test_sk";

fn auth() -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SECRET}:"))
    )
}

async fn start(webhook: Option<String>) -> (Sim, String) {
    let sim = Sim::new(SECRET, webhook, Faults::default())
        .with_timing(Duration::from_millis(500), Duration::from_millis(50));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(sim.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (sim, format!("http://{addr}"))
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// The shopper submits the hosted page; returns the query of the success redirect.
async fn pay(base: &str, order: &str, amount: i64, method: &str) -> Vec<(String, String)> {
    let form = [
        ("orderId", order.to_owned()),
        ("orderName", "머그컵 외 1건".to_owned()),
        ("amount", amount.to_string()),
        ("method", method.to_owned()),
        ("successUrl", "http://shop.test/pay/success".to_owned()),
        ("failUrl", "http://shop.test/pay/fail".to_owned()),
        ("action", "pay".to_owned()),
        ("company", "신한".to_owned()),
        ("number", "4330-1234-5678-9012".to_owned()),
        ("installment", "3".to_owned()),
    ];
    let res = client()
        .post(format!("{base}/pay"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("http://shop.test/pay/success?"), "{to}");
    url_query(&to)
}

fn url_query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn get<'a>(q: &'a [(String, String)], k: &str) -> &'a str {
    &q.iter().find(|(key, _)| key == k).unwrap().1
}

async fn post(base: &str, path: &str, body: Value, key: Option<&str>) -> (StatusCode, Value) {
    let mut req = client()
        .post(format!("{base}{path}"))
        .header("authorization", auth())
        .json(&body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_card_payment_is_confirmed_once_and_refunded_within_what_was_paid() {
    let (_sim, base) = start(None).await;
    let page = client()
        .get(format!(
            "{base}/pay?orderId=C-1&orderName=%EB%A8%B8%EA%B7%B8&amount=30000&method=CARD\
             &successUrl=http%3A%2F%2Fshop.test%2Fok&failUrl=http%3A%2F%2Fshop.test%2Fno"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("₩30,000"));

    let q = pay(&base, "C-1", 30_000, "CARD").await;
    let key = get(&q, "paymentKey").to_owned();
    assert_eq!(get(&q, "amount"), "30000");

    // A confirm whose amount differs is refused; the payment stays unconfirmed.
    let (status, body) = post(
        &base,
        "/v1/payments/confirm",
        json!({ "paymentKey": key, "orderId": "C-1", "amount": 1000 }),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // No secret key: refused.
    let res = client()
        .post(format!("{base}/v1/payments/confirm"))
        .json(&json!({ "paymentKey": key, "orderId": "C-1", "amount": 30000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let confirm = json!({ "paymentKey": key, "orderId": "C-1", "amount": 30000 });
    let (status, done) = post(&base, "/v1/payments/confirm", confirm.clone(), Some("k1")).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "DONE");
    assert_eq!(done["card"]["number"], "4330********9012");
    assert_eq!(done["card"]["installmentPlanMonths"], 3);
    // The same key replays the first answer; a new confirm is "already processed".
    let (status, again) = post(&base, "/v1/payments/confirm", confirm.clone(), Some("k1")).await;
    assert_eq!((status, &again), (StatusCode::OK, &done));
    let (status, body) = post(&base, "/v1/payments/confirm", confirm, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "ALREADY_PROCESSED_PAYMENT");

    let cancel = format!("/v1/payments/{key}/cancel");
    let (status, part) = post(
        &base,
        &cancel,
        json!({ "cancelReason": "부분 취소", "cancelAmount": 10000 }),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{part}");
    assert_eq!(
        (part["status"].as_str(), part["balanceAmount"].as_i64()),
        (Some("PARTIAL_CANCELED"), Some(20000))
    );
    let (status, body) = post(
        &base,
        &cancel,
        json!({ "cancelReason": "과다", "cancelAmount": 20001 }),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "NOT_CANCELABLE_AMOUNT");
    // No amount: the rest.
    let (_, all) = post(&base, &cancel, json!({ "cancelReason": "전체 취소" }), None).await;
    assert_eq!(all["status"], "CANCELED");
    assert_eq!(all["cancels"].as_array().unwrap().len(), 2);
    let refunded: i64 = all["cancels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["cancelAmount"].as_i64().unwrap())
        .sum();
    assert_eq!(refunded, 30_000);
}

#[tokio::test]
async fn the_shopper_can_cancel_on_the_page_and_unconfirmed_payments_expire() {
    let (sim, base) = start(None).await;
    let form = [
        ("orderId", "C-2"),
        ("orderName", "접시"),
        ("amount", "5000"),
        ("method", "CARD"),
        ("successUrl", "http://shop.test/ok"),
        ("failUrl", "http://shop.test/no"),
        ("action", "cancel"),
    ];
    let res = client()
        .post(format!("{base}/pay"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("http://shop.test/no?code=PAY_PROCESS_CANCELED"),
        "{to}"
    );

    let q = pay(&base, "C-3", 5000, "CARD").await;
    sim.age("C-3", chrono::Duration::minutes(11));
    let (status, body) = post(
        &base,
        "/v1/payments/confirm",
        json!({ "paymentKey": get(&q, "paymentKey"), "orderId": "C-3", "amount": 5000 }),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let res = client()
        .get(format!("{base}/v1/payments/orders/C-3"))
        .header("authorization", auth())
        .send()
        .await
        .unwrap();
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["status"], "EXPIRED");
}

#[tokio::test]
async fn a_deposit_sends_a_webhook_with_the_secret_until_it_is_answered() {
    // A receiver that refuses the first delivery.
    let hits = Arc::new(AtomicU32::new(0));
    let seen: Arc<std::sync::Mutex<Vec<Value>>> = Default::default();
    let receiver = {
        let (hits, seen) = (hits.clone(), seen.clone());
        axum::Router::new().route(
            "/hook",
            axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
                let (hits, seen) = (hits.clone(), seen.clone());
                async move {
                    seen.lock().unwrap().push(v);
                    if hits.fetch_add(1, Ordering::SeqCst) == 0 {
                        AxumStatus::INTERNAL_SERVER_ERROR
                    } else {
                        AxumStatus::OK
                    }
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let (sim, base) = start(Some(hook)).await;
    let q = pay(&base, "V-1", 42_000, "VIRTUAL_ACCOUNT").await;
    let (status, waiting) = post(
        &base,
        "/v1/payments/confirm",
        json!({ "paymentKey": get(&q, "paymentKey"), "orderId": "V-1", "amount": 42000 }),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{waiting}");
    assert_eq!(waiting["status"], "WAITING_FOR_DEPOSIT");
    assert!(
        waiting["virtualAccount"]["accountNumber"]
            .as_str()
            .unwrap()
            .len()
            >= 10
    );
    let secret = waiting["secret"].as_str().unwrap().to_owned();

    let res = client()
        .post(format!("{base}/control/deposit/V-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for _ in 0..100 {
        if hits.load(Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "retried once after the refusal"
    );
    let events = seen.lock().unwrap().clone();
    assert!(events
        .iter()
        .all(|e| e["eventType"] == "DEPOSIT_CALLBACK" && e["data"]["secret"] == secret.as_str()));
    assert_eq!(
        sim.payment_of_order("V-1").unwrap().status,
        server::pg_sim::Status::Done
    );
    // Nothing left to deposit.
    let res = client()
        .post(format!("{base}/control/deposit/V-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn faults_answer_like_a_gateway_in_trouble() {
    let (sim, base) = start(None).await;
    let q = pay(&base, "F-1", 1000, "CARD").await;
    let confirm = json!({ "paymentKey": get(&q, "paymentKey"), "orderId": "F-1", "amount": 1000 });
    sim.set_faults(Faults {
        down: true,
        ..Faults::default()
    });
    let (status, _) = post(&base, "/v1/payments/confirm", confirm.clone(), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    // A timeout: the payment is approved, the answer comes too late for a short client.
    sim.set_faults(Faults {
        timeout_rate: 1.0,
        only: Some("confirm".into()),
        ..Faults::default()
    });
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let res = quick
        .post(format!("{base}/v1/payments/confirm"))
        .header("authorization", auth())
        .json(&confirm)
        .send()
        .await;
    assert!(res.is_err(), "the answer is late");
    assert_eq!(
        sim.payment_of_order("F-1").unwrap().status,
        server::pg_sim::Status::Done
    );
}
