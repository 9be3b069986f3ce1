use super::users::*;
use crate::admin::domain::{GradeChange, RoleChange, StatusChange, UserFilter};
use crate::admin::AdminError;
use crate::identity::{Grade, Role, UserId};
use crate::platform::audit::{self, Actor, AuditAction, AuditResource};
use crate::platform::auth::registry;
use crate::platform::config::{Configs, GRADE_GOLD_FROM};
use crate::platform::testing::{admin_actor, paid_order, test_redis, user};
use rust_decimal::Decimal;
use sqlx::PgPool;

async fn admin(db: &PgPool, email: &str) -> Actor {
    let id = user(db, email).await;
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1")
        .bind(id)
        .execute(db)
        .await
        .unwrap();
    admin_actor(id)
}

fn status(id: UserId, suspend: bool) -> StatusChange {
    StatusChange {
        id,
        suspend,
        reason: "결제 도용 신고".into(),
    }
}

fn role(id: UserId, role: Role) -> RoleChange {
    RoleChange {
        id,
        role,
        reason: "운영 인력 변경".into(),
    }
}

async fn role_of(db: &PgPool, id: UserId) -> Role {
    sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn search_filters_and_masks_phones(db: PgPool) {
    let kim = user(&db, "kim.search@example.com").await;
    user(&db, "lee.search@example.com").await;
    sqlx::query("UPDATE users SET phone = '010-1234-5678', user_grade = 'gold' WHERE id = $1")
        .bind(kim)
        .execute(&db)
        .await
        .unwrap();
    let find = |q: Option<&str>, grade: Option<Grade>| UserFilter {
        q: q.map(Into::into),
        grade,
        page: 1,
        ..UserFilter::default()
    };
    let all = search(&db, &find(Some("search@"), None)).await.unwrap();
    assert_eq!(all.total, 2);
    let by_phone = search(&db, &find(Some("1234-5678"), None)).await.unwrap();
    assert_eq!(by_phone.items.len(), 1);
    assert_eq!(by_phone.items[0].id, kim);
    assert_eq!(by_phone.items[0].phone.as_deref(), Some("010-****-5678"));
    let gold = search(&db, &find(None, Some(Grade::Gold))).await.unwrap();
    assert_eq!(gold.items.iter().map(|u| u.id).collect::<Vec<_>>(), [kim]);
    // `%` typed into the search is a percent sign, not "anything".
    assert_eq!(search(&db, &find(Some("%"), None)).await.unwrap().total, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_user_page_is_a_logged_read_with_masked_addresses(db: PgPool) {
    let redis = test_redis().await;
    let by = admin(&db, "reader@example.com").await;
    let u = user(&db, "private@example.com").await;
    sqlx::query(
        "INSERT INTO addresses (user_id, recipient_name, phone, postal_code, address,
             address_detail, is_default)
         VALUES ($1, '김철수', '010-9876-5432', '04001', '서울 마포구 월드컵북로 396', '101동 202호', TRUE)",
    )
    .bind(u)
    .execute(&db)
    .await
    .unwrap();
    paid_order(&db, u, 30_000, 3).await;
    let d = detail(&db, &redis, &by, u).await.unwrap();
    assert_eq!(d.orders_count, 1);
    assert_eq!(d.total_purchase, Decimal::from(30_000));
    assert_eq!(d.addresses[0].recipient_name, "김*수");
    assert_eq!(d.addresses[0].phone, "010-****-5432");
    let log = audit::history(&db, AuditResource::User, &u.to_string(), 5)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].action, log[0].actor_id),
        (AuditAction::Read, Some(by.id))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn suspension_signs_out_is_logged_and_can_be_undone(db: PgPool) {
    let redis = test_redis().await;
    let by = admin(&db, "suspender@example.com").await;
    let u = user(&db, "suspect@example.com").await;
    registry::create(&redis, u, "Firefox", "198.51.100.1")
        .await
        .unwrap();
    set_status(&db, &redis, &by, &status(u, true))
        .await
        .unwrap();
    assert!(registry::list(&redis, u, None).await.unwrap().is_empty());
    assert!(matches!(
        set_status(&db, &redis, &by, &status(u, true)).await,
        Err(AdminError::UserWrongState)
    ));
    set_status(&db, &redis, &by, &status(u, false))
        .await
        .unwrap();
    let (st, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, status_reason FROM users WHERE id = $1")
            .bind(u)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((st.as_str(), reason), ("active", None));
    let log = audit::history(&db, AuditResource::User, &u.to_string(), 5)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1].after,
        Some(serde_json::json!({ "status": "suspended" }))
    );
    assert_eq!(log[1].reason.as_deref(), Some("결제 도용 신고"));
    assert!(matches!(
        set_status(&db, &redis, &by, &status(by.id, true)).await,
        Err(AdminError::SelfSuspend)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn roles_move_between_customer_and_admin_and_sellers_stay_with_review(db: PgPool) {
    let redis = test_redis().await;
    let by = admin(&db, "promoter@example.com").await;
    let u = user(&db, "staff@example.com").await;
    set_role(&db, &redis, &by, &role(u, Role::Admin))
        .await
        .unwrap();
    assert_eq!(role_of(&db, u).await, Role::Admin);
    assert!(matches!(
        set_role(&db, &redis, &by, &role(u, Role::Admin)).await,
        Err(AdminError::UserWrongState)
    ));
    set_role(&db, &redis, &by, &role(u, Role::Customer))
        .await
        .unwrap();
    assert_eq!(role_of(&db, u).await, Role::Customer);
    let seller = crate::platform::testing::seller(&db).await;
    let seller_user: UserId = sqlx::query_scalar("SELECT user_id FROM sellers WHERE id = $1")
        .bind(seller)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(matches!(
        set_role(&db, &redis, &by, &role(seller_user, Role::Admin)).await,
        Err(AdminError::SellerRole)
    ));
    let log = audit::history(&db, AuditResource::User, &u.to_string(), 5)
        .await
        .unwrap();
    assert_eq!(log[0].before, Some(serde_json::json!({ "role": "admin" })));
    assert_eq!(log[1].after, Some(serde_json::json!({ "role": "admin" })));
}

/// Two admins demoting and suspending each other at once: at least one admin is left every
/// time, because each change locks the admins and counts the others in one statement.
#[sqlx::test(migrations = "../migrations")]
async fn the_last_admin_survives_admins_racing_to_remove_each_other(db: PgPool) {
    let redis = test_redis().await;
    for round in 0..15 {
        sqlx::query("UPDATE users SET role = 'customer' WHERE role = 'admin'")
            .execute(&db)
            .await
            .unwrap();
        let a = admin(&db, &format!("a{round}@example.com")).await;
        let b = admin(&db, &format!("b{round}@example.com")).await;
        let (demote_b, demote_a) = (role(b.id, Role::Customer), role(a.id, Role::Customer));
        let suspend_b = status(b.id, true);
        let (x, y) = if round % 2 == 0 {
            tokio::join!(
                set_role(&db, &redis, &a, &demote_b),
                set_role(&db, &redis, &b, &demote_a),
            )
        } else {
            tokio::join!(
                set_status(&db, &redis, &a, &suspend_b),
                set_role(&db, &redis, &b, &demote_a),
            )
        };
        let admins: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        assert_eq!(admins, 1, "round {round}: {x:?} {y:?}");
        assert!(
            matches!(
                (&x, &y),
                (Ok(()), Err(AdminError::LastAdmin)) | (Err(AdminError::LastAdmin), Ok(()))
            ),
            "round {round}: exactly one wins: {x:?} {y:?}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn grades_follow_twelve_months_of_purchases_unless_set_by_hand(db: PgPool) {
    let configs = Configs::new(db.clone(), test_redis().await);
    let by = admin(&db, "grader@example.com").await;
    let big = user(&db, "big@example.com").await;
    let old = user(&db, "old@example.com").await;
    let pinned = user(&db, "pinned@example.com").await;
    paid_order(&db, big, 600_000, 10).await;
    // Over the threshold, but more than a year ago: counts for the total, not the grade.
    paid_order(&db, old, 2_000_000, 400).await;
    paid_order(&db, pinned, 600_000, 10).await;
    set_grade(
        &db,
        &configs,
        &by,
        &GradeChange {
            id: pinned,
            grade: Some(Grade::Vip),
            reason: "제휴 고객".into(),
        },
    )
    .await
    .unwrap();
    recompute_grades(&db, &configs).await.unwrap();
    let grade = |id: UserId| {
        let db = db.clone();
        async move {
            sqlx::query_as::<_, (Grade, Decimal)>(
                "SELECT user_grade, total_purchase_amount FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    assert_eq!(grade(big).await, (Grade::Gold, Decimal::from(600_000)));
    assert_eq!(grade(old).await, (Grade::Bronze, Decimal::from(2_000_000)));
    assert_eq!(
        grade(pinned).await.0,
        Grade::Vip,
        "a grade set by hand stays"
    );
    // A threshold change is the next run's rule.
    configs
        .set(&GRADE_GOLD_FROM, &Decimal::from(700_000), None)
        .await
        .unwrap();
    assert_eq!(recompute_grades(&db, &configs).await.unwrap(), 1);
    assert_eq!(grade(big).await.0, Grade::Silver);
    // Handing the grade back to the job computes it at once.
    set_grade(
        &db,
        &configs,
        &by,
        &GradeChange {
            id: pinned,
            grade: None,
            reason: "제휴 종료".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(grade(pinned).await.0, Grade::Silver);
    let log = audit::history(&db, AuditResource::User, &pinned.to_string(), 5)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].reason.as_deref(), Some("제휴 고객"));
}
