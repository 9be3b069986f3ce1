//! What the admin's Integrations page shows, read from seed 002's views and the log.

use crate::plan_change::api::{
    BreakerStatus, ChangeSummary, FailedCall, IntegrationStats, IntegrationsData,
};
use sqlx::PgPool;

pub async fn breakers(db: &PgPool) -> Result<Vec<BreakerStatus>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.service_name, v.state, v.failure_count, v.success_count, v.last_failure_time,
                v.next_attempt_time, v.recommended_action, v.updated_at,
                s.failure_threshold, s.success_threshold, s.timeout_duration_ms
         FROM product_change.v_circuit_breaker_status v
         JOIN product_change.pc_circuit_breaker_state s USING (service_name)
         ORDER BY v.service_name",
    )
    .fetch_all(db)
    .await
}

/// Per integration type over 7 days; p95 is not in the seed's view, so it is computed here.
pub async fn integration_stats(db: &PgPool) -> Result<Vec<IntegrationStats>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.integration_type, v.total_requests, v.success_count,
                v.success_rate::DOUBLE PRECISION AS success_rate, v.avg_response_time_ms, v.today_count,
                p.p95_response_time_ms
         FROM product_change.v_kos_integration_summary v
         LEFT JOIN (
             SELECT integration_type,
                    percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)::DOUBLE PRECISION AS p95_response_time_ms
             FROM product_change.pc_kos_integration_log
             WHERE created_at >= CURRENT_DATE - INTERVAL '7 days' AND response_time_ms IS NOT NULL
             GROUP BY integration_type
         ) p USING (integration_type)
         ORDER BY v.integration_type",
    )
    .fetch_all(db)
    .await
}

pub async fn recent_failures(db: &PgPool, limit: i64) -> Result<Vec<FailedCall>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, request_id, integration_type, method, endpoint_url, response_status,
                response_time_ms, error_message, retry_count, circuit_breaker_state, created_at,
                request_body::TEXT AS request_body, response_body::TEXT AS response_body
         FROM product_change.pc_kos_integration_log
         WHERE NOT is_success AND created_at >= now() - INTERVAL '7 days'
         ORDER BY created_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn change_summary(db: &PgPool) -> Result<Vec<ChangeSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT process_status, request_count, today_count, avg_processing_time_sec
         FROM product_change.v_product_change_summary",
    )
    .fetch_all(db)
    .await
}

pub async fn integrations(db: &PgPool) -> Result<IntegrationsData, sqlx::Error> {
    Ok(IntegrationsData {
        breakers: breakers(db).await?,
        stats: integration_stats(db).await?,
        failures: recent_failures(db, 20).await?,
        changes: change_summary(db).await?,
        events: crate::platform::integration::breaker::recent_events(db, 20)
            .await?
            .into_iter()
            .map(|e| crate::plan_change::api::BreakerEventView {
                service_name: e.service_name,
                from_state: e.from_state,
                to_state: e.to_state,
                reason: e.reason,
                by: e.actor_email,
                created_at: e.created_at,
            })
            .collect(),
    })
}
