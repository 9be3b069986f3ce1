//! Tickets (seed 001): concerts with a seat map, seat holds that expire, and bookings paid
//! from the point balance (`wallet/`).
//!
//! A seat's state lives on its `seats` row; `seat_reservations` keeps who held or bought it.
//! Every change of a seat takes the seat rows first, in id order, so two changes of the same
//! seats queue instead of deadlocking, and the seat row decides who wins.

pub mod api;
pub mod domain;
pub mod pages;
pub mod seating;

#[cfg(feature = "ssr")]
mod error;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use error::TicketingError;

use crate::platform::i18n::Msg;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

crate::id_type!(
    /// A concert.
    ConcertId
);
crate::id_type!(
    /// Seats held together: paid, released and expired together.
    HoldId
);
crate::id_type!(
    /// One seat held or bought by one account: a ticket once it is paid.
    ReservationId
);

/// One seat of one concert (seed 001 `seats.id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(transparent)
)]
pub struct SeatId(pub i64);

impl std::fmt::Display for SeatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for SeatId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(Self)
    }
}

crate::code_enum! {
    /// Seed 001 `concerts.status`. Time moves a concert along; an admin can set it by hand.
    pub enum ConcertStatus {
        Scheduled = "SCHEDULED",
        BookingOpen = "BOOKING_OPEN",
        BookingClosed = "BOOKING_CLOSED",
        Cancelled = "CANCELLED",
    }
}

impl ConcertStatus {
    pub fn label(self) -> Msg {
        match self {
            Self::Scheduled => Msg::ConcertScheduled,
            Self::BookingOpen => Msg::ConcertBookingOpen,
            Self::BookingClosed => Msg::ConcertBookingClosed,
            Self::Cancelled => Msg::ConcertCancelled,
        }
    }
}

crate::code_enum! {
    /// Seed 001 `seats.status`, plus seats that are not for sale.
    pub enum SeatStatus {
        Available = "AVAILABLE",
        TemporarilyReserved = "TEMPORARILY_RESERVED",
        Reserved = "RESERVED",
        Blocked = "BLOCKED",
    }
}

impl SeatStatus {
    pub fn label(self) -> Msg {
        match self {
            Self::Available => Msg::SeatAvailable,
            Self::TemporarilyReserved => Msg::SeatHeld,
            Self::Reserved => Msg::SeatSold,
            Self::Blocked => Msg::SeatBlocked,
        }
    }
}

crate::code_enum! {
    /// Seed 001 `reservations.status`.
    pub enum ReservationStatus {
        TemporarilyReserved = "TEMPORARILY_RESERVED",
        Confirmed = "CONFIRMED",
        Cancelled = "CANCELLED",
        Expired = "EXPIRED",
    }
}

impl ReservationStatus {
    pub fn label(self) -> Msg {
        match self {
            Self::TemporarilyReserved => Msg::TicketHeld,
            Self::Confirmed => Msg::TicketConfirmed,
            Self::Cancelled => Msg::TicketCancelled,
            Self::Expired => Msg::TicketExpired,
        }
    }
}

/// A seat grade and its price, with how many of its seats are left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct GradeView {
    pub grade: String,
    pub price: Decimal,
    pub seats: i64,
    pub available: i64,
}

/// A concert as lists and its page show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct ConcertView {
    pub id: ConcertId,
    pub title: String,
    pub artist: String,
    pub venue: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub booking_starts_at: DateTime<Utc>,
    pub booking_ends_at: DateTime<Utc>,
    pub status: ConcertStatus,
    pub total_seats: i32,
    /// The concert's own waiting-room admissions per minute (`null`: the global setting).
    pub queue_admission_per_minute: Option<i32>,
    /// The concert's own cap on shoppers choosing seats at once (`null`: the global setting).
    pub queue_active_cap: Option<i32>,
    /// Seats for sale that nobody holds or bought (an expired hold counts as free).
    pub seats_left: i64,
    /// The cheapest grade's price.
    pub price_from: Option<Decimal>,
    pub poster_url: Option<String>,
    pub poster_thumbnail_url: Option<String>,
}

impl ConcertView {
    /// Whether seats can be held right now: open, and inside the booking window.
    pub fn is_bookable(&self, now: DateTime<Utc>) -> bool {
        self.status == ConcertStatus::BookingOpen
            && self.booking_starts_at <= now
            && now < self.booking_ends_at
    }
}

/// A concert's page: the concert and its grades.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConcertDetail {
    pub concert: ConcertView,
    pub grades: Vec<GradeView>,
}

/// One seat on the map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct SeatView {
    pub id: SeatId,
    pub seat_number: i32,
    pub section: String,
    pub row_label: String,
    pub number_in_row: i32,
    pub grade: String,
    pub price: Decimal,
    /// As a shopper sees it: a hold past its time is AVAILABLE.
    pub status: SeatStatus,
}

/// The seat map of a concert, with a version that grows with every change of a seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeatMap {
    pub concert_id: ConcertId,
    pub seats: Vec<SeatView>,
}

/// One seat of a hold or a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct TicketSeat {
    pub reservation_id: ReservationId,
    pub seat_id: SeatId,
    pub section: String,
    pub row_label: String,
    pub number_in_row: i32,
    pub grade: String,
    pub price: Decimal,
    pub status: ReservationStatus,
}

/// Seats held together, or bought together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HoldView {
    pub id: HoldId,
    pub concert: ConcertView,
    pub seats: Vec<TicketSeat>,
    pub total: Decimal,
    pub reserved_until: DateTime<Utc>,
    /// The holder's point balance now.
    pub balance: Decimal,
}

impl HoldView {
    /// Every seat is still held (not paid, released or expired).
    pub fn is_held(&self, now: DateTime<Utc>) -> bool {
        now < self.reserved_until
            && self
                .seats
                .iter()
                .all(|s| s.status == ReservationStatus::TemporarilyReserved)
    }

    pub fn is_paid(&self) -> bool {
        self.seats
            .iter()
            .any(|s| s.status == ReservationStatus::Confirmed)
    }
}

/// A ticket on "my tickets": one bought seat, or a seat still held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct TicketView {
    pub reservation_id: ReservationId,
    pub hold_id: HoldId,
    pub concert_id: ConcertId,
    pub title: String,
    pub artist: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub concert_status: ConcertStatus,
    pub section: String,
    pub row_label: String,
    pub number_in_row: i32,
    pub grade: String,
    pub price: Decimal,
    pub status: ReservationStatus,
    pub reserved_until: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// What the QR code encodes: the ticket id, signed by the shop.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub code: String,
    /// That code as a QR code (an SVG document), for a confirmed ticket.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub qr_svg: String,
}

/// Where an account stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Place {
    /// Booking has not opened: in the pre-queue, to be shuffled at opening.
    PreQueue,
    /// In line: `position` 1 is next.
    Waiting { position: i64, ahead_minutes: i64 },
    /// Inside: may pick seats; `token` proves it to the REST API.
    Admitted { token: String, until: DateTime<Utc> },
    /// Not in line (never entered, or left).
    Out,
}

/// The shuffle's seed and input, and the admissions in order, for an admin after the sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AdmissionLog {
    pub seed: Option<i64>,
    pub pre_queue: Vec<uuid::Uuid>,
    pub admissions: Vec<Admission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Admission {
    pub user_id: crate::identity::UserId,
    pub email: String,
    pub position: i64,
    pub pre_queue: bool,
    pub admitted_at: DateTime<Utc>,
}
