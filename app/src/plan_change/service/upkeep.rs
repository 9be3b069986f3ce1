//! Partition upkeep: monthly partitions for the next 12 months, and integration logs older
//! than 12 months removed by dropping whole partitions. Change history is kept.

use sqlx::PgPool;

pub const MONTHS_AHEAD: i32 = 12;
pub const LOG_RETENTION_MONTHS: i32 = 12;

/// Makes sure both tables have partitions from this month through `MONTHS_AHEAD` ahead.
pub async fn ensure_partitions(db: &PgPool) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT product_change.ensure_partitions($1)")
        .bind(MONTHS_AHEAD)
        .fetch_one(db)
        .await
}

/// The partitions of a table, oldest first, with their upper bounds.
pub async fn partitions(
    db: &PgPool,
    table: &str,
) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.relname::TEXT,
                (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::TIMESTAMPTZ
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
         WHERE n.nspname = 'product_change' AND p.relname = $1
         ORDER BY 2",
    )
    .bind(table)
    .fetch_all(db)
    .await
}

/// Drops integration-log partitions that end before the retention cutoff, then deletes
/// older rows from the partition that straddles it. Returns (partitions dropped, rows deleted).
pub async fn cleanup_old_logs(db: &PgPool) -> Result<(usize, u64), sqlx::Error> {
    let cutoff: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT (CURRENT_DATE - make_interval(months => $1))::TIMESTAMPTZ")
            .bind(LOG_RETENTION_MONTHS)
            .fetch_one(db)
            .await?;
    let mut dropped = 0;
    for (name, upper) in partitions(db, "pc_kos_integration_log").await? {
        if upper <= cutoff {
            // The name comes from pg_class and is quoted as an identifier.
            sqlx::query(&format!(
                "DROP TABLE product_change.\"{}\"",
                name.replace('"', "\"\"")
            ))
            .execute(db)
            .await?;
            tracing::info!(partition = %name, "dropped old integration log partition");
            dropped += 1;
        }
    }
    let deleted =
        sqlx::query("DELETE FROM product_change.pc_kos_integration_log WHERE created_at < $1")
            .bind(cutoff)
            .execute(db)
            .await?
            .rows_affected();
    Ok((dropped, deleted))
}
