use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("not enough stock for SKU {sku_id}")]
    Insufficient { sku_id: super::SkuId },
    #[error("quantity must be positive")]
    BadQuantity,
    #[error("unknown SKU or variant")]
    UnknownItem,
    #[error("reservation is not active")]
    NotActive,
    #[error("not found")]
    NotFound,
    #[error("the adjustment would make stock negative or below what is reserved")]
    BelowReserved,
    #[error("SKU code already used by this seller")]
    CodeTaken,
    #[error("quantity too large")]
    QuantityTooLarge,
    #[error("too many lines")]
    TooManyLines,
    #[error("reservation time out of range")]
    BadTtl,
    #[error("invalid input")]
    Invalid(Vec<crate::platform::error::FieldError>),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<crate::platform::error::FieldError> for InventoryError {
    fn from(e: crate::platform::error::FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl From<InventoryError> for AppError {
    fn from(e: InventoryError) -> Self {
        match e {
            InventoryError::Insufficient { .. } => AppError::Conflict(Msg::ErrOutOfStock),
            InventoryError::BadQuantity => AppError::field("quantity", Msg::ErrQuantity),
            InventoryError::UnknownItem | InventoryError::NotFound => AppError::NotFound,
            InventoryError::NotActive => AppError::Conflict(Msg::ErrReservationNotActive),
            InventoryError::BelowReserved => AppError::field("quantity", Msg::ErrBelowReserved),
            InventoryError::CodeTaken => AppError::Conflict(Msg::ErrSkuCodeTaken),
            InventoryError::QuantityTooLarge => {
                AppError::field("quantity", Msg::ErrQuantityTooLarge)
            }
            InventoryError::TooManyLines => AppError::field("lines", Msg::ErrTooManyLines),
            InventoryError::BadTtl => AppError::field("ttl", Msg::ErrReservationTtl),
            InventoryError::Invalid(fields) => AppError::Validation(fields),
            InventoryError::Db(e) => AppError::internal(e),
        }
    }
}
