use super::queue::*;
use super::*;
use crate::identity::UserId;
use crate::platform::testing::{shopper, test_redis};
use crate::ticketing::{ConcertId, Place, TicketingError};
use sqlx::PgPool;

async fn concert(db: &PgPool) -> ConcertId {
    let redis = test_redis().await;
    let now = chrono::Utc::now();
    let seoul = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&crate::ui::format::seoul())
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let new =
        crate::ticketing::domain::NewConcert::try_from(&crate::ticketing::domain::ConcertForm {
            details: crate::ticketing::domain::EditConcertForm {
                title: "대기열 콘서트".into(),
                artist: "밴드".into(),
                venue: "홀".into(),
                starts_at: seoul(now + chrono::Duration::days(3)),
                booking_starts_at: seoul(now - chrono::Duration::minutes(2)),
                booking_ends_at: seoul(now + chrono::Duration::days(2)),
                ..Default::default()
            },
            grades: "S 10000".into(),
            layout: "A S 2x10".into(),
            ..Default::default()
        })
        .unwrap();
    create(db, &redis, Organizer::Admin(shopper(db).await), &new)
        .await
        .unwrap()
}

async fn users(db: &PgPool, n: usize) -> Vec<UserId> {
    let mut v = Vec::new();
    for _ in 0..n {
        v.push(shopper(db).await);
    }
    v
}

async fn admitted_order(db: &PgPool, concert: ConcertId) -> Vec<UserId> {
    sqlx::query_scalar("SELECT user_id FROM queue_admissions WHERE concert_id = $1 ORDER BY id")
        .bind(concert)
        .fetch_all(db)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_pre_queue_is_shuffled_at_opening_then_first_come_first_served(db: PgPool) {
    let redis = test_redis().await;
    let c = concert(&db).await;
    let rules = QueueRules {
        per_minute: 6000,
        active_cap: 3,
    };
    let early = users(&db, 12).await;
    for &u in &early {
        assert_eq!(
            enter(&db, &redis, rules, c, u, false).await.unwrap(),
            Place::PreQueue
        );
    }
    assert_eq!(admit(&db, &redis, rules, c).await.unwrap(), 3, "the cap");
    // Late arrivals queue behind the whole pre-queue, in the order they came.
    let late = users(&db, 3).await;
    for (i, &u) in late.iter().enumerate() {
        match enter(&db, &redis, rules, c, u, true).await.unwrap() {
            Place::Waiting { position, .. } => assert_eq!(position, 10 + i as i64),
            other => panic!("expected to wait: {other:?}"),
        }
    }
    // Each round, the admitted leave and the next three come in.
    loop {
        let inside: Vec<UserId> = admitted_order(&db, c).await;
        for u in &inside {
            leave(&redis, c, *u).await.unwrap();
        }
        if admit(&db, &redis, rules, c).await.unwrap() == 0 {
            break;
        }
    }
    let order = admitted_order(&db, c).await;
    assert_eq!(order.len(), 15);
    let log = admission_log(&db, c).await.unwrap();
    let seed = log.seed.expect("the seed is recorded");
    let mut sorted: Vec<uuid::Uuid> = early.iter().map(|u| u.0).collect();
    sorted.sort();
    assert_eq!(log.pre_queue, sorted, "the shuffle's input is recorded");
    let expected: Vec<uuid::Uuid> = shuffled(&sorted, seed)
        .into_iter()
        .chain(late.iter().map(|u| u.0))
        .collect();
    let got: Vec<uuid::Uuid> = order.iter().map(|u| u.0).collect();
    assert_eq!(got, expected, "the audit recomputes the line");
    let arrival: Vec<uuid::Uuid> = early.iter().map(|u| u.0).collect();
    assert_ne!(got[..12], arrival[..], "arriving early bought no place");
    assert!(log.admissions[..12].iter().all(|a| a.pre_queue));
    assert!(log.admissions[12..].iter().all(|a| !a.pre_queue));
}

#[sqlx::test(migrations = "../migrations")]
async fn admission_keeps_to_the_rate_and_the_cap(db: PgPool) {
    let redis = test_redis().await;
    let c = concert(&db).await;
    // 60 a minute: a burst of 5, then one a second.
    let rate = QueueRules {
        per_minute: 60,
        active_cap: 1000,
    };
    let line = users(&db, 20).await;
    for &u in &line {
        enter(&db, &redis, rate, c, u, false).await.unwrap();
    }
    assert_eq!(admit(&db, &redis, rate, c).await.unwrap(), 5);
    assert_eq!(
        admit(&db, &redis, rate, c).await.unwrap(),
        0,
        "the burst is spent"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        admit(&db, &redis, rate, c).await.unwrap(),
        2,
        "about one a second"
    );
    // The cap: with 7 inside and a cap of 8, one more at most, however fast the rate.
    let capped = QueueRules {
        per_minute: 600_000,
        active_cap: 8,
    };
    assert_eq!(admit(&db, &redis, capped, c).await.unwrap(), 1);
    assert_eq!(admit(&db, &redis, capped, c).await.unwrap(), 0);
    let inside = admitted_order(&db, c).await[0];
    leave(&redis, c, inside).await.unwrap();
    assert_eq!(
        admit(&db, &redis, capped, c).await.unwrap(),
        1,
        "a slot given up goes to the next"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn one_place_per_account_from_many_tabs(db: PgPool) {
    let redis = test_redis().await;
    let c = concert(&db).await;
    let rules = QueueRules {
        per_minute: 60,
        active_cap: 1,
    };
    let first = shopper(&db).await;
    assert!(matches!(
        enter(&db, &redis, rules, c, first, true).await.unwrap(),
        Place::Admitted { .. }
    ));
    let u = shopper(&db).await;
    let tabs: Vec<_> = (0..20)
        .map(|_| {
            let (db, redis) = (db.clone(), redis.clone());
            tokio::spawn(async move { enter(&db, &redis, rules, c, u, true).await })
        })
        .collect();
    for t in tabs {
        match t.await.unwrap().unwrap() {
            Place::Waiting { position, .. } => assert_eq!(position, 1),
            other => panic!("{other:?}"),
        }
    }
    let other = shopper(&db).await;
    match enter(&db, &redis, rules, c, other, true).await.unwrap() {
        Place::Waiting { position, .. } => assert_eq!(position, 2, "one place for the many tabs"),
        p => panic!("{p:?}"),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn only_an_admitted_account_with_a_true_pass_may_hold(db: PgPool) {
    use crate::ticketing::domain::HoldRequest;
    let redis = test_redis().await;
    let c = concert(&db).await;
    let rules = QueueRules {
        per_minute: 60,
        active_cap: 1,
    };
    let seats: Vec<crate::ticketing::SeatId> =
        sqlx::query_scalar("SELECT id FROM seats WHERE concert_id = $1 ORDER BY seat_number")
            .bind(c)
            .fetch_all(&db)
            .await
            .unwrap();
    let shoppers = HoldRules {
        max_seats: 4,
        ttl: std::time::Duration::from_secs(300),
        waiting_room: true,
    };
    let take = |user: UserId, seat: usize| {
        let (db, redis) = (db.clone(), redis.clone());
        let request = HoldRequest::Seats(vec![seats[seat]]);
        async move { hold(&db, &redis, shoppers, user, c, &request).await }
    };
    let refused = |r: Result<(), TicketingError>| matches!(r, Err(TicketingError::NotAdmitted));
    let inside = shopper(&db).await;
    let Place::Admitted { token, .. } = enter(&db, &redis, rules, c, inside, true).await.unwrap()
    else {
        panic!("room for one");
    };
    let waiting = shopper(&db).await;
    enter(&db, &redis, rules, c, waiting, true).await.unwrap();
    // Inside: the pass is good, and a hold goes through the gate.
    assert!(require_pass(&db, c, inside, Some(&token)).await.is_ok());
    assert!(require_pass(&db, c, inside, None).await.is_ok());
    take(inside, 0).await.expect("inside the room");
    // Still in line: no hold, and no seat taken by trying.
    assert!(refused(take(waiting, 1).await.map(drop)), "still in line");
    assert!(
        refused(
            hold(
                &db,
                &redis,
                shoppers,
                waiting,
                c,
                &HoldRequest::Best {
                    grade: "S".into(),
                    count: 1
                }
            )
            .await
            .map(drop)
        ),
        "best available is gated too"
    );
    let free: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM seats WHERE concert_id = $1 AND status = 'AVAILABLE'",
    )
    .bind(c)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(free, seats.len() as i64 - 1);
    // Passes: someone else's, forged, expired, or signed with another key.
    assert!(
        refused(require_pass(&db, c, waiting, Some(&token)).await),
        "someone else's pass"
    );
    let forged = format!("{}x", &token[..token.len() - 1]);
    assert!(
        refused(require_pass(&db, c, inside, Some(&forged)).await),
        "forged"
    );
    let key = signing_key(&db, "queue").await.unwrap();
    let expired = pass_token(
        &key,
        c,
        inside,
        chrono::Utc::now() - chrono::Duration::seconds(1),
    );
    assert!(
        refused(require_pass(&db, c, inside, Some(&expired)).await),
        "expired"
    );
    let other_key = pass_token(
        b"not the key",
        c,
        inside,
        chrono::Utc::now() + chrono::Duration::minutes(5),
    );
    assert!(refused(
        require_pass(&db, c, inside, Some(&other_key)).await
    ));
    // Gone from the room: the next hold is refused.
    leave(&redis, c, inside).await.unwrap();
    assert!(refused(take(inside, 2).await.map(drop)), "left");
}
