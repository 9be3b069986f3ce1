//! Paying a hold from the point balance, the holder's view of a hold, my tickets, and
//! cancelling a ticket for a refund.
//!
//! Payment against expiry (ARCHITECTURE.md, "Tickets"): the seat rows decide. A payment takes
//! the hold's seats with a guarded UPDATE that needs them still held by the payer and not
//! past their time. If it gets them, it keeps their row locks until it commits, so an expiry
//! that comes later waits and then finds them sold. If expiry (or another shopper's lazy
//! expiry) got them first, the payment finds them gone and stops before touching the balance.

use super::super::{
    ConcertId, HoldId, HoldView, ReservationId, SeatStatus, TicketSeat, TicketView, TicketingError,
};
use super::concerts::{concert, drop_list};
use super::seats::{changed, SeatChange};
use crate::identity::UserId;
use crate::platform::redis::Redis;
use crate::wallet::{service as wallet, TxKind};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;

/// The seats of a hold, as its holder sees them.
pub async fn hold_view(
    db: &PgPool,
    user: UserId,
    hold: HoldId,
) -> Result<HoldView, TicketingError> {
    let seats: Vec<TicketSeat> = sqlx::query_as(
        "SELECT r.id AS reservation_id, s.id AS seat_id, s.section, s.row_label, s.number_in_row,
                s.grade, r.price,
                CASE WHEN r.status = 'TEMPORARILY_RESERVED' AND r.reserved_until <= now()
                     THEN 'EXPIRED' ELSE r.status END AS status
         FROM seat_reservations r JOIN seats s ON s.id = r.seat_id
         WHERE r.hold_id = $1 AND r.user_id = $2 ORDER BY s.seat_number",
    )
    .bind(hold)
    .bind(user)
    .fetch_all(db)
    .await?;
    let (concert_id, until): (ConcertId, DateTime<Utc>) = sqlx::query_as(
        "SELECT concert_id, max(reserved_until) FROM seat_reservations
         WHERE hold_id = $1 AND user_id = $2 GROUP BY concert_id",
    )
    .bind(hold)
    .bind(user)
    .fetch_optional(db)
    .await?
    .ok_or(TicketingError::NotFound)?;
    let total = seats.iter().map(|s| s.price).sum();
    let balance = wallet::balance(db, user).await?;
    Ok(HoldView {
        id: hold,
        concert: concert(db, concert_id).await?,
        seats,
        total,
        reserved_until: until,
        balance,
    })
}

/// Pays a hold from the balance, in one transaction: the seats become RESERVED, the
/// reservations CONFIRMED, and the payment and its ledger row are written.
pub async fn pay(
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    hold: HoldId,
) -> Result<(), TicketingError> {
    let mut tx = db.begin().await?;
    let open: Vec<(i64, Decimal, ConcertId)> = sqlx::query_as(
        "SELECT seat_id, price, concert_id FROM seat_reservations
         WHERE hold_id = $1 AND user_id = $2 AND status = 'TEMPORARILY_RESERVED'",
    )
    .bind(hold)
    .bind(user)
    .fetch_all(&mut *tx)
    .await?;
    if open.is_empty() {
        let paid: Option<bool> = sqlx::query_scalar(
            "SELECT bool_or(status = 'CONFIRMED') FROM seat_reservations
             WHERE hold_id = $1 AND user_id = $2",
        )
        .bind(hold)
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
        return Err(match paid {
            None => TicketingError::NotFound,
            Some(true) => TicketingError::AlreadyPaid,
            Some(false) => TicketingError::HoldExpired,
        });
    }
    // Not on an account being withdrawn at this moment (its check of upcoming tickets
    // could not see this one yet).
    crate::identity::account::require_active(&mut tx, user).await?;
    let concert_id = open[0].2;
    let seats: Vec<i64> = open.iter().map(|(s, _, _)| *s).collect();
    let total: Decimal = open.iter().map(|(_, p, _)| *p).sum();
    // The seats, in id order: still held by this payer, and not past their time.
    let sold: Vec<SeatChange> = sqlx::query_as(
        "WITH target AS (SELECT id FROM seats WHERE id = ANY($1) ORDER BY id FOR UPDATE)
         UPDATE seats s SET status = 'RESERVED', temp_reserved_until = NULL, updated_at = now()
         FROM target t WHERE s.id = t.id AND s.status = 'TEMPORARILY_RESERVED'
           AND s.temp_reserved_by = $2 AND s.temp_reserved_until > now()
         RETURNING s.id, s.status",
    )
    .bind(&seats)
    .bind(user)
    .fetch_all(&mut *tx)
    .await?;
    if sold.len() != seats.len() {
        return Err(TicketingError::HoldExpired);
    }
    let confirmed = sqlx::query(
        "UPDATE seat_reservations SET status = 'CONFIRMED', confirmed_at = now(), updated_at = now()
         WHERE hold_id = $1 AND user_id = $2 AND status = 'TEMPORARILY_RESERVED'",
    )
    .bind(hold)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if confirmed as usize != seats.len() {
        return Err(TicketingError::HoldExpired);
    }
    let title: String = sqlx::query_scalar("SELECT title FROM concerts WHERE id = $1")
        .bind(concert_id)
        .fetch_one(&mut *tx)
        .await?;
    let cause = format!("ticket:{hold}");
    let entry = wallet::apply(
        &mut tx,
        user,
        wallet::Change {
            kind: TxKind::Payment,
            amount: total,
            related_id: Some(&cause),
            memo: Some(&title),
        },
    )
    .await?;
    sqlx::query(
        "INSERT INTO ticket_payments (user_id, concert_id, hold_id, amount, previous_balance,
             remaining_balance, paid_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())",
    )
    .bind(user)
    .bind(concert_id)
    .bind(hold)
    .bind(total)
    .bind(entry.balance_before)
    .bind(entry.balance_after)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    changed(redis, concert_id, &sold).await;
    drop_list(redis).await;
    Ok(())
}

/// My tickets and held seats, newest first (ended holds are left out).
pub async fn my_tickets(db: &PgPool, user: UserId) -> Result<Vec<TicketView>, TicketingError> {
    Ok(sqlx::query_as(
        "SELECT r.id AS reservation_id, r.hold_id, c.id AS concert_id, c.title, c.artist, c.venue,
                c.starts_at, c.status AS concert_status, s.section, s.row_label, s.number_in_row,
                s.grade, r.price, r.status, r.reserved_until, r.confirmed_at
         FROM seat_reservations r JOIN seats s ON s.id = r.seat_id
         JOIN concerts c ON c.id = r.concert_id
         WHERE r.user_id = $1 AND (r.status IN ('CONFIRMED', 'CANCELLED')
             OR (r.status = 'TEMPORARILY_RESERVED' AND r.reserved_until > now()))
           AND (r.status <> 'CANCELLED' OR r.confirmed_at IS NOT NULL)
         ORDER BY c.starts_at DESC, r.created_at DESC, s.seat_number LIMIT 200",
    )
    .bind(user)
    .fetch_all(db)
    .await?)
}

/// Cancels one bought ticket and refunds its price to the balance. Allowed while booking is
/// still open and before the show; the seat goes back on sale.
pub async fn cancel_ticket(
    db: &PgPool,
    redis: &Redis,
    user: UserId,
    ticket: ReservationId,
) -> Result<(), TicketingError> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, ConcertId, HoldId, Decimal, String, bool)> = sqlx::query_as(
        "SELECT r.seat_id, r.concert_id, r.hold_id, r.price, c.title,
                c.status = 'BOOKING_OPEN' AND now() < c.booking_ends_at AND now() < c.starts_at
         FROM seat_reservations r JOIN concerts c ON c.id = r.concert_id
         WHERE r.id = $1 AND r.user_id = $2 AND r.status = 'CONFIRMED'",
    )
    .bind(ticket)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((seat, concert_id, hold, price, title, open)) = row else {
        return Err(TicketingError::NotFound);
    };
    if !open {
        return Err(TicketingError::NotCancellable);
    }
    // The seat first (the lock order of every seat change), then the reservation.
    let freed: Vec<SeatChange> = sqlx::query_as(
        "UPDATE seats SET status = 'AVAILABLE', temp_reserved_by = NULL, updated_at = now()
         WHERE id = $1 AND status = 'RESERVED' RETURNING id, status",
    )
    .bind(seat)
    .fetch_all(&mut *tx)
    .await?;
    let ended = sqlx::query(
        "UPDATE seat_reservations SET status = 'CANCELLED', ended_at = now(), updated_at = now()
         WHERE id = $1 AND status = 'CONFIRMED'",
    )
    .bind(ticket)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ended != 1 || freed.len() != 1 {
        return Err(TicketingError::NotFound);
    }
    refund_ticket(&mut tx, user, ticket, hold, price, &title).await?;
    sqlx::query(
        "UPDATE ticket_quotas SET seats = seats - 1 WHERE concert_id = $1 AND user_id = $2",
    )
    .bind(concert_id)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    debug_assert!(freed.iter().all(|c| c.status == SeatStatus::Available));
    changed(redis, concert_id, &freed).await;
    drop_list(redis).await;
    Ok(())
}

/// Gives a cancelled ticket's price back to its buyer's balance, once (the ledger refuses a
/// second `ticket-refund:{ticket}`), and counts it on the hold's payment.
pub(super) async fn refund_ticket(
    conn: &mut sqlx::PgConnection,
    user: UserId,
    ticket: ReservationId,
    hold: HoldId,
    price: Decimal,
    title: &str,
) -> Result<(), TicketingError> {
    let cause = format!("ticket-refund:{ticket}");
    wallet::apply(
        &mut *conn,
        user,
        wallet::Change {
            kind: TxKind::Refund,
            amount: price,
            related_id: Some(&cause),
            memo: Some(title),
        },
    )
    .await?;
    sqlx::query(
        "UPDATE ticket_payments SET refunded_amount = refunded_amount + $2,
             status = CASE WHEN refunded_amount + $2 = amount THEN 'CANCELLED' ELSE status END
         WHERE hold_id = $1",
    )
    .bind(hold)
    .bind(price)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
