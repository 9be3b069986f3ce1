use crate::platform::error::AppError;
use crate::platform::i18n::Msg;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("not enough stock for SKU {sku_id}")]
    Insufficient { sku_id: Uuid },
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
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<InventoryError> for AppError {
    fn from(e: InventoryError) -> Self {
        match e {
            InventoryError::Insufficient { .. } => AppError::Conflict(Msg::ErrOutOfStock),
            InventoryError::BadQuantity => AppError::field("quantity", Msg::ErrQuantity),
            InventoryError::UnknownItem | InventoryError::NotFound => AppError::NotFound,
            InventoryError::NotActive => AppError::Conflict(Msg::ErrReservationNotActive),
            InventoryError::BelowReserved => AppError::field("quantity", Msg::ErrBelowReserved),
            InventoryError::Db(e) => AppError::internal(e),
        }
    }
}
