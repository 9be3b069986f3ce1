use super::*;
use crate::identity::UserId;
use crate::platform::redis::Redis;
use crate::platform::testing::{shopper, test_redis};
use crate::ticketing::domain::{ConcertForm, EditConcertForm, HoldRequest, NewConcert};
use crate::ticketing::{ConcertId, ConcertStatus, HoldId, SeatId, SeatStatus, TicketingError};
use crate::wallet::service as wallet;
use chrono::{Duration as Days, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

const RULES: HoldRules = HoldRules {
    max_seats: 4,
    ttl: Duration::from_secs(300),
    waiting_room: false,
};

/// Attempt `i` of a concurrent test goes alone, or through one of two desks (two instances
/// batching holds), so every way a hold is written races the others.
async fn hold_by(
    i: usize,
    desks: &[HoldDesk; 2],
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    concert: ConcertId,
    request: &HoldRequest,
) -> Result<Held, TicketingError> {
    match i % 3 {
        0 => hold(db, redis, RULES, user, concert, request).await,
        n => {
            desks[n - 1]
                .hold(db, redis, RULES, user, concert, request)
                .await
        }
    }
}

fn seoul(at: chrono::DateTime<Utc>) -> String {
    at.with_timezone(&crate::ui::format::seoul())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A concert whose booking opened a minute ago: `layout` with grades S 50,000 and R 80,000.
fn open_concert(layout: &str) -> NewConcert {
    let now = Utc::now();
    NewConcert::try_from(&ConcertForm {
        details: EditConcertForm {
            title: "봄 콘서트".into(),
            artist: "장터 밴드".into(),
            venue: "올림픽홀".into(),
            starts_at: seoul(now + Days::days(30)),
            booking_starts_at: seoul(now - Days::minutes(2)),
            booking_ends_at: seoul(now + Days::days(29)),
            ..Default::default()
        },
        grades: "R 80000, S 50000".into(),
        layout: layout.into(),
        ..Default::default()
    })
    .expect("valid concert")
}

async fn setup(db: &PgPool, layout: &str) -> (Redis, ConcertId) {
    let redis = test_redis().await;
    let admin = shopper(db).await;
    let id = create(db, &redis, Organizer::Admin(admin), &open_concert(layout))
        .await
        .unwrap();
    (redis, id)
}

async fn seat_ids(db: &PgPool, concert: ConcertId) -> Vec<SeatId> {
    sqlx::query_scalar("SELECT id FROM seats WHERE concert_id = $1 ORDER BY seat_number")
        .bind(concert)
        .fetch_all(db)
        .await
        .unwrap()
}

async fn rich(db: &PgPool) -> UserId {
    let u = shopper(db).await;
    wallet::grant(
        db,
        u,
        Decimal::from(1_000_000),
        &format!("test:{u}"),
        "test",
    )
    .await
    .unwrap();
    u
}

/// Seats held or bought now, counted from both sides: seats and reservations must agree.
async fn active_seats(db: &PgPool, concert: ConcertId) -> (i64, i64) {
    let seats: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM seats WHERE concert_id = $1
           AND status IN ('TEMPORARILY_RESERVED', 'RESERVED')",
    )
    .bind(concert)
    .fetch_one(db)
    .await
    .unwrap();
    let reservations: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM seat_reservations WHERE concert_id = $1
           AND status IN ('TEMPORARILY_RESERVED', 'CONFIRMED')",
    )
    .bind(concert)
    .fetch_one(db)
    .await
    .unwrap();
    (seats, reservations)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_concert_has_its_seats_grades_and_status_by_the_clock(db: PgPool) {
    let (redis, id) = setup(&db, "A R 2x5\nB S 3x10").await;
    let detail = detail(&db, id).await.unwrap();
    assert_eq!(detail.concert.status, ConcertStatus::BookingOpen);
    assert_eq!(detail.concert.total_seats, 40);
    assert_eq!(detail.concert.seats_left, 40);
    assert_eq!(detail.concert.price_from, Some(Decimal::from(50_000)));
    let grades: Vec<_> = detail
        .grades
        .iter()
        .map(|g| (g.grade.as_str(), g.seats))
        .collect();
    assert_eq!(grades, [("R", 10), ("S", 30)]);
    let (_, map) = seat_map(&db, &redis, id).await.unwrap();
    assert_eq!(map.seats.len(), 40);
    assert!(map.seats.iter().all(|s| s.status == SeatStatus::Available));
    assert_eq!(upcoming(&db, &redis).await.unwrap().len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_thousand_shoppers_on_one_seat_one_wins(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x50").await;
    let seat = seat_ids(&db, concert).await[7];
    let users: Vec<UserId> = sqlx::query_scalar(
        "INSERT INTO users (email, name)
         SELECT 'seat-' || g || '-' || gen_random_uuid() || '@example.com', '구매자'
         FROM generate_series(1, 1000) g RETURNING id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(users.len()));
    let desks: Arc<[HoldDesk; 2]> = Arc::default();
    let tasks: Vec<_> = users
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let (db, redis, barrier, desks) =
                (db.clone(), redis.clone(), barrier.clone(), desks.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let one = HoldRequest::Seats(vec![seat]);
                hold_by(i, &desks, &db, &redis, u, concert, &one).await
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => won += 1,
            Err(TicketingError::SeatTaken) => {}
            Err(e) => panic!("unexpected refusal: {e}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(active_seats(&db, concert).await, (1, 1));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_rush_on_fifty_seats_holds_fifty_and_nobody_passes_the_limit(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 5x10").await;
    let seats = seat_ids(&db, concert).await;
    let users: Vec<UserId> = sqlx::query_scalar(
        "INSERT INTO users (email, name)
         SELECT 'rush-' || g || '-' || gen_random_uuid() || '@example.com', '구매자'
         FROM generate_series(1, 500) g RETURNING id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    // 5,000 attempts: each user tries ten times, one or two seats at a time, spread so
    // that every user also races others on the same seats.
    let attempts: Vec<(UserId, Vec<SeatId>)> = (0..5000usize)
        .map(|i| {
            let u = users[i % users.len()];
            let a = seats[(i * 7) % seats.len()];
            let b = seats[(i * 13 + 1) % seats.len()];
            let pick = if i % 3 == 0 {
                vec![a]
            } else {
                vec![a.min(b), a.max(b)]
            };
            let mut pick = pick;
            pick.dedup();
            (u, pick)
        })
        .collect();
    let sem = Arc::new(tokio::sync::Semaphore::new(200));
    let desks: Arc<[HoldDesk; 2]> = Arc::default();
    let tasks: Vec<_> = attempts
        .into_iter()
        .enumerate()
        .map(|(i, (u, pick))| {
            let (db, redis, sem, desks) = (db.clone(), redis.clone(), sem.clone(), desks.clone());
            tokio::spawn(async move {
                let _permit = sem.acquire().await.unwrap();
                let pick = HoldRequest::Seats(pick);
                hold_by(i, &desks, &db, &redis, u, concert, &pick).await
            })
        })
        .collect();
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) | Err(TicketingError::SeatTaken) | Err(TicketingError::OverLimit { .. }) => {}
            Err(e) => panic!("unexpected refusal: {e}"),
        }
    }
    assert_eq!(
        active_seats(&db, concert).await,
        (50, 50),
        "every seat held once"
    );
    let over: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT user_id FROM seat_reservations
           WHERE concert_id = $1 AND status = 'TEMPORARILY_RESERVED'
           GROUP BY user_id HAVING count(*) > 4) o",
    )
    .bind(concert)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(over, 0, "nobody over the limit");
    let drift: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ticket_quotas q WHERE q.concert_id = $1 AND q.seats <> (
           SELECT count(*) FROM seat_reservations r WHERE r.concert_id = q.concert_id
             AND r.user_id = q.user_id AND r.status IN ('TEMPORARILY_RESERVED', 'CONFIRMED'))",
    )
    .bind(concert)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(drift, 0, "quotas match the reservations");
}

#[sqlx::test(migrations = "../migrations")]
async fn one_account_in_parallel_never_passes_the_limit(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 2x20").await;
    let seats = seat_ids(&db, concert).await;
    let u = shopper(&db).await;
    let desks: Arc<[HoldDesk; 2]> = Arc::default();
    let tasks: Vec<_> = seats
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let (db, redis, desks) = (db.clone(), redis.clone(), desks.clone());
            tokio::spawn(async move {
                let one = HoldRequest::Seats(vec![s]);
                hold_by(i, &desks, &db, &redis, u, concert, &one).await
            })
        })
        .collect();
    let mut held = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => held += 1,
            Err(TicketingError::OverLimit { max: 4 }) => {}
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    assert_eq!(held, 4);
    assert_eq!(active_seats(&db, concert).await, (4, 4));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_released_seat_can_be_held_again_at_once(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x10").await;
    let seat = HoldRequest::Seats(vec![seat_ids(&db, concert).await[3]]);
    let (a, b) = (shopper(&db).await, shopper(&db).await);
    let desk = HoldDesk::default();
    let first = desk
        .hold(&db, &redis, RULES, a, concert, &seat)
        .await
        .unwrap();
    assert!(matches!(
        desk.hold(&db, &redis, RULES, b, concert, &seat).await,
        Err(TicketingError::SeatTaken)
    ));
    // No seat lock outlives its batch: a released seat is free for the next shopper at once.
    release(&db, &redis, a, first.id).await.unwrap();
    desk.hold(&db, &redis, RULES, b, concert, &seat)
        .await
        .expect("the released seat is free at once");
    assert_eq!(active_seats(&db, concert).await, (1, 1));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hold_is_all_or_nothing(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x10").await;
    let seats = seat_ids(&db, concert).await;
    let (a, b) = (shopper(&db).await, shopper(&db).await);
    hold(
        &db,
        &redis,
        RULES,
        a,
        concert,
        &HoldRequest::Seats(vec![seats[2]]),
    )
    .await
    .unwrap();
    let both = HoldRequest::Seats(vec![seats[1], seats[2]]);
    assert!(matches!(
        hold(&db, &redis, RULES, b, concert, &both).await,
        Err(TicketingError::SeatTaken)
    ));
    let (_, map) = seat_map(&db, &redis, concert).await.unwrap();
    assert_eq!(
        map.seats[1].status,
        SeatStatus::Available,
        "the free one was not kept"
    );
    assert_eq!(map.seats[2].status, SeatStatus::TemporarilyReserved);
}

#[sqlx::test(migrations = "../migrations")]
async fn paying_confirms_the_seats_and_writes_the_books(db: PgPool) {
    let (redis, concert) = setup(&db, "A R 1x4\nB S 1x4").await;
    let seats = seat_ids(&db, concert).await;
    let u = rich(&db).await;
    let held = hold(
        &db,
        &redis,
        RULES,
        u,
        concert,
        &HoldRequest::Seats(vec![seats[0], seats[5]]),
    )
    .await
    .unwrap();
    let view = hold_view(&db, u, held.id).await.unwrap();
    assert_eq!(view.total, Decimal::from(130_000));
    pay(&db, &redis, u, held.id).await.unwrap();
    assert!(matches!(
        pay(&db, &redis, u, held.id).await,
        Err(TicketingError::AlreadyPaid)
    ));
    assert_eq!(
        wallet::balance(&db, u).await.unwrap(),
        Decimal::from(870_000)
    );
    let (prev, rest, amount): (Decimal, Decimal, Decimal) = sqlx::query_as(
        "SELECT previous_balance, remaining_balance, amount FROM ticket_payments WHERE hold_id = $1",
    )
    .bind(held.id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (prev, rest, amount),
        (
            Decimal::from(1_000_000),
            Decimal::from(870_000),
            Decimal::from(130_000)
        )
    );
    let (_, map) = seat_map(&db, &redis, concert).await.unwrap();
    assert_eq!(
        map.seats[0].status,
        SeatStatus::Reserved,
        "the cached map moved on"
    );
    let tickets = my_tickets(&db, u).await.unwrap();
    assert_eq!(tickets.len(), 2);
    assert!(tickets
        .iter()
        .all(|t| t.status == crate::ticketing::ReservationStatus::Confirmed));
}

#[sqlx::test(migrations = "../migrations")]
async fn not_enough_points_keeps_the_hold_and_the_balance(db: PgPool) {
    let (redis, concert) = setup(&db, "A R 1x4").await;
    let u = shopper(&db).await;
    wallet::grant(&db, u, Decimal::from(10_000), "test:poor", "test")
        .await
        .unwrap();
    let seat = seat_ids(&db, concert).await[0];
    let held = hold(
        &db,
        &redis,
        RULES,
        u,
        concert,
        &HoldRequest::Seats(vec![seat]),
    )
    .await
    .unwrap();
    assert!(matches!(
        pay(&db, &redis, u, held.id).await,
        Err(TicketingError::Wallet(
            crate::wallet::WalletError::Insufficient
        ))
    ));
    assert_eq!(
        wallet::balance(&db, u).await.unwrap(),
        Decimal::from(10_000)
    );
    assert!(hold_view(&db, u, held.id)
        .await
        .unwrap()
        .is_held(Utc::now()));
}

async fn age_hold(db: &PgPool, hold: HoldId) {
    sqlx::query(
        "WITH r AS (UPDATE seat_reservations SET reserved_until = now() - interval '1 second'
                    WHERE hold_id = $1 RETURNING seat_id)
         UPDATE seats SET temp_reserved_until = now() - interval '1 second'
         WHERE id IN (SELECT seat_id FROM r)",
    )
    .bind(hold)
    .execute(db)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_expired_hold_frees_its_seats_lazily_and_by_the_job(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x4").await;
    let seats = seat_ids(&db, concert).await;
    let (a, b) = (rich(&db).await, shopper(&db).await);
    let first = hold(
        &db,
        &redis,
        RULES,
        a,
        concert,
        &HoldRequest::Seats(vec![seats[0], seats[1]]),
    )
    .await
    .unwrap();
    age_hold(&db, first.id).await;
    // Lazy: the map shows them free, and another shopper can take one at once.
    let (_, map) = seat_map(&db, &redis, concert).await.unwrap();
    assert_eq!(map.seats[0].status, SeatStatus::Available);
    hold(
        &db,
        &redis,
        RULES,
        b,
        concert,
        &HoldRequest::Seats(vec![seats[0]]),
    )
    .await
    .unwrap();
    assert!(matches!(
        pay(&db, &redis, a, first.id).await,
        Err(TicketingError::HoldExpired)
    ));
    // The job ends the rest of the hold and gives the quota back.
    assert_eq!(expire_due(&db, &redis, 100).await.unwrap(), 1);
    assert_eq!(active_seats(&db, concert).await, (1, 1));
    let quota: i32 = sqlx::query_scalar("SELECT seats FROM ticket_quotas WHERE user_id = $1")
        .bind(a)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(quota, 0);
    assert_eq!(
        wallet::balance(&db, a).await.unwrap(),
        Decimal::from(1_000_000)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn expiry_racing_payment_never_sells_and_frees_the_same_seats(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 10x10").await;
    let seats = seat_ids(&db, concert).await;
    let mut holds = Vec::new();
    for pair in seats.chunks(2).take(40) {
        let u = rich(&db).await;
        let h = hold(
            &db,
            &redis,
            RULES,
            u,
            concert,
            &HoldRequest::Seats(pair.to_vec()),
        )
        .await
        .unwrap();
        holds.push((u, h.id));
    }
    // Every hold runs out just as its payment starts; the job and the payments race.
    for (_, h) in &holds {
        sqlx::query(
            "WITH r AS (UPDATE seat_reservations SET reserved_until = now() + interval '150 milliseconds'
                        WHERE hold_id = $1 RETURNING seat_id)
             UPDATE seats SET temp_reserved_until = now() + interval '150 milliseconds'
             WHERE id IN (SELECT seat_id FROM r)",
        )
        .bind(h)
        .execute(&db)
        .await
        .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(140)).await;
    let payments: Vec<_> = holds
        .iter()
        .map(|&(u, h)| {
            let (db, redis) = (db.clone(), redis.clone());
            tokio::spawn(async move { pay(&db, &redis, u, h).await })
        })
        .collect();
    let sweeper = {
        let (db, redis) = (db.clone(), redis.clone());
        tokio::spawn(async move {
            for _ in 0..20 {
                expire_due(&db, &redis, 1000).await.unwrap();
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let mut paid = 0;
    for p in payments {
        match p.await.unwrap() {
            Ok(()) => paid += 1,
            Err(TicketingError::HoldExpired) => {}
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    sweeper.await.unwrap();
    expire_due(&db, &redis, 1000).await.unwrap();
    // Every hold ended exactly one way, and the books agree with the seats.
    let (sold_seats, confirmed): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM seats WHERE concert_id = $1 AND status = 'RESERVED'),
                (SELECT count(*) FROM seat_reservations WHERE concert_id = $1 AND status = 'CONFIRMED')",
    )
    .bind(concert)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(sold_seats, paid * 2);
    assert_eq!(confirmed, paid * 2);
    let held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM seats WHERE concert_id = $1 AND status = 'TEMPORARILY_RESERVED'",
    )
    .bind(concert)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(held, 0, "every unpaid hold was freed");
    for (u, h) in &holds {
        let paid_here: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM ticket_payments WHERE hold_id = $1)")
                .bind(h)
                .fetch_one(&db)
                .await
                .unwrap();
        let expected = if paid_here {
            1_000_000 - 100_000
        } else {
            1_000_000
        };
        assert_eq!(
            wallet::balance(&db, *u).await.unwrap(),
            Decimal::from(expected)
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn best_available_takes_adjacent_seats_of_the_grade(db: PgPool) {
    let (redis, concert) = setup(&db, "A R 1x5\nB S 2x6").await;
    let seats = seat_ids(&db, concert).await;
    let u = shopper(&db).await;
    // B row 1: seats 2 and 6 taken, leaving 1 | 3 4 5 |; two seats from 3-5 would leave one.
    for s in [seats[5 + 1], seats[5 + 5]] {
        hold(
            &db,
            &redis,
            RULES,
            shopper(&db).await,
            concert,
            &HoldRequest::Seats(vec![s]),
        )
        .await
        .unwrap();
    }
    let best = HoldRequest::Best {
        grade: "S".into(),
        count: 2,
    };
    let held = hold(&db, &redis, RULES, u, concert, &best).await.unwrap();
    let view = hold_view(&db, u, held.id).await.unwrap();
    let places: Vec<_> = view
        .seats
        .iter()
        .map(|s| (s.row_label.as_str(), s.number_in_row))
        .collect();
    assert_eq!(
        places,
        [("2", 1), ("2", 2)],
        "row 1 would leave a lone seat"
    );
    assert!(view.seats.iter().all(|s| s.grade == "S"));
    let too_many = HoldRequest::Best {
        grade: "R".into(),
        count: 6,
    };
    assert!(matches!(
        hold(
            &db,
            &redis,
            HoldRules {
                max_seats: 10,
                ..RULES
            },
            u,
            concert,
            &too_many
        )
        .await,
        Err(TicketingError::NotEnoughSeats)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn cancelling_a_concert_refunds_every_ticket_once(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 2x10").await;
    let seats = seat_ids(&db, concert).await;
    let mut buyers = Vec::new();
    for pair in seats.chunks(2).take(6) {
        let u = rich(&db).await;
        let h = hold(
            &db,
            &redis,
            RULES,
            u,
            concert,
            &HoldRequest::Seats(pair.to_vec()),
        )
        .await
        .unwrap();
        pay(&db, &redis, u, h.id).await.unwrap();
        buyers.push(u);
    }
    let holder = rich(&db).await;
    hold(
        &db,
        &redis,
        RULES,
        holder,
        concert,
        &HoldRequest::Seats(vec![seats[15]]),
    )
    .await
    .unwrap();
    // Two admins press "cancel" at once: one cancels, the other is refused.
    let (a, b) = tokio::join!(
        cancel(&db, &redis, concert, "아티스트 사정"),
        cancel(&db, &redis, concert, "아티스트 사정")
    );
    let refunded = match (a, b) {
        (Ok(n), Err(TicketingError::BadTransition))
        | (Err(TicketingError::BadTransition), Ok(n)) => n,
        other => panic!("expected one cancel: {other:?}"),
    };
    assert_eq!(refunded, 12);
    for u in buyers.iter().chain([&holder]) {
        assert_eq!(
            wallet::balance(&db, *u).await.unwrap(),
            Decimal::from(1_000_000)
        );
    }
    let refunds: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM balance_transactions WHERE tx_type = 'REFUND' AND related_id LIKE 'ticket-refund:%'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(refunds, 12);
    assert_eq!(active_seats(&db, concert).await, (0, 0));
    assert!(matches!(
        hold(
            &db,
            &redis,
            RULES,
            holder,
            concert,
            &HoldRequest::Seats(vec![seats[0]])
        )
        .await,
        Err(TicketingError::NotBookable)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_ticket_cancelled_before_the_show_is_refunded_and_back_on_sale(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x4").await;
    let seat = seat_ids(&db, concert).await[0];
    let u = rich(&db).await;
    let h = hold(
        &db,
        &redis,
        RULES,
        u,
        concert,
        &HoldRequest::Seats(vec![seat]),
    )
    .await
    .unwrap();
    pay(&db, &redis, u, h.id).await.unwrap();
    let ticket = my_tickets(&db, u).await.unwrap()[0].reservation_id;
    cancel_ticket(&db, &redis, u, ticket).await.unwrap();
    assert!(matches!(
        cancel_ticket(&db, &redis, u, ticket).await,
        Err(TicketingError::NotFound)
    ));
    assert_eq!(
        wallet::balance(&db, u).await.unwrap(),
        Decimal::from(1_000_000)
    );
    let other = shopper(&db).await;
    hold(
        &db,
        &redis,
        RULES,
        other,
        concert,
        &HoldRequest::Seats(vec![seat]),
    )
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn the_clock_opens_and_closes_booking_unless_an_admin_set_it(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x4").await;
    sqlx::query("UPDATE concerts SET status = 'SCHEDULED' WHERE id = $1")
        .bind(concert)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(tick(&db, &redis).await.unwrap(), 1);
    assert_eq!(
        detail(&db, concert).await.unwrap().concert.status,
        ConcertStatus::BookingOpen
    );
    set_status(&db, &redis, concert, Some(ConcertStatus::BookingClosed))
        .await
        .unwrap();
    assert_eq!(tick(&db, &redis).await.unwrap(), 0, "pinned by hand");
    let seat = seat_ids(&db, concert).await[0];
    let u = shopper(&db).await;
    assert!(matches!(
        hold(
            &db,
            &redis,
            RULES,
            u,
            concert,
            &HoldRequest::Seats(vec![seat])
        )
        .await,
        Err(TicketingError::NotBookable)
    ));
    set_status(&db, &redis, concert, None).await.unwrap();
    assert_eq!(
        detail(&db, concert).await.unwrap().concert.status,
        ConcertStatus::BookingOpen
    );
    assert!(matches!(
        set_status(&db, &redis, concert, Some(ConcertStatus::Cancelled)).await,
        Err(TicketingError::BadTransition)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn only_its_organiser_edits_a_concert_and_the_clock_follows_the_new_window(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x4").await;
    let admin = Organizer::Admin(shopper(&db).await);
    let configs = crate::platform::config::Configs::new(db.clone(), redis.clone());
    let seller_user = shopper(&db).await;
    let seller = crate::platform::testing::approve_seller(
        &db,
        &configs,
        seller_user,
        shopper(&db).await,
        "공연 기획사",
    )
    .await;
    let promoter = Organizer::Seller {
        user: seller_user,
        seller,
    };
    let now = Utc::now();
    let later = crate::ticketing::domain::ConcertDetails {
        title: "바뀐 제목".into(),
        artist: "밴드".into(),
        venue: "새 홀".into(),
        description: String::new(),
        starts_at: now + Days::days(40),
        booking_starts_at: now + Days::days(10),
        booking_ends_at: now + Days::days(39),
        queue_per_minute: Some(120),
        queue_cap: None,
    };
    assert!(matches!(
        update(&db, &redis, promoter, concert, &later).await,
        Err(TicketingError::Forbidden)
    ));
    update(&db, &redis, admin, concert, &later).await.unwrap();
    let c = detail(&db, concert).await.unwrap().concert;
    assert_eq!((c.title.as_str(), c.venue.as_str()), ("바뀐 제목", "새 홀"));
    // The concert's own admission rate, and the global cap.
    assert_eq!(
        (c.queue_admission_per_minute, c.queue_active_cap),
        (Some(120), None)
    );
    assert_eq!(
        c.status,
        ConcertStatus::Scheduled,
        "booking now opens later"
    );
    cancel(&db, &redis, concert, "취소").await.unwrap();
    assert!(matches!(
        update(&db, &redis, admin, concert, &later).await,
        Err(TicketingError::BadTransition)
    ));
}

/// A payment that reaches the account while a withdrawal holds it waits, then is refused:
/// the withdrawal's check of upcoming tickets ran before this ticket was paid.
#[sqlx::test(migrations = "../migrations")]
async fn a_payment_during_a_withdrawal_is_refused(db: PgPool) {
    let (redis, concert) = setup(&db, "A S 1x4").await;
    let seats = seat_ids(&db, concert).await;
    let u = rich(&db).await;
    let held = hold(
        &db,
        &redis,
        RULES,
        u,
        concert,
        &HoldRequest::Seats(vec![seats[0]]),
    )
    .await
    .unwrap();
    // The withdrawal, between its row lock and its commit (as `account::withdraw` runs).
    let mut withdrawal = db.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
        .bind(u)
        .execute(&mut *withdrawal)
        .await
        .unwrap();
    let paying = tokio::spawn({
        let (db, redis) = (db.clone(), redis.clone());
        async move { pay(&db, &redis, u, held.id).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !paying.is_finished(),
        "the payment waits for the withdrawal"
    );
    sqlx::query("UPDATE users SET status = 'deleted', deleted_at = now() WHERE id = $1")
        .bind(u)
        .execute(&mut *withdrawal)
        .await
        .unwrap();
    withdrawal.commit().await.unwrap();
    let err = paying.await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            TicketingError::Identity(crate::identity::IdentityError::Closed)
        ),
        "{err:?}"
    );
    assert_eq!(
        wallet::balance(&db, u).await.unwrap(),
        Decimal::from(1_000_000)
    );
    let sold: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM seats WHERE concert_id = $1 AND status = 'RESERVED'",
    )
    .bind(concert)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(sold, 0);
}
