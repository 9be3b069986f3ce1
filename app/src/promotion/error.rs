use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum PromotionError {
    #[error("not found")]
    NotFound,
    #[error("all issued")]
    SoldOut,
    #[error("already claimed")]
    AlreadyClaimed,
    #[error("not in its validity window")]
    NotValid,
    #[error("code taken")]
    CodeTaken,
    #[error("invalid input")]
    Invalid(Vec<crate::platform::error::FieldError>),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<Vec<crate::platform::error::FieldError>> for PromotionError {
    fn from(e: Vec<crate::platform::error::FieldError>) -> Self {
        Self::Invalid(e)
    }
}

impl From<PromotionError> for AppError {
    fn from(e: PromotionError) -> Self {
        match e {
            PromotionError::NotFound => AppError::NotFound,
            PromotionError::SoldOut => AppError::Conflict(Msg::ErrCouponSoldOut),
            PromotionError::AlreadyClaimed => AppError::Conflict(Msg::ErrCouponClaimed),
            PromotionError::NotValid => AppError::Conflict(Msg::ErrCouponNotValid),
            PromotionError::CodeTaken => AppError::field("code", Msg::ErrCouponCodeTaken),
            PromotionError::Invalid(f) => AppError::Validation(f),
            PromotionError::Db(e) => AppError::internal(e),
        }
    }
}
