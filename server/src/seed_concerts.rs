//! Demo concerts (seed 001): one on sale with 50 seats, a 2,000-seat concert with three grades
//! that opens later, and a past concert with sold seats. Made once: a rerun finds them by
//! title and leaves them alone.

use app::identity::UserId;
use app::platform::state::AppState;
use app::ticketing::domain::{ConcertForm, EditConcertForm, HoldRequest, NewConcert};
use app::ticketing::service::{self as tickets, HoldRules, Organizer};
use chrono::{Duration, Utc};
use rust_decimal::Decimal;

pub const OPEN_TITLE: &str = "장터 봄맞이 어쿠스틱 콘서트";
const BIG_TITLE: &str = "장터 페스티벌 2027";
const PAST_TITLE: &str = "장터 겨울 앙코르 공연";

fn seoul(at: chrono::DateTime<Utc>) -> String {
    at.with_timezone(&app::ui::format::seoul())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn concert(
    title: &str,
    artist: &str,
    venue: &str,
    show_in_days: i64,
    opens_in_days: i64,
    grades: &str,
    layout: &str,
) -> Result<NewConcert, String> {
    let now = Utc::now();
    let starts = now + Duration::days(show_in_days);
    NewConcert::try_from(&ConcertForm {
        details: EditConcertForm {
            title: title.into(),
            artist: artist.into(),
            venue: venue.into(),
            description: format!("{artist}의 {title}. 좌석을 고르고 포인트로 바로 결제하세요."),
            starts_at: seoul(starts),
            booking_starts_at: seoul(now + Duration::days(opens_in_days)),
            booking_ends_at: seoul(starts - Duration::hours(3)),
            ..Default::default()
        },
        grades: grades.into(),
        layout: layout.into(),
        ..Default::default()
    })
    .map_err(|e| format!("demo concert {title}: {e:?}"))
}

async fn exists(state: &AppState, title: &str) -> Result<bool, String> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM concerts WHERE title = $1)")
        .bind(title)
        .fetch_one(&state.db)
        .await
        .map_err(|e| format!("demo concerts: {e}"))
}

/// Returns how many concerts were made.
pub async fn demo(state: &AppState, admin: UserId, shopper: UserId) -> Result<usize, String> {
    let by = Organizer::Admin(admin);
    let mut made = 0;
    let err = |e: app::ticketing::TicketingError| format!("demo concerts: {e}");
    if !exists(state, OPEN_TITLE).await? {
        let c = concert(
            OPEN_TITLE,
            "장터 밴드",
            "장터 아트홀",
            21,
            -1,
            "S 55000",
            "A S 5x10",
        )?;
        tickets::create(&state.db, &state.redis, by, &c)
            .await
            .map_err(err)?;
        // Enough points for a few tickets.
        let cause = format!("demo:tickets:{shopper}");
        match app::wallet::service::grant(
            &state.db,
            shopper,
            Decimal::from(200_000),
            &cause,
            "공연 예매 포인트",
        )
        .await
        {
            Ok(_) | Err(app::wallet::WalletError::AlreadyApplied) => {}
            Err(e) => return Err(format!("demo ticket points: {e}")),
        }
        made += 1;
    }
    if !exists(state, BIG_TITLE).await? {
        let c = concert(
            BIG_TITLE,
            "장터 오케스트라",
            "장터 스타디움",
            60,
            3,
            "VIP 165000, R 132000, S 99000",
            "A VIP 10x20\nB R 10x40\nC R 10x40\nD S 25x40",
        )?;
        tickets::create(&state.db, &state.redis, by, &c)
            .await
            .map_err(err)?;
        made += 1;
    }
    if !exists(state, PAST_TITLE).await? {
        // Sold while open, then moved into the past.
        let c = concert(
            PAST_TITLE,
            "장터 콰르텟",
            "장터 소극장",
            30,
            -1,
            "R 70000, S 45000",
            "A R 2x10\nB S 3x10",
        )?;
        let id = tickets::create(&state.db, &state.redis, by, &c)
            .await
            .map_err(err)?;
        let rules = HoldRules {
            max_seats: 4,
            ttl: std::time::Duration::from_secs(300),
            // The demo's past sales, made on the fans' behalf.
            waiting_room: false,
        };
        for fan in 1..=6 {
            let email = format!("fan{fan}@jangteo.test");
            let user: UserId = sqlx::query_scalar(
                "INSERT INTO users (email, name) VALUES ($1, $2)
                 ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id",
            )
            .bind(&email)
            .bind(format!("관객{fan}"))
            .fetch_one(&state.db)
            .await
            .map_err(|e| format!("demo fans: {e}"))?;
            let cause = format!("demo:fan:{user}");
            match app::wallet::service::grant(
                &state.db,
                user,
                Decimal::from(300_000),
                &cause,
                "데모 포인트",
            )
            .await
            {
                Ok(_) | Err(app::wallet::WalletError::AlreadyApplied) => {}
                Err(e) => return Err(format!("demo fan points: {e}")),
            }
            let grade = if fan % 2 == 0 { "R" } else { "S" };
            let held = tickets::hold(
                &state.db,
                &state.redis,
                rules,
                user,
                id,
                &HoldRequest::Best {
                    grade: grade.into(),
                    count: 3,
                },
            )
            .await
            .map_err(err)?;
            tickets::pay(&state.db, &state.redis, user, held.id)
                .await
                .map_err(err)?;
        }
        sqlx::query(
            "UPDATE concerts SET starts_at = now() - interval '10 days',
                 booking_starts_at = now() - interval '40 days',
                 booking_ends_at = now() - interval '10 days 3 hours',
                 status = 'BOOKING_CLOSED'
             WHERE id = $1",
        )
        .bind(id)
        .execute(&state.db)
        .await
        .map_err(|e| format!("demo past concert: {e}"))?;
        made += 1;
    }
    Ok(made)
}
