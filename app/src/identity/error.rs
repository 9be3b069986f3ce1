use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Msg;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("email already registered")]
    EmailTaken,
    #[error("bad credentials")]
    BadCredentials,
    #[error("account suspended")]
    Suspended(Option<String>),
    #[error("too many attempts")]
    RateLimited(Duration),
    #[error("not found")]
    NotFound,
    /// The account was withdrawn while the request was under way.
    #[error("account closed")]
    Closed,
    /// The password typed to confirm a change was wrong; the name is the form field.
    #[error("wrong password")]
    WrongPassword(&'static str),
    /// Something still open needs the account.
    #[error("cannot withdraw: {0:?}")]
    Obligation(super::account::Obligation),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("password hashing at capacity")]
    Busy,
}

impl From<super::password::HashError> for IdentityError {
    fn from(e: super::password::HashError) -> Self {
        match e {
            super::password::HashError::Busy => Self::Busy,
            super::password::HashError::Failed(m) => Self::Hash(m),
        }
    }
}

impl From<Vec<FieldError>> for IdentityError {
    fn from(e: Vec<FieldError>) -> Self {
        Self::Invalid(e)
    }
}

impl From<FieldError> for IdentityError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl From<IdentityError> for AppError {
    fn from(e: IdentityError) -> Self {
        match e {
            IdentityError::Invalid(fields) => AppError::Validation(fields),
            IdentityError::EmailTaken => AppError::field("email", Msg::ErrEmailTaken),
            IdentityError::BadCredentials => AppError::field("password", Msg::ErrBadCredentials),
            IdentityError::Suspended(reason) => AppError::AccountSuspended { reason },
            IdentityError::RateLimited(d) => AppError::RateLimited {
                retry_after_secs: d.as_secs().max(1),
            },
            IdentityError::NotFound => AppError::NotFound,
            // Its sessions and tokens are gone too: the caller is no longer signed in.
            IdentityError::Closed => AppError::Unauthenticated,
            IdentityError::WrongPassword(field) => AppError::field(field, Msg::ErrPasswordWrong),
            IdentityError::Obligation(o) => AppError::Conflict(o.message()),
            IdentityError::Busy => AppError::Overloaded {
                retry_after_secs: 1,
            },
            other => AppError::internal(other),
        }
    }
}
