//! The cache invalidator: a member of the `cache` consumer group on the event stream. Each
//! event is handled by one instance (the cache lives in Redis, shared by all), and events a
//! crashed instance left unacknowledged are taken over after 30 seconds.

use app::platform::cache;
use app::platform::outbox::{Consumer, Delivered};
use app::platform::state::AppState;
use std::time::{Duration, Instant};

const GROUP: &str = "cache";

pub fn spawn(state: AppState, instance: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match Consumer::join(&state.redis, GROUP, &instance).await {
                Ok(consumer) => run(&state, &consumer).await,
                Err(e) => {
                    tracing::warn!(error = %e, "cache invalidator could not join the event stream")
                }
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    })
}

async fn run(state: &AppState, consumer: &Consumer) {
    let mut last_claim = Instant::now();
    loop {
        let batch = match consumer.poll(100, 2000).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "cache invalidator lost the event stream");
                return;
            }
        };
        handle(state, consumer, batch).await;
        if last_claim.elapsed() > Duration::from_secs(60) {
            last_claim = Instant::now();
            if let Ok(stale) = consumer.claim_stale(30_000, 100).await {
                handle(state, consumer, stale).await;
            }
        }
    }
}

async fn handle(state: &AppState, consumer: &Consumer, events: Vec<Delivered>) {
    for e in events {
        match app::catalog::service::stale_keys(&state.db, &e).await {
            Ok(keys) => {
                cache::invalidate(&state.redis, &keys).await;
                if let Err(err) = consumer.ack(&e.stream_id).await {
                    tracing::warn!(error = %err, "could not acknowledge event");
                }
            }
            // Left unacknowledged: it is retried through claim_stale.
            Err(err) => {
                tracing::warn!(error = %err, event = %e.event_type, "cache invalidation failed")
            }
        }
    }
}
