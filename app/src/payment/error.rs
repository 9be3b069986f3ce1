use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("not found")]
    NotFound,
    /// The amount or checkout in the confirm differs from what we asked the gateway for.
    #[error("the confirm does not match the payment")]
    Mismatch,
    /// The gateway refused the payment (card declined, expired, cancelled by the shopper).
    #[error("declined: {code}")]
    Declined { code: String },
    /// The stock hold ran out and the stock is gone; the payment was cancelled at the gateway.
    #[error("the stock ran out before the payment completed")]
    StockGone,
    /// The gateway is refusing calls for a while (breaker open).
    #[error("gateway unavailable")]
    Unavailable { retry_after_secs: u64 },
    /// The gateway did not answer in time; the outcome is reconciled later.
    #[error("outcome unknown")]
    Unknown,
    #[error("refund beyond what was paid")]
    OverRefund,
    #[error("webhook refused")]
    BadWebhook,
    #[error("ordering: {0}")]
    Ordering(#[from] crate::ordering::OrderingError),
    #[error("inventory: {0}")]
    Inventory(#[from] crate::inventory::InventoryError),
    #[error("wallet: {0}")]
    Wallet(#[from] crate::wallet::WalletError),
    #[error("gateway call: {0}")]
    Call(#[from] crate::platform::integration::CallError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<PaymentError> for AppError {
    fn from(e: PaymentError) -> Self {
        match e {
            PaymentError::NotFound => AppError::NotFound,
            PaymentError::Mismatch => AppError::Unprocessable(Msg::ErrPaymentMismatch),
            PaymentError::Declined { .. } => AppError::Unprocessable(Msg::ErrPaymentDeclined),
            PaymentError::StockGone => AppError::Conflict(Msg::ErrPaymentStockGone),
            // Said as the gateway's trouble, not the carrier's (`AppError::Busy`).
            PaymentError::Unavailable { .. } => AppError::Unavailable(Msg::ErrPaymentBusy),
            PaymentError::Unknown => AppError::Unavailable(Msg::ErrPaymentProcessing),
            PaymentError::OverRefund => AppError::Conflict(Msg::ErrOrderTransition),
            PaymentError::BadWebhook => AppError::Forbidden,
            PaymentError::Ordering(e) => e.into(),
            PaymentError::Inventory(e) => e.into(),
            PaymentError::Wallet(e) => e.into(),
            PaymentError::Call(crate::platform::integration::CallError::Open { .. }) => {
                AppError::Unavailable(Msg::ErrPaymentBusy)
            }
            PaymentError::Call(e) => AppError::internal(e),
            PaymentError::Db(e) => AppError::internal(e),
        }
    }
}
