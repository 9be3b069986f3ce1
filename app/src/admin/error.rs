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
    #[error("the account is already in that state")]
    UserWrongState,
    #[error("the last active admin")]
    LastAdmin,
    #[error("the seller role comes from the seller review")]
    SellerRole,
    #[error("an admin cannot suspend themselves")]
    SelfSuspend,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
    #[error("inventory: {0}")]
    Inventory(#[from] crate::inventory::InventoryError),
}

impl From<crate::platform::config::ConfigError> for AdminError {
    fn from(e: crate::platform::config::ConfigError) -> Self {
        use crate::platform::config::ConfigError;
        match e {
            ConfigError::Unknown(_) => Self::NotFound,
            ConfigError::Invalid { reason, .. } => {
                Self::Invalid(vec![FieldError::new("value", reason)])
            }
            ConfigError::Db(e) => Self::Db(e),
            ConfigError::Decode(key) => Self::Db(sqlx::Error::Decode(
                format!("stored config {key} has the wrong type").into(),
            )),
        }
    }
}

impl From<AdminError> for AppError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Invalid(f) => AppError::Validation(f),
            AdminError::NotFound => AppError::NotFound,
            AdminError::WrongState => AppError::Conflict(Msg::ErrNoticeWrongState),
            AdminError::UserWrongState => AppError::Conflict(Msg::ErrUserWrongState),
            AdminError::LastAdmin => AppError::Conflict(Msg::ErrLastAdmin),
            AdminError::SellerRole => AppError::field("role", Msg::ErrSellerRoleViaReview),
            AdminError::SelfSuspend => AppError::Conflict(Msg::ErrSelfSuspend),
            other => AppError::internal(other),
        }
    }
}
