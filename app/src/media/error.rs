use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("file too large")]
    TooLarge,
    #[error("not a supported image type")]
    UnsupportedType,
    #[error("image could not be decoded: {0}")]
    Unreadable(String),
    #[error("image dimensions too large")]
    TooManyPixels,
    #[error("too many images being processed")]
    Busy,
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl MediaError {
    /// The user-facing problem, if the upload itself was at fault.
    pub fn field_error(&self, field: &str) -> Option<FieldError> {
        let msg = match self {
            Self::TooLarge => Msg::ErrImageTooLarge,
            Self::UnsupportedType => Msg::ErrImageType,
            Self::Unreadable(_) => Msg::ErrImageUnreadable,
            Self::TooManyPixels => Msg::ErrImageDimensions,
            Self::Io(_) | Self::Db(_) | Self::Busy => return None,
        };
        Some(FieldError::new(field, msg))
    }
}

impl From<MediaError> for AppError {
    fn from(e: MediaError) -> Self {
        match e.field_error("image") {
            Some(f) => AppError::Validation(vec![f]),
            None if matches!(e, MediaError::Busy) => AppError::Overloaded {
                retry_after_secs: 5,
            },
            None => AppError::internal(e),
        }
    }
}
