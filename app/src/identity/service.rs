//! Accounts: sign-up, authentication, login/logout and suspension.

use super::domain::{Email, NewUser, SignupForm};
use super::password;
use super::{IdentityError, Role, UserId, UserStatus, UserView};
use crate::platform::auth::{registry, SESSION_SID, SESSION_UID};
use crate::platform::db::OnConstraint;
use crate::platform::ratelimit::{self, Limit};
use crate::platform::redis::Redis;
use rust_decimal::Decimal;
use sqlx::PgPool;
use std::time::Duration;
use tower_sessions::Session;

/// Every login attempt from one IP; `max` is the system config
/// `identity.logins_per_ip_per_10min` (30 by default).
pub const LIMIT_PER_IP: Limit = Limit {
    max: 30,
    window: Duration::from_secs(10 * 60),
};
/// Attempts on one account from one IP. Keyed by IP too, so an attacker elsewhere cannot
/// lock the owner out.
pub const LIMIT_PER_ACCOUNT_IP: Limit = Limit {
    max: 5,
    window: Duration::from_secs(15 * 60),
};
/// Failed attempts on one account from anywhere. Past it, the account is under distributed
/// guessing: each IP then gets `UNDER_ATTACK_PER_IP` attempts per window instead of five. That
/// slows the guessers twentyfold in all, and never locks the owner out: from a fresh IP they
/// still have a try.
pub const LIMIT_PER_ACCOUNT: Limit = Limit {
    max: 50,
    window: Duration::from_secs(60 * 60),
};
pub const UNDER_ATTACK_PER_IP: i64 = 1;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: UserId,
    email: String,
    name: String,
    phone: Option<String>,
    role: Role,
    status: UserStatus,
    status_reason: Option<String>,
    password_hash: Option<String>,
    user_grade: String,
    total_purchase_amount: Decimal,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl From<UserRow> for UserView {
    fn from(r: UserRow) -> Self {
        UserView {
            id: r.id,
            email: r.email,
            name: r.name,
            phone: r.phone,
            role: r.role,
            grade: r.user_grade,
            total_purchase_amount: r.total_purchase_amount,
            created_at: r.created_at,
        }
    }
}

const USER_COLUMNS: &str = "id, email, name, phone, role, status, status_reason, password_hash, \
                            user_grade, total_purchase_amount, created_at";

/// Sign-up from the web: counted per IP first (`identity.signups_per_ip_per_hour`, 10 by
/// default: enough for a shared office, too few to make hashing a weapon), then `signup`.
pub async fn register(
    db: &PgPool,
    redis: &Redis,
    configs: &crate::platform::config::Configs,
    client: &ClientInfo,
    input: SignupForm,
) -> Result<UserView, IdentityError> {
    use crate::platform::config::SIGNUPS_PER_IP_PER_HOUR;
    let max = configs.get(&SIGNUPS_PER_IP_PER_HOUR).await.unwrap_or(10);
    let limit = Limit {
        max,
        window: Duration::from_secs(60 * 60),
    };
    let key = format!("rl:signup:ip:{}", client.bucket());
    ratelimit::hit(redis, &key, limit)
        .await
        .map_err(IdentityError::RateLimited)?;
    signup(db, input.try_into()?).await
}

/// Creates a customer account from a parsed sign-up.
pub async fn signup(db: &PgPool, input: NewUser) -> Result<UserView, IdentityError> {
    let NewUser {
        email,
        password,
        name,
        phone,
    } = input;
    let hash = password::hash(password.expose().to_owned()).await?;
    let row: UserRow = sqlx::query_as(&format!(
        "INSERT INTO users (email, password_hash, name, phone) VALUES ($1, $2, $3, $4)
         RETURNING {USER_COLUMNS}"
    ))
    .bind(email.as_str())
    .bind(hash)
    .bind(name)
    .bind(phone)
    .fetch_one(db)
    .await
    .on_constraint(|c| (c == "users_email_key").then_some(IdentityError::EmailTaken))?;
    Ok(row.into())
}

/// Checks email and password. The password is checked before the account status, so only
/// someone who knows the password learns that the account is suspended.
pub async fn authenticate(
    db: &PgPool,
    email: &str,
    password: &str,
) -> Result<UserView, IdentityError> {
    let email = Email::parse(email).map_err(|_| IdentityError::BadCredentials)?;
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email.as_str())
    .fetch_optional(db)
    .await?;
    let stored = row.as_ref().and_then(|r| r.password_hash.clone());
    let ok = password::verify(password.to_owned(), stored).await?;
    let Some(row) = row.filter(|_| ok) else {
        return Err(IdentityError::BadCredentials);
    };
    match row.status {
        UserStatus::Active => Ok(row.into()),
        UserStatus::Suspended => Err(IdentityError::Suspended(row.status_reason)),
        UserStatus::Deleted => Err(IdentityError::BadCredentials),
    }
}

/// Where the request came from, for rate limits and the sessions list.
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

impl ClientInfo {
    /// The key per-IP limits count under (an IPv6 client's /64).
    pub fn bucket(&self) -> String {
        crate::platform::client_ip::bucket(&self.ip)
    }
}

/// Rate-limits, authenticates, cycles the session id and registers the device.
#[allow(clippy::too_many_arguments)] // each is a different piece of the request
pub async fn login(
    db: &PgPool,
    redis: &Redis,
    configs: &crate::platform::config::Configs,
    session: &Session,
    email: &str,
    password: &str,
    client: &ClientInfo,
) -> Result<UserView, IdentityError> {
    let account = email.trim().to_lowercase();
    let ip = client.bucket();
    let ip_key = format!("rl:login:ip:{ip}");
    let acct_ip_key = format!("rl:login:acct-ip:{account}:{ip}");
    let acct_key = format!("rl:login:acct:{account}");
    // Count first, in one atomic step each, and only then do the slow work: concurrent
    // attempts cannot all pass a check made before any of them was counted.
    let ip_limit = Limit {
        max: configs
            .get(&crate::platform::config::LOGINS_PER_IP_PER_10MIN)
            .await
            .unwrap_or(LIMIT_PER_IP.max),
        ..LIMIT_PER_IP
    };
    ratelimit::hit(redis, &ip_key, ip_limit)
        .await
        .map_err(IdentityError::RateLimited)?;
    let per_ip = match ratelimit::exceeded(redis, &acct_key, LIMIT_PER_ACCOUNT).await {
        Some(_) => Limit {
            max: UNDER_ATTACK_PER_IP,
            ..LIMIT_PER_ACCOUNT_IP
        },
        None => LIMIT_PER_ACCOUNT_IP,
    };
    ratelimit::hit(redis, &acct_ip_key, per_ip)
        .await
        .map_err(IdentityError::RateLimited)?;
    let user = match authenticate(db, email, password).await {
        Ok(user) => user,
        Err(e @ IdentityError::BadCredentials) => {
            let _ = ratelimit::count(redis, &acct_key, LIMIT_PER_ACCOUNT.window).await;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    ratelimit::reset(redis, &acct_ip_key).await;
    start_session(db, redis, session, user.id, client).await?;
    Ok(user)
}

/// Signs a user in on this session (after login or sign-up).
pub async fn start_session(
    db: &PgPool,
    redis: &Redis,
    session: &Session,
    user_id: UserId,
    client: &ClientInfo,
) -> Result<(), IdentityError> {
    // A new id defeats session fixation: whatever id the visitor had before is dead now.
    session.cycle_id().await?;
    let sid = registry::create(redis, user_id, &client.user_agent, &client.ip).await?;
    session.insert(SESSION_SID, &sid).await?;
    session.insert(SESSION_UID, user_id).await?;
    sqlx::query("UPDATE users SET last_login_at = now() WHERE id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn logout(redis: &Redis, session: &Session) -> Result<(), IdentityError> {
    let sid: Option<String> = session.get(SESSION_SID).await?;
    let uid: Option<UserId> = session.get(SESSION_UID).await?;
    if let (Some(sid), Some(uid)) = (sid, uid) {
        registry::revoke(redis, uid, &sid).await?;
    }
    session.flush().await?;
    Ok(())
}

pub async fn find_user(db: &PgPool, id: UserId) -> Result<UserView, IdentityError> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    row.map(Into::into).ok_or(IdentityError::NotFound)
}

/// Creates or updates an account with a known password and role (demo data, admin tools).
pub async fn upsert_account(
    db: &PgPool,
    email: &str,
    password: &str,
    name: &str,
    role: Role,
) -> Result<UserId, IdentityError> {
    let email = Email::parse(email)?;
    let hash = password::hash(password.to_owned()).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, name, role, email_verified)
         VALUES ($1, $2, $3, $4, TRUE)
         ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash,
             name = EXCLUDED.name, role = EXCLUDED.role, status = 'active', status_reason = NULL
         RETURNING id",
    )
    .bind(email.as_str())
    .bind(hash)
    .bind(name)
    .bind(role.as_str())
    .fetch_one(db)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::i18n::Msg;

    fn input(email: &str, password: &str) -> NewUser {
        SignupForm {
            email: email.into(),
            password: password.into(),
            name: "김민수".into(),
            phone: Some("010-1234-5678".into()),
        }
        .try_into()
        .expect("a valid sign-up")
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn signup_creates_a_customer_with_a_normalised_email(db: PgPool) {
        let user = signup(&db, input(" MinSu@Example.com ", "spring market 2026"))
            .await
            .unwrap();
        assert_eq!(user.email, "minsu@example.com");
        assert_eq!(user.role, Role::Customer);
        assert_eq!(user.grade, "bronze");
        assert_eq!(user.total_purchase_amount, Decimal::ZERO);
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn duplicate_email_is_reported_on_the_email_field(db: PgPool) {
        signup(&db, input("dup@example.com", "spring market 2026"))
            .await
            .unwrap();
        let err = signup(&db, input("DUP@example.com", "another pass 2026"))
            .await
            .unwrap_err();
        assert!(matches!(err, IdentityError::EmailTaken));
        let app: crate::platform::error::AppError = err.into();
        assert_eq!(
            app.field_message("email", crate::platform::i18n::Locale::En),
            Some(Msg::ErrEmailTaken.text(crate::platform::i18n::Locale::En))
        );
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let fields = NewUser::try_from(SignupForm {
            email: "not-an-email".into(),
            password: "short".into(),
            name: "  ".into(),
            phone: Some("12".into()),
        })
        .unwrap_err();
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, vec!["email", "password", "name", "phone"]);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn login_checks_the_password(db: PgPool) {
        signup(&db, input("kim@example.com", "spring market 2026"))
            .await
            .unwrap();
        assert!(authenticate(&db, "KIM@example.com", "spring market 2026")
            .await
            .is_ok());
        assert!(matches!(
            authenticate(&db, "kim@example.com", "spring market 2025").await,
            Err(IdentityError::BadCredentials)
        ));
        assert!(matches!(
            authenticate(&db, "nobody@example.com", "spring market 2026").await,
            Err(IdentityError::BadCredentials)
        ));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn suspended_users_cannot_log_in_and_are_told_why(db: PgPool) {
        let redis = crate::platform::testing::test_redis().await;
        let user = signup(&db, input("bad@example.com", "spring market 2026"))
            .await
            .unwrap();
        let by = crate::platform::testing::admin_actor(UserId(uuid::Uuid::new_v4()));
        let change = crate::admin::domain::StatusChange {
            id: user.id,
            suspend: true,
            reason: "Repeated chargebacks".into(),
        };
        crate::admin::service::users::set_status(&db, &redis, &by, &change)
            .await
            .unwrap();
        match authenticate(&db, "bad@example.com", "spring market 2026").await {
            Err(IdentityError::Suspended(Some(reason))) => {
                assert_eq!(reason, "Repeated chargebacks")
            }
            other => panic!("{other:?}"),
        }
        // Without the password, the status stays secret.
        assert!(matches!(
            authenticate(&db, "bad@example.com", "wrong password 1").await,
            Err(IdentityError::BadCredentials)
        ));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn failed_logins_from_one_ip_do_not_lock_out_the_owner(db: PgPool) {
        use std::sync::Arc;
        let redis = crate::platform::testing::test_redis().await;
        let configs = crate::platform::config::Configs::new(db.clone(), redis.clone());
        let store = Arc::new(tower_sessions_redis_store::RedisStore::new(
            redis.pool.clone(),
        ));
        let session = || Session::new(None, store.clone(), None);
        signup(&db, input("owner@example.com", "spring market 2026"))
            .await
            .unwrap();
        let attacker = ClientInfo {
            ip: "10.0.0.66".into(),
            user_agent: "bot".into(),
        };
        let owner = ClientInfo {
            ip: "10.0.0.1".into(),
            user_agent: "browser".into(),
        };
        for _ in 0..LIMIT_PER_ACCOUNT_IP.max {
            let r = login(
                &db,
                &redis,
                &configs,
                &session(),
                "owner@example.com",
                "guess guess 1",
                &attacker,
            )
            .await;
            assert!(matches!(r, Err(IdentityError::BadCredentials)), "{r:?}");
        }
        // Now even the right password from the attacker's IP is refused for a while...
        let r = login(
            &db,
            &redis,
            &configs,
            &session(),
            "owner@example.com",
            "spring market 2026",
            &attacker,
        )
        .await;
        assert!(matches!(r, Err(IdentityError::RateLimited(_))), "{r:?}");
        // ...but the owner, elsewhere, gets in.
        let r = login(
            &db,
            &redis,
            &configs,
            &session(),
            "owner@example.com",
            "spring market 2026",
            &owner,
        )
        .await;
        assert!(r.is_ok(), "{r:?}");
    }
}
