//! The periodic jobs this server runs. Each runs on one instance at a time (see
//! `app::platform::jobs`); later contexts add theirs here.

pub mod cache;
pub mod partitions;

use app::platform::jobs::Job;
use app::platform::state::AppState;
use std::time::Duration;

pub fn all(state: &AppState) -> Vec<Job> {
    let relay = state.clone();
    let sweep = state.clone();
    let expiry = state.clone();
    let popular = state.clone();
    let views = state.clone();
    let counters = state.clone();
    let reconcile = state.clone();
    let parts = state.clone();
    let carts = state.clone();
    let payments = state.clone();
    let seat_holds = state.clone();
    let concerts = state.clone();
    let queues = state.clone();
    let notice_views = state.clone();
    let grades = state.clone();
    vec![
        // Every partitioned table: months ahead, and retention by whole months.
        Job::new(
            "db.partitions",
            Duration::from_secs(24 * 60 * 60),
            move || {
                let s = parts.clone();
                async move { partitions::upkeep(&s.db).await }
            },
        ),
        // Seed 000 users.user_grade from the last 12 months of purchases (thresholds in
        // system configs); grades an admin set by hand stay.
        Job::new("users.grades", Duration::from_secs(60 * 60), move || {
            let s = grades.clone();
            async move {
                let n = app::admin::service::users::recompute_grades(&s.db, &s.configs)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("{n} accounts changed"))
            }
        }),
        // The waiting rooms: shuffles a pre-queue at opening, then lets the head of each line
        // in at the concert's rate while there is room.
        Job::new("tickets.queue_admit", Duration::from_secs(1), move || {
            let s = queues.clone();
            async move {
                let n = app::ticketing::service::queue::admit_all(&s.db, &s.redis, &s.configs)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("admitted {n}"))
            }
        }),
        // Seat holds that ran out. Shoppers also see them free at once (lazy expiry on
        // read); this gives the seats and quotas back for good.
        Job::new("tickets.expire_holds", Duration::from_secs(5), move || {
            let s = seat_holds.clone();
            async move {
                let n = app::ticketing::service::expire_due(&s.db, &s.redis, 500)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("expired {n} seat holds"))
            }
        }),
        // Opens and closes booking as each concert's window starts and ends.
        Job::new("tickets.clock", Duration::from_secs(15), move || {
            let s = concerts.clone();
            async move {
                let n = app::ticketing::service::tick(&s.db, &s.redis)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("{n} concerts changed status"))
            }
        }),
        // Requests whose KOS outcome is unknown, once no call can still be in flight. A
        // shopper watching the page waits for this, so it runs often (the query is indexed).
        Job::new(
            "plan_change.reconcile",
            Duration::from_secs(10),
            move || {
                let s = reconcile.clone();
                async move {
                    let r =
                        app::plan_change::service::reconcile(&s.db, &s.kos, s.kos.settle_after())
                            .await
                            .map_err(|e| e.to_string())?;
                    Ok(format!(
                        "completed {}, failed {}, still pending {}",
                        r.completed, r.failed, r.pending
                    ))
                }
            },
        ),
        Job::new("catalog.flush_views", Duration::from_secs(10), move || {
            let s = counters.clone();
            async move {
                let n = app::catalog::service::views::flush_views(&s.db, &s.redis)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("added {n} product views"))
            }
        }),
        Job::new("catalog.popular", Duration::from_secs(10 * 60), move || {
            let s = popular.clone();
            async move {
                let n = app::catalog::service::refresh_popular(&s.db)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("{n} products with sales in 3 days"))
            }
        }),
        Job::new(
            "catalog.sweep_views",
            Duration::from_secs(6 * 3600),
            move || {
                let s = views.clone();
                async move {
                    let n = app::catalog::service::sweep_views(&s.db)
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok(format!("forgot {n} views older than 90 days"))
                }
            },
        ),
        Job::new("outbox.relay", Duration::from_secs(1), move || {
            let s = relay.clone();
            async move {
                let mut total = 0;
                // Drain in batches so a backlog clears within one tick.
                loop {
                    let n = app::platform::outbox::relay_once(&s.db, &s.redis, 500)
                        .await
                        .map_err(|e| e.to_string())?;
                    total += n;
                    if n < 500 {
                        break;
                    }
                }
                Ok(format!("published {total}"))
            }
        }),
        Job::new(
            "inventory.expire_reservations",
            Duration::from_secs(5),
            move || {
                let s = expiry.clone();
                async move {
                    let n = app::inventory::service::expire_due(&s.db, 1000)
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok(format!("expired {n} reservations"))
                }
            },
        ),
        Job::new(
            "idempotency.sweep",
            Duration::from_secs(15 * 60),
            move || {
                let s = sweep.clone();
                async move {
                    let n = app::platform::idempotency::sweep_expired(&s.db)
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok(format!("deleted {n} expired keys"))
                }
            },
        ),
        Job::new("admin.notice_views", Duration::from_secs(10), move || {
            let s = notice_views.clone();
            async move {
                let n = app::admin::service::notices::flush_views(&s.db, &s.redis)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("added {n} notice views"))
            }
        }),
        // Confirms that got no answer, deposits past due, checkouts never paid.
        Job::new("payment.reconcile", Duration::from_secs(10), move || {
            let s = payments.clone();
            async move {
                let n = app::payment::service::reconcile_due(&s.db, &s.pg)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("settled or dropped {n} payments"))
            }
        }),
        Job::new("cart.expire", Duration::from_secs(60 * 60), move || {
            let s = carts.clone();
            async move {
                let n = app::cart::service::expire_due(&s.db)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(format!("dropped {n} carts untouched for 30 days"))
            }
        }),
    ]
}
