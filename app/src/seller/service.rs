//! Seller applications and their review.

use super::domain::{self, Application, CommissionRate};
use super::{SellerError, SellerId, SellerStatus, SellerView};
use crate::identity::UserId;
use crate::platform::audit::{self, Actor, AuditResource, Change};
use crate::platform::config::{Configs, DEFAULT_COMMISSION};
use crate::platform::db::OnConstraint;
use crate::platform::outbox::{self, NewEvent};
use crate::platform::redis::Redis;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct Row {
    id: SellerId,
    user_id: UserId,
    user_email: String,
    business_name: String,
    business_number: String,
    business_type: String,
    representative_name: String,
    business_address: String,
    business_phone: String,
    status: SellerStatus,
    status_reason: Option<String>,
    commission_rate: Option<Decimal>,
    approval_date: Option<chrono::DateTime<chrono::Utc>>,
    bank_name: String,
    bank_account_holder: String,
    bank_account_number: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Row> for SellerView {
    fn from(r: Row) -> Self {
        SellerView {
            id: r.id,
            user_id: r.user_id,
            user_email: r.user_email,
            business_name: r.business_name,
            business_number: domain::format_business_number(&r.business_number),
            business_type: r.business_type,
            representative_name: r.representative_name,
            business_address: r.business_address,
            business_phone: r.business_phone,
            status: r.status,
            status_reason: r.status_reason,
            commission_rate: r.commission_rate,
            approval_date: r.approval_date,
            bank_name: r.bank_name,
            bank_account_holder: r.bank_account_holder,
            bank_account_number: domain::mask_account(&r.bank_account_number),
            created_at: r.created_at,
        }
    }
}

const SELECT: &str =
    "SELECT s.id, s.user_id, u.email AS user_email, s.business_name, s.business_number,
    s.business_type, s.representative_name, s.business_address, s.business_phone, s.status,
    s.status_reason, s.commission_rate, s.approval_date, s.bank_name, s.bank_account_holder,
    s.bank_account_number, s.created_at
    FROM sellers s JOIN users u ON u.id = s.user_id";

fn unique_violation(constraint: &str) -> Option<SellerError> {
    match constraint {
        "sellers_business_number_key" => Some(SellerError::BusinessNumberTaken),
        "sellers_user_key" => Some(SellerError::AlreadyApplied),
        _ => None,
    }
}

/// Applies to sell, or re-applies after a rejection.
pub async fn apply(
    db: &PgPool,
    user_id: UserId,
    v: Application,
) -> Result<SellerView, SellerError> {
    let existing = for_user(db, user_id).await?;
    // A first application inserts; after a rejection the same row is resubmitted.
    let sql = match existing.as_ref().map(|s| s.status) {
        None => {
            "INSERT INTO sellers (user_id, business_name, business_number, business_type, representative_name,
                 business_address, business_phone, bank_name, bank_account_holder, bank_account_number)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        }
        Some(SellerStatus::Rejected) => {
            "UPDATE sellers SET business_name = $2, business_number = $3, business_type = $4,
                 representative_name = $5, business_address = $6, business_phone = $7, bank_name = $8,
                 bank_account_holder = $9, bank_account_number = $10, status = 'pending', status_reason = NULL
             WHERE user_id = $1 AND status = 'rejected'"
        }
        Some(_) => return Err(SellerError::AlreadyApplied),
    };
    sqlx::query(sql)
        .bind(user_id)
        .bind(&v.business_name)
        .bind(v.business_number.as_str())
        .bind(v.business_type)
        .bind(&v.representative_name)
        .bind(&v.business_address)
        .bind(&v.business_phone)
        .bind(&v.bank_name)
        .bind(&v.bank_account_holder)
        .bind(&v.bank_account_number)
        .execute(db)
        .await
        .on_constraint(unique_violation)?;
    for_user(db, user_id).await?.ok_or(SellerError::NotFound)
}

pub async fn for_user(db: &PgPool, user_id: UserId) -> Result<Option<SellerView>, SellerError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE s.user_id = $1"))
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Into::into))
}

pub async fn get(db: &PgPool, id: SellerId) -> Result<SellerView, SellerError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(Into::into).ok_or(SellerError::NotFound)
}

/// Applications for the admin queue, oldest first; `None` lists every status.
pub async fn list(
    db: &PgPool,
    status: Option<SellerStatus>,
) -> Result<Vec<SellerView>, SellerError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE ($1::text IS NULL OR s.status = $1) ORDER BY s.created_at LIMIT 200"
    ))
    .bind(status.map(SellerStatus::as_str))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

async fn event(
    tx: &mut sqlx::PgConnection,
    kind: &str,
    id: SellerId,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    outbox::enqueue(
        tx,
        NewEvent {
            event_type: kind,
            aggregate_type: "seller",
            aggregate_id: id.to_string(),
            payload: json!({ "sellerId": id, "reason": reason }),
        },
    )
    .await
    .map(|_| ())
}

/// Approves a pending application: the user becomes a seller with the given commission rate,
/// or the configured default.
pub async fn approve(
    db: &PgPool,
    redis: &Redis,
    configs: &Configs,
    id: SellerId,
    actor: &Actor,
    commission: Option<CommissionRate>,
) -> Result<SellerView, SellerError> {
    let rate = match commission {
        Some(r) => r.value(),
        None => configs.get(&DEFAULT_COMMISSION).await?,
    };
    let mut tx = db.begin().await?;
    let user_id: Option<UserId> = sqlx::query_scalar(
        "UPDATE sellers SET status = 'approved', status_reason = NULL, commission_rate = $2,
             approval_date = now(), reviewed_by = $3
         WHERE id = $1 AND status = 'pending' RETURNING user_id",
    )
    .bind(id)
    .bind(rate)
    .bind(actor.id)
    .fetch_optional(&mut *tx)
    .await?;
    let user_id = user_id.ok_or(SellerError::WrongState)?;
    let change = Change::update(
        AuditResource::Seller,
        id,
        &json!({ "status": "pending" }),
        &json!({ "status": "approved", "commission_rate": rate }),
    );
    audit::record(&mut tx, actor, &change).await?;
    sqlx::query("UPDATE users SET role = 'seller' WHERE id = $1 AND role = 'customer'")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    event(&mut tx, "seller.approved", id, None).await?;
    tx.commit().await?;
    // The new role counts on every instance from the next request.
    crate::platform::principals::account_changed(redis, user_id).await;
    get(db, id).await
}

fn reason_required(reason: &str) -> Result<String, SellerError> {
    domain::parse_reason(reason).map_err(|e| SellerError::Invalid(vec![e]))
}

/// Moves an application from `from` to `to` with a reason the seller will read.
async fn decide_with_reason(
    db: &PgPool,
    id: SellerId,
    actor: &Actor,
    reason: &str,
    (from, to): (&str, &str),
) -> Result<SellerView, SellerError> {
    let reason = reason_required(reason)?;
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE sellers SET status = $4, status_reason = $2, reviewed_by = $3 WHERE id = $1 AND status = $5",
    )
    .bind(id)
    .bind(&reason)
    .bind(actor.id)
    .bind(to)
    .bind(from)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(SellerError::WrongState);
    }
    let change = Change::update(
        AuditResource::Seller,
        id,
        &json!({ "status": from }),
        &json!({ "status": to }),
    )
    .because(&reason);
    audit::record(&mut tx, actor, &change).await?;
    event(&mut tx, &format!("seller.{to}"), id, Some(&reason)).await?;
    // A suspended seller's products leave the store; their cached pages must go too.
    crate::catalog::service::seller_products_changed(&mut tx, id).await?;
    tx.commit().await?;
    get(db, id).await
}

/// Rejects a pending application with a reason the applicant will read.
pub async fn reject(
    db: &PgPool,
    id: SellerId,
    actor: &Actor,
    reason: &str,
) -> Result<SellerView, SellerError> {
    decide_with_reason(db, id, actor, reason, ("pending", "rejected")).await
}

/// Suspends an approved seller: they keep their account but cannot sell.
pub async fn suspend(
    db: &PgPool,
    id: SellerId,
    actor: &Actor,
    reason: &str,
) -> Result<SellerView, SellerError> {
    decide_with_reason(db, id, actor, reason, ("approved", "suspended")).await
}

/// The approved seller account of a user, for seller-only operations.
pub async fn approved_seller_of(
    db: &PgPool,
    user_id: UserId,
) -> Result<Option<SellerId>, SellerError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM sellers WHERE user_id = $1 AND status = 'approved'")
            .bind(user_id)
            .fetch_optional(db)
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::i18n::Msg;
    use crate::platform::testing::{admin_actor, business_number, test_redis};

    async fn user(db: &PgPool, email: &str) -> UserId {
        crate::platform::testing::user(db, email).await
    }

    fn application(number: &str) -> Application {
        form(number).try_into().expect("a valid application")
    }

    fn form(number: &str) -> domain::ApplicationForm {
        domain::ApplicationForm {
            business_name: "장터상회".into(),
            business_number: number.into(),
            business_type: "individual".into(),
            representative_name: "박사장".into(),
            business_address: "서울특별시 마포구 월드컵북로 396".into(),
            business_phone: "02-123-4567".into(),
            bank_name: "국민은행".into(),
            bank_account_holder: "박사장".into(),
            bank_account_number: "123-456-789012".into(),
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn apply_review_and_the_seller_role(db: PgPool) {
        let configs = Configs::new(db.clone(), test_redis().await);
        let admin = &admin_actor(user(&db, "admin@example.com").await);
        let u = user(&db, "shop@example.com").await;
        let s = apply(&db, u, application("000-00-01237")).await.unwrap();
        assert_eq!(s.status, SellerStatus::Pending);
        assert_eq!(s.business_number, "000-00-01237");
        assert_eq!(s.bank_account_number, "****9012");
        assert!(matches!(
            apply(&db, u, application(&business_number())).await,
            Err(SellerError::AlreadyApplied)
        ));

        let s = approve(&db, configs.redis(), &configs, s.id, admin, None)
            .await
            .unwrap();
        assert_eq!(s.status, SellerStatus::Approved);
        assert_eq!(
            s.commission_rate,
            Some(Decimal::new(1000, 2)),
            "default from system config"
        );
        let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
            .bind(u)
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(role, "seller");
        assert_eq!(approved_seller_of(&db, u).await.unwrap(), Some(s.id));
        assert!(matches!(
            approve(&db, configs.redis(), &configs, s.id, admin, None).await,
            Err(SellerError::WrongState)
        ));

        let s = suspend(&db, s.id, admin, "반복된 배송 지연").await.unwrap();
        assert_eq!(s.status, SellerStatus::Suspended);
        assert_eq!(s.status_reason.as_deref(), Some("반복된 배송 지연"));
        let log = audit::history(&db, AuditResource::Seller, &s.id.to_string(), 10)
            .await
            .unwrap();
        assert_eq!(log.len(), 2, "approval and suspension: {log:?}");
        assert_eq!(log[0].reason.as_deref(), Some("반복된 배송 지연"));
        assert_eq!(log[0].actor_id, Some(admin.id));
        assert_eq!(log[0].after, Some(json!({ "status": "suspended" })));
        assert_eq!(
            log[1].before,
            Some(json!({ "status": "pending", "commission_rate": null }))
        );
        assert_eq!(
            approved_seller_of(&db, u).await.unwrap(),
            None,
            "suspended sellers cannot sell"
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn the_configured_commission_applies_and_rejections_can_be_fixed(db: PgPool) {
        let configs = Configs::new(db.clone(), test_redis().await);
        configs
            .set(&DEFAULT_COMMISSION, &Decimal::new(1250, 2), None)
            .await
            .unwrap();
        let admin = &admin_actor(user(&db, "admin@example.com").await);
        let u = user(&db, "retry@example.com").await;
        let s = apply(&db, u, application(&business_number()))
            .await
            .unwrap();
        assert!(
            matches!(
                reject(&db, s.id, admin, "  ").await,
                Err(SellerError::Invalid(_))
            ),
            "a reason is required"
        );
        let s = reject(&db, s.id, admin, "통장 사본이 흐립니다")
            .await
            .unwrap();
        assert_eq!(s.status, SellerStatus::Rejected);
        let s = apply(&db, u, application(&business_number()))
            .await
            .unwrap();
        assert_eq!((s.status, s.status_reason), (SellerStatus::Pending, None));
        let s = approve(&db, configs.redis(), &configs, s.id, admin, None)
            .await
            .unwrap();
        assert_eq!(s.commission_rate, Some(Decimal::new(1250, 2)));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn bad_and_duplicate_business_numbers_are_named(db: PgPool) {
        let a = user(&db, "a@example.com").await;
        let b = user(&db, "b@example.com").await;
        let f = Application::try_from(form("124-81-00997")).unwrap_err();
        assert_eq!(f[0].field, "business_number");
        assert_eq!(f[0].msg, Msg::ErrBusinessNumber);
        apply(&db, a, application("0000001237")).await.unwrap();
        assert!(matches!(
            apply(&db, b, application("000-00-01237")).await,
            Err(SellerError::BusinessNumberTaken)
        ));
    }
}
