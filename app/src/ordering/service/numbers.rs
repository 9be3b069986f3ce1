//! ORD-YYYYMMDD-NNNNNN, numbered per day in Korean time.

use crate::ordering::OrderingError;
use crate::platform::db::OnConstraint;
use chrono::NaiveDate;
use sqlx::PgExecutor;

/// `n` new order numbers for today. One statement of its own, like a sequence: numbers may be
/// skipped (a checkout that fails), never repeated, and the day's counter row is locked only
/// for this statement.
pub async fn next_numbers(db: impl PgExecutor<'_>, n: usize) -> Result<Vec<String>, OrderingError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let n = i32::try_from(n).map_err(|_| OrderingError::NumbersExhausted)?;
    let (day, last): (NaiveDate, i32) = sqlx::query_as(
        "INSERT INTO order_number_days AS d (day, last_number)
         VALUES ((now() AT TIME ZONE 'Asia/Seoul')::date, $1)
         ON CONFLICT (day) DO UPDATE SET last_number = d.last_number + EXCLUDED.last_number
         RETURNING day, last_number",
    )
    .bind(n)
    .fetch_one(db)
    .await
    .on_constraint(|c| {
        (c == "order_number_days_last_number_check").then_some(OrderingError::NumbersExhausted)
    })?;
    Ok((last - n + 1..=last)
        .map(|k| format!("ORD-{}-{k:06}", day.format("%Y%m%d")))
        .collect())
}
