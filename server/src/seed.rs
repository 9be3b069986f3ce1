//! Demo data. Idempotent: running it again resets the demo accounts' passwords and changes
//! nothing else.

use app::identity::{service, Role};
use app::platform::state::AppState;

pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    ("shopper@jangteo.test", "김장터", Role::Customer),
    ("seller@jangteo.test", "박판매", Role::Seller),
    ("admin@jangteo.test", "관리자", Role::Admin),
];

pub async fn demo(state: &AppState) -> Result<(), String> {
    let password = &state.settings.demo_password;
    let mut seller_user = None;
    let mut shopper = None;
    let mut admin = None;
    for (email, name, role) in DEMO_ACCOUNTS {
        let id = service::upsert_account(&state.db, email, password, name, *role)
            .await
            .map_err(|e| format!("demo account {email}: {e}"))?;
        match role {
            Role::Customer => {
                seed_address(state, id).await?;
                seed_points(state, id).await?;
                shopper = Some(id);
            }
            Role::Seller => {
                seed_seller(state, id).await?;
                seller_user = Some(id);
            }
            Role::Admin => admin = Some(id),
        }
    }
    let seller_user = seller_user.ok_or("no demo seller")?;
    let seller_id: app::seller::SellerId =
        sqlx::query_scalar("SELECT id FROM sellers WHERE user_id = $1")
            .bind(seller_user)
            .fetch_one(&state.db)
            .await
            .map_err(|e| format!("demo seller: {e}"))?;
    let created = crate::seed_catalog::demo(state, seller_id, seller_user).await?;
    if created > 0 {
        println!("Created {created} demo products.");
    }
    let pictured = crate::seed_images::demo(state, seller_id).await?;
    if pictured > 0 {
        println!("Generated {pictured} demo product images.");
    }
    seed_coupons(state).await?;
    if let Some(shopper) = shopper {
        let orders = crate::seed_orders::demo(state, shopper, seller_id).await?;
        if orders > 0 {
            println!("Placed {orders} demo orders.");
        }
    }
    let history = crate::seed_history::demo(state, seller_id).await?;
    if history > 0 {
        println!("Placed a month of demo history: {history} orders from 18 shoppers.");
    }
    if let (Some(admin), Some(shopper)) = (admin, shopper) {
        let concerts = crate::seed_concerts::demo(state, admin, shopper).await?;
        if concerts > 0 {
            println!("Created {concerts} demo concerts.");
        }
    }
    println!("\nDemo accounts (password: {password}):");
    for (email, _, role) in DEMO_ACCOUNTS {
        println!("  {:<8} {email}", role.as_str());
    }
    Ok(())
}

/// A first-come coupon (100 to issue) and an unlimited 10 % one capped at ₩10,000, valid for
/// a year; once (the codes are unique).
async fn seed_coupons(state: &AppState) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO coupons (code, name, discount_type, discount_value, max_discount_amount,
             min_purchase_amount, total_quantity, valid_from, valid_until)
         VALUES ('WELCOME100', '선착순 100명 5,000원 할인', 'fixed_amount', 5000, NULL, 30000, 100,
                 now() - INTERVAL '1 day', now() + INTERVAL '1 year'),
                ('TEN-PERCENT', '전 상품 10% 할인 (최대 10,000원)', 'percentage', 10, 10000, 0, NULL,
                 now() - INTERVAL '1 day', now() + INTERVAL '1 year')
         ON CONFLICT (code) DO NOTHING",
    )
    .execute(&state.db)
    .await
    .map(|_| ())
    .map_err(|e| format!("demo coupons: {e}"))
}

/// 50,000 welcome points, once: the ledger's related id makes a rerun a no-op.
async fn seed_points(state: &AppState, user_id: app::identity::UserId) -> Result<(), String> {
    let cause = format!("welcome:{user_id}");
    let amount = rust_decimal::Decimal::from(50_000);
    match app::wallet::service::grant(&state.db, user_id, amount, &cause, "가입 축하 포인트").await
    {
        Ok(_) | Err(app::wallet::WalletError::AlreadyApplied) => Ok(()),
        Err(e) => Err(format!("demo points: {e}")),
    }
}

async fn seed_address(state: &AppState, user_id: app::identity::UserId) -> Result<(), String> {
    let existing = app::identity::addresses::list(&state.db, user_id)
        .await
        .map_err(|e| e.to_string())?;
    if !existing.is_empty() {
        return Ok(());
    }
    app::identity::addresses::save(
        &state.db,
        user_id,
        None,
        app::identity::domain::NewAddress {
            recipient_name: "김장터".into(),
            phone: "010-1234-5678".into(),
            postal_code: "04524".into(),
            address: "서울특별시 중구 세종대로 110".into(),
            address_detail: Some("3층".into()),
            label: Some("집".into()),
            make_default: true,
        },
    )
    .await
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// The demo seller's business, approved (the check digit of 314-15-92650 is valid).
async fn seed_seller(state: &AppState, user_id: app::identity::UserId) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO sellers (user_id, business_name, business_number, business_type, representative_name,
             business_address, business_phone, status, commission_rate, approval_date,
             bank_account_holder, bank_name, bank_account_number)
         VALUES ($1, '장터상회', '3141592650', 'individual', '박판매', '서울특별시 마포구 월드컵북로 396',
             '02-3141-5926', 'approved', 10.00, now(), '박판매', '국민은행', '123-456-789012')
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .execute(&state.db)
    .await
    .map(|_| ())
    .map_err(|e| format!("demo seller: {e}"))
}
