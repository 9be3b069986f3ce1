//! Self-service on one's own account: the profile, the password, and withdrawal (회원탈퇴).

use super::domain::{check_new_password, Email, PasswordChange, ProfileUpdate, Withdrawal};
use super::{password, IdentityError, Role, UserId, UserStatus, UserView};
use crate::platform::audit::{self, Actor, AuditResource, Change};
use crate::platform::auth::registry;
use crate::platform::principals::account_changed;
use crate::platform::ratelimit::{self, Limit};
use crate::platform::redis::Redis;
use serde_json::json;
use sqlx::PgPool;
use std::time::Duration;

/// Guesses at the current password through a signed-in session (a borrowed laptop, say).
pub const CHECKS_PER_ACCOUNT: Limit = Limit {
    max: 10,
    window: Duration::from_secs(15 * 60),
};

/// The name a withdrawn account and its kept records show instead of a person's.
pub const WITHDRAWN_NAME: &str = "탈퇴회원";

/// Why a withdrawal is refused: something still open that needs the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obligation {
    /// The shopper's own orders are paid but not yet delivered.
    OpenOrders,
    /// Tickets for a concert still to come.
    UpcomingTickets,
    /// The seller's orders are not finished (delivered, cancelled or refunded).
    SellerOpenOrders,
    /// Checkouts still hold the seller's stock.
    SellerReservations,
    /// The only active admin cannot leave the platform without one.
    LastAdmin,
}

impl Obligation {
    pub fn message(self) -> crate::platform::i18n::Msg {
        use crate::platform::i18n::Msg;
        match self {
            Self::OpenOrders => Msg::ErrWithdrawOpenOrders,
            Self::UpcomingTickets => Msg::ErrWithdrawTickets,
            Self::SellerOpenOrders => Msg::ErrWithdrawSellerOrders,
            Self::SellerReservations => Msg::ErrWithdrawSellerReservations,
            Self::LastAdmin => Msg::ErrWithdrawLastAdmin,
        }
    }
}

pub async fn update_profile(
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    p: &ProfileUpdate,
) -> Result<UserView, IdentityError> {
    let n =
        sqlx::query("UPDATE users SET name = $2, phone = $3 WHERE id = $1 AND status = 'active'")
            .bind(user)
            .bind(&p.name)
            .bind(&p.phone)
            .execute(db)
            .await?
            .rows_affected();
    if n == 0 {
        return Err(IdentityError::NotFound);
    }
    // The name is cached with the principal on every instance.
    account_changed(redis, user).await;
    super::service::find_user(db, user).await
}

/// Checks the current password (rate-limited per account), stores the new one, and signs
/// out every other device if asked. `keep` is this device's session, if it has one; a
/// request with an API token keeps none. Returns how many devices were signed out.
pub async fn change_password(
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    keep: Option<&str>,
    c: &PasswordChange,
) -> Result<usize, IdentityError> {
    let (email, stored) = current_secret(db, user).await?;
    let email = Email::parse(&email)?;
    check_new_password(c.new.expose(), Some(&email))?;
    verify_current(redis, user, "current_password", c.current.expose(), stored).await?;
    let hash = password::hash(c.new.expose().to_owned()).await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user)
        .bind(hash)
        .execute(db)
        .await?;
    if c.sign_out_others {
        Ok(registry::revoke_others(redis, user, keep).await?)
    } else {
        Ok(0)
    }
}

/// Withdraws the account: refuses while something open needs it, then, in one transaction,
/// anonymises the account and what must be kept, deletes the rest, and writes the audit
/// row; then signs out every device. The rule is in docs/runbook.md ("Withdrawal").
pub async fn withdraw(
    db: &PgPool,
    redis: &Redis,
    actor: &Actor,
    w: &Withdrawal,
) -> Result<(), IdentityError> {
    let user = actor.id;
    let (_, stored) = current_secret(db, user).await?;
    verify_current(redis, user, "password", w.password.expose(), stored).await?;

    let mut tx = db.begin().await?;
    // Changes to the set of active admins take turns (`lock_admins`), so two last admins
    // leaving at once cannot both see the other; then the row lock orders this against a
    // concurrent role change, suspension or withdrawal of this account.
    crate::admin::service::users::lock_admins(&mut tx).await?;
    let row: Option<(Role, UserStatus)> =
        sqlx::query_as("SELECT role, status FROM users WHERE id = $1 FOR UPDATE")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((role, UserStatus::Active)) = row else {
        return Err(IdentityError::NotFound);
    };
    // A seller's shop too: a checkout from it in flight holds its row (key share) until it
    // commits, so the check below sees that order; one that comes later finds it closed.
    sqlx::query("SELECT 1 FROM sellers WHERE user_id = $1 FOR UPDATE")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    if let Some(o) = open_obligation(&mut tx, user, role).await? {
        return Err(IdentityError::Obligation(o));
    }
    let reason = w.stated();
    sqlx::query(
        "UPDATE users SET email = 'withdrawn-' || id || '@withdrawn.invalid', name = $2,
             phone = NULL, password_hash = NULL, email_verified = FALSE, phone_verified = FALSE,
             status = 'deleted', status_reason = $3, deleted_at = now()
         WHERE id = $1",
    )
    .bind(user)
    .bind(WITHDRAWN_NAME)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    // Kept five years (orders, payments, the ledger), without the person in them.
    sqlx::query(
        "UPDATE orders SET recipient_name = $2, recipient_phone = '', postal_code = '',
             address = '', address_detail = NULL, delivery_memo = NULL
         WHERE user_id = $1",
    )
    .bind(user)
    .bind(WITHDRAWN_NAME)
    .execute(&mut *tx)
    .await?;
    // A seller's shop closes; the business's public registration stays with its orders.
    sqlx::query(
        "UPDATE sellers SET status = 'suspended', status_reason = 'withdrawn',
             representative_name = $2, business_phone = '', bank_account_holder = '',
             bank_account_number = ''
         WHERE user_id = $1",
    )
    .bind(user)
    .bind(WITHDRAWN_NAME)
    .execute(&mut *tx)
    .await?;
    for delete in [
        "DELETE FROM addresses WHERE user_id = $1",
        "DELETE FROM cart_items WHERE user_id = $1",
        "DELETE FROM carts WHERE user_id = $1",
        "DELETE FROM wishlists WHERE user_id = $1",
        "DELETE FROM product_views WHERE user_id = $1",
        "DELETE FROM user_coupons WHERE user_id = $1 AND used_at IS NULL",
        "UPDATE auth_tokens SET revoked = TRUE WHERE user_id = $1 AND NOT revoked",
    ] {
        sqlx::query(delete).bind(user).execute(&mut *tx).await?;
    }
    let change = Change::delete(
        AuditResource::User,
        user,
        json!({ "status": UserStatus::Active, "role": role }),
    )
    .because(&reason);
    audit::record(&mut tx, actor, &change).await?;
    tx.commit().await?;
    account_changed(redis, user).await;
    registry::revoke_all(redis, user).await?;
    Ok(())
}

/// Refuses unless the account is active, and keeps a withdrawal out until the caller's
/// transaction ends. Withdrawal holds the account row for update; this key-share lock waits
/// for a withdrawal in flight (and then reads the account as withdrawn), or makes a later
/// one wait until this transaction has committed, so that it sees what was written here.
/// A suspension only updates the row and does not wait: an order placed as an admin
/// suspends the account is left to stand.
pub async fn require_active(
    conn: &mut sqlx::PgConnection,
    user: UserId,
) -> Result<(), IdentityError> {
    let status: Option<UserStatus> =
        sqlx::query_scalar("SELECT status FROM users WHERE id = $1 FOR KEY SHARE")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?;
    match status {
        Some(UserStatus::Active) => Ok(()),
        Some(UserStatus::Suspended) => Err(IdentityError::Suspended(None)),
        Some(UserStatus::Deleted) => Err(IdentityError::Closed),
        None => Err(IdentityError::NotFound),
    }
}

/// What the withdrawal page shows first: the balance lost, and a refusal in advance.
pub async fn preview(db: &PgPool, user: UserId) -> Result<super::WithdrawalPreview, IdentityError> {
    let mut conn = db.acquire().await?;
    let role: Role = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(IdentityError::NotFound)?;
    let blocked_by = open_obligation(&mut conn, user, role)
        .await?
        .map(Obligation::message);
    let balance = sqlx::query_scalar("SELECT balance FROM wallets WHERE user_id = $1")
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default();
    Ok(super::WithdrawalPreview {
        balance,
        blocked_by,
    })
}

/// The first thing still open that needs the account, if any.
async fn open_obligation(
    conn: &mut sqlx::PgConnection,
    user: UserId,
    role: Role,
) -> Result<Option<Obligation>, sqlx::Error> {
    if role == Role::Admin {
        let other: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND status = 'active'
                 AND id <> $1)",
        )
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
        if !other {
            return Ok(Some(Obligation::LastAdmin));
        }
    }
    let checks: [(Obligation, &str); 4] = [
        (
            Obligation::OpenOrders,
            // An order still waiting for the gateway counts: paid later, it would ship to
            // the blanked address.
            "SELECT EXISTS (SELECT 1 FROM orders WHERE user_id = $1
                 AND status IN ('pending', 'payment_waiting', 'paid', 'preparing', 'shipped'))",
        ),
        (
            Obligation::UpcomingTickets,
            "SELECT EXISTS (SELECT 1 FROM seat_reservations r JOIN concerts c ON c.id = r.concert_id
                 WHERE r.user_id = $1 AND r.status = 'CONFIRMED' AND c.status <> 'CANCELLED'
                   AND c.starts_at > now())",
        ),
        (
            Obligation::SellerOpenOrders,
            "SELECT EXISTS (SELECT 1 FROM orders o JOIN sellers s ON s.id = o.seller_id
                 WHERE s.user_id = $1
                   AND o.status IN ('pending', 'payment_waiting', 'paid', 'preparing', 'shipped'))",
        ),
        (
            Obligation::SellerReservations,
            "SELECT EXISTS (SELECT 1 FROM reservations r
                 JOIN reservation_lines l ON l.reservation_id = r.id
                 JOIN skus k ON k.id = l.sku_id JOIN sellers s ON s.id = k.seller_id
                 WHERE s.user_id = $1 AND r.status = 'ACTIVE')",
        ),
    ];
    for (obligation, sql) in checks {
        let open: bool = sqlx::query_scalar(sql)
            .bind(user)
            .fetch_one(&mut *conn)
            .await?;
        if open {
            return Ok(Some(obligation));
        }
    }
    Ok(None)
}

async fn current_secret(
    db: &PgPool,
    user: UserId,
) -> Result<(String, Option<String>), IdentityError> {
    sqlx::query_as("SELECT email, password_hash FROM users WHERE id = $1 AND status = 'active'")
        .bind(user)
        .fetch_optional(db)
        .await?
        .ok_or(IdentityError::NotFound)
}

/// Counts the attempt first (so parallel guesses cannot all pass), then verifies.
async fn verify_current(
    redis: &Redis,
    user: UserId,
    field: &'static str,
    typed: &str,
    stored: Option<String>,
) -> Result<(), IdentityError> {
    let key = format!("rl:password-check:{user}");
    ratelimit::hit(redis, &key, CHECKS_PER_ACCOUNT)
        .await
        .map_err(IdentityError::RateLimited)?;
    if password::verify(typed.to_owned(), stored).await? {
        ratelimit::reset(redis, &key).await;
        Ok(())
    } else {
        Err(IdentityError::WrongPassword(field))
    }
}
