//! A change request through seed 002's status machine:
//! REQUESTED → VALIDATED (pre-check) → PROCESSING (KOS) → COMPLETED, or FAILED at any step.
//!
//! Every status update is guarded by the row's `version` (optimistic lock), so the request
//! and the reconciliation job can never both settle one request. At most one request per line
//! is in flight: `pc_active_line_change` has the line as its primary key.

use super::lines::owned_line;
use crate::identity::UserId;
use crate::plan_change::kos::{self, ChangeOutcome, Kos};
use crate::plan_change::{parse_line, ChangeStatus, ChangeView, PlanChangeError};
use crate::platform::integration::CallError;
use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

const VIEW: &str = "request_id, line_number, current_product_code, target_product_code,
    process_status, validation_result, process_message, requested_at, processed_at, version";

#[derive(sqlx::FromRow)]
struct Row {
    request_id: Uuid,
    line_number: String,
    current_product_code: String,
    target_product_code: String,
    process_status: ChangeStatus,
    validation_result: Option<String>,
    process_message: Option<String>,
    requested_at: chrono::DateTime<chrono::Utc>,
    processed_at: Option<chrono::DateTime<chrono::Utc>>,
    version: i64,
}

impl From<Row> for ChangeView {
    fn from(r: Row) -> Self {
        ChangeView {
            request_id: r.request_id,
            line_number: r.line_number,
            current_product_code: r.current_product_code,
            target_product_code: r.target_product_code,
            status: r.process_status,
            validation_result: r.validation_result,
            process_message: r.process_message,
            requested_at: r.requested_at,
            processed_at: r.processed_at,
            version: r.version,
        }
    }
}

pub(super) async fn load(db: &PgPool, request_id: Uuid) -> Result<Option<ChangeView>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {VIEW} FROM product_change.pc_product_change_history WHERE request_id = $1"
    ))
    .bind(request_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(Into::into))
}

/// One change of the caller's; other people's requests are `NotFound`.
pub async fn change_for(
    db: &PgPool,
    user: UserId,
    request_id: Uuid,
) -> Result<ChangeView, PlanChangeError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {VIEW} FROM product_change.pc_product_change_history WHERE request_id = $1 AND user_id = $2"
    ))
    .bind(request_id)
    .bind(user)
    .fetch_optional(db)
    .await?;
    row.map(Into::into).ok_or(PlanChangeError::NotFound)
}

/// The line's requests, newest first.
pub async fn history(
    db: &PgPool,
    user: UserId,
    line: &str,
    limit: i64,
) -> Result<Vec<ChangeView>, PlanChangeError> {
    let line = parse_line(line).ok_or(PlanChangeError::NotFound)?;
    owned_line(db, user, &line).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {VIEW} FROM product_change.pc_product_change_history
         WHERE line_number = $1 AND user_id = $2 ORDER BY requested_at DESC, id DESC LIMIT $3"
    ))
    .bind(&line)
    .bind(user)
    .bind(limit.clamp(1, 200))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Moves a request to `to` if it is still at `version`; returns the new version, or `None`
/// if someone else moved it first. Final states also free the line.
pub(super) async fn advance(
    tx: &mut Transaction<'_, Postgres>,
    request_id: Uuid,
    version: i64,
    to: ChangeStatus,
    set: &str,
    binds: &[Option<&str>],
    kos_json: Option<(&str, &Value)>,
) -> Result<Option<i64>, sqlx::Error> {
    let mut sql = format!(
        "UPDATE product_change.pc_product_change_history
         SET process_status = '{}', version = version + 1{}",
        to.as_str(),
        if set.is_empty() {
            String::new()
        } else {
            format!(", {set}")
        }
    );
    let json_param = binds.len() + 3;
    if let Some((column, _)) = kos_json {
        sql.push_str(&format!(", {column} = ${json_param}"));
    }
    sql.push_str(" WHERE request_id = $1 AND version = $2 RETURNING version");
    let mut q = sqlx::query_scalar::<_, i64>(&sql)
        .bind(request_id)
        .bind(version);
    for b in binds {
        q = q.bind(*b);
    }
    if let Some((_, v)) = kos_json {
        q = q.bind(v);
    }
    let new_version = q.fetch_optional(&mut **tx).await?;
    if new_version.is_some() && to.is_final() {
        sqlx::query("DELETE FROM product_change.pc_active_line_change WHERE request_id = $1")
            .bind(request_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(new_version)
}

/// Settles a request as COMPLETED or FAILED with a message code; `false` if it had moved on.
pub(super) async fn finish(
    db: &PgPool,
    request_id: Uuid,
    version: i64,
    status: ChangeStatus,
    message: &str,
    kos_response: Option<&Value>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let moved = advance(
        &mut tx,
        request_id,
        version,
        status,
        "process_message = $3, processed_at = now()",
        &[Some(message)],
        kos_response.map(|v| ("kos_response_data", v)),
    )
    .await?;
    tx.commit().await?;
    Ok(moved.is_some())
}

/// Asks for a change of `line` to `target`. `request_id` is the caller's idempotency key: a
/// repeat returns the first request as it stands now.
pub async fn submit(
    db: &PgPool,
    kos: &Kos,
    user: UserId,
    line: &str,
    target: &str,
    request_id: Uuid,
) -> Result<ChangeView, PlanChangeError> {
    let line = parse_line(line).ok_or(PlanChangeError::NotFound)?;
    let plan_code = target.len() <= 20
        && !target.is_empty()
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plan_code {
        return Err(PlanChangeError::UnknownPlan);
    }
    if let Some(existing) = load(db, request_id).await? {
        return same_request(db, user, &line, target, existing).await;
    }
    let customer_id = owned_line(db, user, &line).await?;
    // An open breaker refuses at once, before a request exists.
    if let Some(wait) = kos.busy_for().await? {
        return Err(PlanChangeError::Busy {
            retry_after_secs: wait.as_secs().max(1),
        });
    }
    let customer = kos
        .customer(&line)
        .await?
        .ok_or(PlanChangeError::NotFound)?;
    if customer.customer_id != customer_id {
        return Err(PlanChangeError::NotFound);
    }

    // REQUESTED, holding the line. No conflict target: both unique keys (the line and the
    // request id) must end in DO NOTHING. With only the line as the target, a double submit
    // that passed the line check just before the first one inserted failed on the request
    // id with a unique violation instead.
    let mut tx = db.begin().await?;
    let claimed = sqlx::query(
        "INSERT INTO product_change.pc_active_line_change (line_number, request_id, requested_at)
         VALUES ($1, $2, now()) ON CONFLICT DO NOTHING",
    )
    .bind(&line)
    .bind(request_id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        drop(tx);
        // A double submit of this very request waited on the insert above until the first
        // committed: it gets the first one back.
        return match load(db, request_id).await? {
            Some(first) => same_request(db, user, &line, target, first).await,
            None => Err(PlanChangeError::ChangeInFlight),
        };
    }
    // The first submit of this request may have finished (and freed the line) after the
    // check at the top: the request id decides, inside the claim.
    let seen: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM product_change.pc_product_change_history WHERE request_id = $1)",
    )
    .bind(request_id)
    .fetch_one(&mut *tx)
    .await?;
    if seen {
        drop(tx);
        let first = load(db, request_id)
            .await?
            .ok_or(PlanChangeError::NotFound)?;
        return same_request(db, user, &line, target, first).await;
    }
    sqlx::query(
        "INSERT INTO product_change.pc_product_change_history
             (request_id, user_id, line_number, customer_id, current_product_code, target_product_code)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(user)
    .bind(&line)
    .bind(&customer.customer_id)
    .bind(&customer.product_code)
    .bind(target)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut version = 0;

    // Pre-check against KOS's rules.
    let verdict = match kos.plans().await {
        Err(PlanChangeError::Busy { .. }) => Err("KOS_UNAVAILABLE"),
        Err(e) => {
            finish(
                db,
                request_id,
                version,
                ChangeStatus::Failed,
                "KOS_UNAVAILABLE",
                None,
            )
            .await?;
            return Err(e);
        }
        Ok(plans) => {
            let plan = plans.iter().find(|p| p.code == target);
            match plan {
                _ if customer.contract_status != "ACTIVE" => Err("LINE_NOT_ACTIVE"),
                None => Err("PRODUCT_NOT_FOUND"),
                Some(p) if !p.changeable => Err("PRODUCT_CLOSED"),
                Some(p) if p.code == customer.product_code => Err("SAME_PRODUCT"),
                Some(_) => Ok(()),
            }
        }
    };
    let mut tx = db.begin().await?;
    let moved = match verdict {
        Ok(()) => {
            advance(
                &mut tx,
                request_id,
                version,
                ChangeStatus::Validated,
                "validation_result = 'OK', validated_at = now()",
                &[],
                None,
            )
            .await?
        }
        Err(code) => {
            advance(
                &mut tx,
                request_id,
                version,
                ChangeStatus::Failed,
                "validation_result = $3, validated_at = now(), processed_at = now()",
                &[Some(code)],
                None,
            )
            .await?
        }
    };
    tx.commit().await?;
    match moved {
        Some(v) if verdict.is_ok() => version = v,
        _ => return current(db, request_id).await,
    }

    // PROCESSING: the call to KOS. From here the outcome may be unknown, and only KOS can
    // tell; the reconciliation job asks it if this request cannot.
    let body = kos::change_request(
        &request_id.to_string(),
        &line,
        &customer.customer_id,
        &customer.product_code,
        target,
    );
    let mut tx = db.begin().await?;
    let moved = advance(
        &mut tx,
        request_id,
        version,
        ChangeStatus::Processing,
        "",
        &[],
        Some(("kos_request_data", &body)),
    )
    .await?;
    tx.commit().await?;
    let Some(v) = moved else {
        return current(db, request_id).await;
    };
    version = v;
    match kos.change(&body, &request_id.to_string()).await {
        Ok((ChangeOutcome::Completed(reply), _)) => {
            finish(
                db,
                request_id,
                version,
                ChangeStatus::Completed,
                "COMPLETED",
                Some(&reply),
            )
            .await?;
        }
        Ok((ChangeOutcome::Rejected { code, body }, _)) => {
            finish(
                db,
                request_id,
                version,
                ChangeStatus::Failed,
                &code,
                Some(&body),
            )
            .await?;
        }
        Ok((ChangeOutcome::NotExecuted(body), _)) => {
            finish(
                db,
                request_id,
                version,
                ChangeStatus::Failed,
                "KOS_UNAVAILABLE",
                Some(&body),
            )
            .await?;
        }
        Ok((ChangeOutcome::Unclear(_), _)) => pending(db, request_id, version).await?,
        // Nothing reached KOS: the change certainly did not happen.
        Err(CallError::Open { .. } | CallError::Connect(_) | CallError::Store(_)) => {
            finish(
                db,
                request_id,
                version,
                ChangeStatus::Failed,
                "KOS_UNAVAILABLE",
                None,
            )
            .await?;
        }
        Err(e) => {
            tracing::warn!(%request_id, error = %e, "KOS change outcome unknown; left for reconciliation");
            pending(db, request_id, version).await?;
        }
    }
    current(db, request_id).await
}

/// A request id seen before: the same request gets its current state; the id reused for
/// another change is refused; someone else's is never revealed.
async fn same_request(
    db: &PgPool,
    user: UserId,
    line: &str,
    target: &str,
    existing: ChangeView,
) -> Result<ChangeView, PlanChangeError> {
    owned_line(db, user, &existing.line_number).await?;
    if existing.line_number == line && existing.target_product_code == target {
        Ok(existing)
    } else {
        Err(PlanChangeError::ChangeInFlight)
    }
}

/// The outcome is unknown: the request stays PROCESSING (and holds its line) until the
/// reconciliation job hears from KOS.
async fn pending(db: &PgPool, request_id: Uuid, version: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE product_change.pc_product_change_history SET process_message = 'KOS_PENDING'
         WHERE request_id = $1 AND version = $2",
    )
    .bind(request_id)
    .bind(version)
    .execute(db)
    .await?;
    Ok(())
}

async fn current(db: &PgPool, request_id: Uuid) -> Result<ChangeView, PlanChangeError> {
    load(db, request_id).await?.ok_or(PlanChangeError::NotFound)
}
