use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum TicketingError {
    #[error("not found")]
    NotFound,
    /// Booking is not open for this concert now.
    #[error("booking closed")]
    NotBookable,
    /// One of the seats was taken (or is not for sale); none was held.
    #[error("seat taken")]
    SeatTaken,
    /// Not enough adjacent free seats of that grade for "best available".
    #[error("not enough seats")]
    NotEnoughSeats,
    /// The account would hold more seats of this concert than allowed.
    #[error("seat limit reached")]
    OverLimit { max: i64 },
    /// The hold ran out or was released before it was paid.
    #[error("hold expired")]
    HoldExpired,
    #[error("already paid")]
    AlreadyPaid,
    /// A ticket that can no longer be cancelled (the concert has started, say).
    #[error("not cancellable")]
    NotCancellable,
    /// A status move the rules do not allow.
    #[error("status change not allowed")]
    BadTransition,
    #[error("forbidden")]
    Forbidden,
    /// Not through the waiting room (or the pass is forged or ran out).
    #[error("not admitted")]
    NotAdmitted,
    /// The waiting room cannot be reached (Redis is down).
    #[error("waiting room unavailable")]
    Unavailable,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("wallet: {0}")]
    Wallet(#[from] crate::wallet::WalletError),
    #[error("identity: {0}")]
    Identity(#[from] crate::identity::IdentityError),
    #[error("config: {0}")]
    Config(#[from] crate::platform::config::ConfigError),
    #[error("media: {0}")]
    Media(#[from] crate::media::MediaError),
    /// A batch of holds could not be written (the cause is logged once for the batch).
    #[error("hold not written")]
    Interrupted,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<Vec<FieldError>> for TicketingError {
    fn from(e: Vec<FieldError>) -> Self {
        Self::Invalid(e)
    }
}

impl From<TicketingError> for AppError {
    fn from(e: TicketingError) -> Self {
        match e {
            TicketingError::NotFound => AppError::NotFound,
            TicketingError::NotBookable => AppError::Conflict(Msg::ErrTicketsNotBookable),
            TicketingError::SeatTaken => AppError::Conflict(Msg::ErrSeatTaken),
            TicketingError::NotEnoughSeats => AppError::Conflict(Msg::ErrNotEnoughSeats),
            TicketingError::OverLimit { .. } => AppError::field("seats", Msg::ErrSeatLimit),
            TicketingError::HoldExpired => AppError::Conflict(Msg::ErrHoldExpired),
            TicketingError::AlreadyPaid => AppError::Conflict(Msg::ErrAlreadySubmitted),
            TicketingError::NotCancellable => AppError::Conflict(Msg::ErrTicketNotCancellable),
            TicketingError::BadTransition => AppError::Conflict(Msg::ErrConcertTransition),
            TicketingError::Forbidden => AppError::Forbidden,
            TicketingError::NotAdmitted => AppError::Refused(Msg::ErrNotAdmitted),
            TicketingError::Unavailable => AppError::Unavailable(Msg::ErrQueueUnavailable),
            TicketingError::Invalid(f) => AppError::Validation(f),
            TicketingError::Wallet(e) => e.into(),
            TicketingError::Identity(e) => e.into(),
            TicketingError::Config(e) => AppError::internal(e),
            TicketingError::Media(e) => e.into(),
            TicketingError::Interrupted => AppError::internal("hold not written"),
            TicketingError::Db(e) => AppError::internal(e),
        }
    }
}
