use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    /// The balance is smaller than what was asked for.
    #[error("not enough points")]
    Insufficient,
    /// This cause (an order, a refund) already changed the balance.
    #[error("already applied")]
    AlreadyApplied,
    #[error("amount must be a positive whole number of won")]
    BadAmount,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<WalletError> for AppError {
    fn from(e: WalletError) -> Self {
        match e {
            WalletError::Insufficient => AppError::field("points", Msg::ErrPointsInsufficient),
            WalletError::AlreadyApplied => AppError::Conflict(Msg::ErrAlreadySubmitted),
            WalletError::BadAmount => AppError::field("points", Msg::ErrPointsAmount),
            WalletError::Db(e) => AppError::internal(e),
        }
    }
}
