use crate::platform::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum WishlistError {
    #[error("no such product")]
    NotFound,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<WishlistError> for AppError {
    fn from(e: WishlistError) -> Self {
        match e {
            WishlistError::NotFound => AppError::NotFound,
            WishlistError::Db(e) => AppError::internal(e),
        }
    }
}
