//! The one partition job: every partitioned table gets its monthly partitions 12 months
//! ahead, and the tables with a retention rule drop whole months past it. `/admin` shows what
//! each table covers.

use sqlx::PgPool;

/// Months kept ready ahead, and months the audit log and the KOS call log keep.
const AHEAD: i32 = 12;
const KEEP: i32 = 12;

pub async fn upkeep(db: &PgPool) -> Result<String, String> {
    let e = |what: &str, err: &dyn std::fmt::Display| format!("{what}: {err}");
    let audit = app::platform::audit::ensure_partitions(db, AHEAD)
        .await
        .map_err(|x| e("audit_logs", &x))?;
    // Seed 000: the audit log is kept a year, then leaves a month at a time.
    let audit_dropped = app::platform::audit::drop_old_partitions(db, KEEP)
        .await
        .map_err(|x| e("audit_logs retention", &x))?;
    let events: i32 = sqlx::query_scalar("SELECT ensure_order_event_partitions($1)")
        .bind(AHEAD)
        .fetch_one(db)
        .await
        .map_err(|x| e("order_events", &x))?;
    let plan = app::plan_change::service::upkeep::ensure_partitions(db)
        .await
        .map_err(|x| e("plan change history", &x))?;
    // Seed 002: the KOS call log is kept a year; the change history is kept.
    let (logs_dropped, logs_deleted) = app::plan_change::service::upkeep::cleanup_old_logs(db)
        .await
        .map_err(|x| e("KOS log retention", &x))?;
    Ok(format!(
        "ready ahead: audit_logs {audit}, order_events {events}, plan change {plan} months; \
         dropped {} audit and {logs_dropped} KOS log partitions, {logs_deleted} stray log rows",
        audit_dropped.len()
    ))
}
