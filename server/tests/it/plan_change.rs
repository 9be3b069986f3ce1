//! Plan change against the KOS simulator over real HTTP: breakers, the status machine,
//! concurrency, reconciliation, partitions and the monitoring views.

use crate::common::{start_kos, KOS_KEY};
use app::identity::UserId;
use app::plan_change::kos::{Kos, KosSettings, CHANGE, CUSTOMER, PRODUCT};
use app::plan_change::service::{self as pc, reconcile, upkeep};
use app::plan_change::{ChangeStatus, PlanChangeError};
use app::platform::integration::State;
use server::kos_sim::Faults;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// Line 1 of the simulator: 010-5550-0001, born 810211, on LTE-DATA (₩49,000).
const LINE: &str = "01055500001";
const BIRTH: &str = "810211";

fn kos(db: &PgPool, base: &str) -> Kos {
    kos_with(db, base, KOS_KEY, Duration::ZERO)
}

/// A client as an instance configured with `api_key` and a breaker cache of `cache` has.
fn kos_with(db: &PgPool, base: &str, api_key: &str, cache: Duration) -> Kos {
    Kos::new(
        db.clone(),
        &KosSettings {
            base_url: base.to_owned(),
            api_key: api_key.into(),
            connect_timeout: Duration::from_millis(500),
            read_timeout: Duration::from_millis(300),
            breaker_cache: cache,
        },
    )
}

async fn user(db: &PgPool) -> UserId {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, role) VALUES ($1, '회선', 'customer') RETURNING id",
    )
    .bind(format!("line-{}@example.com", Uuid::new_v4().simple()))
    .fetch_one(db)
    .await
    .unwrap()
}

async fn linked(db: &PgPool, k: &Kos, line: &str, birth: &str) -> UserId {
    let u = user(db).await;
    pc::link_line(db, k, u, line, birth).await.unwrap();
    u
}

fn down() -> Faults {
    Faults {
        down: true,
        ..Faults::default()
    }
}

async fn breaker_state(k: &Kos, service: &str) -> State {
    k.breakers().get(service).await.unwrap().state()
}

async fn transitions(db: &PgPool, service: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT from_state, to_state FROM product_change.pc_circuit_breaker_event
         WHERE service_name = $1 ORDER BY id",
    )
    .bind(service)
    .fetch_all(db)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn breakers_start_as_the_seed_sets_them(db: PgPool) {
    let (_sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let rows = k.breakers().list().await.unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.service_name.as_str(),
                r.state.as_str(),
                r.failure_threshold,
                r.success_threshold,
                r.timeout_duration_ms,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (CHANGE, "CLOSED", 10, 5, 120_000),
            (CUSTOMER, "CLOSED", 5, 3, 60_000),
            (PRODUCT, "CLOSED", 5, 3, 60_000),
            // The payment gateway's, in the same table.
            (app::payment::pg::BREAKER, "CLOSED", 5, 3, 30_000),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn downtime_opens_the_breaker_which_refuses_then_probes_and_closes(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    k.breakers()
        .configure(PRODUCT, 3, 2, Duration::from_millis(400))
        .await
        .unwrap();
    sim.set_faults(down());

    // A read is tried three times (two retries); each failure counts.
    let err = k.plans().await.unwrap_err();
    assert!(matches!(err, PlanChangeError::Busy { .. }), "{err:?}");
    assert_eq!(sim.calls("products"), 3);
    assert_eq!(breaker_state(&k, PRODUCT).await, State::Open);

    // Open: refused without a call to KOS.
    let err = k.plans().await.unwrap_err();
    let PlanChangeError::Busy { retry_after_secs } = err else {
        panic!("{err:?}")
    };
    assert!(
        retry_after_secs <= 1,
        "open for 400 ms, told {retry_after_secs} s"
    );
    assert_eq!(
        sim.calls("products"),
        3,
        "no call while the breaker is open"
    );

    // KOS is back; after the open period one probe goes through and the breaker half-opens.
    sim.set_faults(Faults::default());
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(k.plans().await.unwrap().len(), 6);
    let row = k.breakers().get(PRODUCT).await.unwrap();
    assert_eq!((row.state(), row.success_count), (State::HalfOpen, 1));
    // The second success reaches the success threshold.
    k.plans().await.unwrap();
    let row = k.breakers().get(PRODUCT).await.unwrap();
    assert_eq!(
        (row.state(), row.failure_count, row.success_count),
        (State::Closed, 0, 0)
    );
    assert_eq!(sim.calls("products"), 5);

    let t = transitions(&db, PRODUCT).await;
    let pairs: Vec<(&str, &str)> = t.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("CLOSED", "OPEN"),
            ("OPEN", "HALF_OPEN"),
            ("HALF_OPEN", "CLOSED")
        ]
    );

    // Other breakers were never touched.
    assert_eq!(breaker_state(&k, CUSTOMER).await, State::Closed);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_probe_opens_the_breaker_again(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    k.breakers()
        // Open long enough that a retry's backoff on a loaded machine cannot outlast it.
        .configure(CUSTOMER, 1, 3, Duration::from_millis(1500))
        .await
        .unwrap();
    sim.set_faults(down());
    k.customer(LINE).await.unwrap_err();
    assert_eq!(breaker_state(&k, CUSTOMER).await, State::Open);
    assert_eq!(
        sim.calls("customer"),
        1,
        "the first failure opened it: no retries after"
    );
    tokio::time::sleep(Duration::from_millis(1600)).await;
    k.customer(LINE).await.unwrap_err();
    assert_eq!(sim.calls("customer"), 2, "exactly one probe");
    assert_eq!(breaker_state(&k, CUSTOMER).await, State::Open);
    let t = transitions(&db, CUSTOMER).await;
    assert_eq!(
        t.last().map(|(a, b)| (a.as_str(), b.as_str())),
        Some(("HALF_OPEN", "OPEN"))
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn racing_failures_open_the_breaker_once(db: PgPool) {
    let (sim, base) = start_kos().await;
    sim.set_faults(down());
    // Eight instances (own clients, own caches) fail at once against one breaker.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let k = kos(&db, &base);
        tasks.push(tokio::spawn(async move { k.customer(LINE).await }));
    }
    for t in tasks {
        assert!(t.await.unwrap().is_err());
    }
    let k = kos(&db, &base);
    assert_eq!(breaker_state(&k, CUSTOMER).await, State::Open);
    assert_eq!(
        transitions(&db, CUSTOMER).await.len(),
        1,
        "one CLOSED → OPEN, logged once"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn every_call_is_logged_with_the_api_key_masked(db: PgPool) {
    let (_sim, base) = start_kos().await;
    let k = kos(&db, &base);
    k.customer(LINE).await.unwrap().unwrap();
    let row: (String, String, serde_json::Value, Option<i32>, bool, i32, String, Option<i32>) = sqlx::query_as(
        "SELECT integration_type, method, request_headers, response_status, is_success, retry_count,
                circuit_breaker_state, response_time_ms
         FROM product_change.pc_kos_integration_log",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((row.0.as_str(), row.1.as_str()), ("CUSTOMER_INFO", "GET"));
    assert_eq!(row.2["x-kos-api-key"], "***", "{}", row.2);
    assert!(!row.2.to_string().contains(KOS_KEY));
    assert_eq!(
        (row.3, row.4, row.5, row.6.as_str()),
        (Some(200), true, 0, "CLOSED")
    );
    assert!(row.7.is_some());
    let body: serde_json::Value =
        sqlx::query_scalar("SELECT response_body FROM product_change.pc_kos_integration_log")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (body["birthDate"].as_str(), body["customerName"].as_str()),
        (Some("***"), Some("김*준"))
    );
    assert_eq!(body["lineNumber"], LINE);
}

#[sqlx::test(migrations = "../migrations")]
async fn linking_checks_the_birth_date_and_the_owner(db: PgPool) {
    let (_sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = user(&db).await;
    let wrong = pc::link_line(&db, &k, me, "010-5550-0001", "900101").await;
    assert!(matches!(wrong, Err(PlanChangeError::NotVerified)));
    let unknown = pc::link_line(&db, &k, me, "010-9999-0001", BIRTH).await;
    assert!(
        matches!(unknown, Err(PlanChangeError::NotVerified)),
        "same answer: no probing for lines"
    );
    assert!(matches!(
        pc::link_line(&db, &k, me, "02-555-0001", BIRTH).await,
        Err(PlanChangeError::BadLine)
    ));
    assert!(matches!(
        pc::link_line(&db, &k, me, LINE, "81-02").await,
        Err(PlanChangeError::BadBirthDate)
    ));
    pc::link_line(&db, &k, me, "010-5550-0001", BIRTH)
        .await
        .unwrap();
    pc::link_line(&db, &k, me, "01055500001", BIRTH)
        .await
        .unwrap();
    assert_eq!(
        pc::lines_of(&db, me).await.unwrap().len(),
        1,
        "linking twice is a no-op"
    );
    let other = user(&db).await;
    assert!(matches!(
        pc::link_line(&db, &k, other, LINE, BIRTH).await,
        Err(PlanChangeError::LineTaken)
    ));
    // Someone else cannot see the line's plans or history.
    assert!(matches!(
        pc::line_plans(&db, &k, other, LINE).await,
        Err(PlanChangeError::NotFound)
    ));
    assert!(matches!(
        pc::history(&db, other, LINE, 10).await,
        Err(PlanChangeError::NotFound)
    ));
    // Line 11 is terminated.
    assert!(matches!(
        pc::link_line(&db, &k, other, "01055500011", "911221").await,
        Err(PlanChangeError::LineTerminated)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn plans_side_by_side_with_the_difference(db: PgPool) {
    let (_sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    let p = pc::line_plans(&db, &k, me, LINE).await.unwrap();
    assert_eq!(p.line.current.code, "LTE-DATA");
    assert_eq!(p.line.customer_name, "김*준");
    let diff: Vec<(&str, i64)> = p
        .options
        .iter()
        .map(|o| (o.plan.code.as_str(), o.fee_difference))
        .collect();
    // The current plan and the closed one are not offered.
    assert_eq!(
        diff,
        [
            ("LTE-SAVE", -16_000),
            ("5G-SLIM", 6_000),
            ("5G-BASIC", 20_000),
            ("5G-PREMIUM", 40_000)
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_line_under_contract_is_not_offered_a_cheaper_plan(db: PgPool) {
    let (_sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, "01055500010", "901120").await;
    let p = pc::line_plans(&db, &k, me, "01055500010").await.unwrap();
    assert!(!p.options.is_empty());
    for o in &p.options {
        // Every other plan is cheaper than the dearest one the line is on.
        assert!(o.fee_difference < 0, "{}", o.plan.code);
        assert_eq!(
            o.blocked.as_deref(),
            Some("CONTRACT_DOWNGRADE"),
            "{}",
            o.plan.code
        );
    }
    // A line without a contract is offered everything.
    let free = linked(&db, &k, LINE, BIRTH).await;
    let p = pc::line_plans(&db, &k, free, LINE).await.unwrap();
    assert!(p.options.iter().all(|o| o.blocked.is_none()));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_goes_through_every_status_to_completed(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    let id = Uuid::new_v4();
    let c = pc::submit(&db, &k, me, LINE, "5G-PREMIUM", id)
        .await
        .unwrap();
    assert_eq!(c.status, ChangeStatus::Completed);
    assert_eq!(
        (
            c.current_product_code.as_str(),
            c.target_product_code.as_str()
        ),
        ("LTE-DATA", "5G-PREMIUM")
    );
    assert_eq!(c.validation_result.as_deref(), Some("OK"));
    assert_eq!(c.process_message.as_deref(), Some("COMPLETED"));
    assert_eq!(
        c.version, 3,
        "REQUESTED → VALIDATED → PROCESSING → COMPLETED"
    );
    assert!(c.processed_at.is_some());
    assert_eq!(sim.plan_of(LINE).as_deref(), Some("5G-PREMIUM"));
    let stored: (serde_json::Value, serde_json::Value) = sqlx::query_as(
        "SELECT kos_request_data, kos_response_data FROM product_change.pc_product_change_history WHERE request_id = $1",
    )
    .bind(id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(stored.0["targetProductCode"], "5G-PREMIUM");
    assert_eq!(stored.1["result"], "COMPLETED");

    // The same request id again: the same request, nothing new at KOS.
    let calls = sim.calls("change");
    let again = pc::submit(&db, &k, me, LINE, "5G-PREMIUM", id)
        .await
        .unwrap();
    assert_eq!((again.request_id, again.version), (id, 3));
    assert_eq!(sim.calls("change"), calls);
    // The line is free again: the next change is accepted.
    let next = pc::submit(&db, &k, me, LINE, "5G-SLIM", Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(next.status, ChangeStatus::Completed);
    assert_eq!(pc::history(&db, me, LINE, 10).await.unwrap().len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn refusals_fail_with_their_reason(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    // Pre-check: our rules on KOS data, no change call.
    for (target, reason) in [
        ("LTE-DATA", "SAME_PRODUCT"),
        ("5G-SPECIAL", "PRODUCT_CLOSED"),
        ("NOPE", "PRODUCT_NOT_FOUND"),
    ] {
        let c = pc::submit(&db, &k, me, LINE, target, Uuid::new_v4())
            .await
            .unwrap();
        assert_eq!(
            (c.status, c.validation_result.as_deref()),
            (ChangeStatus::Failed, Some(reason))
        );
    }
    assert_eq!(sim.calls("change"), 0);
    // KOS's own rule: line 10 is under contract and cannot move down.
    let locked = linked(&db, &k, "01055500010", "901120").await;
    let c = pc::submit(&db, &k, locked, "01055500010", "LTE-SAVE", Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(
        (c.status, c.process_message.as_deref()),
        (ChangeStatus::Failed, Some("CONTRACT_DOWNGRADE"))
    );
    assert_eq!(sim.plan_of("01055500010").as_deref(), Some("5G-PREMIUM"));
    // A suspended line fails the pre-check.
    let suspended = linked(&db, &k, "01055500009", "891019").await;
    let c = pc::submit(&db, &k, suspended, "01055500009", "5G-SLIM", Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(c.validation_result.as_deref(), Some("LINE_NOT_ACTIVE"));
    // Nothing is left holding a line.
    let held: i64 = sqlx::query_scalar("SELECT count(*) FROM product_change.pc_active_line_change")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(held, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_open_breaker_refuses_before_any_request_or_call(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    k.breakers()
        .configure(CHANGE, 1, 1, Duration::from_secs(90))
        .await
        .unwrap();
    sim.set_faults(Faults {
        only: Some("change".into()),
        ..down()
    });
    let c = pc::submit(&db, &k, me, LINE, "5G-BASIC", Uuid::new_v4())
        .await
        .unwrap();
    // 503 from KOS: the outcome is unknown, so the request waits for reconciliation.
    assert_eq!(
        (c.status, c.process_message.as_deref()),
        (ChangeStatus::Processing, Some("KOS_PENDING"))
    );
    assert_eq!(breaker_state(&k, CHANGE).await, State::Open);
    let before = (sim.calls("customer"), sim.calls("change"));
    let err = pc::submit(&db, &k, me, LINE, "5G-SLIM", Uuid::new_v4())
        .await
        .unwrap_err();
    let PlanChangeError::Busy { retry_after_secs } = &err else {
        panic!("{err:?}")
    };
    assert!((60..=90).contains(retry_after_secs), "{retry_after_secs}");
    assert_eq!(
        (sim.calls("customer"), sim.calls("change")),
        before,
        "KOS was not called"
    );
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM product_change.pc_product_change_history")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(rows, 1, "no request row for the refused submit");
    let msg = app::platform::error::AppError::from(err).message(app::platform::i18n::Locale::En);
    assert_eq!(
        msg,
        "The carrier system is busy. Please try again in 2 min."
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_requests_for_one_line_accept_exactly_one(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    // Slow KOS: every request is still in flight when the others arrive.
    sim.set_faults(Faults {
        latency_ms: 80,
        ..Faults::default()
    });
    let targets = ["5G-SLIM", "5G-BASIC", "5G-PREMIUM", "LTE-SAVE"];
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (db, k) = (db.clone(), k.clone());
        let target = targets[i % targets.len()];
        tasks.push(tokio::spawn(async move {
            pc::submit(&db, &k, me, LINE, target, Uuid::new_v4()).await
        }));
    }
    let (mut accepted, mut refused) = (Vec::new(), 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(c) => accepted.push(c),
            Err(PlanChangeError::ChangeInFlight) => refused += 1,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!((accepted.len(), refused), (1, 11));
    assert_eq!(accepted[0].status, ChangeStatus::Completed);
    assert_eq!(sim.calls("change"), 1);
    assert_eq!(
        sim.plan_of(LINE).as_deref(),
        Some(accepted[0].target_product_code.as_str())
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_double_submit_of_one_request_returns_the_same_request(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    sim.set_faults(Faults {
        latency_ms: 50,
        ..Faults::default()
    });
    let id = Uuid::new_v4();
    // Several at once: each must get the one request back, whichever step it races with.
    let submits: Vec<_> = (0..6)
        .map(|_| {
            let (db, k) = (db.clone(), k.clone());
            tokio::spawn(async move { pc::submit(&db, &k, me, LINE, "5G-BASIC", id).await })
        })
        .collect();
    for s in submits {
        assert_eq!(s.await.unwrap().unwrap().request_id, id);
    }
    assert_eq!(sim.calls("change"), 1);
    // A late repeat, after the first finished and freed the line, is still the same request.
    let late = pc::submit(&db, &k, me, LINE, "5G-BASIC", id).await.unwrap();
    assert_eq!(
        (late.request_id, late.status),
        (id, ChangeStatus::Completed)
    );
    // The same id for another change is refused, not run.
    let reused = pc::submit(&db, &k, me, LINE, "5G-SLIM", id).await;
    assert!(
        matches!(reused, Err(PlanChangeError::ChangeInFlight)),
        "{reused:?}"
    );
    let rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM product_change.pc_product_change_history WHERE request_id = $1",
    )
    .bind(id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(rows, 1);
    assert_eq!(sim.calls("change"), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bad_plan_code_is_refused_before_kos(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    let calls = sim.calls("customer");
    for bad in ["", "5G PREMIUM", "A-VERY-LONG-PLAN-CODE-1234", "5G';--"] {
        let r = pc::submit(&db, &k, me, LINE, bad, Uuid::new_v4()).await;
        assert!(
            matches!(r, Err(PlanChangeError::UnknownPlan)),
            "{bad}: {r:?}"
        );
    }
    assert_eq!(sim.calls("customer"), calls);
}

#[sqlx::test(migrations = "../migrations")]
async fn half_open_lets_one_probe_through_at_a_time(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    k.breakers()
        .configure(PRODUCT, 1, 5, Duration::from_millis(200))
        .await
        .unwrap();
    sim.set_faults(down());
    k.plans().await.unwrap_err();
    assert_eq!(breaker_state(&k, PRODUCT).await, State::Open);
    // KOS is back but slow (within the client's 300 ms limit); when the open period ends,
    // eight callers arrive at once.
    sim.set_faults(Faults {
        latency_ms: 150,
        ..Faults::default()
    });
    tokio::time::sleep(Duration::from_millis(250)).await;
    let before = sim.calls("products");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let k = k.clone();
        tasks.push(tokio::spawn(async move { k.plans().await.is_ok() }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    assert_eq!(ok, 1, "one probe answered, seven refused");
    assert_eq!(
        sim.calls("products") - before,
        1,
        "only the probe reached KOS"
    );
    let row = k.breakers().get(PRODUCT).await.unwrap();
    assert_eq!(
        (row.state(), row.success_count, row.half_open_in_flight),
        (State::HalfOpen, 1, 0)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_cached_breaker_is_trusted_only_for_its_cache_period(db: PgPool) {
    let (sim, base) = start_kos().await;
    let a = kos(&db, &base);
    let b = kos_with(&db, &base, KOS_KEY, Duration::from_millis(500));
    a.breakers()
        .configure(CUSTOMER, 1, 1, Duration::from_secs(60))
        .await
        .unwrap();
    // B reads (and caches) CLOSED; A then opens the breaker.
    b.customer(LINE).await.unwrap();
    sim.set_faults(down());
    a.customer(LINE).await.unwrap_err();
    assert_eq!(breaker_state(&a, CUSTOMER).await, State::Open);
    // After its cache period B refuses without calling, counting down the open period.
    tokio::time::sleep(Duration::from_millis(550)).await;
    let calls = sim.calls("customer");
    let first = b.breakers().open_for(CUSTOMER).await.unwrap().unwrap();
    b.customer(LINE).await.unwrap_err();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let later = b.breakers().open_for(CUSTOMER).await.unwrap().unwrap();
    assert_eq!(sim.calls("customer"), calls);
    assert!(
        later < first && first <= Duration::from_secs(60),
        "{first:?} then {later:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unclear_status_answer_leaves_the_request_pending(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    sim.set_faults(Faults {
        timeout_rate: 1.0,
        only: Some("change".into()),
        ..Faults::default()
    });
    let c = pc::submit(&db, &k, me, LINE, "5G-BASIC", Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(c.status, ChangeStatus::Processing);
    // A client with the wrong key gets 401 for the status query: not an answer about the change.
    let wrong = kos_with(&db, &base, "wrong", Duration::ZERO);
    let r = reconcile(&db, &wrong, Duration::ZERO).await.unwrap();
    assert_eq!((r.completed, r.failed, r.pending), (0, 0, 1));
    let still = pc::change_for(&db, me, c.request_id).await.unwrap();
    assert_eq!(still.status, ChangeStatus::Processing);
    // 401 counts against the breaker (a wrong key is an outage, not an answer): the timed-out
    // change plus three attempts of the status read.
    assert_eq!(k.breakers().get(CHANGE).await.unwrap().failure_count, 4);
    sim.set_faults(Faults::default());
    let r = reconcile(&db, &k, Duration::ZERO).await.unwrap();
    assert_eq!(r.completed, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_owner_does_not_see_the_previous_owners_requests(db: PgPool) {
    let (_sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let first = linked(&db, &k, LINE, BIRTH).await;
    pc::submit(&db, &k, first, LINE, "5G-SLIM", Uuid::new_v4())
        .await
        .unwrap();
    pc::unlink_line(&db, first, LINE).await.unwrap();
    let second = linked(&db, &k, LINE, BIRTH).await;
    assert!(pc::history(&db, second, LINE, 10).await.unwrap().is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_timeout_during_processing_is_reconciled(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    // KOS carries out the change but its answer never arrives in time.
    sim.set_faults(Faults {
        timeout_rate: 1.0,
        only: Some("change".into()),
        ..Faults::default()
    });
    let c = pc::submit(&db, &k, me, LINE, "5G-BASIC", Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(
        (c.status, c.process_message.as_deref()),
        (ChangeStatus::Processing, Some("KOS_PENDING"))
    );
    assert_eq!(sim.plan_of(LINE).as_deref(), Some("5G-BASIC"), "KOS did it");
    // The line stays held until the outcome is known.
    let busy = pc::submit(&db, &k, me, LINE, "5G-SLIM", Uuid::new_v4()).await;
    assert!(
        matches!(busy, Err(PlanChangeError::ChangeInFlight)),
        "{busy:?}"
    );

    sim.set_faults(Faults::default());
    // Within the grace period nothing is touched.
    let r = reconcile(&db, &k, Duration::from_secs(60)).await.unwrap();
    assert_eq!(r, Default::default());
    let r = reconcile(&db, &k, Duration::ZERO).await.unwrap();
    assert_eq!((r.completed, r.failed, r.pending), (1, 0, 0));
    let c = pc::change_for(&db, me, c.request_id).await.unwrap();
    assert_eq!(
        (c.status, c.process_message.as_deref()),
        (ChangeStatus::Completed, Some("CONFIRMED_LATE"))
    );
    // Settled once: a second run finds nothing.
    assert_eq!(
        reconcile(&db, &k, Duration::ZERO).await.unwrap(),
        Default::default()
    );
    pc::submit(&db, &k, me, LINE, "5G-SLIM", Uuid::new_v4())
        .await
        .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_kos_never_received_is_reconciled_as_not_executed(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    let me = linked(&db, &k, LINE, BIRTH).await;
    sim.set_faults(Faults {
        error_rate: 1.0,
        only: Some("change".into()),
        ..Faults::default()
    });
    let c = pc::submit(&db, &k, me, LINE, "5G-BASIC", Uuid::new_v4())
        .await
        .unwrap();
    assert_eq!(c.status, ChangeStatus::Processing);
    // KOS still failing: the job leaves it for the next run.
    sim.set_faults(Faults {
        down: true,
        only: Some("change_status".into()),
        ..Faults::default()
    });
    let r = reconcile(&db, &k, Duration::ZERO).await.unwrap();
    assert_eq!(r.pending, 1);
    k.breakers()
        .reset(
            CHANGE,
            &app::platform::testing::admin_actor(user(&db).await),
        )
        .await
        .unwrap();
    sim.set_faults(Faults::default());
    // Two job runs racing (two instances): the request is settled exactly once.
    let (a, b) = tokio::join!(
        reconcile(&db, &k, Duration::ZERO),
        reconcile(&db, &k, Duration::ZERO)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.failed + b.failed, 1, "{a:?} {b:?}");
    let c = pc::change_for(&db, me, c.request_id).await.unwrap();
    assert_eq!(
        (c.status, c.process_message.as_deref(), c.version),
        (ChangeStatus::Failed, Some("NOT_EXECUTED"), 3)
    );
    assert_eq!(sim.plan_of(LINE).as_deref(), Some("LTE-DATA"));
}

#[sqlx::test(migrations = "../migrations")]
async fn partitions_cover_the_coming_year_and_old_logs_are_dropped(db: PgPool) {
    let months: Vec<String> = sqlx::query_scalar(
        "SELECT to_char(date_trunc('month', now()) + make_interval(months => i), 'YYYY_MM')
         FROM generate_series(0, 12) i",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    for table in ["pc_product_change_history", "pc_kos_integration_log"] {
        let names: Vec<String> = upkeep::partitions(&db, table)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.0)
            .collect();
        for m in &months {
            assert!(
                names.contains(&format!("{table}_{m}")),
                "{table}_{m} missing from {names:?}"
            );
        }
    }
    // The job is idempotent.
    upkeep::ensure_partitions(&db).await.unwrap();
    upkeep::ensure_partitions(&db).await.unwrap();

    // A log partition from 14 months ago, with a row: dropped whole. History is kept.
    sqlx::query(
        "SELECT product_change.create_monthly_partition(t, (date_trunc('month', now()) - INTERVAL '14 months')::DATE)
         FROM unnest(ARRAY['pc_kos_integration_log', 'pc_product_change_history']) t",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO product_change.pc_kos_integration_log (integration_type, method, endpoint_url, created_at)
         VALUES ('PRODUCT_INFO', 'GET', '/old', now() - INTERVAL '14 months')",
    )
    .execute(&db)
    .await
    .unwrap();
    let (dropped, _) = upkeep::cleanup_old_logs(&db).await.unwrap();
    assert_eq!(dropped, 1);
    let left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM product_change.pc_kos_integration_log")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(left, 0);
    let history = upkeep::partitions(&db, "pc_product_change_history")
        .await
        .unwrap();
    assert_eq!(
        history.len(),
        15,
        "last month, this month, 12 ahead, and the old one: never dropped"
    );
}

/// Type, calls, successes, success rate, average time.
type StatRow<'a> = (&'a str, i64, i64, Option<f64>, Option<f64>);

#[sqlx::test(migrations = "../migrations")]
async fn the_views_aggregate_a_known_data_set(db: PgPool) {
    // Rows from last month and the one before need their partitions.
    sqlx::query(
        "SELECT product_change.create_monthly_partition(t, (date_trunc('month', now()) - make_interval(months => m))::DATE)
         FROM unnest(ARRAY['pc_kos_integration_log', 'pc_product_change_history']) t, generate_series(1, 2) m",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO product_change.pc_product_change_history
             (line_number, customer_id, current_product_code, target_product_code, process_status, requested_at, processed_at)
         VALUES ('01000000001', 'C1', 'A', 'B', 'COMPLETED', now() - INTERVAL '10 seconds', now()),
                ('01000000002', 'C2', 'A', 'B', 'COMPLETED', now() - INTERVAL '30 seconds', now()),
                ('01000000003', 'C3', 'A', 'B', 'FAILED', now() - INTERVAL '4 seconds', now()),
                ('01000000004', 'C4', 'A', 'B', 'PROCESSING', now(), NULL),
                ('01000000005', 'C5', 'A', 'B', 'COMPLETED', now() - INTERVAL '40 days', now() - INTERVAL '40 days')",
    )
    .execute(&db)
    .await
    .unwrap();
    let summary: Vec<(String, i64, i64, Option<f64>)> = sqlx::query_as(
        "SELECT process_status, request_count, today_count, avg_processing_time_sec
         FROM product_change.v_product_change_summary",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let round = |v: Option<f64>| v.map(|v| v.round() as i64);
    let got: Vec<(&str, i64, Option<i64>)> = summary
        .iter()
        .map(|s| (s.0.as_str(), s.1, round(s.3)))
        .collect();
    // The 40-day-old request is outside the 30-day window.
    assert_eq!(
        got,
        [
            ("COMPLETED", 2, Some(20)),
            ("FAILED", 1, Some(4)),
            ("PROCESSING", 1, None)
        ]
    );

    sqlx::query(
        "INSERT INTO product_change.pc_kos_integration_log
             (integration_type, method, endpoint_url, response_time_ms, is_success, created_at)
         VALUES ('CUSTOMER_INFO', 'GET', '/c', 100, true, now()),
                ('CUSTOMER_INFO', 'GET', '/c', 300, true, now()),
                ('CUSTOMER_INFO', 'GET', '/c', 200, false, now()),
                ('PRODUCT_CHANGE', 'POST', '/p', 50, true, now()),
                ('PRODUCT_INFO', 'GET', '/old', 10, true, now() - INTERVAL '8 days')",
    )
    .execute(&db)
    .await
    .unwrap();
    let stats = pc::monitoring::integration_stats(&db).await.unwrap();
    let got: Vec<StatRow> = stats
        .iter()
        .map(|s| {
            (
                s.integration_type.as_str(),
                s.total_requests,
                s.success_count,
                s.success_rate,
                s.avg_response_time_ms,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("CUSTOMER_INFO", 3, 2, Some(66.67), Some(200.0)),
            ("PRODUCT_CHANGE", 1, 1, Some(100.0), Some(50.0))
        ]
    );
    assert_eq!(
        stats[0].p95_response_time_ms.map(|v| v.round() as i64),
        Some(290)
    );

    sqlx::query(
        "UPDATE product_change.pc_circuit_breaker_state SET state = 'OPEN', next_attempt_time = now() - INTERVAL '1 second'
         WHERE service_name = 'KOS_CHANGE'",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE product_change.pc_circuit_breaker_state SET state = 'HALF_OPEN', success_count = 3
         WHERE service_name = 'KOS_PRODUCT'",
    )
    .execute(&db)
    .await
    .unwrap();
    let b = pc::monitoring::breakers(&db).await.unwrap();
    let got: Vec<(&str, &str)> = b
        .iter()
        .map(|b| (b.service_name.as_str(), b.recommended_action.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (CHANGE, "READY_FOR_HALF_OPEN"),
            (CUSTOMER, "STABLE"),
            (PRODUCT, "READY_FOR_CLOSE"),
            (app::payment::pg::BREAKER, "STABLE")
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_reset_closes_the_breaker_and_is_logged(db: PgPool) {
    let (sim, base) = start_kos().await;
    let k = kos(&db, &base);
    k.breakers()
        .configure(CUSTOMER, 1, 1, Duration::from_secs(60))
        .await
        .unwrap();
    sim.set_faults(down());
    k.customer(LINE).await.unwrap_err();
    assert_eq!(breaker_state(&k, CUSTOMER).await, State::Open);
    let admin = user(&db).await;
    let by = app::platform::testing::admin_actor(admin);
    let row = k.breakers().reset(CUSTOMER, &by).await.unwrap();
    assert_eq!((row.state(), row.failure_count), (State::Closed, 0));
    let actor: Option<UserId> = sqlx::query_scalar(
        "SELECT actor_id FROM product_change.pc_circuit_breaker_event
         WHERE service_name = 'KOS_CUSTOMER' AND reason = 'manual reset'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(actor, Some(admin));
    let log = app::platform::audit::history(
        &db,
        app::platform::audit::AuditResource::Breaker,
        CUSTOMER,
        5,
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].actor_id, Some(admin));
    assert_eq!(log[0].before, Some(serde_json::json!({ "state": "OPEN" })));
}
