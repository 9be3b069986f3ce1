//! The hosted payment page: what the shopper sees at the gateway. Plain HTML forms, so it
//! works without JavaScript, like the rest of the demo.

use super::{authenticate, refuse, Card, Sim};
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, DOCTYPE};
use serde::Deserialize;

/// What the shop sends the shopper here with.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkout {
    pub order_id: String,
    pub order_name: String,
    pub amount: i64,
    /// CARD, VIRTUAL_ACCOUNT or TRANSFER.
    pub method: String,
    pub success_url: String,
    pub fail_url: String,
}

impl Checkout {
    pub fn method_label(&self) -> &'static str {
        match self.method.as_str() {
            "VIRTUAL_ACCOUNT" => "가상계좌",
            "TRANSFER" => "계좌이체",
            _ => "카드",
        }
    }

    fn check(&self) -> Result<(), &'static str> {
        let url_ok = |u: &str| u.starts_with("http://") || u.starts_with("https://");
        if self.amount <= 0 {
            return Err("amount must be positive");
        }
        if !url_ok(&self.success_url) || !url_ok(&self.fail_url) {
            return Err("successUrl and failUrl must be http(s) URLs");
        }
        if !matches!(
            self.method.as_str(),
            "CARD" | "VIRTUAL_ACCOUNT" | "TRANSFER"
        ) {
            return Err("unknown method");
        }
        if self.order_id.is_empty() || self.order_id.len() > 64 {
            return Err("orderId must be 1-64 characters");
        }
        Ok(())
    }
}

fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = url.to_owned();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        });
        out.push_str(k);
        out.push('=');
        out.push_str(&urlencode(v));
    }
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const CARD_COMPANIES: &[&str] = &[
    "신한", "삼성", "현대", "KB국민", "롯데", "하나", "우리", "BC",
];

pub async fn show(Query(c): Query<Checkout>) -> Response {
    if let Err(why) = c.check() {
        return refuse(StatusCode::BAD_REQUEST, "INVALID_REQUEST", why);
    }
    let card = c.method == "CARD";
    Html(
        html! {
            (DOCTYPE)
            html lang="ko" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { "결제하기 · 장터페이 (시뮬레이터)" }
                    style { (maud::PreEscaped(STYLE)) }
                }
                body {
                    main {
                        h1 { "장터페이" }
                        p class="muted" { "결제 대행 시뮬레이터 · 실제 결제가 일어나지 않습니다" }
                        dl {
                            dt { "주문" } dd { (c.order_name) }
                            dt { "결제 금액" } dd data-testid="pg-amount" { "₩" (group(c.amount)) }
                            dt { "결제 수단" } dd { (c.method_label()) }
                        }
                        form method="post" action="/pay" {
                            input type="hidden" name="orderId" value=(c.order_id);
                            input type="hidden" name="orderName" value=(c.order_name);
                            input type="hidden" name="amount" value=(c.amount);
                            input type="hidden" name="method" value=(c.method);
                            input type="hidden" name="successUrl" value=(c.success_url);
                            input type="hidden" name="failUrl" value=(c.fail_url);
                            @if card {
                                label for="company" { "카드사" }
                                select id="company" name="company" {
                                    @for co in CARD_COMPANIES { option value=(co) { (co) } }
                                }
                                label for="number" { "카드 번호" }
                                input id="number" name="number" inputmode="numeric" autocomplete="cc-number"
                                    value="4330123412341234" required;
                                label for="installment" { "할부" }
                                select id="installment" name="installment" {
                                    option value="0" { "일시불" }
                                    @for m in [2, 3, 6, 12] { option value=(m) { (m) "개월" } }
                                }
                            } @else {
                                p { (c.method_label()) "로 결제합니다." }
                            }
                            div class="actions" {
                                button type="submit" name="action" value="pay" class="primary" { "결제하기" }
                                button type="submit" name="action" value="cancel" formnovalidate { "취소" }
                            }
                        }
                    }
                }
            }
        }
        .into_string(),
    )
    .into_response()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submit {
    order_id: String,
    order_name: String,
    amount: i64,
    method: String,
    success_url: String,
    fail_url: String,
    action: String,
    company: Option<String>,
    number: Option<String>,
    installment: Option<u32>,
}

pub async fn submit(State(sim): State<Sim>, Form(s): Form<Submit>) -> Response {
    let c = Checkout {
        order_id: s.order_id,
        order_name: s.order_name,
        amount: s.amount,
        method: s.method,
        success_url: s.success_url,
        fail_url: s.fail_url,
    };
    if let Err(why) = c.check() {
        return refuse(StatusCode::BAD_REQUEST, "INVALID_REQUEST", why);
    }
    if s.action == "cancel" {
        let to = with_query(
            &c.fail_url,
            &[
                ("code", "PAY_PROCESS_CANCELED"),
                ("message", "사용자가 결제를 취소했습니다"),
                ("orderId", &c.order_id),
            ],
        );
        return Redirect::to(&to).into_response();
    }
    let card = if c.method == "CARD" {
        let digits: String = s
            .number
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if !(15..=16).contains(&digits.len()) {
            let to = with_query(
                &c.fail_url,
                &[
                    ("code", "INVALID_CARD_NUMBER"),
                    ("message", "카드 번호를 확인해 주세요"),
                    ("orderId", &c.order_id),
                ],
            );
            return Redirect::to(&to).into_response();
        }
        Some(Card {
            company: s.company.unwrap_or_else(|| "신한".into()),
            number: format!("{}********{}", &digits[..4], &digits[digits.len() - 4..]),
            installment_plan_months: s.installment.unwrap_or(0).min(12),
            approve_no: None,
        })
    } else {
        None
    };
    let p = authenticate(&sim, c.clone(), card);
    let amount = p.total_amount.to_string();
    let to = with_query(
        &c.success_url,
        &[
            ("paymentKey", &p.payment_key),
            ("orderId", &p.order_id),
            ("amount", &amount),
        ],
    );
    Redirect::to(&to).into_response()
}

fn group(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f6fb;color:#111;margin:0}
main{max-width:26rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:.75rem}
h1{color:#1d4ed8;margin:0}.muted{color:#555;font-size:.875rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}
dd{margin:0;font-weight:600}label{display:block;margin-top:.75rem;font-weight:600}
input,select{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
.actions{display:flex;gap:.5rem;margin-top:1.25rem}button{flex:1;padding:.75rem;font:inherit;border-radius:.5rem;border:1px solid #ccc;background:#fff}
button.primary{background:#1d4ed8;color:#fff;border-color:#1d4ed8}";
