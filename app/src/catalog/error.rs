use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("not allowed in the product's current state")]
    WrongState,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("inventory: {0}")]
    Inventory(#[from] crate::inventory::InventoryError),
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
    #[error("media: {0}")]
    Media(#[from] crate::media::MediaError),
}

impl From<FieldError> for CatalogError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::Invalid(f) => AppError::Validation(f),
            CatalogError::NotFound => AppError::NotFound,
            CatalogError::WrongState => AppError::Conflict(Msg::ErrProductWrongState),
            CatalogError::Inventory(e) => e.into(),
            CatalogError::Media(e) => e.into(),
            CatalogError::Db(e) => AppError::internal(e),
            CatalogError::Redis(e) => AppError::internal(e),
        }
    }
}
