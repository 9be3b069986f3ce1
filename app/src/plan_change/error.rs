use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum PlanChangeError {
    #[error("invalid line number")]
    BadLine,
    #[error("birth date must be six digits")]
    BadBirthDate,
    /// Wrong line or wrong birth date; deliberately the same answer for both.
    #[error("line not verified")]
    NotVerified,
    #[error("line is linked to another account")]
    LineTaken,
    #[error("line terminated")]
    LineTerminated,
    #[error("not found")]
    NotFound,
    #[error("unknown plan")]
    UnknownPlan,
    #[error("another change is in progress for this line")]
    ChangeInFlight,
    /// A breaker is open (or KOS could not be reached before anything was requested).
    #[error("KOS busy; retry in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    #[error("KOS answered something unreadable: {0}")]
    BadReply(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<PlanChangeError> for AppError {
    fn from(e: PlanChangeError) -> Self {
        match e {
            PlanChangeError::BadLine => AppError::field("line_number", Msg::ErrLineNumber),
            PlanChangeError::BadBirthDate => AppError::field("birth_date", Msg::ErrBirthDate),
            PlanChangeError::NotVerified => AppError::field("line_number", Msg::ErrLineNotVerified),
            PlanChangeError::LineTaken => AppError::Conflict(Msg::ErrLineTaken),
            PlanChangeError::LineTerminated => AppError::Unprocessable(Msg::ErrLineTerminated),
            PlanChangeError::NotFound => AppError::NotFound,
            PlanChangeError::UnknownPlan => AppError::field("target", Msg::ErrUnknownPlan),
            PlanChangeError::ChangeInFlight => AppError::Conflict(Msg::ErrChangeInFlight),
            PlanChangeError::Busy { retry_after_secs } => AppError::Busy { retry_after_secs },
            PlanChangeError::RateLimited { retry_after_secs } => {
                AppError::RateLimited { retry_after_secs }
            }
            other => AppError::internal(other),
        }
    }
}
