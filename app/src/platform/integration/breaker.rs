//! Circuit breakers whose state lives in Postgres, so every app instance sees the same one.
//!
//! Each transition is a single guarded `UPDATE … WHERE state = <expected>`: when two instances
//! race, exactly one moves the breaker and logs the transition. A short local cache spares
//! the database a read per call while the breaker is CLOSED, or OPEN with time left.

use crate::identity::UserId;
use crate::platform::audit::{self, Actor, AuditResource, Change};
use serde::Serialize;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

crate::code_enum! {
    /// A breaker's state. An unknown stored state fails the read: reading it as CLOSED would
    /// let calls through.
    pub enum State {
        Closed = "CLOSED",
        Open = "OPEN",
        HalfOpen = "HALF_OPEN",
    }
}

/// One breaker row, as the admin console shows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct BreakerRow {
    pub service_name: String,
    pub state: State,
    pub failure_count: i32,
    pub success_count: i32,
    pub failure_threshold: i32,
    pub success_threshold: i32,
    pub timeout_duration_ms: i32,
    pub half_open_max_calls: i32,
    pub half_open_in_flight: i32,
    pub last_failure_time: Option<chrono::DateTime<chrono::Utc>>,
    pub next_attempt_time: Option<chrono::DateTime<chrono::Utc>>,
    /// Milliseconds until an OPEN breaker lets a probe through (database clock).
    pub open_for_ms: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl BreakerRow {
    pub fn state(&self) -> State {
        self.state
    }
}

const ROW: &str = "service_name, state, failure_count, success_count, failure_threshold,
    success_threshold, timeout_duration_ms, half_open_max_calls, half_open_in_flight,
    last_failure_time, next_attempt_time, updated_at,
    GREATEST(0, (EXTRACT(EPOCH FROM (next_attempt_time - now())) * 1000))::BIGINT AS open_for_ms";

/// Leave to call the service, returned by [`Breakers::admit`]. Report the outcome with
/// [`Breakers::record`].
#[derive(Clone, Debug)]
pub struct Ticket {
    pub service: String,
    /// The breaker's state when the call was let through (logged with the call).
    pub state: State,
    probe: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BreakerError {
    /// The breaker refuses calls; try again after `retry_after`.
    #[error("circuit breaker {service} is open")]
    Open {
        service: String,
        retry_after: Duration,
    },
    #[error("unknown circuit breaker {0}")]
    Unknown(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(Clone)]
pub struct Breakers {
    db: PgPool,
    cache_ttl: Duration,
    cache: Arc<Mutex<HashMap<String, (Instant, BreakerRow)>>>,
}

impl std::fmt::Debug for Breakers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Breakers")
            .field("cache_ttl", &self.cache_ttl)
            .finish()
    }
}

impl Breakers {
    /// `cache_ttl` bounds how stale this instance's view may be; zero reads every time.
    pub fn new(db: PgPool, cache_ttl: Duration) -> Self {
        Self {
            db,
            cache_ttl,
            cache: Arc::default(),
        }
    }

    /// The current row, fresh from Postgres.
    pub async fn get(&self, service: &str) -> Result<BreakerRow, BreakerError> {
        let row: Option<BreakerRow> = sqlx::query_as(&format!(
            "SELECT {ROW} FROM product_change.pc_circuit_breaker_state WHERE service_name = $1"
        ))
        .bind(service)
        .fetch_optional(&self.db)
        .await?;
        let row = row.ok_or_else(|| BreakerError::Unknown(service.to_owned()))?;
        self.remember(&row);
        Ok(row)
    }

    pub async fn list(&self) -> Result<Vec<BreakerRow>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ROW} FROM product_change.pc_circuit_breaker_state ORDER BY service_name"
        ))
        .fetch_all(&self.db)
        .await
    }

    fn remember(&self, row: &BreakerRow) {
        if let Ok(mut c) = self.cache.lock() {
            c.insert(row.service_name.clone(), (Instant::now(), row.clone()));
        }
    }

    fn forget(&self, service: &str) {
        if let Ok(mut c) = self.cache.lock() {
            c.remove(service);
        }
    }

    fn cached(&self, service: &str) -> Option<BreakerRow> {
        let c = self.cache.lock().ok()?;
        let (at, row) = c.get(service)?;
        let age = at.elapsed();
        if age > self.cache_ttl {
            return None;
        }
        match row.state() {
            State::Closed => Some(row.clone()),
            // Only while the open period certainly has time left.
            State::Open if Duration::from_millis(row.open_for_ms as u64) > age => {
                let mut row = row.clone();
                row.open_for_ms -= age.as_millis() as i64;
                Some(row)
            }
            _ => None,
        }
    }

    /// How long `service` will keep refusing calls: the rest of its open period, or a
    /// moment while HALF_OPEN with every probe slot taken. Takes no probe slot.
    pub async fn open_for(&self, service: &str) -> Result<Option<Duration>, BreakerError> {
        let row = match self.cached(service) {
            Some(row) => row,
            None => self.get(service).await?,
        };
        Ok(match row.state() {
            State::Open if row.open_for_ms > 0 => {
                Some(Duration::from_millis(row.open_for_ms as u64))
            }
            State::HalfOpen if row.half_open_in_flight >= row.half_open_max_calls => {
                Some(Duration::from_secs(1))
            }
            _ => None,
        })
    }

    /// Asks to call `service`. CLOSED lets the call through; OPEN refuses it until the open
    /// period is over, then lets one instance move the breaker to HALF_OPEN; HALF_OPEN lets
    /// at most `half_open_max_calls` probes run at once.
    pub async fn admit(&self, service: &str) -> Result<Ticket, BreakerError> {
        let ticket = |state, probe| Ticket {
            service: service.to_owned(),
            state,
            probe,
        };
        let mut row = match self.cached(service) {
            Some(row) => row,
            None => self.get(service).await?,
        };
        // A lost race re-reads the row; three rounds are plenty for two moves.
        for _ in 0..3 {
            match row.state() {
                State::Closed => return Ok(ticket(State::Closed, false)),
                State::Open if row.open_for_ms > 0 => {
                    return Err(BreakerError::Open {
                        service: service.to_owned(),
                        retry_after: Duration::from_millis(row.open_for_ms as u64),
                    })
                }
                State::Open => {
                    let moved = self
                        .transition(
                            service,
                            State::Open,
                            "UPDATE product_change.pc_circuit_breaker_state
                             SET state = 'HALF_OPEN', success_count = 0, half_open_in_flight = 1
                             WHERE service_name = $1 AND state = 'OPEN' AND next_attempt_time <= now()
                             RETURNING state",
                            "open period over: letting a probe call through",
                        )
                        .await?;
                    if moved == Some(State::HalfOpen) {
                        return Ok(ticket(State::HalfOpen, true));
                    }
                }
                State::HalfOpen => {
                    // A probe whose caller died would hold its slot forever: slots older than
                    // the open period are free again.
                    let took: Option<String> = sqlx::query_scalar(
                        "UPDATE product_change.pc_circuit_breaker_state
                         SET half_open_in_flight = CASE
                             WHEN updated_at < now() - timeout_duration_ms * INTERVAL '1 millisecond'
                             THEN 1 ELSE half_open_in_flight + 1 END
                         WHERE service_name = $1 AND state = 'HALF_OPEN'
                           AND (half_open_in_flight < half_open_max_calls
                                OR updated_at < now() - timeout_duration_ms * INTERVAL '1 millisecond')
                         RETURNING state",
                    )
                    .bind(service)
                    .fetch_optional(&self.db)
                    .await?;
                    if took.is_some() {
                        self.forget(service);
                        return Ok(ticket(State::HalfOpen, true));
                    }
                    let fresh = self.get(service).await?;
                    if fresh.state() == State::HalfOpen {
                        // All probe slots are taken: refuse briefly rather than pile on.
                        return Err(BreakerError::Open {
                            service: service.to_owned(),
                            retry_after: Duration::from_secs(1),
                        });
                    }
                    row = fresh;
                    continue;
                }
            }
            row = self.get(service).await?;
        }
        Err(BreakerError::Open {
            service: service.to_owned(),
            retry_after: Duration::from_secs(1),
        })
    }

    /// Reports how the admitted call went. `ok` is false only for failures of the service
    /// itself (timeouts, connection errors, 5xx), never for a business refusal.
    pub async fn record(&self, ticket: &Ticket, ok: bool) -> Result<(), BreakerError> {
        let service = ticket.service.as_str();
        match (ticket.probe, ok) {
            (false, true) => {
                // Consecutive failures: any success starts the count again. A no-op (no row
                // matches) in the usual case.
                let done = sqlx::query(
                    "UPDATE product_change.pc_circuit_breaker_state SET failure_count = 0
                     WHERE service_name = $1 AND state = 'CLOSED' AND failure_count > 0",
                )
                .bind(service)
                .execute(&self.db)
                .await?;
                if done.rows_affected() > 0 {
                    self.forget(service);
                }
            }
            (false, false) => {
                self.transition(
                    service,
                    State::Closed,
                    "UPDATE product_change.pc_circuit_breaker_state
                     SET failure_count = failure_count + 1, last_failure_time = now(),
                         state = CASE WHEN failure_count + 1 >= failure_threshold THEN 'OPEN' ELSE 'CLOSED' END,
                         next_attempt_time = CASE WHEN failure_count + 1 >= failure_threshold
                             THEN now() + timeout_duration_ms * INTERVAL '1 millisecond'
                             ELSE next_attempt_time END
                     WHERE service_name = $1 AND state = 'CLOSED'
                     RETURNING state",
                    "failure threshold reached",
                )
                .await?;
            }
            (true, true) => {
                self.transition(
                    service,
                    State::HalfOpen,
                    "UPDATE product_change.pc_circuit_breaker_state
                     SET half_open_in_flight = GREATEST(half_open_in_flight - 1, 0),
                         state = CASE WHEN success_count + 1 >= success_threshold THEN 'CLOSED' ELSE 'HALF_OPEN' END,
                         failure_count = CASE WHEN success_count + 1 >= success_threshold THEN 0 ELSE failure_count END,
                         next_attempt_time = CASE WHEN success_count + 1 >= success_threshold THEN NULL ELSE next_attempt_time END,
                         success_count = CASE WHEN success_count + 1 >= success_threshold THEN 0 ELSE success_count + 1 END
                     WHERE service_name = $1 AND state = 'HALF_OPEN'
                     RETURNING state",
                    "success threshold reached",
                )
                .await?;
            }
            (true, false) => {
                self.transition(
                    service,
                    State::HalfOpen,
                    "UPDATE product_change.pc_circuit_breaker_state
                     SET state = 'OPEN', success_count = 0, half_open_in_flight = 0,
                         failure_count = failure_count + 1, last_failure_time = now(),
                         next_attempt_time = now() + timeout_duration_ms * INTERVAL '1 millisecond'
                     WHERE service_name = $1 AND state = 'HALF_OPEN'
                     RETURNING state",
                    "probe call failed",
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Runs a guarded update (`$1` = service) and logs the transition if the state changed.
    /// Returns the new state, or `None` if the guard did not match (another instance won).
    async fn transition(
        &self,
        service: &str,
        from: State,
        sql: &str,
        reason: &str,
    ) -> Result<Option<State>, BreakerError> {
        let mut tx = self.db.begin().await?;
        let to: Option<State> = sqlx::query_scalar(sql)
            .bind(service)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(to) = to.filter(|to| *to != from) {
            log_event(&mut tx, service, from, to, reason, None).await?;
            tracing::warn!(
                service,
                from = from.as_str(),
                to = to.as_str(),
                reason,
                "circuit breaker moved"
            );
        }
        tx.commit().await?;
        self.forget(service);
        Ok(to)
    }

    /// Closes the breaker by hand, whatever its state; logged with the admin who did it.
    pub async fn reset(&self, service: &str, actor: &Actor) -> Result<BreakerRow, BreakerError> {
        let mut tx = self.db.begin().await?;
        let from: Option<State> = sqlx::query_scalar(
            "SELECT state FROM product_change.pc_circuit_breaker_state WHERE service_name = $1 FOR UPDATE",
        )
        .bind(service)
        .fetch_optional(&mut *tx)
        .await?;
        let from = from.ok_or_else(|| BreakerError::Unknown(service.to_owned()))?;
        sqlx::query(
            "UPDATE product_change.pc_circuit_breaker_state
             SET state = 'CLOSED', failure_count = 0, success_count = 0, half_open_in_flight = 0,
                 next_attempt_time = NULL
             WHERE service_name = $1",
        )
        .bind(service)
        .execute(&mut *tx)
        .await?;
        log_event(
            &mut tx,
            service,
            from,
            State::Closed,
            "manual reset",
            Some(actor.id),
        )
        .await?;
        let change = Change::update(
            AuditResource::Breaker,
            service,
            &serde_json::json!({ "state": from.as_str() }),
            &serde_json::json!({ "state": State::Closed.as_str() }),
        );
        audit::record(&mut tx, actor, &change).await?;
        tx.commit().await?;
        tracing::warn!(service, from = from.as_str(), actor = %actor.id, "circuit breaker reset by hand");
        self.forget(service);
        self.get(service).await
    }

    /// Sets thresholds and the open period (admin tuning, and short values in tests).
    pub async fn configure(
        &self,
        service: &str,
        failure_threshold: i32,
        success_threshold: i32,
        open_for: Duration,
    ) -> Result<(), BreakerError> {
        let done = sqlx::query(
            "UPDATE product_change.pc_circuit_breaker_state
             SET failure_threshold = $2, success_threshold = $3, timeout_duration_ms = $4
             WHERE service_name = $1",
        )
        .bind(service)
        .bind(failure_threshold)
        .bind(success_threshold)
        .bind(open_for.as_millis() as i32)
        .execute(&self.db)
        .await?;
        self.forget(service);
        if done.rows_affected() == 0 {
            return Err(BreakerError::Unknown(service.to_owned()));
        }
        Ok(())
    }
}

async fn log_event(
    tx: &mut sqlx::PgConnection,
    service: &str,
    from: State,
    to: State,
    reason: &str,
    actor: Option<UserId>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO product_change.pc_circuit_breaker_event (service_name, from_state, to_state, reason, actor_id)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(service)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(reason)
    .bind(actor)
    .execute(tx)
    .await?;
    Ok(())
}

/// A transition as logged.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct BreakerEvent {
    pub service_name: String,
    pub from_state: String,
    pub to_state: String,
    pub reason: String,
    pub actor_id: Option<UserId>,
    /// Who reset it by hand, for a manual reset.
    pub actor_email: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn recent_events(db: &PgPool, limit: i64) -> Result<Vec<BreakerEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.service_name, e.from_state, e.to_state, e.reason, e.actor_id, u.email AS actor_email,
                e.created_at
         FROM product_change.pc_circuit_breaker_event e LEFT JOIN users u ON u.id = e.actor_id
         ORDER BY e.created_at DESC, e.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}
