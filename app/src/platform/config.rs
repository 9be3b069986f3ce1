//! System configs (seed 000 `system_configs`): typed keys registered in code, each with a
//! default and a validator; values live in Postgres.
//!
//! Reads go through a short in-process cache. A write publishes the key on a Redis channel and
//! every instance drops it from its cache at once, so the TTL only bounds staleness if a
//! notification is lost.

use crate::platform::audit::{self, Actor, AuditResource, Change};
pub use crate::platform::config_kind::{ConfigCategory, ConfigKind};
use crate::platform::error::AppError;
use crate::platform::i18n::Msg;
use crate::platform::redis::Redis;
use fred::prelude::*;
use rust_decimal::Decimal;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const CACHE_TTL: Duration = Duration::from_secs(10);
const CHANNEL: &str = "config:invalidate";

/// Describes one config key; `Key<T>` adds its Rust type.
pub struct ConfigDef {
    pub key: &'static str,
    pub category: ConfigCategory,
    pub kind: ConfigKind,
    /// Stored beside the value, for whoever reads the table directly.
    pub description: &'static str,
    /// What the admin console says about the key.
    pub label: Msg,
    pub default: fn() -> Value,
    /// Returns the message for a value of the right kind that the key still refuses.
    pub validate: fn(&Value) -> Result<(), Msg>,
}

impl std::fmt::Debug for ConfigDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigDef").field("key", &self.key).finish()
    }
}

pub struct Key<T> {
    pub def: &'static ConfigDef,
    _t: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    pub const fn new(def: &'static ConfigDef) -> Self {
        Self {
            def,
            _t: PhantomData,
        }
    }
}

fn non_negative_decimal(v: &Value) -> Result<(), Msg> {
    match serde_json::from_value::<Decimal>(v.clone()) {
        Ok(d) if d >= Decimal::ZERO => Ok(()),
        _ => Err(Msg::ErrAmountNegative),
    }
}

fn percentage(v: &Value) -> Result<(), Msg> {
    match serde_json::from_value::<Decimal>(v.clone()) {
        Ok(d) if d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED => Ok(()),
        _ => Err(Msg::ErrConfigPercent),
    }
}

fn positive_int(v: &Value) -> Result<(), Msg> {
    match v.as_i64() {
        Some(n) if n > 0 => Ok(()),
        _ => Err(Msg::ErrConfigPositive),
    }
}

pub static SHIPPING_FEE_DEF: ConfigDef = ConfigDef {
    key: "shop.shipping_fee",
    category: ConfigCategory::Shipping,
    kind: ConfigKind::Money,
    description: "Shipping fee per seller order, in KRW",
    label: Msg::CfgShippingFee,
    default: || Value::String("3000".into()),
    validate: non_negative_decimal,
};
pub static FREE_SHIPPING_THRESHOLD_DEF: ConfigDef = ConfigDef {
    key: "shop.free_shipping_threshold",
    category: ConfigCategory::Shipping,
    kind: ConfigKind::Money,
    description: "Seller order total from which shipping is free, in KRW",
    label: Msg::CfgFreeShipping,
    default: || Value::String("50000".into()),
    validate: non_negative_decimal,
};
pub static CHECKOUT_HOLD_DEF: ConfigDef = ConfigDef {
    key: "shop.checkout_hold_minutes",
    category: ConfigCategory::Shop,
    kind: ConfigKind::Minutes,
    description: "How long a placed checkout holds its stock while payment is pending, in minutes",
    label: Msg::CfgCheckoutHold,
    default: || Value::from(15),
    validate: positive_int,
};
pub static DEFAULT_COMMISSION_DEF: ConfigDef = ConfigDef {
    key: "seller.default_commission_rate",
    category: ConfigCategory::Settlement,
    kind: ConfigKind::Percent,
    description: "Commission rate (%) given to newly approved sellers",
    label: Msg::CfgDefaultCommission,
    default: || Value::String("10.00".into()),
    validate: percentage,
};
pub static HOLD_TTL_DEF: ConfigDef = ConfigDef {
    key: "tickets.hold_ttl_seconds",
    category: ConfigCategory::Tickets,
    kind: ConfigKind::Seconds,
    description: "How long a seat hold lasts before it expires, in seconds",
    label: Msg::CfgHoldTtl,
    default: || Value::from(300),
    validate: positive_int,
};
pub static QUEUE_ADMISSION_DEF: ConfigDef = ConfigDef {
    key: "tickets.queue_admission_per_minute",
    category: ConfigCategory::Tickets,
    kind: ConfigKind::Count,
    description: "How many users the waiting room admits per minute",
    label: Msg::CfgQueueAdmission,
    default: || Value::from(100),
    validate: positive_int,
};
pub static MAX_SEATS_DEF: ConfigDef = ConfigDef {
    key: "tickets.max_seats_per_user",
    category: ConfigCategory::Tickets,
    kind: ConfigKind::Count,
    description: "Most seats one account may hold or buy for one concert",
    label: Msg::CfgMaxSeats,
    default: || Value::from(4),
    validate: positive_int,
};
pub static QUEUE_ACTIVE_CAP_DEF: ConfigDef = ConfigDef {
    key: "tickets.queue_active_users",
    category: ConfigCategory::Tickets,
    kind: ConfigKind::Count,
    description: "How many shoppers may pick seats of one concert at once; more wait in line",
    label: Msg::CfgQueueCap,
    default: || Value::from(500),
    validate: positive_int,
};

pub static SIGNUPS_PER_IP_DEF: ConfigDef = ConfigDef {
    key: "identity.signups_per_ip_per_hour",
    category: ConfigCategory::Security,
    kind: ConfigKind::Count,
    description: "New accounts one IP address (or IPv6 /64) may create per hour",
    label: Msg::CfgSignupsPerIp,
    default: || Value::from(10),
    validate: positive_int,
};

pub static LOGINS_PER_IP_DEF: ConfigDef = ConfigDef {
    key: "identity.logins_per_ip_per_10min",
    category: ConfigCategory::Security,
    kind: ConfigKind::Count,
    description: "Login attempts one IP address (or IPv6 /64) may make in 10 minutes",
    label: Msg::CfgLoginsPerIp,
    default: || Value::from(30),
    validate: positive_int,
};

pub static GRADE_SILVER_DEF: ConfigDef = ConfigDef {
    key: "users.grade_silver_from",
    category: ConfigCategory::Users,
    kind: ConfigKind::Money,
    description: "Purchases over the last 12 months, in KRW, from which a user is silver",
    label: Msg::CfgGradeSilver,
    default: || Value::String("200000".into()),
    validate: non_negative_decimal,
};
pub static GRADE_GOLD_DEF: ConfigDef = ConfigDef {
    key: "users.grade_gold_from",
    category: ConfigCategory::Users,
    kind: ConfigKind::Money,
    description: "Purchases over the last 12 months, in KRW, from which a user is gold",
    label: Msg::CfgGradeGold,
    default: || Value::String("500000".into()),
    validate: non_negative_decimal,
};
pub static GRADE_VIP_DEF: ConfigDef = ConfigDef {
    key: "users.grade_vip_from",
    category: ConfigCategory::Users,
    kind: ConfigKind::Money,
    description: "Purchases over the last 12 months, in KRW, from which a user is VIP",
    label: Msg::CfgGradeVip,
    default: || Value::String("1000000".into()),
    validate: non_negative_decimal,
};

pub const SHIPPING_FEE: Key<Decimal> = Key::new(&SHIPPING_FEE_DEF);
pub const CHECKOUT_HOLD_MINUTES: Key<i64> = Key::new(&CHECKOUT_HOLD_DEF);
pub const SIGNUPS_PER_IP_PER_HOUR: Key<i64> = Key::new(&SIGNUPS_PER_IP_DEF);
pub const LOGINS_PER_IP_PER_10MIN: Key<i64> = Key::new(&LOGINS_PER_IP_DEF);
pub const FREE_SHIPPING_THRESHOLD: Key<Decimal> = Key::new(&FREE_SHIPPING_THRESHOLD_DEF);
pub const DEFAULT_COMMISSION: Key<Decimal> = Key::new(&DEFAULT_COMMISSION_DEF);
pub const HOLD_TTL_SECONDS: Key<i64> = Key::new(&HOLD_TTL_DEF);
pub const QUEUE_ADMISSION_PER_MINUTE: Key<i64> = Key::new(&QUEUE_ADMISSION_DEF);
pub const MAX_SEATS_PER_USER: Key<i64> = Key::new(&MAX_SEATS_DEF);
pub const QUEUE_ACTIVE_USERS: Key<i64> = Key::new(&QUEUE_ACTIVE_CAP_DEF);
pub const GRADE_SILVER_FROM: Key<Decimal> = Key::new(&GRADE_SILVER_DEF);
pub const GRADE_GOLD_FROM: Key<Decimal> = Key::new(&GRADE_GOLD_DEF);
pub const GRADE_VIP_FROM: Key<Decimal> = Key::new(&GRADE_VIP_DEF);

/// Every registered key. Later contexts add theirs here.
pub static REGISTRY: &[&ConfigDef] = &[
    &SHIPPING_FEE_DEF,
    &FREE_SHIPPING_THRESHOLD_DEF,
    &CHECKOUT_HOLD_DEF,
    &DEFAULT_COMMISSION_DEF,
    &HOLD_TTL_DEF,
    &QUEUE_ADMISSION_DEF,
    &MAX_SEATS_DEF,
    &QUEUE_ACTIVE_CAP_DEF,
    &SIGNUPS_PER_IP_DEF,
    &LOGINS_PER_IP_DEF,
    &GRADE_SILVER_DEF,
    &GRADE_GOLD_DEF,
    &GRADE_VIP_DEF,
];

pub fn find(key: &str) -> Option<&'static ConfigDef> {
    REGISTRY.iter().copied().find(|d| d.key == key)
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown config key {0}")]
    Unknown(String),
    #[error("invalid value for {key}: {reason:?}")]
    Invalid { key: String, reason: Msg },
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored value for {0} has the wrong type")]
    Decode(String),
}

impl From<ConfigError> for AppError {
    fn from(e: ConfigError) -> Self {
        match e {
            ConfigError::Unknown(_) => AppError::field("key", Msg::ErrUnknownConfig),
            ConfigError::Invalid { reason, .. } => AppError::field("value", reason),
            other => AppError::internal(other),
        }
    }
}

#[derive(Clone)]
pub struct Configs {
    db: PgPool,
    redis: Redis,
    cache: Arc<RwLock<HashMap<&'static str, (Value, Instant)>>>,
}

#[derive(Clone)]
pub struct ConfigEntry {
    pub def: &'static ConfigDef,
    pub value: Value,
    pub is_default: bool,
}

impl Configs {
    /// The Redis this cache invalidates through.
    pub fn redis(&self) -> &Redis {
        &self.redis
    }

    pub fn new(db: PgPool, redis: Redis) -> Self {
        Self {
            db,
            redis,
            cache: Default::default(),
        }
    }

    /// Listens for invalidations from other instances. Runs until the process ends.
    pub async fn spawn_invalidation_listener(&self) -> Result<(), fred::error::Error> {
        let cache = self.cache.clone();
        self.redis
            .listen(CHANNEL, move |key| {
                let mut cache = cache.write().expect("config cache");
                match key {
                    Some(key) => cache.retain(|k, _| *k != key),
                    // Messages were missed: forget everything rather than guess.
                    None => cache.clear(),
                }
            })
            .await
    }

    pub async fn get<T: DeserializeOwned>(&self, key: &Key<T>) -> Result<T, ConfigError> {
        let raw = self.raw(key.def).await?;
        serde_json::from_value(raw).map_err(|_| ConfigError::Decode(key.def.key.into()))
    }

    async fn raw(&self, def: &'static ConfigDef) -> Result<Value, ConfigError> {
        if let Some((v, at)) = self.cache.read().expect("config cache").get(def.key) {
            if at.elapsed() < CACHE_TTL {
                return Ok(v.clone());
            }
        }
        let stored: Option<Value> =
            sqlx::query_scalar("SELECT value FROM system_configs WHERE key = $1")
                .bind(def.key)
                .fetch_optional(&self.db)
                .await?;
        let value = stored.unwrap_or_else(def.default);
        self.cache
            .write()
            .expect("config cache")
            .insert(def.key, (value.clone(), Instant::now()));
        Ok(value)
    }

    /// Validates, stores and broadcasts a new value. An admin's change writes the audit row
    /// (before and after) in the same transaction.
    pub async fn set_raw(
        &self,
        key: &str,
        value: Value,
        actor: Option<&Actor>,
    ) -> Result<(), ConfigError> {
        self.set_with_reason(key, value, actor, None).await
    }

    /// `set_raw` with the reason the admin gave.
    pub async fn set_with_reason(
        &self,
        key: &str,
        value: Value,
        actor: Option<&Actor>,
        reason: Option<&str>,
    ) -> Result<(), ConfigError> {
        let def = find(key).ok_or_else(|| ConfigError::Unknown(key.into()))?;
        (def.validate)(&value).map_err(|reason| ConfigError::Invalid {
            key: key.into(),
            reason,
        })?;
        let mut tx = self.db.begin().await?;
        // Serialises writers of one key, so each audit row's "before" is what it replaced.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('system_configs:' || $1))")
            .bind(def.key)
            .execute(&mut *tx)
            .await?;
        let before: Option<Value> =
            sqlx::query_scalar("SELECT value FROM system_configs WHERE key = $1")
                .bind(def.key)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO system_configs (key, value, description, category, updated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by",
        )
        .bind(def.key)
        .bind(&value)
        .bind(def.description)
        .bind(def.category.as_str())
        .bind(actor.map(|a| a.id))
        .execute(&mut *tx)
        .await?;
        if let Some(actor) = actor {
            let before = before.unwrap_or_else(def.default);
            let mut change = Change::update(
                AuditResource::Config,
                def.key,
                &serde_json::json!({ "value": before }),
                &serde_json::json!({ "value": value }),
            );
            change.reason = reason;
            audit::record(&mut tx, actor, &change).await?;
        }
        tx.commit().await?;
        self.cache.write().expect("config cache").remove(def.key);
        // Best effort: if Redis is down, other instances catch up within CACHE_TTL.
        let published: Result<i64, _> = self
            .redis
            .pool
            .next()
            .publish(self.redis.key(CHANNEL), def.key)
            .await;
        if let Err(e) = published {
            tracing::warn!(error = %e, key = def.key, "config invalidation not published");
        }
        Ok(())
    }

    pub async fn set<T: Serialize>(
        &self,
        key: &Key<T>,
        value: &T,
        actor: Option<&Actor>,
    ) -> Result<(), ConfigError> {
        let v = serde_json::to_value(value).map_err(|_| ConfigError::Decode(key.def.key.into()))?;
        self.set_raw(key.def.key, v, actor).await
    }

    /// Every registered key with its current value, for the admin console.
    pub async fn list(&self) -> Result<Vec<ConfigEntry>, ConfigError> {
        let rows: Vec<(String, Value)> = sqlx::query_as("SELECT key, value FROM system_configs")
            .fetch_all(&self.db)
            .await?;
        let stored: HashMap<_, _> = rows.into_iter().collect();
        Ok(REGISTRY
            .iter()
            .map(|d| {
                let value = stored.get(d.key).cloned();
                ConfigEntry {
                    def: d,
                    is_default: value.is_none(),
                    value: value.unwrap_or_else(d.default),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::testing::test_redis;

    #[sqlx::test(migrations = "../migrations")]
    async fn defaults_typed_reads_and_validation(db: PgPool) {
        let configs = Configs::new(db, test_redis().await);
        assert_eq!(
            configs.get(&SHIPPING_FEE).await.unwrap(),
            Decimal::from(3000)
        );
        assert_eq!(configs.get(&HOLD_TTL_SECONDS).await.unwrap(), 300);
        configs.set(&HOLD_TTL_SECONDS, &120, None).await.unwrap();
        assert_eq!(configs.get(&HOLD_TTL_SECONDS).await.unwrap(), 120);
        assert!(matches!(
            configs.set(&HOLD_TTL_SECONDS, &0, None).await,
            Err(ConfigError::Invalid { .. })
        ));
        assert!(matches!(
            configs
                .set_raw(
                    "seller.default_commission_rate",
                    Value::String("150".into()),
                    None
                )
                .await,
            Err(ConfigError::Invalid { .. })
        ));
        assert!(matches!(
            configs.set_raw("nope", Value::Null, None).await,
            Err(ConfigError::Unknown(_))
        ));
        let listed = configs.list().await.unwrap();
        assert_eq!(listed.len(), REGISTRY.len());
        assert!(listed
            .iter()
            .any(|e| e.def.key == "tickets.hold_ttl_seconds" && !e.is_default));
    }

    #[test]
    fn every_default_is_a_valid_value_of_its_kind() {
        for def in REGISTRY {
            let default = (def.default)();
            assert_eq!((def.validate)(&default), Ok(()), "{}", def.key);
            let typed = def.kind.to_input(&default);
            assert_eq!(
                def.kind.from_input(&typed).as_ref(),
                Ok(&default),
                "{}",
                def.key
            );
        }
        let mut keys: Vec<_> = REGISTRY.iter().map(|d| d.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), REGISTRY.len(), "keys are unique");
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn an_admins_change_is_in_the_audit_log_with_what_it_replaced(db: PgPool) {
        let configs = Configs::new(db.clone(), test_redis().await);
        let admin = crate::platform::testing::admin_actor(
            crate::platform::testing::user(&db, "config-admin@example.com").await,
        );
        let key = SHIPPING_FEE_DEF.key;
        configs
            .set_with_reason(
                key,
                Value::String("3500".into()),
                Some(&admin),
                Some("유가"),
            )
            .await
            .unwrap();
        configs
            .set_raw(key, Value::String("4000".into()), Some(&admin))
            .await
            .unwrap();
        // A write without an actor (the seed) is not an admin's action.
        configs
            .set_raw(key, Value::String("4000".into()), None)
            .await
            .unwrap();
        let log = audit::history(&db, AuditResource::Config, key, 10)
            .await
            .unwrap();
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(log[1].before, Some(serde_json::json!({ "value": "3000" })));
        assert_eq!(log[1].after, Some(serde_json::json!({ "value": "3500" })));
        assert_eq!(log[1].reason.as_deref(), Some("유가"));
        assert_eq!(log[0].before, Some(serde_json::json!({ "value": "3500" })));
        assert_eq!(log[0].actor_id, Some(admin.id));
        assert_eq!(
            configs.get(&SHIPPING_FEE).await.unwrap(),
            Decimal::from(4000)
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_write_on_one_instance_invalidates_the_others(db: PgPool) {
        let redis = test_redis().await;
        let a = Configs::new(db.clone(), redis.clone());
        let b = Configs::new(db, redis);
        a.spawn_invalidation_listener().await.unwrap();
        // A caches the default.
        assert_eq!(a.get(&QUEUE_ADMISSION_PER_MINUTE).await.unwrap(), 100);
        b.set(&QUEUE_ADMISSION_PER_MINUTE, &250, None)
            .await
            .unwrap();
        // Well inside the cache TTL, A must already see the new value.
        let mut seen = 0;
        for _ in 0..50 {
            seen = a.get(&QUEUE_ADMISSION_PER_MINUTE).await.unwrap();
            if seen == 250 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(seen, 250);
    }
}
