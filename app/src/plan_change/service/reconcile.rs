//! Settles requests the request path could not: KOS timed out during PROCESSING (ask KOS what
//! it did), or the process died before calling KOS (nothing happened).

use super::changes::finish;
use crate::plan_change::kos::{ChangeOutcome, Kos};
use crate::plan_change::ChangeStatus;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub completed: usize,
    pub failed: usize,
    /// KOS could not be asked; tried again next run.
    pub pending: usize,
}

/// Looks at requests untouched for `grace` (longer than a KOS call can take).
pub async fn reconcile(db: &PgPool, kos: &Kos, grace: Duration) -> Result<Reconciled, sqlx::Error> {
    let mut out = Reconciled::default();
    let grace_ms = grace.as_millis() as i64;
    // Never called KOS: REQUESTED or VALIDATED and abandoned.
    let stuck: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT request_id, version FROM product_change.pc_product_change_history
         WHERE process_status IN ('REQUESTED', 'VALIDATED')
           AND updated_at < now() - $1 * INTERVAL '1 millisecond'
         ORDER BY requested_at LIMIT 100",
    )
    .bind(grace_ms)
    .fetch_all(db)
    .await?;
    for (id, version) in stuck {
        if finish(db, id, version, ChangeStatus::Failed, "INTERRUPTED", None).await? {
            out.failed += 1;
        }
    }
    let processing: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT request_id, version FROM product_change.pc_product_change_history
         WHERE process_status = 'PROCESSING' AND updated_at < now() - $1 * INTERVAL '1 millisecond'
         ORDER BY requested_at LIMIT 100",
    )
    .bind(grace_ms)
    .fetch_all(db)
    .await?;
    for (id, version) in processing {
        let settled = match kos.change_status(&id.to_string()).await {
            Ok(ChangeOutcome::Completed(body)) => {
                finish(
                    db,
                    id,
                    version,
                    ChangeStatus::Completed,
                    "CONFIRMED_LATE",
                    Some(&body),
                )
                .await?
                    && {
                        out.completed += 1;
                        true
                    }
            }
            Ok(ChangeOutcome::Rejected { code, body }) => {
                finish(db, id, version, ChangeStatus::Failed, &code, Some(&body)).await? && {
                    out.failed += 1;
                    true
                }
            }
            // KOS never received it: it did not happen.
            Ok(ChangeOutcome::NotExecuted(_)) => {
                finish(db, id, version, ChangeStatus::Failed, "NOT_EXECUTED", None).await? && {
                    out.failed += 1;
                    true
                }
            }
            Ok(ChangeOutcome::Unclear(body)) => {
                tracing::warn!(request_id = %id, %body, "KOS gave no clear status; asking again next run");
                out.pending += 1;
                false
            }
            Err(e) => {
                tracing::info!(request_id = %id, error = %e, "KOS not reachable for reconciliation");
                out.pending += 1;
                false
            }
        };
        if settled {
            tracing::info!(request_id = %id, "plan change reconciled");
        }
    }
    Ok(out)
}
