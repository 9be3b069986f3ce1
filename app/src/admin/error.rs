use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("the notice is not in a state that allows this")]
    WrongState,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
}

impl From<AdminError> for AppError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Invalid(f) => AppError::Validation(f),
            AdminError::NotFound => AppError::NotFound,
            AdminError::WrongState => AppError::Conflict(Msg::ErrNoticeWrongState),
            other => AppError::internal(other),
        }
    }
}
