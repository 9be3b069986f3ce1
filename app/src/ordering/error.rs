use crate::platform::error::AppError;
use crate::platform::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum OrderingError {
    #[error("not found")]
    NotFound,
    #[error("the cart is empty")]
    EmptyCart,
    /// Some line is sold out, off sale or short; the cart page says which.
    #[error("the cart has lines that cannot be ordered")]
    CartBlocked,
    #[error("more points than the order total")]
    PointsOverTotal,
    #[error("points-only payment does not cover the total")]
    PointsShort,
    #[error("the coupon cannot be used")]
    CouponUnavailable,
    #[error("nothing in the cart is in the coupon's scope, or below its minimum")]
    CouponNotApplicable,
    #[error("points cover the total: pay with points only")]
    PointsCoverAll,
    #[error("payment method not available yet")]
    MethodUnavailable,
    #[error("illegal transition from {from} to {to}")]
    IllegalTransition {
        from: super::OrderStatus,
        to: super::OrderStatus,
    },
    #[error("the gateway refused or could not make the refund")]
    RefundRefused,
    #[error("the payment gateway is unavailable")]
    GatewayUnavailable,
    #[error("no more order numbers today")]
    NumbersExhausted,
    #[error("invalid input")]
    Invalid(Vec<crate::platform::error::FieldError>),
    #[error("cart: {0}")]
    Cart(#[from] crate::cart::CartError),
    #[error("inventory: {0}")]
    Inventory(#[from] crate::inventory::InventoryError),
    #[error("wallet: {0}")]
    Wallet(#[from] crate::wallet::WalletError),
    #[error("identity: {0}")]
    Identity(#[from] crate::identity::IdentityError),
    #[error("config: {0}")]
    Config(#[from] crate::platform::config::ConfigError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<Vec<crate::platform::error::FieldError>> for OrderingError {
    fn from(e: Vec<crate::platform::error::FieldError>) -> Self {
        Self::Invalid(e)
    }
}

impl From<OrderingError> for AppError {
    fn from(e: OrderingError) -> Self {
        match e {
            OrderingError::NotFound => AppError::NotFound,
            OrderingError::EmptyCart => AppError::Conflict(Msg::ErrCheckoutEmpty),
            OrderingError::CartBlocked => AppError::Conflict(Msg::ErrCheckoutBlocked),
            OrderingError::PointsOverTotal => AppError::field("points", Msg::ErrPointsOverTotal),
            OrderingError::PointsShort => AppError::field("points", Msg::ErrPointsShort),
            OrderingError::PointsCoverAll => AppError::field("method", Msg::ErrPointsCoverAll),
            OrderingError::CouponUnavailable => {
                AppError::field("coupon", Msg::ErrCouponUnavailable)
            }
            OrderingError::CouponNotApplicable => {
                AppError::field("coupon", Msg::ErrCouponNotApplicable)
            }
            OrderingError::MethodUnavailable => {
                AppError::field("method", Msg::ErrMethodUnavailable)
            }
            OrderingError::IllegalTransition { .. } => AppError::Conflict(Msg::ErrOrderTransition),
            OrderingError::NumbersExhausted => AppError::Unavailable(Msg::ErrBusy),
            OrderingError::RefundRefused => AppError::Unavailable(Msg::ErrRefundFailed),
            OrderingError::GatewayUnavailable => AppError::Unavailable(Msg::ErrPaymentBusy),
            OrderingError::Invalid(f) => AppError::Validation(f),
            OrderingError::Cart(e) => e.into(),
            OrderingError::Inventory(crate::inventory::InventoryError::Insufficient { .. }) => {
                AppError::Conflict(Msg::ErrCheckoutStock)
            }
            OrderingError::Inventory(e) => e.into(),
            OrderingError::Wallet(e) => e.into(),
            OrderingError::Identity(crate::identity::IdentityError::NotFound) => {
                AppError::field("address_id", Msg::ErrCheckoutAddress)
            }
            OrderingError::Identity(e) => e.into(),
            OrderingError::Config(e) => e.into(),
            // Every checkout connection stayed taken for the pool's whole wait: a rush.
            OrderingError::Db(sqlx::Error::PoolTimedOut) => AppError::Overloaded {
                retry_after_secs: 5,
            },
            OrderingError::Db(e) => AppError::internal(e),
        }
    }
}
