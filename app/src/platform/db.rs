//! Postgres pool and migrations.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Connects and checks the server answers, failing fast with the reason.
///
/// A connection is not pinged as it leaves the pool: sqlx already pings it as it comes back,
/// and a ping per use is a round trip per query for the reads outside transactions. A
/// connection that died while idle (the server restarted) fails the one query that finds it,
/// and the pool drops it.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let opts = PgConnectOptions::from_str(url)?.application_name("jangteo");
    PgPoolOptions::new()
        .max_connections(max_connections)
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(opts)
        .await
}

/// A second pool of `max_connections` to the same database as `main`, connecting as it is
/// used, for one kind of work that must not take more than a few connections at once. Its
/// callers wait for a connection for up to 30 s (a rush of checkouts queues here).
///
/// Its sessions always use the generic plan of a prepared statement. The work is a few fixed
/// statements that look rows up by key, whose generic plans are as good as custom ones; left
/// to choose, Postgres re-planned four of the checkout's reads on every call, and planning
/// took eight times as long as running them (docs/benchmarks.md, session 17).
pub fn side_pool(main: &PgPool, max_connections: u32) -> PgPool {
    let options = (*main.connect_options())
        .clone()
        .options([("plan_cache_mode", "force_generic_plan")]);
    PgPoolOptions::new()
        .max_connections(max_connections.max(1))
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(30))
        .connect_lazy_with(options)
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Maps constraint violations to domain errors (realworld-axum-sqlx's `ResultExt`): the
/// database enforces "at most one", and the caller says what each violation means.
///
/// ```ignore
/// insert.await.on_constraint(|c| match c {
///     "users_email_key" => Some(IdentityError::EmailTaken),
///     _ => None,
/// })?;
/// ```
pub trait OnConstraint<T> {
    fn on_constraint<E: From<sqlx::Error>>(
        self,
        map: impl FnOnce(&str) -> Option<E>,
    ) -> Result<T, E>;
}

impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
    fn on_constraint<E: From<sqlx::Error>>(
        self,
        map: impl FnOnce(&str) -> Option<E>,
    ) -> Result<T, E> {
        self.map_err(|e| {
            let mapped = match &e {
                sqlx::Error::Database(d) => d.constraint().and_then(map),
                _ => None,
            };
            mapped.unwrap_or_else(|| E::from(e))
        })
    }
}
