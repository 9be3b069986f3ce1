//! The checkout form, parsed into what to place.

use super::{OrderItemId, PaymentMethod};
use crate::identity::AddressId;
use crate::platform::error::{FieldError, Problems};
use crate::platform::i18n::Msg;
use crate::platform::once::FormToken;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// "주문하기" on `/checkout`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckoutForm {
    /// A double click places one checkout (`OnceField`).
    pub once: FormToken,
    #[serde(default)]
    pub address_id: String,
    #[serde(default)]
    pub memo: Option<String>,
    #[serde(default)]
    pub points: Option<String>,
    pub method: PaymentMethod,
    /// One of my coupons, or empty for none.
    #[serde(default)]
    pub coupon: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCheckout {
    pub address: AddressId,
    pub memo: Option<String>,
    pub points: Decimal,
    pub method: PaymentMethod,
    pub coupon: Option<crate::promotion::UserCouponId>,
}

impl TryFrom<&CheckoutForm> for NewCheckout {
    type Error = Vec<FieldError>;

    fn try_from(f: &CheckoutForm) -> Result<Self, Self::Error> {
        let mut p = Problems::default();
        let address = p.check(
            f.address_id
                .parse::<AddressId>()
                .map_err(|_| FieldError::new("address_id", Msg::ErrCheckoutAddress)),
        );
        let memo = p.check(crate::identity::domain::optional_text(
            "memo",
            f.memo.as_deref(),
            200,
        ));
        let points = p.check(crate::wallet::domain::points_to_use(
            "points",
            f.points.as_deref(),
        ));
        let coupon = match f.coupon.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => Some(None),
            Some(raw) => p.check(
                raw.parse()
                    .map(Some)
                    .map_err(|_| FieldError::new("coupon", Msg::ErrCouponNotApplicable)),
            ),
        };
        p.finish(|| {
            Some(NewCheckout {
                address: address?,
                memo: memo?,
                points: points?,
                method: f.method,
                coupon: coupon?,
            })
        })
    }
}

/// "주문 취소": the whole order, or the listed items.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CancelForm {
    pub order_number: String,
    /// Items to cancel; none means the whole order.
    #[serde(default)]
    pub items: Vec<OrderItemId>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_address_and_points_are_both_reported() {
        let form = CheckoutForm {
            once: FormToken::default(),
            address_id: "nope".into(),
            memo: Some("문 앞에 놓아 주세요".into()),
            points: Some("1.5".into()),
            method: PaymentMethod::Points,
            coupon: None,
        };
        let fields: Vec<String> = NewCheckout::try_from(&form)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["address_id", "points"]);
    }
}
