use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum SellerError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("business number already registered")]
    BusinessNumberTaken,
    #[error("this user already has a seller account")]
    AlreadyApplied,
    #[error("the application is not in a state that allows this")]
    WrongState,
    #[error("not found")]
    NotFound,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("config: {0}")]
    Config(#[from] crate::platform::config::ConfigError),
}

impl From<SellerError> for AppError {
    fn from(e: SellerError) -> Self {
        match e {
            SellerError::Invalid(f) => AppError::Validation(f),
            SellerError::BusinessNumberTaken => {
                AppError::field("business_number", Msg::ErrBusinessNumberTaken)
            }
            SellerError::AlreadyApplied => AppError::Conflict(Msg::ErrAlreadyApplied),
            SellerError::WrongState => AppError::Conflict(Msg::ErrSellerWrongState),
            SellerError::NotFound => AppError::NotFound,
            other => AppError::internal(other),
        }
    }
}
