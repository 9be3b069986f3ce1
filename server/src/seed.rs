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
    for (email, name, role) in DEMO_ACCOUNTS {
        let id = service::upsert_account(&state.db, email, password, name, *role)
            .await
            .map_err(|e| format!("demo account {email}: {e}"))?;
        if *role == Role::Customer {
            seed_address(state, id).await?;
        }
    }
    println!("\nDemo accounts (password: {password}):");
    for (email, _, role) in DEMO_ACCOUNTS {
        println!("  {:<8} {email}", role.as_str());
    }
    Ok(())
}

async fn seed_address(state: &AppState, user_id: uuid::Uuid) -> Result<(), String> {
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
        app::identity::addresses::AddressInput {
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
