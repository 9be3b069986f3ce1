//! Paying through the gateway simulator, end to end over HTTP: the hosted page, the success
//! page's confirm, virtual accounts and their webhook, refunds, outages and the late cases.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::pg_sim::{Faults, Sim};
use sqlx::PgPool;
use std::time::Duration;

struct Shop {
    app: TestApp,
    sim: Sim,
    pg: String,
    product: TestProduct,
    address: String,
}

async fn shop(db: PgPool, stock: i32) -> Shop {
    shop_with(db, stock, config()).await
}

async fn shop_with(db: PgPool, stock: i32, mut cfg: server::config::Config) -> Shop {
    let (sim, pg) = start_pg().await;
    cfg.pg_base_url = pg.clone();
    let app = TestApp::spawn_with(db.clone(), cfg).await;
    sim.set_webhook_url(&format!("{}/api/v1/webhooks/pg", app.base));
    let product = app.product(&app.seller, "머그컵", stock, true).await;
    let user = app.customer.user_id.unwrap();
    let address: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address, is_default)
         VALUES ($1, '김장터', '010-1234-5678', '04524', '서울 중구 세종대로 110', TRUE) RETURNING id",
    )
    .bind(user)
    .fetch_one(&db)
    .await
    .unwrap();
    app::wallet::service::grant(&db, user, rust_decimal::Decimal::from(5_000), "t", "test")
        .await
        .unwrap();
    Shop {
        app,
        sim,
        pg,
        product,
        address: address.to_string(),
    }
}

impl Shop {
    async fn add_to_cart(&self, quantity: i32) {
        let res = self
            .app
            .customer
            .post_json(
                "/api/v1/cart/items",
                &json!({ "variantId": self.product.variant, "quantity": quantity }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }

    /// REST checkout; returns (status, body).
    async fn checkout(&self, method: &str, points: i64) -> (StatusCode, Value) {
        let body =
            json!({ "addressId": self.address, "points": points.to_string(), "method": method });
        json_of(self.app.customer.post_json("/api/v1/checkout", &body).await).await
    }

    /// The shopper pays on the gateway's page; returns the app path it sends them back to.
    async fn pay_on_gateway(&self, redirect_url: &str) -> String {
        self.leave_gateway(
            redirect_url,
            &[
                ("action", "pay"),
                ("number", "4330123412341234"),
                ("installment", "0"),
            ],
        )
        .await
    }

    /// Submits the gateway's page for the checkout in `redirect_url` with `fields`; returns
    /// the app path it sends the shopper back to.
    async fn leave_gateway(&self, redirect_url: &str, fields: &[(&str, &str)]) -> String {
        let mut form: Vec<(String, String)> = query_of(redirect_url).into_iter().collect();
        form.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let res = raw_client()
            .post(format!("{}/pay", self.pg))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let back = res.headers()["location"].to_str().unwrap().to_owned();
        back.strip_prefix(&self.app.base)
            .expect("back to this site")
            .to_owned()
    }

    async fn order_status(&self, number: &str) -> String {
        let (_, o) = self
            .app
            .customer
            .get_json(&format!("/api/v1/orders/{number}"))
            .await;
        o["order"]["status"].as_str().unwrap_or_default().to_owned()
    }

    async fn stock(&self) -> (i32, i32) {
        let l = app::inventory::service::level(&self.app.db, self.product.sku)
            .await
            .unwrap();
        (l.stock, l.reserved)
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn card_payment_with_points_confirms_once_and_refunds_both_parts(db: PgPool) {
    let s = shop(db.clone(), 5).await;
    s.add_to_cart(1).await;
    // ₩10,000 + ₩3,000 shipping: 5,000 in points, 8,000 by card.
    let (status, placed) = s.checkout("CARD", 5_000).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(
        (placed["status"].as_str(), placed["amount_due"].as_str()),
        (Some("PENDING"), Some("8000"))
    );
    let number = placed["order_numbers"][0].as_str().unwrap().to_owned();
    assert_eq!(s.order_status(&number).await, "payment_waiting");
    assert_eq!(s.stock().await, (5, 1), "held while the shopper pays");
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    assert!(back.starts_with("/checkout/success?paymentKey="), "{back}");

    let (status, html) = s.app.customer.page(&back).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("결제가 완료되었습니다"),
        "the success page says it is paid"
    );
    // A refresh of the success page does not confirm again.
    let (_, again) = s.app.customer.page(&back).await;
    assert!(again.contains("결제가 완료되었습니다"));
    assert_eq!(s.sim.calls("confirm"), 1);
    assert_eq!(s.order_status(&number).await, "paid");
    assert_eq!(s.stock().await, (4, 0));
    let (_, cart) = s.app.customer.get_json("/api/v1/cart").await;
    assert_eq!(cart["line_count"], 0, "the cart empties once paid");
    let (_, order) = s
        .app
        .customer
        .get_json(&format!("/api/v1/orders/{number}"))
        .await;
    assert_eq!(order["payment"]["status"], "completed");
    assert_eq!(order["payment"]["card_number"], "4330********1234");

    // Cancelling refunds 8,000 to the card and 5,000 to points.
    let (status, c) = json_of(
        s.app
            .customer
            .post_json(&format!("/api/v1/orders/{number}/cancel"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["refunded"], "13000");
    let p = s
        .sim
        .payment_of_order(placed["checkout_id"].as_str().unwrap())
        .unwrap();
    assert_eq!(p.status, server::pg_sim::Status::Canceled);
    assert_eq!(
        p.cancels.iter().map(|c| c.cancel_amount).sum::<i64>(),
        8_000
    );
    let (_, b) = s.app.customer.get_json("/api/v1/balance").await;
    assert_eq!(b["balance"], "5000");
    let sums: (rust_decimal::Decimal, rust_decimal::Decimal) =
        sqlx::query_as("SELECT SUM(points_amount), SUM(gateway_amount) FROM refunds")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(sums, (5_000.into(), 8_000.into()));
    assert_eq!(s.stock().await, (5, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_virtual_account_is_paid_by_the_deposit_webhook_once(db: PgPool) {
    let s = shop(db.clone(), 5).await;
    s.add_to_cart(1).await;
    let (_, placed) = s.checkout("VIRTUAL_ACCOUNT", 0).await;
    let checkout = placed["checkout_id"].as_str().unwrap().to_owned();
    let number = placed["order_numbers"][0].as_str().unwrap().to_owned();
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    let (_, html) = s.app.customer.page(&back).await;
    assert!(
        html.contains("입금을 기다리고 있습니다"),
        "the account to pay into is shown"
    );
    assert_eq!(s.order_status(&number).await, "payment_waiting");

    // A forged webhook changes nothing.
    let forged = json!({ "eventType": "DEPOSIT_CALLBACK",
        "data": { "orderId": checkout, "status": "DONE", "secret": "guess" } });
    let res = s.app.anon.post_json("/api/v1/webhooks/pg", &forged).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.order_status(&number).await, "payment_waiting");

    let res = raw_client()
        .post(format!("{}/control/deposit/{checkout}", s.pg))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    within_seconds("the deposit marks the order paid", || async {
        s.order_status(&number).await == "paid"
    })
    .await;
    // The same webhook again: answered 200, nothing paid twice.
    let secret: String = sqlx::query_scalar("SELECT webhook_secret FROM payments")
        .fetch_one(&db)
        .await
        .unwrap();
    let replay = json!({ "eventType": "DEPOSIT_CALLBACK",
        "data": { "orderId": checkout, "status": "DONE", "secret": secret } });
    let res = s.app.anon.post_json("/api/v1/webhooks/pg", &replay).await;
    assert_eq!(res.status(), StatusCode::OK);
    let paid_events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM order_events WHERE event_type = 'order.paid'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(paid_events, 1);
    assert_eq!(s.stock().await, (4, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_tampered_amount_is_refused_without_asking_the_gateway(db: PgPool) {
    let s = shop(db.clone(), 5).await;
    s.add_to_cart(1).await;
    let (_, placed) = s.checkout("CARD", 0).await;
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    let tampered = back.replace("amount=13000", "amount=100");
    assert_ne!(tampered, back);
    let (_, html) = s.app.customer.page(&tampered).await;
    assert!(
        html.contains("결제 정보가 주문과 일치하지 않습니다"),
        "{}",
        &html[..html.len().min(300)]
    );
    assert_eq!(s.sim.calls("confirm"), 0);
    let number = placed["order_numbers"][0].as_str().unwrap();
    assert_eq!(s.order_status(number).await, "payment_waiting");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_open_breaker_refuses_before_anything_is_held(db: PgPool) {
    let s = shop(db.clone(), 5).await;
    s.add_to_cart(1).await;
    s.sim.set_faults(Faults {
        down: true,
        ..Faults::default()
    });
    // The outage opened the breaker (its own tests show failures do that).
    sqlx::query(
        "UPDATE product_change.pc_circuit_breaker_state SET state = 'OPEN',
             next_attempt_time = now() + INTERVAL '30 seconds' WHERE service_name = 'PG_PAYMENT'",
    )
    .execute(&db)
    .await
    .unwrap();
    let (status, body) = s.checkout("CARD", 0).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("결제 시스템"),
        "{body}"
    );
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(orders, 0);
    assert_eq!(s.stock().await, (5, 0), "no stock held for nothing");
    let (_, cart) = s.app.customer.get_json("/api/v1/cart").await;
    assert_eq!(cart["line_count"], 1, "the cart stays intact");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_confirm_that_times_out_is_reconciled(db: PgPool) {
    let s = shop(db.clone(), 5).await;
    s.add_to_cart(1).await;
    let (_, placed) = s.checkout("CARD", 0).await;
    let number = placed["order_numbers"][0].as_str().unwrap().to_owned();
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    s.sim.set_faults(Faults {
        timeout_rate: 1.0,
        only: Some("confirm".into()),
        ..Faults::default()
    });
    let (_, html) = s.app.customer.page(&back).await;
    assert!(
        html.contains("결제를 확인하고 있습니다"),
        "the shopper is told it is being checked"
    );
    assert_eq!(s.order_status(&number).await, "payment_waiting");
    s.sim.set_faults(Faults::default());
    // As if the confirm had been left unanswered for a minute (the trigger would stamp now()).
    sqlx::query("ALTER TABLE payments DISABLE TRIGGER payments_updated_at")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE payments SET updated_at = now() - INTERVAL '1 minute'")
        .execute(&db)
        .await
        .unwrap();
    let mut cfg = config();
    cfg.pg_base_url = s.pg.clone();
    let pg = app::payment::pg::Pg::new(db.clone(), &cfg.pg_settings());
    let status: String = sqlx::query_scalar("SELECT status FROM payments")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "in_progress", "left for the reconcile job");
    // This run, or the app's own job running the same code just before it, settles it.
    app::payment::service::reconcile_due(&db, &pg)
        .await
        .unwrap();
    assert_eq!(s.order_status(&number).await, "paid");
    assert_eq!(s.stock().await, (4, 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_late_confirm_holds_the_stock_again_or_refunds(db: PgPool) {
    let s = shop(db.clone(), 1).await;
    s.add_to_cart(1).await;
    let (_, placed) = s.checkout("CARD", 0).await;
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    // The hold runs out before the shopper comes back; the stock is still there.
    sqlx::query("UPDATE reservations SET expires_at = now() - INTERVAL '1 second'")
        .execute(&db)
        .await
        .unwrap();
    app::inventory::service::expire_due(&db, 10).await.unwrap();
    assert_eq!(s.stock().await, (1, 0));
    let (_, html) = s.app.customer.page(&back).await;
    assert!(
        html.contains("결제가 완료되었습니다"),
        "held again and paid"
    );
    assert_eq!(s.stock().await, (0, 0));

    // Again, but someone else buys the last one meanwhile: the payment is cancelled.
    sqlx::query("UPDATE inventory SET stock = 1")
        .execute(&db)
        .await
        .unwrap();
    s.add_to_cart(1).await;
    let (_, placed) = s.checkout("CARD", 0).await;
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    sqlx::query(
        "UPDATE reservations SET expires_at = now() - INTERVAL '1 second' WHERE status = 'ACTIVE'",
    )
    .execute(&db)
    .await
    .unwrap();
    app::inventory::service::expire_due(&db, 10).await.unwrap();
    app::inventory::service::reserve(
        &db,
        "someone-else",
        &[(app::inventory::Item::Sku(s.product.sku), 1)],
        Duration::from_secs(600),
        None,
    )
    .await
    .unwrap();
    let (_, html) = s.app.customer.page(&back).await;
    assert!(
        html.contains("재고가 소진되어 결제를 취소했습니다"),
        "the shopper sees why"
    );
    let p = s
        .sim
        .payment_of_order(placed["checkout_id"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        p.status,
        server::pg_sim::Status::Canceled,
        "refunded at the gateway"
    );
    let number = placed["order_numbers"][0].as_str().unwrap();
    assert_eq!(s.order_status(number).await, "cancelled");
}

/// The query parameters of a path the gateway sent the shopper back to.
fn query_of(path: &str) -> std::collections::HashMap<String, String> {
    path.split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), percent_decode(v)))
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_keyed_request_repeated_while_the_first_runs_is_409(db: PgPool) {
    // Patient with the gateway: the slow confirm below must not time out.
    let mut cfg = config();
    cfg.pg_timeout_ms = 10_000;
    let s = shop_with(db.clone(), 5, cfg).await;
    s.add_to_cart(1).await;
    let keyed = |path: &'static str, key: &'static str, body: Value| {
        let client = s.app.customer.http.clone();
        let url = s.app.customer.url(path);
        async move {
            let res = client
                .post(url)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            json_of(res).await
        }
    };

    // Checkout: the second copy arrives while the first waits for the stock row, which
    // this test holds locked.
    let body = json!({ "addressId": s.address, "points": "0", "method": "CARD" });
    let mut lock = db.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM inventory WHERE sku_id = $1 FOR UPDATE")
        .bind(s.product.sku)
        .execute(&mut *lock)
        .await
        .unwrap();
    let first = tokio::spawn(keyed("/api/v1/checkout", "co-flight", body.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, second) = keyed("/api/v1/checkout", "co-flight", body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{second}");
    lock.commit().await.unwrap();
    let (status, placed) = first.await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let (status, replay) = keyed("/api/v1/checkout", "co-flight", body).await;
    assert_eq!((status, &replay), (StatusCode::CREATED, &placed));
    let checkouts: i64 = sqlx::query_scalar("SELECT count(*) FROM checkouts")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(checkouts, 1);

    // Confirm: the same, while the gateway takes its time to approve.
    let back = s
        .pay_on_gateway(placed["redirect_url"].as_str().unwrap())
        .await;
    let q = query_of(&back);
    let confirm = json!({
        "paymentKey": q["paymentKey"], "orderId": q["orderId"], "amount": q["amount"].parse::<i64>().unwrap()
    });
    s.sim.set_faults(Faults {
        latency_ms: 1_500,
        only: Some("confirm".into()),
        ..Faults::default()
    });
    let first = tokio::spawn(keyed(
        "/api/v1/payments/confirm",
        "pay-flight",
        confirm.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, second) = keyed("/api/v1/payments/confirm", "pay-flight", confirm.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{second}");
    let (status, paid) = first.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert!(paid.get("Paid").is_some(), "{paid}");
    let (status, replay) = keyed("/api/v1/payments/confirm", "pay-flight", confirm).await;
    assert_eq!((status, &replay), (StatusCode::OK, &paid));
    assert_eq!(s.sim.calls("confirm"), 1, "the gateway was asked once");
}

#[sqlx::test(migrations = "../migrations")]
async fn points_bought_by_card_are_credited_once(db: PgPool) {
    let s = shop(db.clone(), 5).await;
    let user = s.app.customer.user_id.unwrap();
    // The points page's form, as a browser without JavaScript posts it.
    let charge = |amount: &'static str| {
        let customer = &s.app.customer;
        async move {
            customer
                .post_plain_form(
                    "/fn/wallet/charge",
                    &customer.url("/account/points"),
                    &[
                        ("form[once]", &uuid::Uuid::new_v4().to_string()),
                        ("form[amount]", amount),
                    ],
                )
                .await
        }
    };
    let res = charge("999").await;
    assert!(res.status().is_redirection());
    let back = res.headers()["location"].to_str().unwrap();
    let back = back.strip_prefix(&s.app.base).unwrap_or(back).to_owned();
    assert!(back.starts_with("/account/points"), "{back}");
    let (_, html) = s.app.customer.page(&back).await;
    assert!(
        html.contains("1,000원 이상부터 충전할 수 있습니다"),
        "the amount is refused on its field"
    );
    let res = charge("20,000").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let to_gateway = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(to_gateway.starts_with(&s.pg), "{to_gateway}");
    let back = s.pay_on_gateway(&to_gateway).await;
    assert!(
        back.starts_with("/account/points/charge/success?"),
        "{back}"
    );
    let (status, html) = s.app.customer.page(&back).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("포인트를 충전했습니다"),
        "the page says it is charged"
    );
    assert!(html.contains("₩25,000"), "5,000 before plus 20,000");
    // A refresh, and the same confirm over REST, credit nothing more.
    s.app.customer.page(&back).await;
    let q = query_of(&back);
    let (status, again) = json_of(
        s.app
            .customer
            .post_json(
                "/api/v1/payments/confirm",
                &json!({ "paymentKey": q["paymentKey"], "orderId": q["orderId"], "amount": 20000 }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["Charged"]["amount"], "20000");
    assert_eq!(s.sim.calls("confirm"), 1);
    let (_, b) = s.app.customer.get_json("/api/v1/balance").await;
    assert_eq!(b["balance"], "25000");
    let charges: Vec<(rust_decimal::Decimal, rust_decimal::Decimal)> = sqlx::query_as(
        "SELECT amount, balance_after FROM balance_transactions WHERE user_id = $1 AND tx_type = 'CHARGE'",
    )
    .bind(user)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        charges,
        vec![(20_000.into(), 25_000.into())],
        "one ledger row"
    );

    // Over REST; the shopper cancels on the gateway's page: nothing changes.
    let (status, started) = json_of(
        s.app
            .customer
            .post_json("/api/v1/balance/charge", &json!({ "amount": "10000" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let back = s
        .leave_gateway(
            started["redirect_url"].as_str().unwrap(),
            &[("action", "cancel")],
        )
        .await;
    let back = back.as_str();
    assert!(back.starts_with("/account/points/charge/fail?"), "{back}");
    let (_, html) = s.app.customer.page(back).await;
    assert!(
        html.contains("포인트는 그대로입니다"),
        "the fail page speaks of points"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM checkouts WHERE id = $1::uuid")
        .bind(started["checkout_id"].as_str().unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "CANCELLED");
    let (_, b) = s.app.customer.get_json("/api/v1/balance").await;
    assert_eq!(b["balance"], "25000");
    let (status, body) = json_of(
        s.app
            .customer
            .post_json("/api/v1/balance/charge", &json!({ "amount": "2000001" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "amount");
}
