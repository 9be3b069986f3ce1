//! Accounts as admins manage them (seed 000 users): search, the user page (a READ in the
//! audit log), suspension, role and grade. Every change writes its audit row in its own
//! transaction, and a change to what an account may do reaches every instance at once.

use super::super::domain::{GradeChange, RoleChange, StatusChange, UserFilter};
use super::super::{
    mask_name, mask_phone, AdminError, MaskedAddress, UserDetail, UserList, UserRow, UserSession,
};
use super::audit::like_escape;
use crate::identity::{describe_user_agent, Grade, Role, UserId, UserStatus};
use crate::platform::audit::{self, Actor, AuditResource, Change};
use crate::platform::auth::registry;
use crate::platform::config::{Configs, GRADE_GOLD_FROM, GRADE_SILVER_FROM, GRADE_VIP_FROM};
use crate::platform::principals::account_changed;
use crate::platform::redis::Redis;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::{PgPool, Postgres, QueryBuilder};

pub const PAGE_SIZE: i64 = 30;
pub const MAX_PAGE: i64 = 100_000;
/// How much of a user's history their page shows.
pub const HISTORY: i64 = 30;

const COLUMNS: &str = "id, email, name, phone, role, status, user_grade AS grade, created_at,
    last_login_at";

fn masked(mut row: UserRow) -> UserRow {
    row.phone = row.phone.as_deref().map(mask_phone);
    row
}

fn filtered<'a>(q: &mut QueryBuilder<'a, Postgres>, f: &'a UserFilter) {
    q.push(" WHERE status <> 'deleted'");
    if let Some(text) = &f.q {
        let pattern = format!("%{}%", like_escape(text));
        q.push(" AND (email || ' ' || name || ' ' || coalesce(phone, '')) ILIKE ")
            .push_bind(pattern);
    }
    if let Some(r) = f.role {
        q.push(" AND role = ").push_bind(r);
    }
    if let Some(s) = f.status {
        q.push(" AND status = ").push_bind(s);
    }
    if let Some(g) = f.grade {
        q.push(" AND user_grade = ").push_bind(g);
    }
}

/// One page of accounts, newest first.
pub async fn search(db: &PgPool, f: &UserFilter) -> Result<UserList, AdminError> {
    let page = f.page.clamp(1, MAX_PAGE);
    let mut count: QueryBuilder<Postgres> = QueryBuilder::new("SELECT count(*) FROM users");
    filtered(&mut count, f);
    let total: i64 = count.build_query_scalar().fetch_one(db).await?;
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!("SELECT {COLUMNS} FROM users"));
    filtered(&mut q, f);
    q.push(" ORDER BY created_at DESC, id DESC LIMIT ")
        .push_bind(PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind((page - 1) * PAGE_SIZE);
    let items: Vec<UserRow> = q.build_query_as().fetch_all(db).await?;
    Ok(UserList {
        items: items.into_iter().map(masked).collect(),
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        total,
    })
}

/// The user page. Showing someone's personal data is itself logged (a READ).
pub async fn detail(
    db: &PgPool,
    redis: &Redis,
    actor: &Actor,
    id: UserId,
) -> Result<UserDetail, AdminError> {
    let mut tx = db.begin().await?;
    let user: UserRow = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1 AND status <> 'deleted'"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AdminError::NotFound)?;
    let (status_reason, grade_manual): (Option<String>, bool) = sqlx::query_as(
        "SELECT status_reason, grade_manual_at IS NOT NULL FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let (orders_count, total_purchase, purchase_12_months): (i64, Decimal, Decimal) =
        sqlx::query_as(
            "SELECT count(*),
                    coalesce(sum(points_used + paid_amount - refunded_amount) FILTER (WHERE paid_at IS NOT NULL), 0),
                    coalesce(sum(points_used + paid_amount - refunded_amount)
                        FILTER (WHERE paid_at >= now() - INTERVAL '12 months'), 0)
             FROM orders WHERE user_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let addresses: Vec<(Option<String>, String, String, String, String, bool)> = sqlx::query_as(
        "SELECT label, recipient_name, phone, postal_code, address, is_default
         FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, created_at",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, &Change::read(AuditResource::User, id)).await?;
    tx.commit().await?;
    let sessions = registry::list(redis, id, None)
        .await?
        .into_iter()
        .map(|s| UserSession {
            device: describe_user_agent(&s.user_agent),
            ip: s.ip,
            created_at: s.created_at,
            last_seen: s.last_seen,
        })
        .collect();
    let history = audit::history(db, AuditResource::User, &id.to_string(), HISTORY).await?;
    Ok(UserDetail {
        user: masked(user),
        status_reason,
        grade_manual,
        orders_count,
        total_purchase,
        purchase_12_months,
        sessions,
        addresses: addresses
            .into_iter()
            .map(
                |(label, recipient, phone, postal_code, address, is_default)| MaskedAddress {
                    label,
                    recipient_name: mask_name(&recipient),
                    phone: mask_phone(&phone),
                    postal_code,
                    address,
                    is_default,
                },
            )
            .collect(),
        history,
    })
}

/// Changes to who is an active admin take turns: each waits here, so the guarded statement
/// after it counts the admins as the previous change left them.
pub(crate) async fn lock_admins(conn: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('users:active-admins'))")
        .execute(conn)
        .await
        .map(|_| ())
}

/// True while an active admin other than `$1` exists.
const OTHER_ADMIN: &str =
    "EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND status = 'active' AND id <> $1)";

/// Suspends (signing the user out on every instance) or reactivates an account.
pub async fn set_status(
    db: &PgPool,
    redis: &Redis,
    actor: &Actor,
    c: &StatusChange,
) -> Result<(), AdminError> {
    if c.suspend && c.id == actor.id {
        return Err(AdminError::SelfSuspend);
    }
    let (from, to) = if c.suspend {
        (UserStatus::Active, UserStatus::Suspended)
    } else {
        (UserStatus::Suspended, UserStatus::Active)
    };
    let mut tx = db.begin().await?;
    lock_admins(&mut tx).await?;
    // The last active admin is never suspended, however many admins race.
    let done: Option<Role> = sqlx::query_scalar(&format!(
        "UPDATE users SET status = $3, status_reason = CASE WHEN $4 THEN $5 END
         WHERE id = $1 AND status = $2 AND (role <> 'admin' OR NOT $4 OR {OTHER_ADMIN})
         RETURNING role"
    ))
    .bind(c.id)
    .bind(from)
    .bind(to)
    .bind(c.suspend)
    .bind(&c.reason)
    .fetch_optional(&mut *tx)
    .await?;
    if done.is_none() {
        return Err(why_not(&mut tx, c.id, |r: &(Role, UserStatus)| {
            if r.1 != from {
                AdminError::UserWrongState
            } else {
                AdminError::LastAdmin
            }
        })
        .await);
    }
    let change = Change::update(
        AuditResource::User,
        c.id,
        &json!({ "status": from }),
        &json!({ "status": to }),
    )
    .because(&c.reason);
    audit::record(&mut tx, actor, &change).await?;
    tx.commit().await?;
    account_changed(redis, c.id).await;
    if c.suspend {
        registry::revoke_all(redis, c.id).await?;
    }
    Ok(())
}

/// Why a guarded update matched nothing: the account is gone, or `explain` says.
async fn why_not(
    conn: &mut sqlx::PgConnection,
    id: UserId,
    explain: impl Fn(&(Role, UserStatus)) -> AdminError,
) -> AdminError {
    let row: Result<Option<(Role, UserStatus)>, _> =
        sqlx::query_as("SELECT role, status FROM users WHERE id = $1 AND status <> 'deleted'")
            .bind(id)
            .fetch_optional(conn)
            .await;
    match row {
        Ok(Some(r)) => explain(&r),
        Ok(None) => AdminError::NotFound,
        Err(e) => e.into(),
    }
}

/// Changes a role between customer and admin; the last active admin keeps theirs.
pub async fn set_role(
    db: &PgPool,
    redis: &Redis,
    actor: &Actor,
    c: &RoleChange,
) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    lock_admins(&mut tx).await?;
    let was: Option<Role> = sqlx::query_scalar(&format!(
        "WITH old AS (SELECT id, role FROM users WHERE id = $1 AND status <> 'deleted' FOR UPDATE)
         UPDATE users u SET role = $2 FROM old
         WHERE u.id = old.id AND old.role <> 'seller' AND old.role <> $2
           AND (old.role <> 'admin' OR {OTHER_ADMIN})
         RETURNING old.role"
    ))
    .bind(c.id)
    .bind(c.role)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(was) = was else {
        return Err(why_not(&mut tx, c.id, |(role, _)| match role {
            Role::Seller => AdminError::SellerRole,
            r if *r == c.role => AdminError::UserWrongState,
            _ => AdminError::LastAdmin,
        })
        .await);
    };
    let change = Change::update(
        AuditResource::User,
        c.id,
        &json!({ "role": was }),
        &json!({ "role": c.role }),
    )
    .because(&c.reason);
    audit::record(&mut tx, actor, &change).await?;
    tx.commit().await?;
    account_changed(redis, c.id).await;
    Ok(())
}

/// Sets a grade by hand (the grades job leaves it alone from then on), or hands it back to
/// the job.
pub async fn set_grade(
    db: &PgPool,
    configs: &Configs,
    actor: &Actor,
    c: &GradeChange,
) -> Result<(), AdminError> {
    let mut tx = db.begin().await?;
    let before: Option<(Grade, bool)> = sqlx::query_as(
        "SELECT user_grade, grade_manual_at IS NOT NULL FROM users
         WHERE id = $1 AND status <> 'deleted' FOR UPDATE",
    )
    .bind(c.id)
    .fetch_optional(&mut *tx)
    .await?;
    let (was, was_manual) = before.ok_or(AdminError::NotFound)?;
    let grade = match c.grade {
        Some(g) => g,
        None => {
            let t = Thresholds::read(configs).await?;
            let spent: Decimal = sqlx::query_scalar(
                "SELECT coalesce(sum(points_used + paid_amount - refunded_amount), 0) FROM orders
                 WHERE user_id = $1 AND paid_at >= now() - INTERVAL '12 months'",
            )
            .bind(c.id)
            .fetch_one(&mut *tx)
            .await?;
            t.grade_for(spent)
        }
    };
    sqlx::query(
        "UPDATE users SET user_grade = $2,
             grade_manual_at = CASE WHEN $3 THEN now() END
         WHERE id = $1",
    )
    .bind(c.id)
    .bind(grade)
    .bind(c.grade.is_some())
    .execute(&mut *tx)
    .await?;
    let change = Change::update(
        AuditResource::User,
        c.id,
        &json!({ "grade": was, "grade_manual": was_manual }),
        &json!({ "grade": grade, "grade_manual": c.grade.is_some() }),
    )
    .because(&c.reason);
    audit::record(&mut tx, actor, &change).await?;
    tx.commit().await?;
    Ok(())
}

/// The grade thresholds in system configs: 12-month purchases from which each grade starts.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds {
    pub silver: Decimal,
    pub gold: Decimal,
    pub vip: Decimal,
}

impl Thresholds {
    pub async fn read(configs: &Configs) -> Result<Self, AdminError> {
        Ok(Self {
            silver: configs.get(&GRADE_SILVER_FROM).await?,
            gold: configs.get(&GRADE_GOLD_FROM).await?,
            vip: configs.get(&GRADE_VIP_FROM).await?,
        })
    }

    /// The highest grade whose threshold is met (checked from the top, so thresholds an
    /// admin typed out of order still give one answer).
    pub fn grade_for(&self, spent: Decimal) -> Grade {
        if spent >= self.vip {
            Grade::Vip
        } else if spent >= self.gold {
            Grade::Gold
        } else if spent >= self.silver {
            Grade::Silver
        } else {
            Grade::Bronze
        }
    }
}

/// The grades job: every account's 12-month purchases and lifetime total, and its grade
/// unless an admin set one. One statement; returns how many grades changed.
pub async fn recompute_grades(db: &PgPool, configs: &Configs) -> Result<u64, AdminError> {
    let t = Thresholds::read(configs).await?;
    let changed = sqlx::query(
        "WITH spent AS (
             SELECT u.id,
                    coalesce(sum(o.points_used + o.paid_amount - o.refunded_amount), 0) AS total,
                    coalesce(sum(o.points_used + o.paid_amount - o.refunded_amount)
                        FILTER (WHERE o.paid_at >= now() - INTERVAL '12 months'), 0) AS recent
             FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.paid_at IS NOT NULL
             WHERE u.status <> 'deleted'
             GROUP BY u.id),
         graded AS (
             SELECT id, total,
                    CASE WHEN recent >= $3 THEN 'vip' WHEN recent >= $2 THEN 'gold'
                         WHEN recent >= $1 THEN 'silver' ELSE 'bronze' END AS grade
             FROM spent)
         UPDATE users u
         SET user_grade = CASE WHEN u.grade_manual_at IS NULL THEN g.grade ELSE u.user_grade END,
             total_purchase_amount = g.total
         FROM graded g
         WHERE u.id = g.id
           AND (u.total_purchase_amount <> g.total
                OR (u.grade_manual_at IS NULL AND u.user_grade <> g.grade))",
    )
    .bind(t.silver)
    .bind(t.gold)
    .bind(t.vip)
    .execute(db)
    .await?
    .rows_affected();
    Ok(changed)
}
