//! Where the gateway sends the shopper back: success and fail.

mod back;

pub use back::{PaymentFailPage, PaymentSuccessPage};
