//! Ticket rules, tested against Postgres and Redis.
//!
//! - `concerts`: creating concerts and their seats, the clock that opens and closes booking,
//!   an admin's override, and cancelling a concert with its refunds.
//! - `seats`: the seat map, its cache and the live updates of seat changes.
//! - `holds`: holding seats (all or nothing, within the per-account limit), releasing them,
//!   and expiring them; `desk` writes the holds that arrive together in one transaction.
//! - `booking`: paying a hold from the point balance, my tickets, and cancelling a ticket.

mod booking;
mod codes;
mod concerts;
mod desk;
mod holds;
pub mod queue;
mod seats;

pub use booking::*;
pub use codes::*;
pub use concerts::*;
pub use desk::HoldDesk;
pub use holds::*;
pub use seats::*;

#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod tests;

/// The statuses a shopper sees: a hold past its time counts as free before any job has
/// expired it (lazy expiry on read).
pub(crate) const SEAT_STATUS: &str = "CASE WHEN s.status = 'TEMPORARILY_RESERVED'
        AND s.temp_reserved_until <= now() THEN 'AVAILABLE' ELSE s.status END";
