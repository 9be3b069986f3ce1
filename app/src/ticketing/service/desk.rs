//! Group commit for holds. In a rush, thousands of shoppers ask for seats within a second;
//! one transaction each would spend Postgres on commits and round trips rather than on
//! seats. Each instance's desk writes the holds that arrive while the previous batch is
//! being written as one batch (`holds::write_batch`), with the same rules and results as
//! one at a time. The writer starts with the first hold and ends with the app state.

use super::super::domain::HoldRequest;
use super::super::{ConcertId, TicketingError};
use super::holds::{hold_via, write_batch, Held, HoldRules, Want};
use crate::identity::UserId;
use crate::platform::redis::Redis;
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot, Semaphore};

/// The most holds written in one transaction.
const MAX_BATCH: usize = 256;
/// Batches written at once by one instance (one gathers while the other commits).
const IN_FLIGHT: usize = 2;

struct Job {
    concert: ConcertId,
    want: Want,
    reply: oneshot::Sender<Result<Held, TicketingError>>,
}

/// This instance's hold writer (in `AppState`).
#[derive(Clone, Default)]
pub struct HoldDesk(Arc<OnceLock<mpsc::UnboundedSender<Job>>>);

impl HoldDesk {
    /// `holds::hold`, written together with the holds that arrive beside it.
    pub async fn hold(
        &self,
        db: &PgPool,
        redis: &Redis,
        rules: HoldRules,
        user: UserId,
        concert: ConcertId,
        request: &HoldRequest,
    ) -> Result<Held, TicketingError> {
        hold_via(Some(self), db, redis, rules, user, concert, request).await
    }

    pub(super) async fn write(
        &self,
        db: &PgPool,
        redis: &Redis,
        concert: ConcertId,
        want: Want,
    ) -> Result<Held, TicketingError> {
        let queue = self.0.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            // A few connections of its own, which keep their prepared statements: from the
            // main pool, a rush's batches each landed on a connection that had not yet
            // prepared them, and Postgres spent its time parsing and planning.
            let pool = crate::platform::db::side_pool(db, (IN_FLIGHT * 2) as u32);
            tokio::spawn(run(pool, redis.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        queue
            .send(Job {
                concert,
                want,
                reply,
            })
            .map_err(|_| TicketingError::Interrupted)?;
        answer.await.map_err(|_| TicketingError::Interrupted)?
    }
}

async fn run(db: PgPool, redis: Redis, mut queue: mpsc::UnboundedReceiver<Job>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Some(first) = queue.recv().await else {
            return;
        };
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (db, redis) = (db.clone(), redis.clone());
        tokio::spawn(async move {
            let mut per_concert: HashMap<ConcertId, Vec<Job>> = HashMap::new();
            for job in jobs {
                per_concert.entry(job.concert).or_default().push(job);
            }
            let mut batches = tokio::task::JoinSet::new();
            for (concert, jobs) in per_concert {
                let (db, redis) = (db.clone(), redis.clone());
                batches.spawn(async move { answer(&db, &redis, concert, jobs).await });
            }
            while batches.join_next().await.is_some() {}
            drop(slot);
        });
    }
}

async fn answer(db: &PgPool, redis: &Redis, concert: ConcertId, jobs: Vec<Job>) {
    let (wants, replies): (Vec<Want>, Vec<_>) = jobs.into_iter().map(|j| (j.want, j.reply)).unzip();
    match write_batch(db, redis, concert, wants).await {
        Ok(results) => {
            for (reply, result) in replies.into_iter().zip(results) {
                // The shopper may have gone; the hold stands and runs out.
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, %concert, holds = replies.len(), "hold batch not written");
            for reply in replies {
                let _ = reply.send(Err(TicketingError::Interrupted));
            }
        }
    }
}
