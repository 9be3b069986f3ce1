//! The ticket rush (`server rush tickets`): many shoppers holding seats of one concert at once,
//! over HTTP through app instances already running (`--base`, comma-separated; requests
//! alternate between them). Each shopper goes through the waiting room, then asks for one or
//! two seats it believes free, as a live seat map (the seat stream) shows them, until it holds
//! its limit or the attempts run out. Prints confirmed holds/s, p50/p99, seats sold twice (must
//! be 0) and seats left unsold while demand remained. `scripts/rush.sh` runs it beside
//! `pgbench`.

use app::platform::state::AppState;
use app::ticketing::domain::{ConcertForm, EditConcertForm, NewConcert};
use app::ticketing::service::{self as tickets, Organizer};
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

fn seoul(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&app::ui::format::seoul())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

pub struct Plan {
    pub bases: Vec<String>,
    pub users: usize,
    pub attempts: usize,
    pub seats: usize,
    pub concurrency: usize,
}

pub async fn run(state: &AppState, plan: Plan) -> Result<(), String> {
    let per_row = 50;
    let rows = plan.seats.div_ceil(per_row);
    let now = chrono::Utc::now();
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let new = NewConcert::try_from(&ConcertForm {
        details: EditConcertForm {
            title: format!("러시 콘서트 {tag}"),
            artist: "러시".into(),
            venue: "벤치 홀".into(),
            starts_at: seoul(now + chrono::Duration::days(2)),
            booking_starts_at: seoul(now - chrono::Duration::minutes(5)),
            booking_ends_at: seoul(now + chrono::Duration::days(1)),
            // The waiting room is not what this measures: everyone is let in at once.
            queue_per_minute: "1000000".into(),
            queue_cap: (plan.users.min(999_990) + 10).to_string(),
            ..Default::default()
        },
        grades: "S 10000".into(),
        layout: format!("A S {rows}x{per_row}"),
        ..Default::default()
    })
    .map_err(|e| format!("{e:?}"))?;
    let users: Vec<app::identity::UserId> = sqlx::query_scalar(
        "INSERT INTO users (email, name)
         SELECT 'tickets-' || $2 || '-' || g || '@bench.test', '관객'
         FROM generate_series(1, $1) g RETURNING id",
    )
    .bind(plan.users as i32)
    .bind(&tag)
    .fetch_all(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    let concert = tickets::create(&state.db, &state.redis, Organizer::Admin(users[0]), &new)
        .await
        .map_err(|e| e.to_string())?;
    let mut tokens = Vec::with_capacity(users.len());
    for u in &users {
        tokens.push(
            app::identity::tokens::create(&state.db, *u, "rush")
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    let seat_ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM seats WHERE concert_id = $1 ORDER BY seat_number")
            .bind(concert)
            .fetch_all(&state.db)
            .await
            .map_err(|e| e.to_string())?;
    let max: usize = 4;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(plan.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let base = |i: usize| plan.bases[i % plan.bases.len()].clone();

    // Through the waiting room, every shopper.
    for (i, token) in tokens.iter().enumerate() {
        let res = http
            .post(format!("{}/api/v1/concerts/{concert}/queue", base(i)))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("queue: {}", res.status()));
        }
    }

    let tokens = Arc::new(tokens);
    // The ceilings here, measured before the sale (which also warms the instances up, as a
    // live site is before a sale opens), through the same clients and instances:
    // - any HTTP request: `GET /health`, no account, no database;
    // - any authenticated request: `GET /api/v1/me`, who the token belongs to, no seats.
    let n = plan.attempts.min(10_000);
    let bare = calls_per_second(&http, &plan, &tokens, "/health", false, n).await?;
    let ceiling = calls_per_second(&http, &plan, &tokens, "/api/v1/me", true, n).await?;
    // What the shoppers' maps show as taken, and how many seats each holds.
    let taken: Arc<Mutex<HashSet<i64>>> = Arc::default();
    let held: Arc<Vec<std::sync::atomic::AtomicUsize>> =
        Arc::new((0..users.len()).map(|_| Default::default()).collect());
    let seat_ids = Arc::new(seat_ids);
    let gate = Arc::new(Semaphore::new(0));
    let mut tasks = Vec::with_capacity(plan.attempts);
    for i in 0..plan.attempts {
        let (http, gate, taken, held) = (http.clone(), gate.clone(), taken.clone(), held.clone());
        let (seat_ids, tokens) = (seat_ids.clone(), tokens.clone());
        let url = format!("{}/api/v1/concerts/{concert}/holds", base(i));
        let user = i % users.len();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.expect("the gate stays open");
            use std::sync::atomic::Ordering::Relaxed;
            let want = max.saturating_sub(held[user].load(Relaxed)).min(2);
            if want == 0 {
                return None;
            }
            // The next seats the map shows free from a random place (wrapping round).
            let pick: Vec<i64> = {
                let seen = taken.lock().expect("taken");
                // A full map: the shopper gives up without looking at every seat (a tool that
                // scanned 2,000 seats per give-up spent the machine's CPU on it).
                if seen.len() >= seat_ids.len() {
                    return None;
                }
                let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
                let start = rng.gen_range(0..seat_ids.len());
                seat_ids[start..]
                    .iter()
                    .chain(&seat_ids[..start])
                    .filter(|s| !seen.contains(s))
                    .take(want)
                    .copied()
                    .collect()
            };
            if pick.is_empty() {
                return None;
            }
            let t0 = Instant::now();
            let res = http
                .post(url)
                .bearer_auth(&tokens[user])
                .json(&serde_json::json!({ "seatIds": pick }))
                .send()
                .await;
            let took = t0.elapsed();
            let status = res.map(|r| r.status().as_u16()).unwrap_or(0);
            if status == 201 {
                held[user].fetch_add(pick.len(), Relaxed);
            }
            if status == 201 {
                taken.lock().expect("taken").extend(pick);
            }
            Some((status, took))
        }));
    }
    // What a live seat map shows: the taken seats, as the seat stream reports them (the
    // browser's map follows the same stream).
    let refresher = {
        let (http, taken, url) = (
            http.clone(),
            taken.clone(),
            format!("{}/api/v1/concerts/{concert}/seats/events", plan.bases[0]),
        );
        let (ready, snapshot) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let Ok(mut res) = http
                .get(&url)
                .timeout(Duration::from_secs(3600))
                .send()
                .await
            else {
                return;
            };
            let mut ready = Some(ready);
            let mut buf = String::new();
            while let Ok(Some(chunk)) = res.chunk().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let block: String = buf.drain(..end + 2).collect();
                    let data: String = block
                        .lines()
                        .filter_map(|l| l.strip_prefix("data:"))
                        .map(str::trim)
                        .collect();
                    let Ok(event) = serde_json::from_str::<serde_json::Value>(&data) else {
                        continue;
                    };
                    let now = event["seats"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|s| s["status"] != "AVAILABLE")
                        .filter_map(|s| s["id"].as_i64());
                    taken.lock().expect("taken").extend(now);
                    if let Some(r) = ready.take() {
                        let _ = r.send(());
                    }
                }
            }
        });
        // The map is on screen before the sale starts.
        let _ = tokio::time::timeout(Duration::from_secs(10), snapshot).await;
        task
    };
    let start = Instant::now();
    gate.add_permits(plan.concurrency);
    let mut times = Vec::new();
    let mut won = 0usize;
    let mut other = std::collections::BTreeMap::<u16, usize>::new();
    for t in tasks {
        if let Some((status, took)) = t.await.map_err(|e| e.to_string())? {
            times.push(took);
            match status {
                201 => won += 1,
                s => *other.entry(s).or_default() += 1,
            }
        }
    }
    let wall = start.elapsed();
    refresher.abort();
    times.sort();
    let at = |q: f64| {
        if times.is_empty() {
            return 0.0;
        }
        times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0
    };
    let (twice, free, wanting): (i64, i64, i64) = sqlx::query_as(
        "SELECT
           (SELECT count(*) FROM (SELECT seat_id FROM seat_reservations
              WHERE concert_id = $1 AND status IN ('TEMPORARILY_RESERVED', 'CONFIRMED')
              GROUP BY seat_id HAVING count(*) > 1) d),
           (SELECT count(*) FROM seats WHERE concert_id = $1 AND status = 'AVAILABLE'),
           (SELECT count(*) FROM users u WHERE u.email LIKE 'tickets-' || $2 || '-%'
              AND COALESCE((SELECT seats FROM ticket_quotas q WHERE q.concert_id = $1 AND q.user_id = u.id), 0) < 4)",
    )
    .bind(concert)
    .bind(&tag)
    .fetch_one(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    let seats_held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM seats WHERE concert_id = $1 AND status = 'TEMPORARILY_RESERVED'",
    )
    .bind(concert)
    .fetch_one(&state.db)
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "ticket rush: {} attempts ({} sent) from {} users on {} seats through {} instances, {} at a time: \
         {:.0} holds/s, p50 {:.2} ms, p99 {:.2} ms; {won} holds ({seats_held} seats held), refused {other:?}; \
         seats sold twice: {twice}; seats left unsold while demand remained: {}; \
         through the same instances, GET /health: {bare:.0} req/s, authenticated GET /api/v1/me: {ceiling:.0} req/s",
        plan.attempts,
        times.len(),
        plan.users,
        seat_ids.len(),
        plan.bases.len(),
        plan.concurrency,
        won as f64 / wall.as_secs_f64(),
        at(0.5),
        at(0.99),
        if wanting > 0 { free } else { 0 },
    );
    Ok(())
}

/// How many `GET {path}` calls per second the instances answer with success, `n` calls
/// `plan.concurrency` at a time, alternating instances (and tokens, when `signed_in`).
async fn calls_per_second(
    http: &reqwest::Client,
    plan: &Plan,
    tokens: &Arc<Vec<String>>,
    path: &str,
    signed_in: bool,
    n: usize,
) -> Result<f64, String> {
    let gate = Arc::new(Semaphore::new(plan.concurrency));
    let start = Instant::now();
    let mut calls = Vec::with_capacity(n);
    for i in 0..n {
        let (http, gate, tokens) = (http.clone(), gate.clone(), tokens.clone());
        let url = format!("{}{path}", plan.bases[i % plan.bases.len()]);
        calls.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.expect("the gate stays open");
            let mut req = http.get(url);
            if signed_in {
                req = req.bearer_auth(&tokens[i % tokens.len()]);
            }
            req.send().await.is_ok_and(|r| r.status().is_success())
        }));
    }
    let mut ok = 0usize;
    for c in calls {
        ok += usize::from(c.await.map_err(|e| e.to_string())?);
    }
    Ok(ok as f64 / start.elapsed().as_secs_f64())
}
