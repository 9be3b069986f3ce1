use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum CartError {
    /// The product or option does not exist, or is not the shopper's line.
    #[error("not found")]
    NotFound,
    /// No variant has the chosen option values.
    #[error("no such option")]
    NoSuchOption,
    #[error("not on sale")]
    OffSale,
    /// Fewer can be sold than the cart would hold.
    #[error("only {available} left")]
    Insufficient { available: i32 },
    #[error("a line may hold at most 999")]
    QuantityMax,
    #[error("the cart is full")]
    Full,
    #[error("invalid input")]
    Invalid(Vec<crate::platform::error::FieldError>),
    #[error("inventory: {0}")]
    Inventory(#[from] crate::inventory::InventoryError),
    #[error("config: {0}")]
    Config(#[from] crate::platform::config::ConfigError),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<Vec<crate::platform::error::FieldError>> for CartError {
    fn from(e: Vec<crate::platform::error::FieldError>) -> Self {
        Self::Invalid(e)
    }
}

impl From<CartError> for AppError {
    fn from(e: CartError) -> Self {
        match e {
            CartError::NotFound => AppError::NotFound,
            CartError::NoSuchOption => AppError::field("variant_id", Msg::ErrCartPickOption),
            CartError::OffSale => AppError::Conflict(Msg::ErrCartOffSale),
            // Said on the quantity field, so the shopper sees it where they typed.
            CartError::Insufficient { available: 0 } => {
                AppError::field("quantity", Msg::ProductSoldOut)
            }
            CartError::Insufficient { .. } => AppError::field("quantity", Msg::ErrCartOnlyLeft),
            CartError::QuantityMax => AppError::field("quantity", Msg::ErrCartQuantityMax),
            CartError::Full => AppError::Conflict(Msg::ErrCartFull),
            CartError::Invalid(fields) => AppError::Validation(fields),
            CartError::Inventory(e) => e.into(),
            CartError::Config(e) => e.into(),
            CartError::Session(e) => AppError::internal(e),
            CartError::Db(e) => AppError::internal(e),
        }
    }
}
