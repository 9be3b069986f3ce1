use super::account::{self, Obligation, WITHDRAWN_NAME};
use super::domain::{PasswordChange, PasswordForm, ProfileForm, WithdrawForm, Withdrawal};
use super::service::authenticate;
use super::{IdentityError, Role, UserId};
use crate::platform::audit::{Actor, AuditAction};
use crate::platform::auth::registry;
use crate::platform::config::Configs;
use crate::platform::testing::{approve_seller, paid_order, sellable, test_redis, user};
use sqlx::PgPool;

const PASSWORD: &str = "spring market 2026";

fn me(id: UserId, role: Role) -> Actor {
    Actor {
        id,
        role,
        ip: "10.1.2.3".into(),
    }
}

fn change(current: &str, new: &str, sign_out_others: bool) -> PasswordChange {
    PasswordForm {
        current_password: current.into(),
        password: new.into(),
        sign_out_others: sign_out_others.then(|| "on".into()),
    }
    .try_into()
    .unwrap()
}

fn withdrawal(password: &str) -> Withdrawal {
    WithdrawForm {
        password: password.into(),
        reason: "privacy".into(),
        details: None,
        confirm: Some("on".into()),
    }
    .try_into()
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_profile_edit_saves_name_and_phone(db: PgPool) {
    let redis = test_redis().await;
    let id = user(&db, "profile@example.com").await;
    let update = ProfileForm {
        name: "박지민".into(),
        phone: Some("010 5555 1234".into()),
    }
    .try_into()
    .unwrap();
    let saved = account::update_profile(&db, &redis, id, &update)
        .await
        .unwrap();
    assert_eq!(saved.name, "박지민");
    assert_eq!(saved.phone.as_deref(), Some("010-5555-1234"));
    assert_eq!(saved.email, "profile@example.com");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_password_replaces_the_old_and_can_sign_out_other_devices(db: PgPool) {
    let redis = test_redis().await;
    let id = user(&db, "pwowner@example.com").await;
    let here = registry::create(&redis, id, "laptop", "10.0.0.1")
        .await
        .unwrap();
    let phone = registry::create(&redis, id, "phone", "10.0.0.2")
        .await
        .unwrap();

    // A wrong current password changes nothing.
    let err = account::change_password(
        &db,
        &redis,
        id,
        Some(&here),
        &change("wrong wrong 2026", "autumn market 2026", true),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, IdentityError::WrongPassword("current_password")),
        "{err:?}"
    );
    // Nor does one that contains the email.
    let err = account::change_password(
        &db,
        &redis,
        id,
        Some(&here),
        &change(PASSWORD, "pwowner spring 2026", true),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, IdentityError::Invalid(_)), "{err:?}");
    assert!(authenticate(&db, "pwowner@example.com", PASSWORD)
        .await
        .is_ok());

    // Without signing out others, both devices stay.
    let n = account::change_password(
        &db,
        &redis,
        id,
        Some(&here),
        &change(PASSWORD, "autumn market 2026", false),
    )
    .await
    .unwrap();
    assert_eq!(n, 0);
    assert!(registry::lookup(&redis, &phone).await.unwrap().is_some());
    assert!(matches!(
        authenticate(&db, "pwowner@example.com", PASSWORD).await,
        Err(IdentityError::BadCredentials)
    ));
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");

    // Signing out others ends the phone's session and keeps this one.
    let n = account::change_password(
        &db,
        &redis,
        id,
        Some(&here),
        &change("autumn market 2026", "winter market 2026", true),
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    assert!(registry::lookup(&redis, &phone).await.unwrap().is_none());
    assert!(registry::lookup(&redis, &here).await.unwrap().is_some());
    let listed = registry::list(&redis, id, Some(&here)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(
        authenticate(&db, "pwowner@example.com", "winter market 2026")
            .await
            .is_ok()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn withdrawal_removes_the_person_and_keeps_the_anonymised_order(db: PgPool) {
    let redis = test_redis().await;
    let id = user(&db, "leaving@example.com").await;
    sqlx::query("UPDATE users SET phone = '010-2222-3333' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address, is_default)
         VALUES ($1, '김철수', '010-2222-3333', '04001', '서울 마포구', TRUE)",
    )
    .bind(id)
    .execute(&db)
    .await
    .unwrap();
    paid_order(&db, id, 30_000, 3).await;
    sqlx::query("UPDATE orders SET status = 'delivered' WHERE user_id = $1")
        .bind(id)
        .execute(&db)
        .await
        .unwrap();
    let token = super::tokens::create(&db, id, "script").await.unwrap();
    let session = registry::create(&redis, id, "laptop", "10.0.0.1")
        .await
        .unwrap();

    // The wrong password is refused and nothing changes.
    let err = account::withdraw(
        &db,
        &redis,
        &me(id, Role::Customer),
        &withdrawal("nope nope 2026"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, IdentityError::WrongPassword("password")),
        "{err:?}"
    );

    account::withdraw(&db, &redis, &me(id, Role::Customer), &withdrawal(PASSWORD))
        .await
        .unwrap();

    assert!(matches!(
        authenticate(&db, "leaving@example.com", PASSWORD).await,
        Err(IdentityError::BadCredentials)
    ));
    let (email, name, phone, hash, status): (
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    ) = sqlx::query_as("SELECT email, name, phone, password_hash, status FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(!email.contains("leaving"), "{email}");
    assert_eq!(name, WITHDRAWN_NAME);
    assert_eq!((phone, hash, status.as_str()), (None, None, "deleted"));
    let addresses: i64 = sqlx::query_scalar("SELECT count(*) FROM addresses WHERE user_id = $1")
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(addresses, 0);
    // The order stays for the law's five years, without the person.
    let (recipient, phone, address, total): (String, String, String, rust_decimal::Decimal) =
        sqlx::query_as(
            "SELECT recipient_name, recipient_phone, address, total_amount FROM orders
             WHERE user_id = $1",
        )
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(recipient, WITHDRAWN_NAME);
    assert_eq!((phone.as_str(), address.as_str()), ("", ""));
    assert_eq!(total, rust_decimal::Decimal::from(30_000));
    // Every session and token is dead.
    assert!(registry::lookup(&redis, &session).await.unwrap().is_none());
    let live = super::tokens::authenticate::<crate::platform::principals::Principal>(&db, &token)
        .await
        .unwrap();
    assert!(live.is_none());
    // The audit log says who left and why, with no personal data.
    let (action, reason, after): (AuditAction, Option<String>, Option<serde_json::Value>) =
        sqlx::query_as(
            "SELECT action, reason, after FROM audit_logs
             WHERE resource_type = 'user' AND resource_id = $1",
        )
        .bind(id.to_string())
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(action, AuditAction::Delete);
    assert_eq!(reason.as_deref(), Some("privacy"));
    assert_eq!(after, None);
    // The email is free again.
    let again = user(&db, "leaving@example.com").await;
    assert_ne!(again, id);
}

#[sqlx::test(migrations = "../migrations")]
async fn open_orders_and_the_last_admin_refuse_withdrawal(db: PgPool) {
    let redis = test_redis().await;
    let shopper = user(&db, "busy@example.com").await;
    paid_order(&db, shopper, 10_000, 0).await;
    let err = account::withdraw(
        &db,
        &redis,
        &me(shopper, Role::Customer),
        &withdrawal(PASSWORD),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, IdentityError::Obligation(Obligation::OpenOrders)),
        "{err:?}"
    );
    let preview = account::preview(&db, shopper).await.unwrap();
    assert_eq!(preview.blocked_by, Some(Obligation::OpenOrders.message()));

    let admin = user(&db, "only-admin@example.com").await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1")
        .bind(admin)
        .execute(&db)
        .await
        .unwrap();
    let err = account::withdraw(&db, &redis, &me(admin, Role::Admin), &withdrawal(PASSWORD))
        .await
        .unwrap_err();
    assert!(
        matches!(err, IdentityError::Obligation(Obligation::LastAdmin)),
        "{err:?}"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(admin)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(status, "active");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_seller_with_open_sales_or_held_stock_cannot_withdraw(db: PgPool) {
    let redis = test_redis().await;
    let configs = Configs::new(db.clone(), redis.clone());
    let admin = user(&db, "approver@example.com").await;
    let owner = user(&db, "shop-owner@example.com").await;
    let seller = approve_seller(&db, &configs, owner, admin, "떠나는 상점").await;
    let actor = me(owner, Role::Seller);

    // Stock held by a checkout in progress.
    let (_, variants) = sellable(&db, seller, "머그컵", 9_000, &[5]).await;
    let reservation: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO reservations (reference, expires_at) VALUES ('checkout:x', now() + interval '10 minutes')
         RETURNING id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO reservation_lines (reservation_id, sku_id, quantity) VALUES ($1, $2, 1)",
    )
    .bind(reservation)
    .bind(variants[0].1)
    .execute(&db)
    .await
    .unwrap();
    let err = account::withdraw(&db, &redis, &actor, &withdrawal(PASSWORD))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            IdentityError::Obligation(Obligation::SellerReservations)
        ),
        "{err:?}"
    );
    sqlx::query("UPDATE reservations SET status = 'COMMITTED' WHERE id = $1")
        .bind(reservation)
        .execute(&db)
        .await
        .unwrap();

    // An order the shop has not finished.
    let buyer = user(&db, "buyer-of-shop@example.com").await;
    paid_order(&db, buyer, 9_000, 0).await;
    sqlx::query("UPDATE orders SET seller_id = $1, status = 'preparing' WHERE user_id = $2")
        .bind(seller)
        .bind(buyer)
        .execute(&db)
        .await
        .unwrap();
    let err = account::withdraw(&db, &redis, &actor, &withdrawal(PASSWORD))
        .await
        .unwrap_err();
    assert!(
        matches!(err, IdentityError::Obligation(Obligation::SellerOpenOrders)),
        "{err:?}"
    );

    // Once it is delivered, the seller may leave, and the shop closes.
    sqlx::query("UPDATE orders SET status = 'delivered' WHERE seller_id = $1")
        .bind(seller)
        .execute(&db)
        .await
        .unwrap();
    account::withdraw(&db, &redis, &actor, &withdrawal(PASSWORD))
        .await
        .unwrap();
    let (status, holder): (String, String) =
        sqlx::query_as("SELECT status, bank_account_holder FROM sellers WHERE id = $1")
            .bind(seller)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), holder.as_str()), ("suspended", ""));
}

/// The two last admins leave at once: exactly one may go.
#[sqlx::test(migrations = "../migrations")]
async fn two_last_admins_leaving_at_once_leave_one(db: PgPool) {
    let redis = test_redis().await;
    for round in 0..5 {
        let a = user(&db, &format!("admin-a{round}@example.com")).await;
        let b = user(&db, &format!("admin-b{round}@example.com")).await;
        sqlx::query("UPDATE users SET role = 'admin' WHERE id = ANY($1)")
            .bind(vec![a, b])
            .execute(&db)
            .await
            .unwrap();
        let w = withdrawal(PASSWORD);
        let (actor_a, actor_b) = (me(a, Role::Admin), me(b, Role::Admin));
        let (ra, rb) = tokio::join!(
            account::withdraw(&db, &redis, &actor_a, &w),
            account::withdraw(&db, &redis, &actor_b, &w)
        );
        assert_eq!(
            [ra.is_ok(), rb.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "{ra:?} {rb:?}"
        );
        let left: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(left, 1);
        // The one left stays the only admin for the next round's pair to join.
        sqlx::query(
            "UPDATE users SET role = 'customer' WHERE role = 'admin' AND status = 'active'",
        )
        .execute(&db)
        .await
        .unwrap();
    }
}

/// Two withdrawals at once (two tabs): one succeeds, the other finds no account.
#[sqlx::test(migrations = "../migrations")]
async fn concurrent_withdrawals_happen_once(db: PgPool) {
    let redis = test_redis().await;
    let id = user(&db, "twice@example.com").await;
    let actor = me(id, Role::Customer);
    let w = withdrawal(PASSWORD);
    let (a, b) = tokio::join!(
        account::withdraw(&db, &redis, &actor, &w),
        account::withdraw(&db, &redis, &actor, &w)
    );
    let oks = [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(oks, 1, "{a:?} {b:?}");
    let rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_logs WHERE resource_type = 'user' AND resource_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(rows, 1);
}
