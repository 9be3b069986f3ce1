//! Periodic jobs. Each tick, an instance tries a Postgres advisory lock named after the job;
//! only the holder runs it, so with several app instances a job never runs twice at once.
//! Every run records its outcome in `job_runs`, which the admin console shows.

use sqlx::PgPool;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type JobFuture = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;
pub type JobFn = Arc<dyn Fn() -> JobFuture + Send + Sync>;

#[derive(Clone)]
pub struct Job {
    pub name: &'static str,
    pub every: Duration,
    pub run: JobFn,
}

impl Job {
    pub fn new<F, Fut>(name: &'static str, every: Duration, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, String>> + Send + 'static,
    {
        Self {
            name,
            every,
            run: Arc::new(move || Box::pin(f())),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Ran,
    /// Another instance holds the lock.
    Skipped,
}

/// Runs the job once if no other instance is running it.
pub async fn run_once(db: &PgPool, job: &Job, instance: &str) -> Result<Outcome, sqlx::Error> {
    // The lock belongs to this connection: keep it for the whole run, release on the same one.
    let mut conn = db.acquire().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext('job:' || $1))")
        .bind(job.name)
        .fetch_one(&mut *conn)
        .await?;
    if !locked {
        return Ok(Outcome::Skipped);
    }
    let result = run_locked(db, job, instance).await;
    let _: bool = sqlx::query_scalar("SELECT pg_advisory_unlock(hashtext('job:' || $1))")
        .bind(job.name)
        .fetch_one(&mut *conn)
        .await?;
    result.map(|_| Outcome::Ran)
}

async fn run_locked(db: &PgPool, job: &Job, instance: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO job_runs (name, last_status, last_started_at, last_instance)
         VALUES ($1, 'running', now(), $2)
         ON CONFLICT (name) DO UPDATE SET last_status = 'running', last_started_at = now(),
             last_instance = EXCLUDED.last_instance",
    )
    .bind(job.name)
    .bind(instance)
    .execute(db)
    .await?;
    let started = Instant::now();
    // A panicking job must not take the runner down; treat it as a failed run.
    let outcome = tokio::spawn((job.run)())
        .await
        .unwrap_or_else(|e| Err(format!("job panicked: {e}")));
    let ms = started.elapsed().as_millis() as i64;
    let (status, message) = match &outcome {
        Ok(m) => ("ok", m.as_str()),
        Err(m) => {
            tracing::warn!(job = job.name, error = %m, "job failed");
            ("error", m.as_str())
        }
    };
    sqlx::query(
        "UPDATE job_runs SET last_status = $2, last_finished_at = now(), last_duration_ms = $3,
             last_message = $4, run_count = run_count + 1,
             error_count = error_count + CASE WHEN $2 = 'error' THEN 1 ELSE 0 END
         WHERE name = $1",
    )
    .bind(job.name)
    .bind(status)
    .bind(ms)
    .bind(message)
    .execute(db)
    .await?;
    Ok(())
}

/// Spawns one loop per job. Returns the task handles so the caller can abort them on shutdown.
pub fn spawn_all(db: PgPool, jobs: Vec<Job>, instance: String) -> Vec<tokio::task::JoinHandle<()>> {
    // One job at a time per instance. A run holds two connections (the lock's, then the
    // job's own); several runs at once could each hold a lock connection and wait for a
    // second that never comes, emptying the pool for every request.
    let turn = Arc::new(tokio::sync::Semaphore::new(1));
    jobs.into_iter()
        .enumerate()
        .map(|(i, job)| {
            let db = db.clone();
            let instance = instance.clone();
            let turn = turn.clone();
            tokio::spawn(async move {
                // A run holds two connections (the lock's and the job's); staggering the first
                // ticks keeps a small pool from being emptied by every job starting at once.
                tokio::time::sleep(Duration::from_millis(50 * i as u64)).await;
                let mut tick = tokio::time::interval(job.every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    let Ok(_turn) = turn.acquire().await else {
                        return;
                    };
                    if let Err(e) = run_once(&db, &job, &instance).await {
                        tracing::warn!(job = job.name, error = %e, "job runner could not run job");
                    }
                }
            })
        })
        .collect()
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct JobStatus {
    pub name: String,
    pub last_status: String,
    pub last_started_at: chrono::DateTime<chrono::Utc>,
    pub last_finished_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_duration_ms: Option<i64>,
    pub last_message: Option<String>,
    pub last_instance: String,
    pub run_count: i64,
    pub error_count: i64,
}

pub async fn statuses(db: &PgPool) -> Result<Vec<JobStatus>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM job_runs ORDER BY name")
        .fetch_all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[sqlx::test(migrations = "../migrations")]
    async fn a_job_never_runs_on_two_instances_at_once(db: PgPool) {
        let running = Arc::new(AtomicUsize::new(0));
        let max_seen = Arc::new(AtomicUsize::new(0));
        let (r, m) = (running.clone(), max_seen.clone());
        let job = Job::new("exclusive", Duration::from_secs(60), move || {
            let (r, m) = (r.clone(), m.clone());
            async move {
                let now = r.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                r.fetch_sub(1, Ordering::SeqCst);
                Ok("done".into())
            }
        });
        let mut tasks = Vec::new();
        for i in 0..6 {
            let (db, job) = (db.clone(), job.clone());
            tasks.push(tokio::spawn(async move {
                run_once(&db, &job, &format!("instance-{i}")).await.unwrap()
            }));
        }
        let mut ran = 0;
        for t in tasks {
            if t.await.unwrap() == Outcome::Ran {
                ran += 1;
            }
        }
        assert_eq!(max_seen.load(Ordering::SeqCst), 1, "never two at once");
        assert!(ran >= 1);
        let status = statuses(&db).await.unwrap();
        assert_eq!(status.len(), 1);
        assert_eq!(status[0].last_status, "ok");
        assert_eq!(status[0].run_count, ran);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn failures_and_panics_are_recorded(db: PgPool) {
        let failing = Job::new("failing", Duration::from_secs(60), || async {
            Err("boom".to_string())
        });
        assert_eq!(run_once(&db, &failing, "i").await.unwrap(), Outcome::Ran);
        let panicking = Job::new("panicking", Duration::from_secs(60), || async {
            if std::hint::black_box(true) {
                panic!("kaboom");
            }
            Ok(String::new())
        });
        assert_eq!(run_once(&db, &panicking, "i").await.unwrap(), Outcome::Ran);
        let status = statuses(&db).await.unwrap();
        assert!(status
            .iter()
            .all(|s| s.last_status == "error" && s.error_count == 1));
        assert_eq!(status[0].last_message.as_deref(), Some("boom"));
        // The lock was released: the job can run again.
        assert_eq!(run_once(&db, &failing, "i").await.unwrap(), Outcome::Ran);
    }
}
